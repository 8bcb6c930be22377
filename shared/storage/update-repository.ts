import {
  BatchGetCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  QueryCommand,
} from '@aws-sdk/lib-dynamodb';
import { StaleVersionError, TemporarilyUnavailableError } from '../domain/errors';
import type { HistoryEntry } from '../domain/history';
import {
  type LinkedEvent,
  type LinkedFeedback,
  UpdateIdTakenError,
  type UpdateRepository,
  type UpdateSummary,
} from '../domain/manage-updates';
import { FEEDBACK_KINDS, type FeedbackKind } from '../domain/project';
import type { FeedRepository } from '../domain/public-feed';
import { type PublicView, publicViewOf, UPDATE_STATUSES, type Update } from '../domain/update';
import {
  eventKey,
  FEED_PARTITION,
  feedByProjectPartition,
  feedByProjectStatusPartition,
  feedByStatusPartition,
  feedbackKey,
  feedbackReceivedPartition,
  feedKeys,
  updateKey,
  updateListKeys,
  updateListPartition,
} from './keys';
import { pagedQuery } from './paged-query';
import { translateStorageError } from './storage-errors';
import { LIST_ROW, TABLE } from './table';
import { readWithHistory, withoutKeys, writeVersion } from './versioned-records';

const UPDATE_TYPE = 'UPDATE';

/**
 * The stored item of an update. While published it also carries `feed` (its public view) and the
 * public feed index keys; a PutItem of the unpublished version drops both, so unpublishing takes
 * it out of every feed in the same write as its history entry.
 */
export function updateRecord(update: Update): Record<string, unknown> & { PK: string } {
  const view = update.published ? publicViewOf(update) : undefined;
  return {
    ...updateKey(update.id),
    entity: UPDATE_TYPE,
    ...update,
    ...updateListKeys(update),
    [LIST_ROW]: listRowOf(update),
    ...(view ? { feed: view, ...feedKeys(view) } : {}),
  };
}

/** What officers' list shows of an update, copied into the list indexes as one map attribute. */
function listRowOf(update: Update): UpdateSummary {
  const { id, projectId, title, status, published, publishedAt, modifiedAt, updatedAt, version } = update;
  return {
    id,
    projectId,
    title,
    status,
    published,
    ...(publishedAt ? { publishedAt } : {}),
    ...(modifiedAt ? { modifiedAt } : {}),
    updatedAt,
    version,
  };
}

function updateOf(record: Record<string, unknown>): Update {
  const { feed: _publicCopy, ...update } = withoutKeys<Update & { feed?: unknown }>(record);
  return update;
}

/** BatchGetItem, in chunks of 100 keys, retrying what DynamoDB leaves unprocessed a few times. */
async function batchGet(
  db: DynamoDBDocumentClient,
  table: string,
  keys: Record<string, string>[],
  projection: string[],
): Promise<Record<string, unknown>[]> {
  const found: Record<string, unknown>[] = [];
  const names = Object.fromEntries(projection.map((name, i) => [`#a${i}`, name]));
  for (let start = 0; start < keys.length; start += 100) {
    let pending: Record<string, unknown>[] | undefined = keys.slice(start, start + 100);
    for (let attempt = 0; pending?.length; attempt++) {
      if (attempt === 5)
        throw new TemporarilyUnavailableError(new Error('BatchGetItem left keys unprocessed'));
      try {
        const result = await db.send(
          new BatchGetCommand({
            RequestItems: {
              [table]: {
                Keys: pending,
                ConsistentRead: true,
                ProjectionExpression: Object.keys(names).join(', '),
                ExpressionAttributeNames: names,
              },
            },
          }),
        );
        found.push(...(result.Responses?.[table] ?? []));
        pending = result.UnprocessedKeys?.[table]?.Keys as Record<string, unknown>[] | undefined;
      } catch (error) {
        translateStorageError(error);
      }
    }
  }
  return found;
}

export interface ReportReader {
  /** How many pieces of feedback a project received between two instants, by kind. */
  feedbackReceived(projectId: string, from: string, to: string): Promise<Record<FeedbackKind, number>>;
}

export const createUpdateRepository = (
  db: DynamoDBDocumentClient,
  table: string,
): UpdateRepository & FeedRepository & ReportReader => ({
  async create(update, entry) {
    try {
      await writeVersion(db, table, update.id, updateRecord(update), entry, 0);
    } catch (error) {
      if (error instanceof StaleVersionError) throw new UpdateIdTakenError(update.id);
      throw error;
    }
  },

  async get(id) {
    try {
      const { Item } = await db.send(
        new GetCommand({ TableName: table, Key: updateKey(id), ConsistentRead: true }),
      );
      return Item ? updateOf(Item) : undefined;
    } catch (error) {
      translateStorageError(error);
    }
  },

  async getWithHistory(id) {
    const found = await readWithHistory<Record<string, unknown>>(db, table, updateKey(id).PK);
    return found && { update: updateOf(found.item), history: found.history };
  },

  async save(update: Update, entry: HistoryEntry, expectedVersion: number) {
    await writeVersion(db, table, update.id, updateRecord(update), entry, expectedVersion);
  },

  /**
   * Newest change first, from the one partition holding exactly the project, published state and
   * status asked for (shared/storage/keys.ts): one Query of limit + 1 items. Several values of one
   * filter (the domain never asks for that, but the type allows it) are merged, one partition each.
   */
  async list(query, page) {
    const everyStatus = UPDATE_STATUSES.every((status) => query.statuses.includes(status));
    const bothStates = [true, false].every((published) => query.published.includes(published));
    const statuses = everyStatus ? [undefined] : query.statuses;
    const states = bothStates ? [undefined] : query.published;
    const chosen = statuses.flatMap((status) =>
      states.map((published) =>
        updateListPartition({
          ...(query.projectId ? { projectId: query.projectId } : {}),
          ...(published === undefined ? {} : { published }),
          ...(status === undefined ? {} : { status }),
        }),
      ),
    );
    const index = chosen[0]?.index ?? TABLE.indexes.byCollection;
    const partitions = chosen.map(({ partition }) => ({ partition }));
    const result = await pagedQuery(db, table, index, partitions, page, {
      descending: true,
      entity: UPDATE_TYPE,
    });
    return {
      items: result.items.map((record) => record[LIST_ROW] as UpdateSummary),
      ...(result.cursor ? { cursor: result.cursor } : {}),
    };
  },

  async linkedFeedback(ids) {
    const records = await batchGet(
      db,
      table,
      ids.map((id) => feedbackKey(id)),
      ['id', 'reference', 'submitterRole', 'contact'],
    );
    return new Map(records.map((record) => [String(record.id), record as unknown as LinkedFeedback]));
  },

  async linkedEvents(ids) {
    const records = await batchGet(
      db,
      table,
      ids.map((id) => eventKey(id)),
      ['id', 'projectId', 'status', 'participants'],
    );
    return new Map(records.map((record) => [String(record.id), record as unknown as LinkedEvent]));
  },

  /**
   * One Query of one sparse index, picked by the filters, from where the cursor left it: a page
   * reads that page and one more item (to know whether there is a next), never other projects.
   */
  async feedPage(filters, page) {
    const { projectId, status } = filters;
    const [index, partition] =
      projectId && status
        ? [TABLE.indexes.feedByProjectStatus, feedByProjectStatusPartition(projectId, status)]
        : projectId
          ? [TABLE.indexes.feedByProject, feedByProjectPartition(projectId)]
          : status
            ? [TABLE.indexes.feedByStatus, feedByStatusPartition(status)]
            : [TABLE.indexes.feed, FEED_PARTITION];
    const result = await pagedQuery(
      db,
      table,
      index,
      [{ partition, ...(filters.since ? { from: filters.since } : {}) }],
      page,
      { descending: true, entity: UPDATE_TYPE },
    );
    return {
      items: result.items.map((record) => record.feed as PublicView),
      ...(result.cursor ? { cursor: result.cursor } : {}),
    };
  },

  async feedbackReceived(projectId, from, to) {
    const counts = Object.fromEntries(FEEDBACK_KINDS.map((kind) => [kind, 0])) as Record<
      FeedbackKind,
      number
    >;
    let ExclusiveStartKey: Record<string, unknown> | undefined;
    try {
      do {
        const result = await db.send(
          new QueryCommand({
            TableName: table,
            IndexName: TABLE.indexes.feedbackByReceived.indexName,
            KeyConditionExpression: '#pk = :pk AND #sk BETWEEN :from AND :to',
            ExpressionAttributeNames: {
              '#pk': TABLE.indexes.feedbackByReceived.partitionKey,
              '#sk': TABLE.indexes.feedbackByReceived.sortKey,
              '#kind': 'kind',
            },
            ExpressionAttributeValues: {
              ':pk': feedbackReceivedPartition(projectId),
              ':from': from,
              ':to': to,
            },
            ProjectionExpression: '#kind',
            ExclusiveStartKey,
          }),
        );
        for (const item of result.Items ?? []) {
          const kind = item.kind as FeedbackKind;
          if (kind in counts) counts[kind]++;
        }
        ExclusiveStartKey = result.LastEvaluatedKey;
      } while (ExclusiveStartKey);
    } catch (error) {
      translateStorageError(error);
    }
    return counts;
  },
});
