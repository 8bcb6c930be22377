import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

let base: DynamoDBClient | undefined;
let document: DynamoDBDocumentClient | undefined;

/**
 * How long a DynamoDB call may take, so a request answers (503, Retry-After) before the function's
 * own timeout rather than being cut off by it. DynamoDB answers in milliseconds from inside the
 * region: a connection takes far below 1 s, and a socket silent for 1.5 s is stalled. Two attempts
 * ride out one lost packet or a brief throttle without multiplying a long outage.
 */
export const DYNAMODB_TIMEOUTS = {
  connectionTimeoutMs: 1_000,
  requestTimeoutMs: 1_500,
  maxAttempts: 2,
  /**
   * Whatever the attempts, timeouts and back-off add up to, one call (retries included) fails
   * with a TimeoutError after this long: the bound the function's timeout is checked against.
   */
  callDeadlineMs: 3_000,
};

/** No request makes more than this many DynamoDB calls one after the other (a read, then a write). */
export const MAX_SEQUENTIAL_CALLS = 2;

/**
 * For the few requests that take many steps (an admin's subject access export or erasure): whether
 * fewer milliseconds are left than `calls` DynamoDB calls one after the other could take, each cut
 * off at its deadline, so the request answers 503 before Lambda's timeout cuts it off.
 */
export const tooLateFor = (calls: number, remainingMs: number) =>
  remainingMs < calls * DYNAMODB_TIMEOUTS.callDeadlineMs + 500;

function callDeadlineError() {
  return Object.assign(new Error(`DynamoDB did not answer within ${DYNAMODB_TIMEOUTS.callDeadlineMs} ms`), {
    name: 'TimeoutError',
  });
}

/**
 * A DynamoDB client with the service's timeouts and retries. Exported so tests that stall
 * DynamoDB Local use exactly the settings the functions use.
 */
export function createDynamoClient(endpoint = process.env.DYNAMODB_ENDPOINT): DynamoDBClient {
  const client = new DynamoDBClient({
    ...(endpoint ? { endpoint } : {}),
    maxAttempts: DYNAMODB_TIMEOUTS.maxAttempts,
    requestHandler: {
      connectionTimeout: DYNAMODB_TIMEOUTS.connectionTimeoutMs,
      requestTimeout: DYNAMODB_TIMEOUTS.requestTimeoutMs,
      // Without it this SDK only logs a warning when requestTimeout passes, and waits on.
      throwOnRequestTimeout: true,
    },
  });
  // Outermost step, so the deadline covers every attempt and the waits between them. The stalled
  // request is left to its own socket timeout; its outcome is unknown, which is why intake derives
  // the id from the Idempotency-Key (a retry finds the item if it was stored after all).
  client.middlewareStack.add(
    (next) => (args) => {
      let timer: NodeJS.Timeout | undefined;
      const deadline = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(callDeadlineError()), DYNAMODB_TIMEOUTS.callDeadlineMs);
      });
      return Promise.race([next(args), deadline]).finally(() => clearTimeout(timer));
    },
    { step: 'initialize', name: 'callDeadline', priority: 'high' },
  );
  return client;
}

/** One client per process, reused across invocations. `DYNAMODB_ENDPOINT` is set only locally and in tests. */
export function dynamoClient(): DynamoDBClient {
  base ??= createDynamoClient();
  return base;
}

export function documentClient(): DynamoDBDocumentClient {
  document ??= DynamoDBDocumentClient.from(dynamoClient(), {
    marshallOptions: { removeUndefinedValues: true },
  });
  return document;
}

export function tableName(): string {
  const name = process.env.TABLE_NAME;
  if (!name) throw new Error('TABLE_NAME is not set');
  return name;
}
