import middy from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2 } from 'aws-lambda';
import { systemClock } from '../../shared/domain/clock';
import { type EventDeps, updateEvent } from '../../shared/domain/coproduction-events';
import { EventPatch } from '../../shared/domain/event-input';
import { officerEventOf } from '../../shared/domain/officer-views';
import { newReference } from '../../shared/domain/reference';
import { etagOf, expectedVersionOf } from '../../shared/http/conditional';
import { actorOf, officerApi } from '../../shared/http/middleware';
import { parseWith } from '../../shared/http/parse';
import { itemIdOf } from '../../shared/http/path';
import { ok } from '../../shared/http/responses';
import { eventRepository, projectRepository } from '../../shared/storage/repositories';

/** PATCH /officer/events/{id} (If-Match): change what was planned or heard; move status forward. */
export const makeHandler = (deps: EventDeps) =>
  middy<APIGatewayProxyEventV2, APIGatewayProxyResultV2>()
    .use(officerApi('officer', { jsonBody: true }))
    .handler(async (event) => {
      const id = itemIdOf(event);
      const expectedVersion = expectedVersionOf(event);
      const patch = parseWith(EventPatch, event.body);
      const updated = await updateEvent(deps, id, expectedVersion, patch, actorOf(event));
      return ok(officerEventOf(updated), { etag: etagOf(updated.version) });
    });

export const handler = makeHandler({
  events: eventRepository(),
  projects: projectRepository(),
  now: systemClock,
  newReference: () => newReference(),
});
