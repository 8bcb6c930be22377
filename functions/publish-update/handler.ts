import middy from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2 } from 'aws-lambda';
import { systemClock } from '../../shared/domain/clock';
import { publishUpdate, type UpdateDeps } from '../../shared/domain/manage-updates';
import { officerUpdateOf } from '../../shared/domain/officer-views';
import { etagOf, expectedVersionOf } from '../../shared/http/conditional';
import { actorOf, officerApi } from '../../shared/http/middleware';
import { ok } from '../../shared/http/responses';
import { updateIdOf } from '../../shared/http/update-path';
import { projectRepository, updateRepository } from '../../shared/storage/repositories';

/** POST /officer/updates/{id}/publish (If-Match): public in every feed, once its text identifies no one. */
export const makeHandler = (deps: UpdateDeps) =>
  middy<APIGatewayProxyEventV2, APIGatewayProxyResultV2>()
    .use(officerApi('officer'))
    .handler(async (event) => {
      const id = updateIdOf(event);
      const expectedVersion = expectedVersionOf(event);
      const updated = await publishUpdate(deps, id, expectedVersion, actorOf(event));
      return ok(officerUpdateOf(updated), { etag: etagOf(updated.version) });
    });

export const handler = makeHandler({
  updates: updateRepository(),
  projects: projectRepository(),
  now: systemClock,
  newId: () => {
    throw new Error('publishing never makes a new update');
  },
});
