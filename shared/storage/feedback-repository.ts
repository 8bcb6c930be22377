import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { type Feedback, nextDueAt, OPEN_STATUSES } from '../domain/feedback';
import { FEEDBACK_KINDS } from '../domain/project';
import { FeedbackIdTakenError, type FeedbackRepository } from '../domain/receive-feedback';
import type { StoredSummary, TriageRepository } from '../domain/triage-feedback';
import {
  feedbackByProjectPartition,
  feedbackByStatusPartition,
  feedbackKey,
  feedbackListKeys,
  feedbackReceivedKeys,
  openByDeadlineKey,
} from './keys';
import { pagedQuery } from './paged-query';
import { translateStorageError } from './storage-errors';
import { TABLE } from './table';
import { readWithHistory, withoutKeys, writeVersion } from './versioned-records';

const FEEDBACK_TYPE = 'FEEDBACK';

function toRecord(feedback: Feedback) {
  const due = nextDueAt(feedback);
  return {
    ...feedbackKey(feedback.id),
    entity: FEEDBACK_TYPE,
    ...feedback,
    ...feedbackListKeys(feedback, due),
    // Every piece of feedback, by project and arrival: the annual report counts a year without a Scan.
    ...feedbackReceivedKeys(feedback),
    // Sparse: only feedback that still owes the family something is in the open-deadline index.
    ...(OPEN_STATUSES.includes(feedback.status) ? openByDeadlineKey(feedback.id, FEEDBACK_TYPE, due) : {}),
  };
}

export const createFeedbackRepository = (
  db: DynamoDBDocumentClient,
  table: string,
): FeedbackRepository & TriageRepository => ({
  /** One conditional write: it stores the feedback and, since the id is the reference, makes the reference unique. */
  async create(feedback) {
    try {
      await db.send(
        new PutCommand({
          TableName: table,
          Item: toRecord(feedback),
          ConditionExpression: 'attribute_not_exists(PK)',
        }),
      );
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) throw new FeedbackIdTakenError(feedback.id);
      translateStorageError(error);
    }
  },

  async get(id) {
    try {
      const { Item } = await db.send(
        new GetCommand({ TableName: table, Key: feedbackKey(id), ConsistentRead: true }),
      );
      return Item ? withoutKeys<Feedback>(Item) : undefined;
    } catch (error) {
      translateStorageError(error);
    }
  },

  async getWithHistory(id) {
    const found = await readWithHistory<Feedback>(db, table, feedbackKey(id).PK);
    return found && { feedback: found.item, history: found.history };
  },

  async update(change, expectedVersion) {
    await writeVersion(
      db,
      table,
      change.feedback.id,
      toRecord(change.feedback),
      change.entry,
      expectedVersion,
    );
  },

  async list(query, page) {
    const index = query.projectId ? TABLE.indexes.byProject : TABLE.indexes.byCollection;
    const kinds = query.kind ? [query.kind] : [...FEEDBACK_KINDS];
    const partitions = query.statuses.flatMap((status) =>
      kinds.map((kind) => ({
        partition: query.projectId
          ? feedbackByProjectPartition(query.projectId, status, kind)
          : feedbackByStatusPartition(status, kind),
        ...(query.dueBefore ? { before: query.dueBefore } : {}),
      })),
    );
    const result = await pagedQuery(db, table, index, partitions, page);
    return {
      items: result.items.map((record) => withoutKeys<StoredSummary>(record)),
      ...(result.cursor ? { cursor: result.cursor } : {}),
    };
  },
});
