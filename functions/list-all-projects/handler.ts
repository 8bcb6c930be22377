import middy from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2 } from 'aws-lambda';
import type { ManageProjectsDeps } from '../../shared/domain/manage-projects';
import { officerApi } from '../../shared/http/middleware';
import { ok } from '../../shared/http/responses';
import { projectRepository } from '../../shared/storage/repositories';

/** GET /officer/projects: every project, closed ones and alert teams included, with versions for If-Match. */
export const makeHandler = (deps: Pick<ManageProjectsDeps, 'projects'>) =>
  middy<APIGatewayProxyEventV2, APIGatewayProxyResultV2>()
    .use(officerApi('officer'))
    .handler(async () => ok({ projects: await deps.projects.listStored() }));

export const handler = makeHandler({ projects: projectRepository() });
