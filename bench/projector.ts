/**
 * The projector's cost per 1,000 changes, on DynamoDB Local, paired round by round against a
 * baseline. A change is a stream record that passes the projector's filter (Lambda's filtering is
 * free; the records it drops never reach the function). The mix is a complaint's life: received,
 * acknowledged, responded, closed, four changes and four domain events per complaint.
 *
 * - projector: the Lambda handler itself (functions/project-stream/handler.ts) over batches of
 *   100 records, claiming each event's marker (with the registered projections' writes: the
 *   scorecard's counters) and recording it published.
 * - markers only: the same handler with no projections: the difference is what the scorecard
 *   costs. DynamoDB Local reports fewer units for a transaction than AWS charges (2 for three
 *   items, where AWS charges 2 per item of up to 1 KB), so `awsWriteUnits` also counts the writes
 *   as AWS prices them: 1 per standard write, 2 per item of a transaction.
 * - baseline: the least an at-least-once publisher with deduplication does: unmarshall each
 *   record, one conditional PutItem keyed by the record, PutEvents in batches of 10.
 *
 * Both put events on a stub EventBridge client (counted, never sent), so CPU is ours and the SDK's,
 * not the network's. Write and read units are DynamoDB's own ConsumedCapacity.
 */
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:net';
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { type EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBRecord } from 'aws-lambda';
import { ensureTable, localClient, startDynamoDbLocal } from '../infra/local/dynamodb-local';
import { DEFAULT_TIMEFRAMES } from '../shared/config/default-projects';
import { type Feedback, newFeedback } from '../shared/domain/feedback';
import { acknowledge, close, respond } from '../shared/domain/feedback-lifecycle';
import { newReference } from '../shared/domain/reference';
import { eventBridgeBus } from '../shared/events/eventbridge-bus';
import type { EventMarkers } from '../shared/events/project-stream';
import { publishToBus } from '../shared/events/reactions/publish-to-bus';
import { PROJECTIONS } from '../shared/events/registry';
import { passesStreamFilter } from '../shared/events/stream-filter';
import { createEventMarkerStore } from '../shared/storage/event-marker-repository';
import { feedbackRecord } from '../shared/storage/feedback-repository';
import type { ProjectorCost } from './report';
import { seededRandom, shuffled } from './stats';

const TABLE_NAME = 'bench-projector';
const BATCH = 100;

export interface ProjectorTimings {
  changesPerRound: number;
  /** CPU milliseconds per 1,000 changes, one per round. */
  projectorCpuMs: number[];
  markersOnlyCpuMs: number[];
  baselineCpuMs: number[];
  /** Per change, averaged over every round. */
  projector: ProjectorCost;
  /** The projector without projections: what it costs less is what the scorecard costs. */
  markersOnly: ProjectorCost;
  baseline: ProjectorCost;
}

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

/** A stream record as Lambda delivers it, from two versions of an item. */
function recordOf(before: Feedback | undefined, after: Feedback, sequence: number): DynamoDBRecord {
  const image = (feedback: Feedback) =>
    marshall(feedbackRecord(feedback), { removeUndefinedValues: true }) as NonNullable<
      DynamoDBRecord['dynamodb']
    >['NewImage'];
  return {
    eventID: randomUUID(),
    eventName: before ? 'MODIFY' : 'INSERT',
    eventSource: 'aws:dynamodb',
    dynamodb: {
      ApproximateCreationDateTime: Math.floor(Date.parse(after.receivedAt) / 1000),
      Keys: marshall({ PK: `FEEDBACK#${after.id}`, SK: 'META' }) as NonNullable<
        DynamoDBRecord['dynamodb']
      >['Keys'],
      NewImage: image(after),
      ...(before ? { OldImage: image(before) } : {}),
      SequenceNumber: String(sequence).padStart(21, '0'),
      StreamViewType: 'NEW_AND_OLD_IMAGES',
    },
  };
}

/** `complaints` complaints' lives, four records each, in stream order per complaint. */
function workload(complaints: number, now: Date, sequenceStart: number): DynamoDBRecord[] {
  const officer = { sub: 'bench', name: 'Bench Officer' };
  const records: DynamoDBRecord[] = [];
  let sequence = sequenceStart;
  for (let i = 0; i < complaints; i++) {
    const received = newFeedback(
      newReference(),
      {
        kind: 'complaint',
        projectId: 'general',
        message:
          'The bus to school has been late every day this week and nobody has told us why. My son misses the start of his first lesson.',
        submitterRole: 'parent_or_carer',
        channel: 'web',
        contact: { name: 'A Parent', email: 'parent@example.com' },
        consentToContact: true,
      },
      DEFAULT_TIMEFRAMES.complaint,
      now,
    );
    const later = (hours: number) => new Date(now.getTime() + hours * 3_600_000);
    const acknowledged = acknowledge(received, officer, later(1)).feedback;
    const responded = respond(
      acknowledged,
      { response: 'We are sorry.', outcome: 'upheld' },
      officer,
      later(2),
    ).feedback;
    const closed = close(responded, officer, later(3)).feedback;
    records.push(
      recordOf(undefined, received, sequence++),
      recordOf(received, acknowledged, sequence++),
      recordOf(acknowledged, responded, sequence++),
      recordOf(responded, closed, sequence++),
    );
  }
  return records.filter(passesStreamFilter);
}

function stubEventBridge(count: (entries: number) => void): EventBridgeClient {
  return {
    send: async (command: PutEventsCommand) => {
      const entries = command.input.Entries ?? [];
      count(entries.length);
      return { FailedEntryCount: 0, Entries: entries.map((_, i) => ({ EventId: `bench-${i}` })) };
    },
  } as unknown as EventBridgeClient;
}

const cpuMs = () => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
};

export async function measureProjector(options: {
  rounds: number;
  changesPerRound: number;
  seed?: number;
  onProgress?: (round: number) => void;
}): Promise<ProjectorTimings> {
  const random = seededRandom(options.seed ?? 20261202);
  const port = await freePort();
  const dynamo = await startDynamoDbLocal({ port });
  const client = localClient(port);
  const db = DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
  process.env.POWERTOOLS_METRICS_DISABLED = 'true';
  process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';
  process.env.TABLE_NAME = TABLE_NAME;
  process.env.DYNAMODB_ENDPOINT = dynamo.endpoint;
  const totals = {
    projector: {
      writeUnits: 0,
      awsWriteUnits: 0,
      readUnits: 0,
      putEventsCalls: 0,
      putEventsEntries: 0,
      events: 0,
    },
    markersOnly: {
      writeUnits: 0,
      awsWriteUnits: 0,
      readUnits: 0,
      putEventsCalls: 0,
      putEventsEntries: 0,
      events: 0,
    },
    baseline: {
      writeUnits: 0,
      awsWriteUnits: 0,
      readUnits: 0,
      putEventsCalls: 0,
      putEventsEntries: 0,
      events: 0,
    },
  };
  const timings = { projector: [] as number[], markersOnly: [] as number[], baseline: [] as number[] };
  let measured = 0;
  try {
    await ensureTable(client, TABLE_NAME);
    const { makeHandler } = await import('../functions/project-stream/handler');
    const complaints = Math.max(1, Math.round(options.changesPerRound / 4));
    const now = new Date(Date.UTC(2027, 2, 1, 9));

    const projector = async (records: DynamoDBRecord[], side: 'projector' | 'markersOnly' = 'projector') => {
      const cost = totals[side];
      const store = createEventMarkerStore(db, TABLE_NAME, {
        onCapacity: ({ write, read }) => {
          cost.writeUnits += write;
          cost.readUnits += read;
        },
      });
      // As AWS prices them (items of the bench's size, under 1 KB): a transaction's items 2 each.
      const markers: EventMarkers = {
        claim: (request) => {
          cost.awsWriteUnits += request.items.length ? 2 * (1 + request.items.length) : 1;
          return store.claim(request);
        },
        done: (eventId, reaction) => {
          cost.awsWriteUnits += 1;
          return store.done(eventId, reaction);
        },
      };
      const handler = makeHandler({
        markers,
        projections: side === 'projector' ? PROJECTIONS : [],
        reactions: [
          publishToBus(
            eventBridgeBus(
              stubEventBridge((entries) => {
                cost.putEventsCalls++;
                cost.putEventsEntries += entries;
                cost.events += entries;
              }),
              'bench',
            ),
          ),
        ],
        tableName: TABLE_NAME,
        now: () => now,
        log: () => undefined,
      });
      for (let start = 0; start < records.length; start += BATCH) {
        const { batchItemFailures } = await handler({ Records: records.slice(start, start + BATCH) });
        if (batchItemFailures.length) throw new Error('the projector failed a batch in the bench');
      }
    };

    const baseline = async (records: DynamoDBRecord[]) => {
      const cost = totals.baseline;
      const bus = stubEventBridge((entries) => {
        cost.putEventsCalls++;
        cost.putEventsEntries += entries;
        cost.events += entries;
      });
      for (let start = 0; start < records.length; start += BATCH) {
        const batch = records.slice(start, start + BATCH);
        const seen: { id: string; keys: unknown }[] = [];
        for (const record of batch) {
          const image = record.dynamodb?.NewImage as Record<string, AttributeValue>;
          unmarshall(image);
          const result = await db.send(
            new PutCommand({
              TableName: TABLE_NAME,
              Item: { PK: `SEEN#${record.eventID}`, SK: 'SEEN', expiration: 0 },
              ConditionExpression: 'attribute_not_exists(PK)',
              ReturnConsumedCapacity: 'TOTAL',
            }),
          );
          cost.writeUnits += result.ConsumedCapacity?.CapacityUnits ?? 0;
          cost.awsWriteUnits += 1;
          seen.push({ id: String(record.eventID), keys: record.dynamodb?.Keys });
        }
        for (let i = 0; i < seen.length; i += 10) {
          await bus.send(
            new PutEventsCommand({
              Entries: seen.slice(i, i + 10).map((entry) => ({
                Source: 'bench',
                DetailType: 'change',
                Detail: JSON.stringify(entry),
              })),
            }),
          );
        }
      }
    };

    // A warm-up round of each, not counted: the first calls pay for connections and JIT.
    await projector(workload(25, now, 1));
    await projector(workload(25, now, 500_000), 'markersOnly');
    await baseline(workload(25, now, 1_000_000));
    for (const side of Object.values(totals))
      Object.assign(side, {
        writeUnits: 0,
        awsWriteUnits: 0,
        readUnits: 0,
        putEventsCalls: 0,
        putEventsEntries: 0,
        events: 0,
      });

    let sequence = 2_000_000;
    for (let round = 1; round <= options.rounds; round++) {
      options.onProgress?.(round);
      const runs = {
        projector: workload(complaints, now, sequence),
        markersOnly: workload(complaints, now, sequence + 10_000),
        baseline: workload(complaints, now, sequence + 20_000),
      };
      sequence += 30_000;
      for (const side of shuffled(['projector', 'markersOnly', 'baseline'] as const, random)) {
        const started = cpuMs();
        await (side === 'baseline' ? baseline(runs[side]) : projector(runs[side], side));
        timings[side].push(((cpuMs() - started) / runs[side].length) * 1000);
      }
      measured += runs.projector.length;
    }
  } finally {
    client.destroy();
    await dynamo.stop();
  }
  const perChange = (cost: ProjectorCost): ProjectorCost => ({
    writeUnits: cost.writeUnits / measured,
    awsWriteUnits: (cost.awsWriteUnits ?? 0) / measured,
    readUnits: cost.readUnits / measured,
    putEventsCalls: cost.putEventsCalls / measured,
    putEventsEntries: cost.putEventsEntries / measured,
    events: cost.events / measured,
  });
  return {
    changesPerRound: complaintsToChanges(options.changesPerRound),
    projectorCpuMs: timings.projector,
    markersOnlyCpuMs: timings.markersOnly,
    baselineCpuMs: timings.baseline,
    projector: perChange(totals.projector),
    markersOnly: perChange(totals.markersOnly),
    baseline: perChange(totals.baseline),
  };
}

const complaintsToChanges = (changes: number) => Math.max(1, Math.round(changes / 4)) * 4;
