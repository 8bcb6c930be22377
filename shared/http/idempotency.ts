import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { IDEMPOTENCY_KEY_PATTERN } from '../domain/intake-key';
import { ValidationError } from './parse';

/** Response header set on the answer to a retry: the item was stored by an earlier request. */
export const REPLAYED_HEADER = 'idempotent-replayed';

/** The optional `Idempotency-Key` header: 1-255 visible ASCII characters, e.g. a UUID. */
export function idempotencyKeyOf(event: APIGatewayProxyEventV2): string | undefined {
  const key = event.headers?.['idempotency-key'];
  if (key === undefined) return undefined;
  if (!IDEMPOTENCY_KEY_PATTERN.test(key)) {
    throw new ValidationError([
      {
        path: 'headers.idempotency-key',
        message: 'Idempotency-Key must be 1-255 visible ASCII characters, for example a UUID',
      },
    ]);
  }
  return key;
}
