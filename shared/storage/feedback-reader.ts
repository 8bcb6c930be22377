import { type DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import type { Feedback } from '../domain/feedback';
import { feedbackKey } from './keys';
import { withoutKeys } from './versioned-records';

/**
 * One feedback item by id, read consistently: what the projector's tell-families reaction needs
 * (consent and contact details, which no event carries), without the rest of the feedback
 * repository in its bundle. A withdrawal written a moment ago is seen.
 */
export function createFeedbackReader(db: DynamoDBDocumentClient, table: string) {
  return {
    async get(id: string): Promise<Feedback | undefined> {
      const { Item } = await db.send(
        new GetCommand({ TableName: table, Key: feedbackKey(id), ConsistentRead: true }),
      );
      return Item ? withoutKeys<Feedback>(Item) : undefined;
    },
  };
}
