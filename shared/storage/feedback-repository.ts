import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import type { Feedback } from '../domain/feedback';
import type { FeedbackRepository } from '../domain/receive-feedback';
import { feedbackKey, openByDeadlineKey, referenceKey } from './keys';
import { translateStorageError } from './storage-errors';

const FEEDBACK_TYPE = 'FEEDBACK';
/** Drawing 8 characters from 30, five clashes in a row would mean a broken random source. */
const MAX_REFERENCE_ATTEMPTS = 5;

export class ReferenceExhaustedError extends Error {
  constructor() {
    super(`No free reference after ${MAX_REFERENCE_ATTEMPTS} attempts`);
    this.name = 'ReferenceExhaustedError';
  }
}

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

/** Which write of a cancelled transaction failed its condition: 0 = the feedback, 1 = the reference. */
function failedConditions(error: TransactionCanceledException): number[] {
  return (error.CancellationReasons ?? []).flatMap((reason, index) =>
    reason.Code === 'ConditionalCheckFailed' ? [index] : [],
  );
}

export const createFeedbackRepository = (
  db: DynamoDBDocumentClient,
  table: string,
): FeedbackRepository & { get(id: string): Promise<Feedback | undefined> } => ({
  /**
   * Writes the feedback and claims its reference in one transaction, so a reference can never
   * point at two items and no item is stored without its reference.
   */
  async create(feedback, newReference) {
    let candidate = feedback;
    for (let attempt = 1; attempt <= MAX_REFERENCE_ATTEMPTS; attempt++) {
      try {
        await db.send(
          new TransactWriteCommand({
            TransactItems: [
              {
                Put: {
                  TableName: table,
                  Item: toRecord(candidate),
                  ConditionExpression: 'attribute_not_exists(PK)',
                },
              },
              {
                Put: {
                  TableName: table,
                  Item: { ...referenceKey(candidate.reference), type: 'REFERENCE', feedbackId: candidate.id },
                  ConditionExpression: 'attribute_not_exists(PK)',
                },
              },
            ],
          }),
        );
        return candidate;
      } catch (error) {
        if (error instanceof TransactionCanceledException && failedConditions(error).includes(1)) {
          candidate = { ...candidate, reference: newReference() };
          continue;
        }
        translateStorageError(error);
      }
    }
    throw new ReferenceExhaustedError();
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
