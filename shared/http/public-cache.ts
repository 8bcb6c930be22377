import { createHash } from 'node:crypto';
import type { MiddlewareObj } from '@middy/core';
import type {
  APIGatewayProxyEventV2,
  APIGatewayProxyResultV2,
  APIGatewayProxyStructuredResultV2,
} from 'aws-lambda';

/**
 * Public, cacheable GET responses (the feeds): a strong ETag over the exact bytes, 304 to a
 * matching If-None-Match, and a Cache-Control that lets the Local Offer site, CDNs and browsers
 * keep a copy five minutes and serve a stale one for a day while refreshing it.
 */
export const PUBLIC_CACHE_CONTROL = 'public, max-age=300, stale-while-revalidate=86400';

export const strongEtagOf = (body: string) =>
  `"${createHash('sha256').update(body).digest('base64url').slice(0, 32)}"`;

/** If-None-Match matches by weak comparison (RFC 9110 §13.1.2): W/ prefixes are ignored; `*` matches any. */
export function noneMatch(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  if (header.trim() === '*') return true;
  return header
    .split(',')
    .map((tag) => tag.trim().replace(/^W\//, ''))
    .includes(etag);
}

export function cacheable(
  event: APIGatewayProxyEventV2,
  body: string,
  contentType: string,
  /** Headers of the full answer only (a download's content-disposition). */
  more: Record<string, string> = {},
): APIGatewayProxyStructuredResultV2 {
  const etag = strongEtagOf(body);
  const headers = { etag, 'cache-control': PUBLIC_CACHE_CONTROL, vary: 'accept-encoding' };
  if (noneMatch(event.headers?.['if-none-match'], etag)) return { statusCode: 304, headers };
  return { statusCode: 200, headers: { ...headers, 'content-type': contentType, ...more }, body };
}

/**
 * `Access-Control-Allow-Origin: *` on public GET routes only, errors included: any Local Offer site
 * may embed the feed, and it carries no credentials. Officer routes keep the configured origins.
 */
export const anyOrigin: MiddlewareObj<APIGatewayProxyEventV2, APIGatewayProxyResultV2> = {
  after: (request) => allowAnyOrigin(request.response),
  onError: (request) => allowAnyOrigin(request.response),
};

function allowAnyOrigin(response: APIGatewayProxyResultV2 | null | undefined) {
  if (response && typeof response === 'object' && 'statusCode' in response) {
    response.headers = {
      ...response.headers,
      'access-control-allow-origin': '*',
      'access-control-expose-headers': 'etag, x-correlation-id',
    };
  }
}
