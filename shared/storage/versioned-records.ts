import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, QueryCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { StaleVersionError } from '../domain/errors';
import type { HistoryEntry } from '../domain/history';
import type { SentAlert } from '../domain/overdue';
import { sentAlertsOf } from './alert-records';
import { HISTORY_PREFIX, historyKey } from './keys';
import { translateStorageError } from './storage-errors';
import { COMPLAINT_ALERT, LIST_ROW, TABLE } from './table';

/**
 * Versioned records with an append-only history, shared by feedback, events and projects: every
 * officer change writes the new version and its history entry in one transaction, conditional on
 * the version the officer saw.
 */
const KEY_ATTRIBUTES = [
  'PK',
  'SK',
  'entity',
  LIST_ROW,
  COMPLAINT_ALERT,
  ...new Set(Object.values(TABLE.indexes).flatMap((index) => [index.partitionKey, index.sortKey])),
];

export function withoutKeys<T>(record: Record<string, unknown>): T {
  return Object.fromEntries(Object.entries(record).filter(([name]) => !KEY_ATTRIBUTES.includes(name))) as T;
}

function historyRecord(pk: string, entry: HistoryEntry) {
  return { ...historyKey(pk, entry.version), entity: 'HISTORY', ...entry };
}

/** The item in its new version and its history entry, in one transaction: neither without the other. */
export async function writeVersion(
  db: DynamoDBDocumentClient,
  table: string,
  id: string,
  record: Record<string, unknown> & { PK: string },
  entry: HistoryEntry,
  expectedVersion: number,
  /** Where the history lives; by default under the record itself. */
  historyPk: string = record.PK,
): Promise<void> {
  try {
    await db.send(
      new TransactWriteCommand({
        TransactItems: [
          {
            Put: {
              TableName: table,
              Item: record,
              ConditionExpression:
                expectedVersion === 0 ? 'attribute_not_exists(PK)' : '#version = :expected',
              ...(expectedVersion === 0
                ? {}
                : {
                    ExpressionAttributeNames: { '#version': 'version' },
                    ExpressionAttributeValues: { ':expected': expectedVersion },
                  }),
            },
          },
          {
            Put: {
              TableName: table,
              Item: historyRecord(historyPk, entry),
              // History is append-only: an entry is written once and never replaced.
              ConditionExpression: 'attribute_not_exists(PK)',
            },
          },
        ],
      }),
    );
  } catch (error) {
    if (
      error instanceof TransactionCanceledException &&
      // ConditionalCheckFailed: someone else's version is stored. TransactionConflict: someone
      // else's transaction on the same item is in flight (real DynamoDB cancels one of two
      // simultaneous writers this way). Either way the caller's version is, or is about to be, stale.
      error.CancellationReasons?.some(
        (r) => r.Code === 'ConditionalCheckFailed' || r.Code === 'TransactionConflict',
      )
    ) {
      throw new StaleVersionError(id);
    }
    translateStorageError(error);
  }
}

/** An item and its history in one Query: META sorts after HISTORY#…, history in version order. */
export async function readWithHistory<T>(
  db: DynamoDBDocumentClient,
  table: string,
  pk: string,
): Promise<{ item: T; history: HistoryEntry[]; alerts: SentAlert[] } | undefined> {
  const records = await partition(db, table, pk);
  const meta = records.find((record) => record.SK === 'META');
  if (!meta) return undefined;
  const history = records
    .filter((record) => String(record.SK).startsWith(HISTORY_PREFIX))
    .map((record) => withoutKeys<HistoryEntry>(record));
  // Overdue alerts sent for the item (ALERT# sorts before HISTORY#: the same Query reads them).
  return { item: withoutKeys<T>(meta), history, alerts: sentAlertsOf(records) };
}

/** Every item of one partition, page after page: for partitions known to stay small. */
export async function partition(
  db: DynamoDBDocumentClient,
  table: string,
  pk: string,
): Promise<Record<string, unknown>[]> {
  const records: Record<string, unknown>[] = [];
  let ExclusiveStartKey: Record<string, unknown> | undefined;
  try {
    do {
      const page = await db.send(
        new QueryCommand({
          TableName: table,
          KeyConditionExpression: 'PK = :pk',
          ExpressionAttributeValues: { ':pk': pk },
          ConsistentRead: true,
          ExclusiveStartKey,
        }),
      );
      records.push(...(page.Items ?? []));
      ExclusiveStartKey = page.LastEvaluatedKey;
    } while (ExclusiveStartKey);
  } catch (error) {
    translateStorageError(error);
  }
  return records;
}
