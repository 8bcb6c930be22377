import { type DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { SubjectLookup } from '../retention/ports';
import { subjectLookupPartition } from './keys';
import { translateStorageError } from './storage-errors';

/**
 * The subject lookup: the ids of feedback given with one email address or phone number, under the
 * detail's keyed hash (shared/retention/subject-keys.ts). Intake writes each entry with its item;
 * anonymising the item deletes it (shared/storage/anonymisation-store.ts). Keys and the id only.
 */
export const createSubjectLookup = (db: DynamoDBDocumentClient, table: string): SubjectLookup => ({
  async idsFor(subjectKey, limit) {
    const ids: string[] = [];
    let ExclusiveStartKey: Record<string, unknown> | undefined;
    try {
      do {
        const page = await db.send(
          new QueryCommand({
            TableName: table,
            KeyConditionExpression: 'PK = :pk',
            ExpressionAttributeValues: { ':pk': subjectLookupPartition(subjectKey) },
            ProjectionExpression: 'feedbackId',
            ConsistentRead: true,
            Limit: limit - ids.length,
            ExclusiveStartKey,
          }),
        );
        for (const item of page.Items ?? []) ids.push(String(item.feedbackId));
        ExclusiveStartKey = page.LastEvaluatedKey;
      } while (ExclusiveStartKey && ids.length < limit);
    } catch (error) {
      translateStorageError(error);
    }
    return ids;
  },
});
