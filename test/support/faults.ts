import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import type { TestTable } from './dynamo';

/**
 * Takes over the test table's client so a test can inject a fault on a write (aws-sdk-client-mock).
 * Reads answer as an empty table would, so intake finds no project settings and uses the defaults:
 * the write the test sets a fault on is then the only thing that fails. Undo it with
 * `restoreTable` after each test; DynamoDB Local answers again from then on.
 */
export function mockTableForWriteFaults(table: TestTable) {
  const mock = mockClient(table.db);
  mock.on(QueryCommand).resolves({ Items: [] });
  return mock;
}

export function restoreTable(table: TestTable): void {
  mockClient(table.db).restore();
}
