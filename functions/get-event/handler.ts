import middy from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2 } from 'aws-lambda';
import { type EventDeps, eventWithHistory } from '../../shared/domain/coproduction-events';
import { etagOf } from '../../shared/http/conditional';
import { officerApi } from '../../shared/http/middleware';
import { itemIdOf } from '../../shared/http/path';
import { ok } from '../../shared/http/responses';
import { eventRepository } from '../../shared/storage/repositories';

/** GET /officer/events/{id}: the event, its history and the overdue alerts sent, with its ETag. */
export const makeHandler = (deps: Pick<EventDeps, 'events'>) =>
  middy<APIGatewayProxyEventV2, APIGatewayProxyResultV2>()
    .use(officerApi('officer'))
    .handler(async (event) => {
      const found = await eventWithHistory(deps, itemIdOf(event));
      return ok(
        { ...found.event, history: found.history, alerts: found.alerts },
        { etag: etagOf(found.event.version) },
      );
    });

export const handler = makeHandler({ events: eventRepository() });
