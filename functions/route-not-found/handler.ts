import middy from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2 } from 'aws-lambda';
import { configuredOrigins, preflightHeaders } from '../../shared/http/cors';
import { httpApi } from '../../shared/http/middleware';
import { HttpProblem } from '../../shared/http/problem';
import { allowedMethods, matchRoute } from '../../shared/http/routes';

/**
 * API Gateway's `$default` route: whatever no other route matched. Answers in problem+json like the
 * rest of the API (API Gateway's own 404 is plain JSON), telling a wrong method from a wrong path.
 */
export const handler = middy<APIGatewayProxyEventV2, APIGatewayProxyResultV2>()
  .use(httpApi())
  .handler(async (event) => {
    const allowed = allowedMethods(event.rawPath);
    // API Gateway has no CORS setting of its own (shared/http/cors.ts), so preflights land here.
    if (event.requestContext.http.method === 'OPTIONS' && event.headers?.['access-control-request-method']) {
      const headers = preflightHeaders(
        event.headers.origin,
        configuredOrigins(),
        matchRoute('GET', event.rawPath)?.route.access === 'public',
      );
      if (headers && allowed.length > 0) return { statusCode: 204, headers };
    }
    if (allowed.length > 0) {
      throw new HttpProblem(
        {
          type: 'about:blank',
          title: 'Method Not Allowed',
          status: 405,
          detail: `${event.requestContext.http.method} is not supported on ${event.rawPath}. Use ${allowed.join(' or ')}.`,
        },
        { allow: allowed.join(', ') },
      );
    }
    throw new HttpProblem({
      type: 'about:blank',
      title: 'Not Found',
      status: 404,
      detail: `There is nothing at ${event.rawPath}.`,
    });
  });
