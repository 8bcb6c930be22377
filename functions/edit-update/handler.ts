import middy from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2 } from 'aws-lambda';
import { systemClock } from '../../shared/domain/clock';
import { editUpdate, type UpdateDeps } from '../../shared/domain/manage-updates';
import { officerUpdateOf } from '../../shared/domain/officer-views';
import { UpdatePatch } from '../../shared/domain/update-input';
import { etagOf, expectedVersionOf } from '../../shared/http/conditional';
import { actorOf, officerApi } from '../../shared/http/middleware';
import { parseWith } from '../../shared/http/parse';
import { ok } from '../../shared/http/responses';
import { updateIdOf } from '../../shared/http/update-path';
import { projectRepository, updateRepository } from '../../shared/storage/repositories';

/** PATCH /officer/updates/{id} (If-Match): change it; a published one stays published and is checked again. */
export const makeHandler = (deps: UpdateDeps) =>
  middy<APIGatewayProxyEventV2, APIGatewayProxyResultV2>()
    .use(officerApi('officer', { jsonBody: true }))
    .handler(async (event) => {
      const id = updateIdOf(event);
      const expectedVersion = expectedVersionOf(event);
      const patch = parseWith(UpdatePatch, event.body);
      const updated = await editUpdate(deps, id, expectedVersion, patch, actorOf(event));
      return ok(officerUpdateOf(updated), { etag: etagOf(updated.version) });
    });

export const handler = makeHandler({
  updates: updateRepository(),
  projects: projectRepository(),
  now: systemClock,
  newId: () => {
    throw new Error('editing never makes a new update');
  },
});
