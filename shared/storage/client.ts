import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

let base: DynamoDBClient | undefined;
let document: DynamoDBDocumentClient | undefined;

/**
 * One client per process, reused across invocations. `DYNAMODB_ENDPOINT` is set only by the local
 * runtime and tests (DynamoDB Local). Timeouts are short: a request that cannot reach DynamoDB in a
 * few seconds fails clearly (503) rather than holding the Lambda until its own timeout.
 */
export function dynamoClient(): DynamoDBClient {
  base ??= new DynamoDBClient({
    ...(process.env.DYNAMODB_ENDPOINT ? { endpoint: process.env.DYNAMODB_ENDPOINT } : {}),
    maxAttempts: 3,
    requestHandler: { connectionTimeout: 1_000, requestTimeout: 3_000 },
  });
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
