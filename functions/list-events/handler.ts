import middy from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2 } from 'aws-lambda';
import { type EventDeps, listEvents } from '../../shared/domain/coproduction-events';
import { EventListParams } from '../../shared/domain/event-input';
import { officerApi } from '../../shared/http/middleware';
import { parseWith } from '../../shared/http/parse';
import { ok } from '../../shared/http/responses';
import { eventRepository } from '../../shared/storage/repositories';

/** GET /officer/events?projectId&from&to&limit&cursor: newest first. */
export const makeHandler = (deps: Pick<EventDeps, 'events'>) =>
  middy<APIGatewayProxyEventV2, APIGatewayProxyResultV2>()
    .use(officerApi('officer'))
    .handler(async (event) => {
      const { limit, cursor, ...filters } = parseWith(EventListParams, event.queryStringParameters ?? {});
      return ok(await listEvents(deps, filters, { limit, ...(cursor ? { cursor } : {}) }));
    });

export const handler = makeHandler({ events: eventRepository() });
