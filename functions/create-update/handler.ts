import { randomInt } from 'node:crypto';
import middy from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2 } from 'aws-lambda';
import { systemClock } from '../../shared/domain/clock';
import { createUpdate, type UpdateDeps } from '../../shared/domain/manage-updates';
import { officerUpdateOf } from '../../shared/domain/officer-views';
import { newUpdateId } from '../../shared/domain/update';
import { UpdateInput } from '../../shared/domain/update-input';
import { etagOf } from '../../shared/http/conditional';
import { actorOf, officerApi } from '../../shared/http/middleware';
import { parseWith } from '../../shared/http/parse';
import { created } from '../../shared/http/responses';
import { projectRepository, updateRepository } from '../../shared/storage/repositories';

/** POST /officer/updates: a "You said, we did" draft, linked to the feedback and events it answers. */
export const makeHandler = (deps: UpdateDeps) =>
  middy<APIGatewayProxyEventV2, APIGatewayProxyResultV2>()
    .use(officerApi('officer', { jsonBody: true }))
    .handler(async (event) => {
      const input = parseWith(UpdateInput, event.body);
      const update = await createUpdate(deps, input, actorOf(event));
      return created(officerUpdateOf(update), {
        etag: etagOf(update.version),
        location: `/officer/updates/${update.id}`,
      });
    });

export const handler = makeHandler({
  updates: updateRepository(),
  projects: projectRepository(),
  now: systemClock,
  newId: () => newUpdateId(randomInt),
});
