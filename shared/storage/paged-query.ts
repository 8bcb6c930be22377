import { createHash } from 'node:crypto';
import { type DynamoDBDocumentClient, QueryCommand, type QueryCommandOutput } from '@aws-sdk/lib-dynamodb';
import { cursorSigningKey } from '../config/signing-key';
import type { Page } from '../domain/page';
import { decodeCursor, encodeCursor, InvalidCursorError, type Key, type Position } from './cursor';
import { translateStorageError } from './storage-errors';
import type { IndexDefinition } from './table';

export { InvalidCursorError } from './cursor';

/** One partition of an index to read, optionally within a range of sort keys. */
export interface PartitionQuery {
  partition: string;
  /** Sort keys >= from. */
  from?: string;
  /** Sort keys <= to. */
  to?: string;
  /**
   * Sort keys < before (alone: DynamoDB cannot combine it with a lower bound). Typically "now",
   * so it is left out of the cursor's fingerprint: page 2 is asked for a moment after page 1.
   */
  before?: string;
}

export interface PageRequest {
  limit: number;
  cursor?: string;
}

export interface PagedQueryOptions {
  descending?: boolean;
  /**
   * The entity listed (`FEEDBACK`, `EVENT`, …): a cursor may only name `<entity>#<id>` / META items.
   * Defaults to the part of the first partition before its first `#`.
   */
  entity?: string;
  /** The cursor signing key; by default the one configured for this process (shared/config/signing-key.ts). */
  signingKey?: () => Promise<Uint8Array>;
}

function fingerprint(index: IndexDefinition, queries: PartitionQuery[], descending: boolean) {
  const stable = queries.map(({ partition, from, to }) => ({ partition, from, to }));
  return createHash('sha256')
    .update(JSON.stringify([index.indexName, stable, descending]))
    .digest('base64url')
    .slice(0, 16);
}

interface Fetched {
  query: PartitionQuery;
  items: Record<string, unknown>[];
  /** DynamoDB stopped at the Limit (or 1 MB): there may be more, or not. */
  mayHaveMore: boolean;
}

/**
 * A page of items from one or more partitions of an index (callers pass one or two), merged in
 * sort-key order. Each partition is read from where the cursor left it. One partition: one Query of
 * `limit + 1` items (the extra one says whether a next page exists, so the last page is never
 * empty). Several: at most `limit` from each, plus a one-item Query when a single partition filled
 * the page exactly, so two partitions read at most 2 × limit + 1. No Scan, no filter expression:
 * every item read is a candidate for the page.
 */
export async function pagedQuery(
  db: DynamoDBDocumentClient,
  table: string,
  index: IndexDefinition,
  queries: PartitionQuery[],
  page: PageRequest,
  options: PagedQueryOptions = {},
): Promise<Page<Record<string, unknown>>> {
  const descending = options.descending ?? false;
  const signingKey = options.signingKey ?? cursorSigningKey;
  const print = fingerprint(index, queries, descending);
  const entity = options.entity ?? queries[0]?.partition.split('#')[0] ?? '';
  const positions: Record<string, Position> = page.cursor
    ? decodeCursor(page.cursor, await signingKey(), {
        fingerprint: print,
        partitions: queries.map((q) => q.partition),
        rule: { partitionKey: index.partitionKey, sortKey: index.sortKey, entity },
      }).p
    : {};
  if (queries.length === 0) return { items: [] };

  const read = async (query: PartitionQuery, start: Key | undefined, limit: number) => {
    try {
      return await db.send(new QueryCommand(queryInput(table, index, query, limit, start, descending)));
    } catch (error) {
      // A signed, schema-checked position DynamoDB still refuses (outside the key condition) is the
      // cursor's fault, not the service's.
      if (start && (error as Error).name === 'ValidationException')
        throw new InvalidCursorError('not-a-list-entry');
      translateStorageError(error);
    }
  };

  const active = queries.filter((query) => {
    const position = positions[query.partition] ?? 'start';
    return position !== 'done' && !pastUpperBound(position, query, index);
  });
  // One partition: one item more than a page tells at once whether a next page exists.
  const perPartition = active.length === 1 ? page.limit + 1 : page.limit;
  const fetched: Fetched[] = await Promise.all(
    queries.map(async (query) => {
      const position = positions[query.partition] ?? 'start';
      if (!active.includes(query) || position === 'done') return { query, items: [], mayHaveMore: false };
      const result = (await read(
        query,
        position === 'start' ? undefined : position,
        perPartition,
      )) as QueryCommandOutput;
      return { query, items: result.Items ?? [], mayHaveMore: result.LastEvaluatedKey !== undefined };
    }),
  );

  const sortKey = (item: Record<string, unknown>) => String(item[index.sortKey]);
  const merged = fetched
    .flatMap(({ query, items }) => items.map((item) => ({ partition: query.partition, item })))
    .sort(
      (a, b) =>
        (descending ? -1 : 1) *
        (sortKey(a.item) < sortKey(b.item) ? -1 : sortKey(a.item) > sortKey(b.item) ? 1 : 0),
    )
    .slice(0, page.limit);

  const next: Record<string, Position> = {};
  const uncertain: { query: PartitionQuery; last: Key }[] = [];
  let surelyMore = false;
  for (const { query, items, mayHaveMore } of fetched) {
    const taken = merged.filter((entry) => entry.partition === query.partition);
    const last = taken.at(-1)?.item;
    if (taken.length < items.length) {
      surelyMore = true;
      next[query.partition] = last ? keyOf(last, index) : (positions[query.partition] ?? 'start');
    } else if (mayHaveMore && last) {
      next[query.partition] = keyOf(last, index);
      uncertain.push({ query, last: keyOf(last, index) });
    } else {
      next[query.partition] = 'done';
    }
  }
  if (!surelyMore) {
    // Every item read was returned, and a partition stopped exactly at the limit: one item more
    // says whether a next page exists (this happens only when one partition filled the page).
    for (const { query, last } of uncertain) {
      const probe = (await read(query, last, 1)) as QueryCommandOutput;
      if (!probe.Items?.length) next[query.partition] = 'done';
    }
  }
  const anyLeft = Object.values(next).some((position) => position !== 'done');
  return {
    items: merged.map((entry) => entry.item),
    ...(anyLeft ? { cursor: encodeCursor({ f: print, p: next }, await signingKey()) } : {}),
  };
}

/** A position at or past `before` (the clock moved back between pages) has nothing left to read. */
function pastUpperBound(position: Position, query: PartitionQuery, index: IndexDefinition): boolean {
  return (
    typeof position === 'object' &&
    query.before !== undefined &&
    String(position[index.sortKey]) >= query.before
  );
}

function keyOf(item: Record<string, unknown>, index: IndexDefinition): Key {
  return {
    PK: String(item.PK),
    SK: String(item.SK),
    [index.partitionKey]: String(item[index.partitionKey]),
    [index.sortKey]: String(item[index.sortKey]),
  };
}

function queryInput(
  table: string,
  index: IndexDefinition,
  query: PartitionQuery,
  limit: number,
  exclusiveStartKey: Key | undefined,
  descending: boolean,
) {
  const names: Record<string, string> = { '#pk': index.partitionKey, '#sk': index.sortKey };
  const values: Record<string, unknown> = { ':pk': query.partition };
  let condition = '#pk = :pk';
  if (query.from !== undefined && query.to !== undefined) {
    condition += ' AND #sk BETWEEN :from AND :to';
    values[':from'] = query.from;
    values[':to'] = query.to;
  } else if (query.from !== undefined) {
    condition += ' AND #sk >= :from';
    values[':from'] = query.from;
  } else if (query.to !== undefined) {
    condition += ' AND #sk <= :to';
    values[':to'] = query.to;
  } else if (query.before !== undefined) {
    condition += ' AND #sk < :before';
    values[':before'] = query.before;
  } else {
    delete names['#sk'];
  }
  return {
    TableName: table,
    IndexName: index.indexName,
    KeyConditionExpression: condition,
    ExpressionAttributeNames: names,
    ExpressionAttributeValues: values,
    Limit: limit,
    ScanIndexForward: !descending,
    ...(exclusiveStartKey ? { ExclusiveStartKey: exclusiveStartKey } : {}),
  };
}
