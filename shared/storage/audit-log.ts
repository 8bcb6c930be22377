import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { AuditLog, AuditRecord } from '../retention/ports';
import { auditItem } from './anonymisation-store';
import { auditPartition } from './keys';
import { translateStorageError } from './storage-errors';

/**
 * Audit records of anonymisations and subject-access exports (shared/retention/ports.ts), a month
 * to a partition in time order. An anonymisation's record is written in the anonymisation's own
 * transaction; an export's here. Never edited, never deleted: each is written once, conditionally.
 */
export const createAuditLog = (db: DynamoDBDocumentClient, table: string): AuditLog => ({
  async write(record) {
    try {
      await db.send(
        new PutCommand({
          TableName: table,
          Item: auditItem(record),
          ConditionExpression: 'attribute_not_exists(PK)',
        }),
      );
    } catch (error) {
      // The same record already written (a retried request): once is the point.
      if (error instanceof ConditionalCheckFailedException) return;
      translateStorageError(error);
    }
  },

  async month(month, { after, limit }) {
    try {
      const page = await db.send(
        new QueryCommand({
          TableName: table,
          KeyConditionExpression: after ? 'PK = :pk AND SK > :after' : 'PK = :pk',
          ExpressionAttributeValues: { ':pk': auditPartition(month), ...(after ? { ':after': after } : {}) },
          // One more than asked for: whether a next page exists.
          Limit: limit + 1,
        }),
      );
      const items = page.Items ?? [];
      const records = items.slice(0, limit).map((item) => {
        const { PK: _pk, SK, entity: _entity, ...record } = item;
        return { ...(record as AuditRecord), position: String(SK) };
      });
      const last = records.at(-1);
      return { records, ...(items.length > limit && last ? { next: last.position } : {}) };
    } catch (error) {
      translateStorageError(error);
    }
  },
});
