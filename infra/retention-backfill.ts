import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, ScanCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import type { Feedback } from '../shared/domain/feedback';
import { subjectKeysOf } from '../shared/retention/subject-keys';
import { feedbackRecord } from '../shared/storage/feedback-repository';
import { subjectLookupKey } from '../shared/storage/keys';
import { withoutKeys } from '../shared/storage/versioned-records';

/**
 * Once, on a table that held feedback before retention existed (or after the subject lookup key
 * is rotated): closed feedback gets its RetentionByClosure keys, so the retention job sees it, and
 * feedback with contact details gets its subject keys and lookup entries, so a subject access
 * search finds it. Entries under another key's hashes (a rotated key) are deleted.
 *
 * A Scan of the whole table: an operator's one-off (`npm run retention:backfill`), and `npm start`
 * after it rebuilds an older table's indexes; never a request or the schedule. Each item is one
 * transaction conditional on the version read: an officer's change meanwhile wins, and the item
 * is counted as `changed` (run again). Safe to run any number of times.
 */
export interface BackfillReport {
  read: number;
  updated: number;
  changed: number;
}

const sameKeys = (a: readonly string[], b: readonly string[]) =>
  a.length === b.length && a.every((key, i) => key === b[i]);

export async function backfillRetention(
  db: DynamoDBDocumentClient,
  table: string,
  key: Uint8Array,
): Promise<BackfillReport> {
  const report: BackfillReport = { read: 0, updated: 0, changed: 0 };
  let ExclusiveStartKey: Record<string, unknown> | undefined;
  do {
    const page = await db.send(
      new ScanCommand({
        TableName: table,
        FilterExpression: 'SK = :meta AND entity = :feedback',
        ExpressionAttributeValues: { ':meta': 'META', ':feedback': 'FEEDBACK' },
        ConsistentRead: true,
        ...(ExclusiveStartKey ? { ExclusiveStartKey } : {}),
      }),
    );
    for (const stored of page.Items ?? []) {
      report.read++;
      const { subjectKeys: had = [], ...feedback } = withoutKeys<Feedback>(stored);
      const wanted = feedback.anonymised ? [] : subjectKeysOf(feedback.contact, key);
      const record = feedbackRecord({ ...feedback, ...(wanted.length ? { subjectKeys: wanted } : {}) });
      const indexed = record.RetainSK === stored.RetainSK && record.RetainPK === stored.RetainPK;
      if (indexed && sameKeys(had, wanted)) continue;
      try {
        await db.send(
          new TransactWriteCommand({
            TransactItems: [
              {
                Put: {
                  TableName: table,
                  Item: record,
                  ConditionExpression: '#version = :version',
                  ExpressionAttributeNames: { '#version': 'version' },
                  ExpressionAttributeValues: { ':version': feedback.version },
                },
              },
              ...had
                .filter((old) => !wanted.includes(old))
                .map((old) => ({ Delete: { TableName: table, Key: subjectLookupKey(old, feedback.id) } })),
              ...wanted.map((subjectKey) => ({
                Put: {
                  TableName: table,
                  Item: {
                    ...subjectLookupKey(subjectKey, feedback.id),
                    entity: 'SUBJECT',
                    feedbackId: feedback.id,
                    receivedAt: feedback.receivedAt,
                  },
                },
              })),
            ],
          }),
        );
        report.updated++;
      } catch (error) {
        if (!(error instanceof TransactionCanceledException)) throw error;
        report.changed++;
      }
    }
    ExclusiveStartKey = page.LastEvaluatedKey;
  } while (ExclusiveStartKey);
  return report;
}
