import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { Feedback } from '../domain/feedback';
import { FeedbackIdTakenError, type FeedbackRepository } from '../domain/receive-feedback';
import { feedbackKey, openByDeadlineKey } from './keys';
import { translateStorageError } from './storage-errors';

const FEEDBACK_TYPE = 'FEEDBACK';

function toRecord(feedback: Feedback) {
  return {
    ...feedbackKey(feedback.id),
    type: FEEDBACK_TYPE,
    ...feedback,
    // Received feedback waits for its acknowledgement first: that is its next deadline.
    ...openByDeadlineKey(feedback.id, FEEDBACK_TYPE, feedback.acknowledgeDueAt),
  };
}

function fromRecord(record: Record<string, unknown>): Feedback {
  const { PK: _pk, SK: _sk, type: _type, GSI1PK: _g1pk, GSI1SK: _g1sk, ...feedback } = record;
  return feedback as unknown as Feedback;
}

export const createFeedbackRepository = (
  db: DynamoDBDocumentClient,
  table: string,
): FeedbackRepository & { get(id: string): Promise<Feedback | undefined> } => ({
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
      return Item ? fromRecord(Item) : undefined;
    } catch (error) {
      translateStorageError(error);
    }
  },
});
