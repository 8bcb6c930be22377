import { GetItemCommand } from '@aws-sdk/client-dynamodb';
import { TemporarilyUnavailableError } from '../domain/errors';
import { dynamoClient, tableName } from './client';
import { READINESS_KEY } from './keys';

/**
 * Can this function reach its table? One eventually consistent GetItem of a key that is never
 * stored: half a read unit, no data, and IAM lets the health function read nothing else. Any
 * failure (unreachable, missing table, throttled, slow) means "not ready": a 503 to retry later.
 */
export async function checkTableReachable(timeoutMs = 2_500): Promise<void> {
  try {
    await dynamoClient().send(
      new GetItemCommand({
        TableName: tableName(),
        Key: { PK: { S: READINESS_KEY.PK }, SK: { S: READINESS_KEY.SK } },
        ProjectionExpression: 'PK',
      }),
      { abortSignal: AbortSignal.timeout(timeoutMs) },
    );
  } catch (error) {
    throw new TemporarilyUnavailableError(error);
  }
}
