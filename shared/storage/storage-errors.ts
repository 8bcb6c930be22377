import { TemporarilyUnavailableError } from '../domain/errors';

/** SDK errors that mean "try again shortly" rather than a fault in our code. */
const TRANSIENT = new Set([
  'ProvisionedThroughputExceededException',
  'ThrottlingException',
  'RequestLimitExceeded',
  'TransactionConflictException',
  'TransactionInProgressException',
  'InternalServerError',
  'ServiceUnavailable',
  // The SDK's own timeouts (connection, socket) and middy's early timeout before Lambda's own.
  'TimeoutError',
  'RequestTimeout',
  'RequestTimeoutException',
  'AbortError',
]);

/** Network failures on the way to DynamoDB: nothing to do with the request, so a retry may succeed. */
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
]);

export function isTransient(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const { code, $fault } = error as Error & { code?: string; $fault?: string };
  return (
    TRANSIENT.has(error.name) ||
    (code !== undefined && NETWORK_CODES.has(code)) ||
    // A 5xx from DynamoDB itself.
    $fault === 'server'
  );
}

/** Rethrows storage faults as domain errors the HTTP layer can answer honestly (503, retry later). */
export function translateStorageError(error: unknown): never {
  if (isTransient(error)) throw new TemporarilyUnavailableError(error);
  throw error;
}
