import middy from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2 } from 'aws-lambda';
import { systemClock } from '../../shared/domain/clock';
import { type ManageProjectsDeps, saveProject } from '../../shared/domain/manage-projects';
import { ProjectInput } from '../../shared/domain/project-input';
import { etagOf, optionalExpectedVersionOf } from '../../shared/http/conditional';
import { actorOf, officerApi } from '../../shared/http/middleware';
import { parseWith } from '../../shared/http/parse';
import { projectIdOf } from '../../shared/http/path';
import { ok } from '../../shared/http/responses';
import { projectRepository } from '../../shared/storage/repositories';

/** PUT /officer/projects/{id} (admins; If-Match to replace one that exists). */
export const makeHandler = (deps: ManageProjectsDeps) =>
  middy<APIGatewayProxyEventV2, APIGatewayProxyResultV2>()
    .use(officerApi('admin', { jsonBody: true }))
    .handler(async (event) => {
      const id = projectIdOf(event);
      const expectedVersion = optionalExpectedVersionOf(event);
      const input = parseWith(ProjectInput, event.body);
      const project = await saveProject(deps, id, input, expectedVersion, actorOf(event));
      return ok(project, { etag: etagOf(project.version) });
    });

export const handler = makeHandler({ projects: projectRepository(), now: systemClock });
