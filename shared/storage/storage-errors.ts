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
  'TimeoutError',
  'RequestTimeout',
  'RequestTimeoutException',
]);

export function isTransient(error: unknown): boolean {
  return error instanceof Error && TRANSIENT.has(error.name);
}

/** Rethrows storage faults as domain errors the HTTP layer can answer honestly (503, retry later). */
export function translateStorageError(error: unknown): never {
  if (isTransient(error)) throw new TemporarilyUnavailableError(error);
  throw error;
}
