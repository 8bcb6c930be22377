/**
 * CORS for browsers on the Local Offer site (and, later, the officer app). The allowed origins are
 * configuration (CDK context `allowedOrigins`; `ALLOWED_ORIGINS` locally); the rest is fixed here so
 * API Gateway and the local server answer preflights alike.
 */
export const CORS_ALLOWED_HEADERS = ['content-type', 'idempotency-key', 'if-match', 'authorization'];
export const CORS_EXPOSED_HEADERS = [
  'etag',
  'location',
  'retry-after',
  'x-correlation-id',
  'idempotent-replayed',
];
export const CORS_ALLOWED_METHODS = ['GET', 'POST', 'PUT', 'PATCH'] as const;
export const CORS_MAX_AGE_SECONDS = 600;

/**
 * CORS is answered by the functions, not by API Gateway's CORS setting: API Gateway's setting
 * covers every route alike and replaces whatever a function says, so it could not give the public
 * feed `*` while officer routes keep the configured origins. `ALLOWED_ORIGINS` (comma-separated)
 * carries CDK context `allowedOrigins` to every function.
 */
export function configuredOrigins(value: string | undefined = process.env.ALLOWED_ORIGINS): string[] {
  return (value ?? '')
    .split(',')
    .map((origin) => origin.trim())
    .filter(Boolean);
}

/** The CORS headers for a response to `origin`: none unless it is configured. */
export function corsHeadersFor(origin: string | undefined, allowed: string[]): Record<string, string> {
  if (!origin || !allowed.includes(origin)) return {};
  return {
    'access-control-allow-origin': origin,
    'access-control-expose-headers': CORS_EXPOSED_HEADERS.join(','),
    vary: 'origin',
  };
}

/** The headers of an answer to a preflight, or undefined when it is not allowed. */
export function preflightHeaders(
  origin: string | undefined,
  allowed: string[],
  publicGet: boolean,
): Record<string, string> | undefined {
  if (publicGet) {
    // The public feeds may be fetched from any page, with If-None-Match.
    return {
      'access-control-allow-origin': '*',
      'access-control-allow-methods': 'GET',
      'access-control-allow-headers': 'if-none-match',
      'access-control-max-age': String(CORS_MAX_AGE_SECONDS),
    };
  }
  const headers = corsHeadersFor(origin, allowed);
  if (!headers['access-control-allow-origin']) return undefined;
  return {
    ...headers,
    'access-control-allow-methods': CORS_ALLOWED_METHODS.join(','),
    'access-control-allow-headers': CORS_ALLOWED_HEADERS.join(','),
    'access-control-max-age': String(CORS_MAX_AGE_SECONDS),
  };
}
