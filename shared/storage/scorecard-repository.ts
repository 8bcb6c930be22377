import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import {
  BatchGetCommand,
  type BatchGetCommandOutput,
  DeleteCommand,
  type DynamoDBDocumentClient,
  PutCommand,
  QueryCommand,
  type QueryCommandInput,
} from '@aws-sdk/lib-dynamodb';
import type { TransactItem } from '../events/projection';
import { SCORED_FEEDBACK_FIELDS, SCORED_UPDATE_FIELDS } from '../scorecard/contributions';
import { type Counts, isCounter, type Month, type MonthCounts } from '../scorecard/counters';
import type { ScorecardRepository } from '../scorecard/read-scorecard';
import {
  SCORECARD_ALL_PARTITION,
  scorecardKeys,
  scorecardMonthRange,
  scorecardProjectPartition,
} from './keys';
import { translateStorageError } from './storage-errors';
import { TABLE } from './table';

/**
 * The scorecard's counters in the table (keys: shared/storage/keys.ts; counters:
 * shared/scorecard/counters.ts). Each project's month is one item, twice: under SCORECARD#ALL (read
 * for every project at once) and under SCORECARD#PROJECT#<id> (read for one). Besides its counters
 * an item holds `entity`, `projectId`, `month` and `changesApplied`, how many changes the projector
 * has added into it: the rebuild writes only over an item whose `changesApplied` it has seen.
 */
const ENTITY = 'SCORECARD';

/**
 * The projector's writes for some counts (shared/events/projections/scorecard.ts): an `ADD` per
 * counter on both copies of each project's month, no condition (a retry can always pass), so the
 * marker's transaction commits them once. Negative counts take away (a change that un-counts).
 */
export function scorecardAdditions(tableName: string, deltas: readonly MonthCounts[]): TransactItem[] {
  return deltas.flatMap(({ projectId, month, counts }) => {
    const names: Record<string, string> = { '#month': 'month' };
    const values: Record<string, unknown> = {
      ':entity': ENTITY,
      ':projectId': projectId,
      ':month': month,
      ':one': 1,
    };
    const adds = ['changesApplied :one'];
    Object.entries(counts).forEach(([name, n], i) => {
      names[`#c${i}`] = name;
      values[`:c${i}`] = n;
      adds.push(`#c${i} :c${i}`);
    });
    return scorecardKeys(projectId, month).map((Key) => ({
      Update: {
        TableName: tableName,
        Key,
        UpdateExpression: `SET entity = :entity, projectId = :projectId, #month = :month ADD ${adds.join(', ')}`,
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
      },
    }));
  });
}

/** A stored scorecard item as read: its counts without zeros, and how many changes made it. */
export interface StoredMonth extends MonthCounts {
  changesApplied: number;
}

export type ScorecardCopy = 'all' | 'project';

/** What the rebuild needs besides reading months (shared/scorecard/rebuild.ts). */
export interface ScorecardStore extends ScorecardRepository {
  months(query: { projectId?: string; from: Month; to: Month }): Promise<StoredMonth[]>;
  /** Every item of one copy: all projects' (`all`), or one project's. */
  everyMonth(copy: ScorecardCopy, projectId?: string): Promise<StoredMonth[]>;
  /** The stored items the scorecard counts, their scored fields only: FEEDBACK and UPDATE META items. */
  scoredItems(): AsyncGenerator<{ keys: { PK: string; SK: string }; image: Record<string, unknown> }>;
  /**
   * Sets one copy of one project's month to `counts` (none: deletes it), only if its
   * `changesApplied` is still `seen` (undefined: only if there is no item). False when it was not.
   */
  replace(
    copy: ScorecardCopy,
    target: { projectId: string; month: Month; counts: Counts },
    seen: number | undefined,
  ): Promise<boolean>;
}

function storedMonth(item: Record<string, unknown>): StoredMonth {
  const counts: Counts = {};
  for (const [name, value] of Object.entries(item)) {
    if (isCounter(name) && typeof value === 'number' && value !== 0) counts[name] = value;
  }
  return {
    projectId: String(item.projectId),
    month: String(item.month),
    counts,
    changesApplied: typeof item.changesApplied === 'number' ? item.changesApplied : 0,
  };
}

const keyOf = (copy: ScorecardCopy, projectId: string, month: Month) =>
  scorecardKeys(projectId, month)[copy === 'all' ? 0 : 1] as { PK: string; SK: string };

/** The list index partitions that hold every feedback item and every update (GSI2, officers' lists). */
const SCORED_PARTITIONS = [
  { partition: 'FEEDBACK', fields: SCORED_FEEDBACK_FIELDS },
  { partition: 'UPDATE', fields: SCORED_UPDATE_FIELDS },
];

export function createScorecardRepository(db: DynamoDBDocumentClient, table: string): ScorecardStore {
  async function queryAll(input: Omit<QueryCommandInput, 'TableName'>): Promise<Record<string, unknown>[]> {
    const items: Record<string, unknown>[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const page = await db.send(
        new QueryCommand({ TableName: table, ...input, ...(start ? { ExclusiveStartKey: start } : {}) }),
      );
      items.push(...(page.Items ?? []));
      start = page.LastEvaluatedKey;
    } while (start);
    return items;
  }

  return {
    async months({ projectId, from, to }) {
      const range = scorecardMonthRange(from, to);
      try {
        const items = await queryAll({
          KeyConditionExpression: 'PK = :pk AND SK BETWEEN :from AND :to',
          ExpressionAttributeValues: {
            ':pk': projectId ? scorecardProjectPartition(projectId) : SCORECARD_ALL_PARTITION,
            ':from': range.from,
            ':to': range.to,
          },
        });
        return items.map(storedMonth);
      } catch (error) {
        translateStorageError(error);
      }
    },

    async everyMonth(copy, projectId) {
      const items = await queryAll({
        KeyConditionExpression: 'PK = :pk',
        ExpressionAttributeValues: {
          ':pk': copy === 'all' ? SCORECARD_ALL_PARTITION : scorecardProjectPartition(projectId ?? ''),
        },
        ConsistentRead: true,
      });
      return items.map(storedMonth);
    },

    async *scoredItems() {
      const index = TABLE.indexes.byCollection;
      for (const { partition, fields } of SCORED_PARTITIONS) {
        // The index gives the keys (it copies list rows, not what the scorecard reads); the items
        // themselves are fetched with exactly the scored fields, so no message or answer is read.
        const keys = await queryAll({
          IndexName: index.indexName,
          KeyConditionExpression: '#pk = :pk',
          ExpressionAttributeNames: { '#pk': index.partitionKey, '#PK': 'PK', '#SK': 'SK' },
          ExpressionAttributeValues: { ':pk': partition },
          ProjectionExpression: '#PK, #SK',
        });
        const names: Record<string, string> = { '#PK': 'PK', '#SK': 'SK' };
        const paths = fields.map((field) =>
          field.replace(/[A-Za-z]+/g, (word) => {
            names[`#${word}`] = word;
            return `#${word}`;
          }),
        );
        for (let i = 0; i < keys.length; i += 100) {
          let request: Record<string, { Keys: Record<string, unknown>[] }> | undefined = {
            [table]: { Keys: keys.slice(i, i + 100).map((key) => ({ PK: key.PK, SK: key.SK })) },
          };
          while (request && Object.keys(request).length > 0) {
            const result: BatchGetCommandOutput = await db.send(
              new BatchGetCommand({
                RequestItems: Object.fromEntries(
                  Object.entries(request).map(([name, { Keys }]) => [
                    name,
                    {
                      Keys,
                      ProjectionExpression: ['#PK', '#SK', ...paths].join(', '),
                      ExpressionAttributeNames: names,
                      ConsistentRead: true,
                    },
                  ]),
                ),
              }),
            );
            for (const item of result.Responses?.[table] ?? []) {
              const { PK, SK, ...image } = item;
              yield { keys: { PK: String(PK), SK: String(SK) }, image };
            }
            const left: Record<string, unknown>[] | undefined = result.UnprocessedKeys?.[table]?.Keys;
            request = left?.length ? { [table]: { Keys: left } } : undefined;
            // Unprocessed keys mean throttling: wait a little before asking for them again.
            if (request) await new Promise((resolve) => setTimeout(resolve, 200));
          }
        }
      }
    },

    async replace(copy, { projectId, month, counts }, seen) {
      const Key = keyOf(copy, projectId, month);
      const condition =
        seen === undefined
          ? { ConditionExpression: 'attribute_not_exists(PK)' }
          : {
              ConditionExpression: 'changesApplied = :seen',
              ExpressionAttributeValues: { ':seen': seen },
            };
      try {
        if (Object.keys(counts).length === 0) {
          await db.send(new DeleteCommand({ TableName: table, Key, ...condition }));
        } else {
          await db.send(
            new PutCommand({
              TableName: table,
              Item: { ...Key, entity: ENTITY, projectId, month, changesApplied: seen ?? 0, ...counts },
              ...condition,
            }),
          );
        }
        return true;
      } catch (error) {
        if (error instanceof ConditionalCheckFailedException) return false;
        throw error;
      }
    },
  };
}
