import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import {
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { type NativeAttributeValue, unmarshall } from '@aws-sdk/util-dynamodb';
import type { FamilyMessageType, Notice } from '../domain/family-messages';
import type { MessageChannel } from '../domain/keep-informed';
import type { NoticeClaim, NoticeStore } from '../events/reactions/tell-families';
import { noticeKey, noticePartition } from './keys';
import { translateStorageError } from './storage-errors';

/**
 * Families' messages, one record per notice (NOTICE#<feedbackId> / NOTICE#<noticeId>), written by
 * the projector's tell-families reaction (claim, then sent or not sent) and read by officers with
 * the item. Nothing personal: no address, no words; the message's contents are rebuilt from the
 * item when it is sent. Kept as long as the item's history: the record of what the family was told.
 *
 * | attribute      | holds                                                          |
 * | -------------- | -------------------------------------------------------------- |
 * | noticeId       | `<feedbackId>.answer.<stage>` / `<feedbackId>.update.<updateId>` (Notify's `reference`) |
 * | type           | answered / update_published                                    |
 * | eventId        | the domain event that owed it                                  |
 * | stage, updateId| what it is about                                               |
 * | channel        | email / sms                                                    |
 * | state          | claimed → sent, or not_sent (Notify refused the recipient; consent withdrawn mid-way) |
 * | claimedAt, sentAt, notificationId (Notify's id), templateId, notSentReason |          |
 */
export type NoticeState = 'claimed' | 'sent' | 'not_sent';

/** What officers see of a message sent (or not) to the family. */
export interface FamilyNotice {
  noticeId: string;
  type: FamilyMessageType;
  stage?: number;
  updateId?: string;
  channel: MessageChannel;
  state: NoticeState;
  claimedAt: string;
  sentAt?: string;
  notificationId?: string;
  notSentReason?: string;
}

const ENTITY = 'NOTICE';

export function createNoticeStore(db: DynamoDBDocumentClient, table: string): NoticeStore {
  const key = (notice: Notice) => noticeKey(notice.feedbackId, notice.id);
  const finished = (state: unknown) => state === 'sent' || state === 'not_sent';

  /** Sets the outcome on a claimed notice; one already finished (by a retry racing it) is left. */
  async function finish(notice: Notice, values: Record<string, unknown>) {
    const names = Object.keys(values);
    try {
      await db.send(
        new UpdateCommand({
          TableName: table,
          Key: key(notice),
          UpdateExpression: `SET ${names.map((name) => `#${name} = :${name}`).join(', ')}`,
          ConditionExpression: '#state = :claimed',
          ExpressionAttributeNames: Object.fromEntries(['state', ...names].map((name) => [`#${name}`, name])),
          ExpressionAttributeValues: {
            ':claimed': 'claimed',
            ...Object.fromEntries(names.map((name) => [`:${name}`, values[name]])),
          },
        }),
      );
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return;
      throw error;
    }
  }

  return {
    async claim(notice, channel, now): Promise<NoticeClaim> {
      try {
        await db.send(
          new PutCommand({
            TableName: table,
            Item: {
              ...key(notice),
              entity: ENTITY,
              noticeId: notice.id,
              feedbackId: notice.feedbackId,
              type: notice.type,
              eventId: notice.eventId,
              ...(notice.stage === undefined ? {} : { stage: notice.stage }),
              ...(notice.updateId === undefined ? {} : { updateId: notice.updateId }),
              channel,
              state: 'claimed',
              claimedAt: now.toISOString(),
            },
            // Only the first attempt claims it; a later one learns from the refusal what happened.
            ConditionExpression: 'attribute_not_exists(PK)',
            ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
          }),
        );
        return 'claimed';
      } catch (error) {
        if (!(error instanceof ConditionalCheckFailedException)) throw error;
        const old: Record<string, NativeAttributeValue> | undefined = error.Item
          ? unmarshall(error.Item)
          : undefined;
        return finished(old?.state) ? 'finished' : 'resumed';
      }
    },

    async state(notice) {
      const { Item } = await db.send(
        new GetCommand({
          TableName: table,
          Key: key(notice),
          ConsistentRead: true,
          ProjectionExpression: '#state',
          ExpressionAttributeNames: { '#state': 'state' },
        }),
      );
      if (!Item) return undefined;
      return finished(Item.state) ? 'finished' : 'claimed';
    },

    sent: (notice, sent) =>
      finish(notice, {
        state: 'sent',
        sentAt: sent.at.toISOString(),
        notificationId: sent.notificationId,
        ...(sent.templateId ? { templateId: sent.templateId } : {}),
      }),

    notSent: (notice, reason, at) =>
      finish(notice, { state: 'not_sent', sentAt: at.toISOString(), notSentReason: reason }),
  };
}

/** A feedback item's messages, oldest claim first: one small partition, one Query. */
export async function noticesOfFeedback(
  db: DynamoDBDocumentClient,
  table: string,
  feedbackId: string,
): Promise<FamilyNotice[]> {
  const notices: FamilyNotice[] = [];
  let ExclusiveStartKey: Record<string, unknown> | undefined;
  try {
    do {
      const page = await db.send(
        new QueryCommand({
          TableName: table,
          KeyConditionExpression: 'PK = :pk',
          ExpressionAttributeValues: { ':pk': noticePartition(feedbackId) },
          ConsistentRead: true,
          ExclusiveStartKey,
        }),
      );
      for (const item of page.Items ?? []) notices.push(familyNoticeOf(item));
      ExclusiveStartKey = page.LastEvaluatedKey;
    } while (ExclusiveStartKey);
  } catch (error) {
    translateStorageError(error);
  }
  return notices.sort((a, b) => a.claimedAt.localeCompare(b.claimedAt));
}

/** Named field by field: what officers see, nothing else of the record. */
function familyNoticeOf(item: Record<string, unknown>): FamilyNotice {
  const optional = <K extends keyof FamilyNotice>(name: K) =>
    item[name] === undefined ? {} : ({ [name]: item[name] } as Pick<FamilyNotice, K>);
  return {
    noticeId: String(item.noticeId),
    type: item.type as FamilyMessageType,
    ...optional('stage'),
    ...optional('updateId'),
    channel: item.channel as MessageChannel,
    state: item.state as NoticeState,
    claimedAt: String(item.claimedAt),
    ...optional('sentAt'),
    ...optional('notificationId'),
    ...optional('notSentReason'),
  };
}
