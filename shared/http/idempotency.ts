import {
  IdempotencyAlreadyInProgressError,
  IdempotencyConfig,
  IdempotencyPersistenceLayerError,
  IdempotencyValidationError,
  makeIdempotent,
} from '@aws-lambda-powertools/idempotency';
import { DynamoDBPersistenceLayer } from '@aws-lambda-powertools/idempotency/dynamodb';
import type { BasePersistenceLayer } from '@aws-lambda-powertools/idempotency/persistence';
import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import { TemporarilyUnavailableError } from '../domain/errors';
import { dynamoClient, tableName } from '../storage/client';
import { IDEMPOTENCY_PARTITION } from '../storage/keys';
import { isTransient } from '../storage/storage-errors';
import { ValidationError } from './parse';
import { HttpProblem, problemType } from './problem';

/** How long a key is remembered: a family retrying the next morning still gets their first receipt. */
export const IDEMPOTENCY_TTL_SECONDS = 24 * 60 * 60;
const KEY_PATTERN = /^[\x21-\x7E]{1,255}$/;

/** The optional `Idempotency-Key` header: 1-255 visible ASCII characters, e.g. a UUID. */
export function idempotencyKeyOf(event: APIGatewayProxyEventV2): string | undefined {
  const key = event.headers?.['idempotency-key'];
  if (key === undefined) return undefined;
  if (!KEY_PATTERN.test(key)) {
    throw new ValidationError([
      { path: 'headers.idempotency-key', message: 'Use 1-255 visible ASCII characters, for example a UUID' },
    ]);
  }
  return key;
}

/** Idempotency records share the one table, in their own partition, and expire through its TTL. */
export function idempotencyStore(
  client: ConstructorParameters<typeof DynamoDBPersistenceLayer>[0]['awsSdkV3Client'],
  table: string,
) {
  return new DynamoDBPersistenceLayer({
    tableName: table,
    keyAttr: 'PK',
    sortKeyAttr: 'SK',
    staticPkValue: IDEMPOTENCY_PARTITION,
    expiryAttr: 'expiration',
    awsSdkV3Client: client,
  });
}

/**
 * The real idempotency records, on the configured table. Built here rather than in
 * storage/repositories.ts so that only functions that use idempotency bundle Powertools' JMESPath.
 */
export const idempotencyRecords = () => idempotencyStore(dynamoClient(), tableName());

/**
 * Runs an operation at most once per key. Uses Powertools' `makeIdempotent` function wrapper, not
 * its middy middleware: in 2.35 the middleware's error path deletes the record of a concurrent
 * first request (upstream issue #5675), which lets a third duplicate run again.
 * Only the payload's hash and the operation's result are stored, never the payload.
 */
export function idempotentByKey<P, R>(
  operation: string,
  run: (payload: P) => Promise<R>,
  store: BasePersistenceLayer,
) {
  return async (key: string | undefined, payload: P, context: Context): Promise<R> => {
    if (key === undefined) return run(payload);
    // A config per call: it holds this invocation's Lambda context, which sets how long an
    // in-flight record blocks duplicates if this invocation dies mid-way.
    const config = new IdempotencyConfig({
      eventKeyJmesPath: 'key',
      payloadValidationJmesPath: 'payload',
      expiresAfterSeconds: IDEMPOTENCY_TTL_SECONDS,
    });
    const once = makeIdempotent(
      async (request: { key: string; payload: P }, _context: Context) => run(request.payload),
      { persistenceStore: store, config, keyPrefix: operation },
    );
    try {
      return (await once({ key, payload }, context)) as R;
    } catch (error) {
      throw translateIdempotencyError(error);
    }
  };
}

function translateIdempotencyError(error: unknown): unknown {
  if (error instanceof IdempotencyAlreadyInProgressError) {
    return new HttpProblem(
      {
        type: problemType('request-in-progress'),
        title: 'A request with this Idempotency-Key is still in progress',
        status: 409,
        detail: 'Wait a moment, then retry with the same Idempotency-Key to get its result.',
      },
      { 'retry-after': '1' },
    );
  }
  if (error instanceof IdempotencyValidationError) {
    return new HttpProblem({
      type: problemType('idempotency-key-reused'),
      title: 'Idempotency-Key already used for a different request',
      status: 422,
      detail: 'This Idempotency-Key was used with a different body. Use a new key for a new request.',
    });
  }
  if (error instanceof IdempotencyPersistenceLayerError && isTransient(error.cause)) {
    return new TemporarilyUnavailableError(error);
  }
  return error;
}
