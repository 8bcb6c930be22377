import { EventBridgeClient } from '@aws-sdk/client-eventbridge';

let shared: EventBridgeClient | undefined;

/**
 * One client per process. Short timeouts and the SDK's retries (PutEvents is safe to retry: a
 * repeat carries the same event id): a call that hangs fails the record, and Lambda retries it.
 */
export function eventBridgeClient(): EventBridgeClient {
  shared ??= new EventBridgeClient({
    maxAttempts: 3,
    requestHandler: { connectionTimeout: 1_000, requestTimeout: 3_000 },
  });
  return shared;
}
