import { ConditionalCheckFailedException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  type DynamoDBDocumentClient,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
} from '@aws-sdk/lib-dynamodb';
import { StaleVersionError } from '../domain/errors';
import type { Feedback } from '../domain/feedback';
import type { HistoryEntry } from '../domain/history';
import type { AnonymisationStore, AuditRecord, StoredHistoryEntry } from '../retention/ports';
import { sentAlertsOf } from './alert-records';
import { feedbackRecord } from './feedback-repository';
import {
  auditKey,
  feedbackKey,
  HISTORY_PREFIX,
  historyKey,
  retentionPartition,
  subjectLookupKey,
} from './keys';
import { translateStorageError } from './storage-errors';
import { TABLE } from './table';
import { partition, withoutKeys } from './versioned-records';

/**
 * The retention job's and erasure's storage. The one place that rewrites history entries (they
 * are otherwise written once, never replaced) and deletes anything (the subject lookup entries):
 * both only to remove personal data, and IAM lets only the functions that anonymise do either
 * (infra/constructs/retention.ts, infra/function-permissions.ts).
 *
 * One anonymisation is one transaction where it fits (DynamoDB takes at most 100 items): the item
 * (conditional on the version read and on not being anonymised yet), the entry recording it, the
 * audit record, the lookup entries' deletion and every history entry that held personal data.
 * A history too long for that is finished by further transactions, the item marked
 * `historyPending` (and so still in RetentionByClosure) until the last one.
 */
export const MAX_TRANSACTION_ITEMS = 100;

const index = TABLE.indexes.retentionByClosure;

export function auditItem(record: AuditRecord) {
  return { ...auditKey(record.at, record.action, record.subject), entity: 'AUDIT', ...record };
}

const historyItem = (pk: string, { sk, entry }: StoredHistoryEntry) => ({
  PK: pk,
  SK: sk,
  entity: 'HISTORY',
  ...entry,
});

function staleOr(error: unknown, id: string): never {
  if (error instanceof ConditionalCheckFailedException) throw new StaleVersionError(id);
  if (
    error instanceof TransactionCanceledException &&
    error.CancellationReasons?.some(
      (reason) => reason.Code === 'ConditionalCheckFailed' || reason.Code === 'TransactionConflict',
    )
  ) {
    throw new StaleVersionError(id);
  }
  translateStorageError(error);
}

export const createAnonymisationStore = (
  db: DynamoDBDocumentClient,
  table: string,
  options: { maxTransactionItems?: number } = {},
): AnonymisationStore => {
  const maxItems = options.maxTransactionItems ?? MAX_TRANSACTION_ITEMS;

  const rewriteChunks = async (feedback: Feedback, rewrites: StoredHistoryEntry[]) => {
    const pk = feedbackKey(feedback.id).PK;
    // Each chunk checks the item is still the one being finished: nothing else writes an
    // anonymised item, but a second run finishing it at the same time is refused, not doubled.
    for (let start = 0; start < rewrites.length; start += maxItems - 1) {
      try {
        await db.send(
          new TransactWriteCommand({
            TransactItems: [
              {
                ConditionCheck: {
                  TableName: table,
                  Key: feedbackKey(feedback.id),
                  ConditionExpression: '#version = :version AND #anonymised.#pending = :pending',
                  ExpressionAttributeNames: {
                    '#version': 'version',
                    '#anonymised': 'anonymised',
                    '#pending': 'historyPending',
                  },
                  ExpressionAttributeValues: { ':version': feedback.version, ':pending': true },
                },
              },
              ...rewrites.slice(start, start + maxItems - 1).map((rewrite) => ({
                Put: {
                  TableName: table,
                  Item: historyItem(pk, rewrite),
                  ConditionExpression: 'attribute_exists(PK)',
                },
              })),
            ],
          }),
        );
      } catch (error) {
        staleOr(error, feedback.id);
      }
    }
  };

  /** The last step: the item without `historyPending`, so out of RetentionByClosure. */
  const finished = async (feedback: Feedback) => {
    const { historyPending: _done, ...anonymised } = feedback.anonymised ?? ({} as never);
    try {
      await db.send(
        new PutCommand({
          TableName: table,
          Item: feedbackRecord({ ...feedback, anonymised }),
          ConditionExpression: '#version = :version AND #anonymised.#pending = :pending',
          ExpressionAttributeNames: {
            '#version': 'version',
            '#anonymised': 'anonymised',
            '#pending': 'historyPending',
          },
          ExpressionAttributeValues: { ':version': feedback.version, ':pending': true },
        }),
      );
    } catch (error) {
      staleOr(error, feedback.id);
    }
  };

  return {
    async closedBefore(kind, closedOnOrBefore, limit) {
      const ids: string[] = [];
      let ExclusiveStartKey: Record<string, unknown> | undefined;
      try {
        do {
          const page = await db.send(
            new QueryCommand({
              TableName: table,
              IndexName: index.indexName,
              KeyConditionExpression: '#pk = :pk AND #sk < :bound',
              ExpressionAttributeNames: { '#pk': index.partitionKey, '#sk': index.sortKey },
              // `<closedAt>#<id>`: every closure at or before the instant sorts below `<instant>$`.
              ExpressionAttributeValues: {
                ':pk': retentionPartition(kind),
                ':bound': `${closedOnOrBefore}$`,
              },
              // One more than wanted: whether the run leaves some for the next.
              Limit: limit + 1 - ids.length,
              ExclusiveStartKey,
            }),
          );
          for (const item of page.Items ?? []) ids.push(String(item.RetainSK).split('#')[1] ?? '');
          ExclusiveStartKey = page.LastEvaluatedKey;
        } while (ExclusiveStartKey && ids.length <= limit);
      } catch (error) {
        translateStorageError(error);
      }
      return { ids: ids.slice(0, limit), more: ids.length > limit };
    },

    async read(id) {
      const records = await partition(db, table, feedbackKey(id).PK);
      const meta = records.find((record) => record.SK === 'META');
      if (!meta) return undefined;
      return {
        feedback: withoutKeys<Feedback>(meta),
        history: records
          .filter((record) => String(record.SK).startsWith(HISTORY_PREFIX))
          .map((record) => ({ sk: String(record.SK), entry: withoutKeys<HistoryEntry>(record) })),
        alerts: sentAlertsOf(records),
      };
    },

    async anonymise({ before, after, entry, rewrites, audit }) {
      const pk = feedbackKey(before.id).PK;
      const deletions = (before.subjectKeys ?? []).map((subjectKey) => ({
        Delete: { TableName: table, Key: subjectLookupKey(subjectKey, before.id) },
      }));
      const room = maxItems - 3 - deletions.length;
      const now = rewrites.slice(0, room);
      const later = rewrites.slice(room);
      const item = later.length
        ? { ...after, anonymised: { ...after.anonymised, historyPending: true } }
        : after;
      try {
        await db.send(
          new TransactWriteCommand({
            TransactItems: [
              {
                Put: {
                  TableName: table,
                  Item: feedbackRecord(item as Feedback),
                  ConditionExpression: '#version = :expected AND attribute_not_exists(#anonymised)',
                  ExpressionAttributeNames: { '#version': 'version', '#anonymised': 'anonymised' },
                  ExpressionAttributeValues: { ':expected': before.version },
                },
              },
              {
                Put: {
                  TableName: table,
                  Item: historyItem(pk, { sk: historyKey(pk, entry.version).SK, entry }),
                  ConditionExpression: 'attribute_not_exists(PK)',
                },
              },
              {
                Put: {
                  TableName: table,
                  Item: auditItem(audit),
                  ConditionExpression: 'attribute_not_exists(PK)',
                },
              },
              ...deletions,
              ...now.map((rewrite) => ({
                Put: {
                  TableName: table,
                  Item: historyItem(pk, rewrite),
                  ConditionExpression: 'attribute_exists(PK)',
                },
              })),
            ],
          }),
        );
      } catch (error) {
        staleOr(error, before.id);
      }
      if (later.length) {
        const pending = item as Feedback;
        await rewriteChunks(pending, later);
        await finished(pending);
      }
    },

    async finish(feedback, rewrites) {
      await rewriteChunks(feedback, rewrites);
      await finished(feedback);
    },
  };
};
