import middy from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2 } from 'aws-lambda';
import { httpApi } from '../../shared/http/middleware';
import { ok } from '../../shared/http/responses';

/** GET /health: the API and this function answer. Touches no data, so it costs nothing to poll. */
export const handler = middy<APIGatewayProxyEventV2, APIGatewayProxyResultV2>()
  .use(httpApi())
  .handler(async () => ok({ status: 'ok' }));
