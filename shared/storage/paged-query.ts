import { createHash } from 'node:crypto';
import { type DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { DomainError } from '../domain/errors';
import type { Page } from '../domain/page';
import { translateStorageError } from './storage-errors';
import type { IndexDefinition } from './table';

type Key = Record<string, string>;

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

export class InvalidCursorError extends DomainError {
  constructor() {
    super('invalid', 'The cursor is not one this list gave out, or was given out for other filters.', [
      { path: 'cursor', message: 'Use the cursor from the previous page of this same list, unchanged' },
    ]);
  }
}

/**
 * The cursor says, for each partition, the key of the last item already returned (or that the
 * partition is finished), and carries a fingerprint of the query so it cannot be replayed against
 * other filters. It is opaque to callers: base64url JSON, checked field by field on the way in.
 */
type Position = Key | 'start' | 'done';

interface CursorState {
  v: 1;
  f: string;
  p: Record<string, Position>;
}

function fingerprint(index: IndexDefinition, queries: PartitionQuery[], descending: boolean) {
  const stable = queries.map(({ partition, from, to }) => ({ partition, from, to }));
  return createHash('sha256')
    .update(JSON.stringify([index.indexName, stable, descending]))
    .digest('base64url')
    .slice(0, 16);
}

function encodeCursor(state: CursorState): string {
  return Buffer.from(JSON.stringify(state)).toString('base64url');
}

function decodeCursor(
  cursor: string,
  expectedFingerprint: string,
  index: IndexDefinition,
  partitions: string[],
): CursorState {
  let state: unknown;
  try {
    if (!/^[A-Za-z0-9_-]{1,4096}$/.test(cursor)) throw new Error('not base64url');
    state = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw new InvalidCursorError();
  }
  const candidate = state as Partial<CursorState>;
  if (
    candidate?.v !== 1 ||
    candidate.f !== expectedFingerprint ||
    typeof candidate.p !== 'object' ||
    candidate.p === null ||
    Object.keys(candidate.p).length !== partitions.length
  ) {
    throw new InvalidCursorError();
  }
  for (const [partition, key] of Object.entries(candidate.p)) {
    if (!partitions.includes(partition)) throw new InvalidCursorError();
    if (key === 'start' || key === 'done') continue;
    if (typeof key !== 'object' || key === null) throw new InvalidCursorError();
    const fields = Object.entries(key);
    const keyNames = ['PK', 'SK', index.partitionKey, index.sortKey];
    if (
      fields.length !== 4 ||
      !fields.every(
        ([name, value]) => keyNames.includes(name) && typeof value === 'string' && value.length <= 1024,
      ) ||
      key[index.partitionKey] !== partition ||
      // Every listed item is `<TYPE>#<id>` / META, and its index sort key ends with `#<id>`.
      key.SK !== 'META' ||
      !String(key[index.sortKey]).endsWith(`#${String(key.PK).split('#')[1]}`)
    ) {
      throw new InvalidCursorError();
    }
  }
  return candidate as CursorState;
}

/**
 * A page of items from one or more partitions of an index, merged in sort-key order. Each partition
 * is read from where the cursor left it, at most `limit + 1` items (the one extra tells whether a
 * next page exists), so a page reads at most (limit + 1) × partitions items, never the whole table,
 * and no Scan is ever used.
 */
export async function pagedQuery(
  db: DynamoDBDocumentClient,
  table: string,
  index: IndexDefinition,
  queries: PartitionQuery[],
  page: PageRequest,
  options: { descending?: boolean } = {},
): Promise<Page<Record<string, unknown>>> {
  const descending = options.descending ?? false;
  const print = fingerprint(index, queries, descending);
  const positions: Record<string, Position> = page.cursor
    ? decodeCursor(
        page.cursor,
        print,
        index,
        queries.map((q) => q.partition),
      ).p
    : {};

  const fetched = await Promise.all(
    queries.map(async (query) => {
      const position = positions[query.partition] ?? 'start';
      if (position === 'done') return { query, items: [] as Record<string, unknown>[] };
      try {
        const result = await db.send(
          new QueryCommand(
            queryInput(
              table,
              index,
              query,
              page.limit + 1,
              position === 'start' ? undefined : position,
              descending,
            ),
          ),
        );
        return { query, items: result.Items ?? [] };
      } catch (error) {
        translateStorageError(error);
      }
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
  let anyLeft = false;
  for (const { query, items } of fetched) {
    const taken = merged.filter((entry) => entry.partition === query.partition);
    if (taken.length === items.length) {
      // Everything this partition has left was returned (we asked for one more than a page).
      next[query.partition] = 'done';
      continue;
    }
    anyLeft = true;
    const last = taken.at(-1)?.item;
    next[query.partition] = last ? keyOf(last, index) : (positions[query.partition] ?? 'start');
  }
  return {
    items: merged.map((entry) => entry.item),
    ...(anyLeft ? { cursor: encodeCursor({ v: 1, f: print, p: next }) } : {}),
  };
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
