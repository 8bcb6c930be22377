import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { DescribeTableCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  type _Record,
  DescribeStreamCommand,
  type DynamoDBStreamsClient,
  ExpiredIteratorException,
  GetRecordsCommand,
  type GetRecordsCommandOutput,
  GetShardIteratorCommand,
  type Shard,
  TrimmedDataAccessException,
} from '@aws-sdk/client-dynamodb-streams';
import type { DynamoDBRecord } from 'aws-lambda';

/**
 * DynamoDB Local's own stream of a table, read shard by shard as Lambda's event source mapping
 * reads DynamoDB's: a shard's parent before it, records in order, each page handed on as the
 * records Lambda would give the function, and a checkpoint per shard moved past only what was
 * finished. Checked against DynamoDB Local 3 (`-inMemory` and `-dbPath`): one stream per table
 * (a new ARN when the stream is turned off and on), shards with ParentShardId lineage, iterators
 * TRIM_HORIZON / AFTER_SEQUENCE_NUMBER, up to 1,000 records per GetRecords, sequence numbers that
 * keep growing across restarts of a `-dbPath` database, an empty page with a next iterator on an
 * open shard and none once a shard is closed and read.
 */

/** Per stream ARN, per shard: the last sequence number finished, and whether the shard is closed and read. */
export type Checkpoints = Record<string, Record<string, { sequenceNumber?: string; done?: boolean }>>;

export interface CheckpointStore {
  load(): Checkpoints;
  save(checkpoints: Checkpoints): void;
}

export const memoryCheckpoints = (): CheckpointStore => {
  let saved: Checkpoints = {};
  return {
    load: () => structuredClone(saved),
    save: (checkpoints) => {
      saved = structuredClone(checkpoints);
    },
  };
};

/** A JSON file, replaced whole (written beside it, then renamed), so a crash leaves the old one or the new. */
export const fileCheckpoints = (path: string): CheckpointStore => ({
  load() {
    try {
      return JSON.parse(readFileSync(path, 'utf8')) as Checkpoints;
    } catch {
      // None yet, or unreadable: start from the oldest record kept; redelivery changes nothing twice.
      return {};
    }
  },
  save(checkpoints) {
    writeFileSync(`${path}.tmp`, `${JSON.stringify(checkpoints, null, 2)}\n`, { mode: 0o600 });
    renameSync(`${path}.tmp`, path);
  },
});

/** A page of records, as Lambda hands them over, and what of it the handler finished. */
export type PageHandler = (records: DynamoDBRecord[]) => Promise<{
  /** The sequence number of the first record not finished; the rest of the page is read again later. */
  firstUnfinished?: string | undefined;
}>;

/** The records Lambda would deliver, from those DynamoDB Streams returns (the same JSON, but dates as epoch seconds). */
export function lambdaRecordOf(record: _Record, streamArn: string): DynamoDBRecord {
  const { dynamodb } = record;
  return {
    eventID: record.eventID,
    eventName: record.eventName as DynamoDBRecord['eventName'],
    eventVersion: record.eventVersion,
    eventSource: record.eventSource,
    awsRegion: record.awsRegion,
    eventSourceARN: streamArn,
    dynamodb: {
      ...(dynamodb?.ApproximateCreationDateTime
        ? { ApproximateCreationDateTime: Math.floor(dynamodb.ApproximateCreationDateTime.getTime() / 1000) }
        : {}),
      Keys: dynamodb?.Keys as NonNullable<DynamoDBRecord['dynamodb']>['Keys'],
      ...(dynamodb?.NewImage
        ? { NewImage: dynamodb.NewImage as NonNullable<DynamoDBRecord['dynamodb']>['NewImage'] }
        : {}),
      ...(dynamodb?.OldImage
        ? { OldImage: dynamodb.OldImage as NonNullable<DynamoDBRecord['dynamodb']>['OldImage'] }
        : {}),
      SequenceNumber: dynamodb?.SequenceNumber,
      SizeBytes: dynamodb?.SizeBytes,
      StreamViewType: dynamodb?.StreamViewType,
    },
  } as DynamoDBRecord;
}

/** Parents before children; among equals, the order DescribeStream gave. */
export function shardsInOrder(shards: readonly Shard[]): Shard[] {
  const byId = new Map(shards.map((shard) => [shard.ShardId, shard]));
  const ordered: Shard[] = [];
  const placed = new Set<string | undefined>();
  const place = (shard: Shard, seen: Set<string | undefined>) => {
    if (placed.has(shard.ShardId) || seen.has(shard.ShardId)) return;
    seen.add(shard.ShardId);
    const parent = shard.ParentShardId ? byId.get(shard.ParentShardId) : undefined;
    if (parent) place(parent, seen);
    placed.add(shard.ShardId);
    ordered.push(shard);
  };
  for (const shard of shards) place(shard, new Set());
  return ordered;
}

export interface LocalStreamOptions {
  db: DynamoDBClient;
  streams: DynamoDBStreamsClient;
  tableName: string;
  checkpoints: CheckpointStore;
  /** Records per page: the event source mapping's batch size. */
  pageSize?: number;
}

export class LocalStream {
  readonly #options: LocalStreamOptions;
  /** Open iterators, kept between passes (each is good for 15 minutes); a lost one is made again. */
  readonly #iterators = new Map<string, string>();

  constructor(options: LocalStreamOptions) {
    this.#options = options;
  }

  /**
   * One pass over every shard with unread records, page after page until a shard has none left
   * or a page is not finished. Returns how many records were finished.
   */
  async pass(handle: PageHandler): Promise<number> {
    const { db, streams, tableName, checkpoints } = this.#options;
    const { Table } = await db.send(new DescribeTableCommand({ TableName: tableName }));
    const streamArn = Table?.LatestStreamArn;
    if (!streamArn) return 0;
    const shards: Shard[] = [];
    let start: string | undefined;
    do {
      const { StreamDescription } = await streams.send(
        new DescribeStreamCommand({
          StreamArn: streamArn,
          ...(start ? { ExclusiveStartShardId: start } : {}),
        }),
      );
      shards.push(...(StreamDescription?.Shards ?? []));
      start = StreamDescription?.LastEvaluatedShardId;
    } while (start);

    const state = checkpoints.load();
    state[streamArn] ??= {};
    const ofStream = state[streamArn];
    let finished = 0;
    for (const shard of shardsInOrder(shards)) {
      const shardId = shard.ShardId as string;
      const parent = shard.ParentShardId;
      // A child waits until its parent is read to the end, as Lambda keeps a key's changes in order.
      if (parent && shards.some((s) => s.ShardId === parent) && !ofStream[parent]?.done) continue;
      if (ofStream[shardId]?.done) continue;
      finished += await this.#readShard(streamArn, shardId, ofStream, () => checkpoints.save(state), handle);
    }
    return finished;
  }

  async #readShard(
    streamArn: string,
    shardId: string,
    ofStream: Checkpoints[string],
    save: () => void,
    handle: PageHandler,
  ): Promise<number> {
    const { streams } = this.#options;
    const key = `${streamArn} ${shardId}`;
    let finished = 0;
    for (;;) {
      let iterator =
        this.#iterators.get(key) ??
        (await this.#iterator(streamArn, shardId, ofStream[shardId]?.sequenceNumber));
      let page: GetRecordsCommandOutput;
      try {
        page = await streams.send(
          new GetRecordsCommand({ ShardIterator: iterator, Limit: this.#options.pageSize ?? 100 }),
        );
      } catch (error) {
        this.#iterators.delete(key);
        if (error instanceof ExpiredIteratorException) continue;
        if (error instanceof TrimmedDataAccessException) {
          // The checkpoint is older than the stream keeps (24 hours): read from the oldest kept.
          iterator = await this.#iterator(streamArn, shardId, undefined);
          this.#iterators.set(key, iterator);
          delete ofStream[shardId];
          continue;
        }
        throw error;
      }
      const records = page.Records ?? [];
      if (!page.NextShardIterator) {
        // Closed: once its last records are finished it is done, and its children may be read.
        this.#iterators.delete(key);
      } else this.#iterators.set(key, page.NextShardIterator);
      if (records.length === 0) {
        if (!page.NextShardIterator) {
          ofStream[shardId] = { ...ofStream[shardId], done: true };
          save();
        }
        return finished;
      }
      const { firstUnfinished } = await handle(records.map((record) => lambdaRecordOf(record, streamArn)));
      const stopAt = firstUnfinished
        ? records.findIndex((r) => r.dynamodb?.SequenceNumber === firstUnfinished)
        : -1;
      const done = stopAt === -1 ? records : records.slice(0, stopAt);
      const last = done.at(-1)?.dynamodb?.SequenceNumber;
      if (last) {
        ofStream[shardId] = { ...ofStream[shardId], sequenceNumber: last };
        save();
      }
      finished += done.length;
      if (stopAt !== -1) {
        // Read again from the checkpoint next time.
        this.#iterators.delete(key);
        return finished;
      }
      if (!page.NextShardIterator) {
        ofStream[shardId] = { ...ofStream[shardId], done: true };
        save();
        return finished;
      }
    }
  }

  async #iterator(streamArn: string, shardId: string, after: string | undefined): Promise<string> {
    const { ShardIterator } = await this.#options.streams.send(
      new GetShardIteratorCommand({
        StreamArn: streamArn,
        ShardId: shardId,
        ...(after
          ? { ShardIteratorType: 'AFTER_SEQUENCE_NUMBER', SequenceNumber: after }
          : { ShardIteratorType: 'TRIM_HORIZON' }),
      }),
    );
    if (!ShardIterator) throw new Error(`no iterator for shard ${shardId}`);
    return ShardIterator;
  }
}
