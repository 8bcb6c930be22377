import middy from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2 } from 'aws-lambda';
// Generated at build time by `npm run openapi` (infra/openapi/document.ts) and bundled as data:
// no schema converter or generator runs, or is bundled, here.
import document from '../../openapi.json' with { type: 'json' };
import { httpApi } from '../../shared/http/middleware';
import { ok } from '../../shared/http/responses';

/** GET /openapi.json: the OpenAPI 3.1 description of this API. Touches no data. */
export const handler = middy<APIGatewayProxyEventV2, APIGatewayProxyResultV2>()
  .use(httpApi())
  .handler(async () => ok(document, { 'cache-control': 'public, max-age=300' }));
