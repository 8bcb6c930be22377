import middy from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2 } from 'aws-lambda';
import { systemClock } from '../../shared/domain/clock';
import { type EventDeps, recordEvent } from '../../shared/domain/coproduction-events';
import { EventInput } from '../../shared/domain/event-input';
import { officerEventOf } from '../../shared/domain/officer-views';
import { newReference } from '../../shared/domain/reference';
import { etagOf } from '../../shared/http/conditional';
import { actorOf, officerApi } from '../../shared/http/middleware';
import { parseWith } from '../../shared/http/parse';
import { created } from '../../shared/http/responses';
import { eventRepository, projectRepository } from '../../shared/storage/repositories';

/** POST /officer/events: a workshop, forum or survey, and the date its participants hear back by. */
export const makeHandler = (deps: EventDeps) =>
  middy<APIGatewayProxyEventV2, APIGatewayProxyResultV2>()
    .use(officerApi('officer', { jsonBody: true }))
    .handler(async (event) => {
      const input = parseWith(EventInput, event.body);
      const recorded = await recordEvent(deps, input, actorOf(event));
      return created(officerEventOf(recorded), {
        etag: etagOf(recorded.version),
        location: `/officer/events/${recorded.id}`,
      });
    });

export const handler = makeHandler({
  events: eventRepository(),
  projects: projectRepository(),
  now: systemClock,
  newReference: () => newReference(),
});
