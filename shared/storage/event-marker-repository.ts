import { ConditionalCheckFailedException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  type DynamoDBDocumentClient,
  PutCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { type NativeAttributeValue, unmarshall } from '@aws-sdk/util-dynamodb';
import type { ClaimRequest, EventMarkers } from '../events/project-stream';
import { domainEventMarkerKey } from './keys';
import { TABLE } from './table';

/**
 * The projector's markers, one per domain event (DOMAINEVENT#<eventId> / MARKER):
 *
 * | attribute  | holds                                                                  |
 * | ---------- | ---------------------------------------------------------------------- |
 * | type       | the event's type                                                       |
 * | event      | the event itself (ids, kinds, dates: nothing personal), for inspection |
 * | owed       | string set: the reactions not yet done with it; gone when none are     |
 * | claimedAt  | when the projector first saw it                                        |
 * | expiration | epoch seconds: DynamoDB's TTL deletes the marker (two days on)          |
 *
 * The claim is a conditional PutItem (a transaction when projections add writes), so the first
 * reader of an event claims it and every later one learns it was claimed, from the refusal itself
 * (ReturnValuesOnConditionCheckFailure), with no second call. The SDK's own retry of a claim whose
 * answer was lost is refused the same way: nothing is applied twice.
 */
export interface MarkerStoreOptions {
  /** Told the capacity each write consumed, as DynamoDB reports it (the bench uses this). */
  onCapacity?: (units: { write: number; read: number }) => void;
}

const ENTITY = 'DOMAINEVENT';

export function createEventMarkerStore(
  db: DynamoDBDocumentClient,
  table: string,
  options: MarkerStoreOptions = {},
): EventMarkers {
  // Every call here is a write, so its units are write units (ReturnConsumedCapacity TOTAL).
  const counted = (consumed: readonly { CapacityUnits?: number | undefined }[]) => {
    if (options.onCapacity)
      options.onCapacity({
        write: consumed.reduce((sum, unit) => sum + (unit.CapacityUnits ?? 0), 0),
        read: 0,
      });
  };
  const owedOf = (item: Record<string, NativeAttributeValue> | undefined) => {
    const owed = item?.owed;
    return owed instanceof Set ? [...owed].map(String) : [];
  };

  return {
    async claim(request: ClaimRequest) {
      const marker = {
        ...domainEventMarkerKey(request.event.id),
        entity: ENTITY,
        type: request.event.type,
        event: request.event,
        ...(request.reactions.length ? { owed: new Set(request.reactions) } : {}),
        claimedAt: request.now.toISOString(),
        [TABLE.timeToLiveAttribute]: request.expiresAt,
      };
      const put = {
        TableName: table,
        Item: marker,
        ConditionExpression: 'attribute_not_exists(PK)',
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD' as const,
      };
      try {
        if (request.items.length === 0) {
          const result = await db.send(new PutCommand({ ...put, ReturnConsumedCapacity: 'TOTAL' }));
          counted(result.ConsumedCapacity ? [result.ConsumedCapacity] : []);
        } else {
          const result = await db.send(
            new TransactWriteCommand({
              TransactItems: [{ Put: put }, ...request.items],
              ReturnConsumedCapacity: 'TOTAL',
            }),
          );
          counted(result.ConsumedCapacity ?? []);
        }
        return { firstTime: true, owed: request.reactions };
      } catch (error) {
        if (error instanceof ConditionalCheckFailedException) {
          return { firstTime: false, owed: owedOf(error.Item ? unmarshall(error.Item) : undefined) };
        }
        if (error instanceof TransactionCanceledException) {
          const [markerReason] = error.CancellationReasons ?? [];
          if (markerReason?.Code === 'ConditionalCheckFailed') {
            return {
              firstTime: false,
              owed: owedOf(markerReason.Item ? unmarshall(markerReason.Item) : undefined),
            };
          }
        }
        throw error;
      }
    },

    async done(eventId, reaction) {
      try {
        const result = await db.send(
          new UpdateCommand({
            TableName: table,
            Key: domainEventMarkerKey(eventId),
            // Deleting the last name from a set removes the attribute: no reaction is owed it.
            UpdateExpression: 'DELETE owed :reaction',
            // Never re-create a marker that has expired: an update would write a bare item.
            ConditionExpression: 'attribute_exists(PK)',
            ExpressionAttributeValues: { ':reaction': new Set([reaction]) },
            ReturnConsumedCapacity: 'TOTAL',
          }),
        );
        counted(result.ConsumedCapacity ? [result.ConsumedCapacity] : []);
      } catch (error) {
        if (error instanceof ConditionalCheckFailedException) return;
        throw error;
      }
    },
  };
}
