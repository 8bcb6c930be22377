import { randomUUID } from 'node:crypto';
import { DeleteTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { ensureTable, LOCAL_CREDENTIALS, LOCAL_REGION } from '../../infra/local/dynamodb-local';

export interface TestTable {
  name: string;
  client: DynamoDBClient;
  db: DynamoDBDocumentClient;
  /** Every item in the table. Tests may Scan to prove what was (not) written; the service never does. */
  allItems(): Promise<Record<string, unknown>[]>;
  drop(): Promise<void>;
}

/** A fresh table, built from the same definition as production, on the run's DynamoDB Local. */
export async function createTestTable(): Promise<TestTable> {
  const client = new DynamoDBClient({
    endpoint: process.env.DYNAMODB_ENDPOINT,
    region: LOCAL_REGION,
    credentials: LOCAL_CREDENTIALS,
  });
  const db = DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
  const name = `test-${randomUUID()}`;
  await ensureTable(client, name);
  return {
    name,
    client,
    db,
    async allItems() {
      const { Items = [] } = await db.send(new ScanCommand({ TableName: name, ConsistentRead: true }));
      return Items;
    },
    async drop() {
      await client.send(new DeleteTableCommand({ TableName: name }));
      client.destroy();
    },
  };
}
