import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

/**
 * A document client that counts what DynamoDB itself says each read cost (its ScannedCount), so a
 * test can prove "a list page reads a page" from the database's own numbers rather than from the
 * code under test. Only Query and Scan answers carry a ScannedCount, so `queries` counts those.
 */
export interface ReadCounter {
  db: DynamoDBDocumentClient;
  /** Items DynamoDB read since the last reset (before any filter). */
  readonly scanned: number;
  /** Queries (or scans) sent since the last reset. */
  readonly queries: number;
  reset(): void;
}

export function countReads(client: DynamoDBClient): ReadCounter {
  let scanned = 0;
  let queries = 0;
  const db = DynamoDBDocumentClient.from(client);
  db.middlewareStack.add(
    (next) => async (args) => {
      const result = await next(args);
      const output = result.output as { ScannedCount?: number };
      if (output.ScannedCount !== undefined) {
        scanned += output.ScannedCount;
        queries++;
      }
      return result;
    },
    { step: 'initialize', name: 'countItemsRead' },
  );
  return {
    db,
    get scanned() {
      return scanned;
    },
    get queries() {
      return queries;
    },
    reset() {
      scanned = 0;
      queries = 0;
    },
  };
}
