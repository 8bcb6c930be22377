import { randomUUID } from 'node:crypto';
import { CreateTableCommand, DeleteTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { ensureTable, LOCAL_CREDENTIALS, LOCAL_REGION } from '../../infra/local/dynamodb-local';
import { createTableInput } from '../../shared/storage/table';

export interface TestTable {
  name: string;
  client: DynamoDBClient;
  db: DynamoDBDocumentClient;
  /** Every item in the table. Tests may Scan to prove what was (not) written; the service never does. */
  allItems(): Promise<Record<string, unknown>[]>;
  drop(): Promise<void>;
}

export interface TestTableOptions {
  /**
   * Leave the stream off (default on, as in production). Only for the scale and cost tests that seed
   * thousands of items and measure reads: the stream changes nothing they prove, and DynamoDB Local's
   * stream bookkeeping makes each of those seeded writes slower (50,000 items: about 38 s without
   * the stream, 61 s with it, on the 2-core machine). Anything that reads the stream keeps the default.
   */
  stream?: boolean;
}

/** A fresh table, built from the same definition as production, on the run's DynamoDB Local. */
export async function createTestTable(options: TestTableOptions = {}): Promise<TestTable> {
  const client = new DynamoDBClient({
    endpoint: process.env.DYNAMODB_ENDPOINT,
    region: LOCAL_REGION,
    credentials: LOCAL_CREDENTIALS,
  });
  const db = DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
  const name = `test-${randomUUID()}`;
  if (options.stream === false) {
    const { StreamSpecification: _stream, ...definition } = createTableInput(name);
    await client.send(new CreateTableCommand(definition));
  } else await ensureTable(client, name);
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
