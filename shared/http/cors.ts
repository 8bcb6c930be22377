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
