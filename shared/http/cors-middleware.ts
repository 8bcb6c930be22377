import type { MiddlewareObj } from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2 } from 'aws-lambda';
import { configuredOrigins, corsHeadersFor } from './cors';

/**
 * CORS headers for the configured origins (ALLOWED_ORIGINS) on every response, errors included.
 * Public GET routes add `*` over these (shared/http/public-cache.ts `anyOrigin`).
 */
export const configuredOriginCors: MiddlewareObj<APIGatewayProxyEventV2, APIGatewayProxyResultV2> = {
  after: (request) => decorate(request.event, request.response),
  onError: (request) => decorate(request.event, request.response),
};

function decorate(event: APIGatewayProxyEventV2, response: APIGatewayProxyResultV2 | null | undefined) {
  const headers = corsHeadersFor(event.headers?.origin, configuredOrigins());
  if (Object.keys(headers).length && response && typeof response === 'object' && 'statusCode' in response) {
    response.headers = { ...response.headers, ...headers };
  }
}
