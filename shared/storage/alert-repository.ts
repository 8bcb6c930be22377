import { randomUUID } from 'node:crypto';
import { ConditionalCheckFailedException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  type DynamoDBDocumentClient,
  QueryCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { attentionAt, type OpenItem, SWEEP_ACTOR } from '../domain/overdue';
import type { ClaimOutcome, SweepStore } from '../domain/sweep-overdue';
import { alertHistoryKey, alertKey, eventKey, feedbackKey, OPEN_SHARDS, openShardPartition } from './keys';
import { translateStorageError } from './storage-errors';
import { COMPLAINT_ALERT, TABLE } from './table';

/**
 * The overdue sweep's storage. Every attribute it writes is listed here, and IAM lets the sweep
 * write no other (infra/constructs/alerts.ts): it can never touch a family's words or details.
 */
export const SWEEP_WRITTEN_ATTRIBUTES = [
  'PK',
  'SK',
  'entity',
  'GSI1SK',
  // The item's alert progress (shared/domain/overdue.ts AlertProgress).
  'alertSeries',
  'alertsSent',
  'lastAlertAt',
  'nextAlertAt',
  // The alert record.
  'alertId',
  'alertState',
  'stage',
  'type',
  'sequence',
  'escalation',
  'claimToken',
  'claimedAt',
  'leaseUntil',
  'sentAt',
  'messageId',
  'workingDaysOverdue',
  'team',
  // The item's project and kind, on the alert record: its `alert.sent` domain event names them
  // (shared/events/derive/alert-events.ts) without reading the item.
  'projectId',
  'kind',
  // Its history entry.
  'version',
  'at',
  'actor',
  'action',
  'changes',
  'alert',
] as const;

const INDEX = TABLE.indexes.openByDeadline;

const isConflict = (error: unknown) =>
  error instanceof TransactionCanceledException &&
  (error.CancellationReasons ?? []).some((reason) => reason.Code === 'TransactionConflict');

function itemPk(item: Pick<OpenItem, 'entity' | 'id'>): string {
  return (item.entity === 'FEEDBACK' ? feedbackKey(item.id) : eventKey(item.id)).PK;
}
const metaKey = (item: OpenItem) => ({ PK: itemPk(item), SK: 'META' });

/** The plain complaint fields of the sweep's view (OpenFeedback), from GSI1's one map of them. */
function complaintFieldsOf(map: unknown) {
  if (!map || typeof map !== 'object') return {};
  const { procedure, stage, reviewPanelOn } = map as Record<string, unknown>;
  return {
    ...(typeof procedure === 'string' ? { complaintProcedure: procedure } : {}),
    ...(typeof stage === 'number' ? { complaintStage: stage } : {}),
    ...(typeof reviewPanelOn === 'string' ? { reviewPanelOn } : {}),
  };
}

export interface SweepStoreOptions {
  /** Index items per Query page. */
  pageSize?: number;
  /** Told the capacity each Query consumed (the scale test and the sweep's metrics use it). */
  onRead?: (read: { items: number; capacityUnits: number }) => void;
}

export function createSweepStore(
  db: DynamoDBDocumentClient,
  table: string,
  options: SweepStoreOptions = {},
): SweepStore {
  // Where each item was in the index when read: every write is conditional on it still being
  // there, so an officer's change in between (acknowledged, answered) wins and nothing is sent.
  const seen = new WeakMap<OpenItem, string>();
  const seenKey = (item: OpenItem) => {
    const key = seen.get(item);
    if (!key) throw new Error(`item ${item.id} was not read by this sweep store`);
    return key;
  };

  async function moveIndexEntry(item: OpenItem, progress: Record<string, unknown>): Promise<void> {
    const attention = attentionAt({ ...item, ...progress });
    if (!attention) return;
    const names: Record<string, string> = { '#sk': 'GSI1SK' };
    const values: Record<string, unknown> = {
      ':seen': seenKey(item),
      ':next': `${attention}#${item.entity}#${item.id}`,
    };
    const sets = ['#sk = :next'];
    for (const [name, value] of Object.entries(progress)) {
      names[`#${name}`] = name;
      values[`:${name}`] = value;
      sets.push(`#${name} = :${name}`);
    }
    try {
      await db.send(
        new UpdateCommand({
          TableName: table,
          Key: metaKey(item),
          UpdateExpression: `SET ${sets.join(', ')}`,
          ConditionExpression: '#sk = :seen',
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: values,
        }),
      );
    } catch (error) {
      // An officer's write moved the item first: it put the item where it belongs.
      if (error instanceof ConditionalCheckFailedException) return;
      translateStorageError(error);
    }
  }

  return {
    async dueItems(now, limit) {
      const pageSize = options.pageSize ?? 100;
      let read = 0;
      const perShard = await Promise.all(
        Array.from({ length: OPEN_SHARDS }, async (_, shard) => {
          const found: Record<string, unknown>[] = [];
          let ExclusiveStartKey: Record<string, unknown> | undefined;
          try {
            do {
              const page = await db.send(
                new QueryCommand({
                  TableName: table,
                  IndexName: INDEX.indexName,
                  KeyConditionExpression: '#pk = :pk AND #sk < :now',
                  ExpressionAttributeNames: { '#pk': INDEX.partitionKey, '#sk': INDEX.sortKey },
                  ExpressionAttributeValues: { ':pk': openShardPartition(shard), ':now': now.toISOString() },
                  Limit: Math.min(pageSize, limit),
                  ReturnConsumedCapacity: 'TOTAL',
                  ExclusiveStartKey,
                }),
              );
              const items = page.Items ?? [];
              read += items.length;
              options.onRead?.({
                items: items.length,
                capacityUnits: page.ConsumedCapacity?.CapacityUnits ?? 0,
              });
              found.push(...items);
              ExclusiveStartKey = page.LastEvaluatedKey;
            } while (ExclusiveStartKey && found.length < limit);
          } catch (error) {
            translateStorageError(error);
          }
          return found;
        }),
      );
      // Most overdue first across shards, and no more than `limit` (the rest stay due for the next sweep).
      const records = perShard
        .flat()
        .sort((a, b) => String(a.GSI1SK).localeCompare(String(b.GSI1SK)))
        .slice(0, limit);
      const items = records.map((record) => {
        const { GSI1PK: _pk, GSI1SK, PK: _p, SK: _s, [COMPLAINT_ALERT]: complaint, ...fields } = record;
        const item = { ...fields, ...complaintFieldsOf(complaint) } as unknown as OpenItem;
        seen.set(item, String(GSI1SK));
        return item;
      });
      return { items, read };
    },

    async claim(item, alert, now, leaseMs): Promise<ClaimOutcome> {
      const token = randomUUID();
      try {
        await db.send(
          new TransactWriteCommand({
            TransactItems: [
              {
                ConditionCheck: {
                  TableName: table,
                  Key: metaKey(item),
                  ConditionExpression: '#sk = :seen',
                  ExpressionAttributeNames: { '#sk': 'GSI1SK' },
                  ExpressionAttributeValues: { ':seen': seenKey(item) },
                },
              },
              {
                Put: {
                  TableName: table,
                  Item: {
                    ...alertKey(itemPk(item), alert.alertId),
                    entity: 'ALERT',
                    alertId: alert.alertId,
                    alertState: 'claimed',
                    stage: alert.stage,
                    type: alert.type,
                    sequence: alert.sequence,
                    escalation: alert.escalation,
                    projectId: item.projectId,
                    kind: item.entity === 'FEEDBACK' ? item.kind : 'event',
                    claimToken: token,
                    claimedAt: now.toISOString(),
                    leaseUntil: new Date(now.getTime() + leaseMs).toISOString(),
                  },
                  // New, or a claim whose sweep died (or gave it back): never one that was sent.
                  ConditionExpression:
                    'attribute_not_exists(PK) OR (alertState = :claimed AND leaseUntil < :now)',
                  ExpressionAttributeValues: { ':claimed': 'claimed', ':now': now.toISOString() },
                  ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
                },
              },
            ],
          }),
        );
        return { outcome: 'claimed', token };
      } catch (error) {
        if (error instanceof TransactionCanceledException) {
          const [check, put] = error.CancellationReasons ?? [];
          if (check?.Code === 'ConditionalCheckFailed') return { outcome: 'moved' };
          if (put?.Code === 'ConditionalCheckFailed') {
            const old = put.Item as Record<string, { S?: string }> | undefined;
            if (old?.alertState?.S === 'sent' && old.sentAt?.S)
              return { outcome: 'sent', sentAt: old.sentAt.S };
            return { outcome: 'taken' };
          }
          // Another sweep's transaction on the same item is in flight: it has this alert.
          if ([check, put].some((reason) => reason?.Code === 'TransactionConflict'))
            return { outcome: 'taken' };
        }
        translateStorageError(error);
      }
    },

    async release(item, alert, token) {
      try {
        await db.send(
          new UpdateCommand({
            TableName: table,
            Key: alertKey(itemPk(item), alert.alertId),
            // Any lease in the past: the next sweep may claim it at once.
            UpdateExpression: 'SET leaseUntil = :expired',
            ConditionExpression: 'claimToken = :token AND alertState = :claimed',
            ExpressionAttributeValues: { ':expired': '0', ':token': token, ':claimed': 'claimed' },
          }),
        );
      } catch (error) {
        if (error instanceof ConditionalCheckFailedException) return;
        translateStorageError(error);
      }
    },

    async recordSent(item, alert, sent, progress) {
      const pk = itemPk(item);
      const { messageId, token, ...summary } = sent;
      // A conflicting transaction in flight on the same records is retried: giving up here would
      // leave a published alert unrecorded, to be sent again when its claim runs out.
      for (let attempt = 1; ; attempt++) {
        try {
          await record();
          break;
        } catch (error) {
          if (!isConflict(error) || attempt === 3) {
            // Our lease ran out and another sweep claimed the alert: it will send (and record) it
            // again, with the same alertId. Nothing more to do here.
            if (error instanceof TransactionCanceledException) break;
            translateStorageError(error);
          }
        }
      }
      await moveIndexEntry(item, progress);

      async function record() {
        await db.send(
          new TransactWriteCommand({
            TransactItems: [
              {
                Update: {
                  TableName: table,
                  Key: alertKey(pk, alert.alertId),
                  UpdateExpression:
                    'SET alertState = :sent, sentAt = :sentAt, messageId = :messageId, workingDaysOverdue = :days, team = :team REMOVE claimToken, leaseUntil',
                  ConditionExpression: 'claimToken = :token AND alertState = :claimed',
                  ExpressionAttributeValues: {
                    ':sent': 'sent',
                    ':sentAt': sent.sentAt,
                    ':messageId': messageId,
                    ':days': sent.workingDaysOverdue,
                    ':team': sent.team,
                    ':token': token,
                    ':claimed': 'claimed',
                  },
                },
              },
              {
                Put: {
                  TableName: table,
                  Item: {
                    ...alertHistoryKey(pk, item.version, alert.alertId),
                    entity: 'HISTORY',
                    version: item.version,
                    at: sent.sentAt,
                    actor: SWEEP_ACTOR,
                    action: 'overdue_alert',
                    changes: { alertsSent: { from: alert.sequence, to: alert.sequence + 1 } },
                    alert: summary,
                  },
                  ConditionExpression: 'attribute_not_exists(PK)',
                },
              },
            ],
          }),
        );
      }
    },

    async reschedule(item, progress) {
      await moveIndexEntry(item, progress);
    },
  };
}
