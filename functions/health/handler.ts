import middy from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2 } from 'aws-lambda';
import { httpApi } from '../../shared/http/middleware';
import { ok } from '../../shared/http/responses';

export interface HealthDeps {
  /** Resolves when the table answers; throws a TemporarilyUnavailableError (503) when not. */
  tableReachable: () => Promise<void>;
}

/**
 * GET /health: the API and this function answer. Touches no data, so it costs nothing to poll.
 * GET /health?ready=true: also reads one key of the table (half a read unit), 503 with Retry-After
 * when it cannot. The storage client is imported only then, so the plain check stays cheap to start.
 */
export const makeHandler = (deps: HealthDeps) =>
  middy<APIGatewayProxyEventV2, APIGatewayProxyResultV2>()
    .use(httpApi())
    .handler(async (event) => {
      if (event.queryStringParameters?.ready !== 'true') return ok({ status: 'ok' });
      await deps.tableReachable();
      return ok({ status: 'ready' });
    });

export const handler = makeHandler({
  tableReachable: async () => (await import('../../shared/storage/readiness')).checkTableReachable(),
});
