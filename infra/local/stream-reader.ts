import { join } from 'node:path';
import { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import type { DynamoDBStreamEvent } from 'aws-lambda';
import { familyLinkKey } from '../../shared/config/family-link-key';
import { systemClock } from '../../shared/domain/clock';
import { outboxBus } from '../../shared/events/outbox-bus';
import { errorName } from '../../shared/events/projection';
import { PROJECTIONS, reactionsFor } from '../../shared/events/registry';
import { passesStreamFilter } from '../../shared/events/stream-filter';
import { familyMessageConfigFromEnv } from '../../shared/notify/family-message-config';
import type { FamilyMessenger } from '../../shared/notify/family-messenger';
import { familyOutbox } from '../../shared/notify/family-outbox';
import { govukNotifyMessenger } from '../../shared/notify/govuk-notify-messenger';
import { documentClient } from '../../shared/storage/client';
import { createEventMarkerStore } from '../../shared/storage/event-marker-repository';
import { createFeedbackReader } from '../../shared/storage/feedback-reader';
import { createNoticeStore } from '../../shared/storage/notice-repository';
import { LOCAL_CREDENTIALS, LOCAL_REGION, localClient } from './dynamodb-local';
import { type CheckpointStore, fileCheckpoints, LocalStream } from './local-stream';

/** Where `npm start` appends domain events, beside the alerts' outbox.jsonl. */
export const eventsOutboxPath = (dataDir: string) => join(dataDir, 'events.jsonl');
/** The stream reader's checkpoint per shard, so a restart continues where it stopped. */
export const streamCheckpointPath = (dataDir: string) => join(dataDir, 'stream-checkpoints.json');
/** Where `npm start` writes families' messages when no Notify key is set: one JSON line each. */
export const familyOutboxPath = (dataDir: string) => join(dataDir, 'family-outbox.jsonl');

/**
 * Families' messages locally: the family outbox by default; real GOV.UK Notify when `NOTIFY_API_KEY`
 * is set (a council trying its templates with a team or test key; `NOTIFY_API_URL` for another
 * address of Notify's API).
 */
export function localFamilyMessenger(
  dataDir: string,
  print: (line: string) => void,
  env: Record<string, string | undefined> = process.env,
): FamilyMessenger {
  const key = env.NOTIFY_API_KEY?.trim();
  if (!key) return familyOutbox(familyOutboxPath(dataDir), print);
  return govukNotifyMessenger({ apiKey: async () => key, baseUrl: env.NOTIFY_API_URL || undefined });
}

export interface StreamReaderOptions {
  dynamoDbPort: number;
  tableName: string;
  dataDir: string;
  /** Between passes when the stream has nothing new (Lambda polls a shard about four times a second). */
  pollMs?: number;
  checkpoints?: CheckpointStore;
  /** One line per domain event written. */
  print?: (line: string) => void;
  /** Problems: a record that could not be projected, a pass that failed. Never a record's content. */
  warn?: (line: string) => void;
  /** Where families' messages go (default: localFamilyMessenger). */
  familyMessenger?: FamilyMessenger;
}

export interface RunningStreamReader {
  /** Resolves after the pass in flight (if any) has finished: nothing is cut off half-way. */
  stop(): Promise<void>;
  /** Resolves after the next pass that read the stream up to its end without failing. */
  caughtUp(): Promise<void>;
}

const MAX_BACKOFF_MS = 30_000;

/**
 * `npm start`'s projector: DynamoDB Local's stream of the table, read about every second, each page
 * given to the SAME Lambda handler (functions/project-stream/handler.ts) as the event it would get
 * from the event source mapping, with the same filter, and the events appended to
 * `DATA_DIR/events.jsonl` instead of put on EventBridge. The checkpoint moves past what the
 * handler finished (its partial batch response); a lost checkpoint only costs a re-read, since
 * redelivery changes nothing twice. A failing pass is logged and retried with back-off: the API
 * keeps serving, and the events follow once the cause is gone.
 */
export async function startStreamReader(options: StreamReaderOptions): Promise<RunningStreamReader> {
  const print = options.print ?? ((line) => console.log(line));
  const warn = options.warn ?? ((line) => console.warn(line));
  const db = localClient(options.dynamoDbPort);
  const streams = new DynamoDBStreamsClient({
    endpoint: `http://127.0.0.1:${options.dynamoDbPort}`,
    region: LOCAL_REGION,
    credentials: LOCAL_CREDENTIALS,
  });
  // Loaded now, not at the top: the module wires its Lambda defaults from the environment that
  // `npm start` has just set (TABLE_NAME, DYNAMODB_ENDPOINT).
  const { makeHandler } = await import('../../functions/project-stream/handler');
  const handler = makeHandler({
    markers: createEventMarkerStore(documentClient(), options.tableName),
    projections: PROJECTIONS,
    reactions: reactionsFor({
      bus: outboxBus(eventsOutboxPath(options.dataDir), print),
      families: {
        notices: createNoticeStore(documentClient(), options.tableName),
        feedback: createFeedbackReader(documentClient(), options.tableName),
        messenger: options.familyMessenger ?? localFamilyMessenger(options.dataDir, print),
        config: () => familyMessageConfigFromEnv(),
        linkKey: familyLinkKey,
        now: systemClock,
        log: (message, details) => warn(`family messages: ${message} ${JSON.stringify(details)}`),
      },
    }),
    tableName: options.tableName,
    now: systemClock,
    log: (message, details) => warn(`events: ${message} ${JSON.stringify(details)}`),
  });
  const stream = new LocalStream({
    db,
    streams,
    tableName: options.tableName,
    checkpoints: options.checkpoints ?? fileCheckpoints(streamCheckpointPath(options.dataDir)),
  });

  let stopping = false;
  let timer: NodeJS.Timeout | undefined;
  let inFlight: Promise<void> | undefined;
  let failures = 0;
  let passes = 0;
  let waiters: { after: number; resolve: () => void }[] = [];

  const pass = async () => {
    const number = ++passes;
    try {
      await stream.pass(async (records) => {
        const wanted = records.filter(passesStreamFilter);
        if (wanted.length === 0) return {};
        const event: DynamoDBStreamEvent = { Records: wanted };
        const { batchItemFailures } = await handler(event);
        return { firstUnfinished: batchItemFailures[0]?.itemIdentifier };
      });
      if (failures) warn('events: the stream reader is reading again');
      failures = 0;
      // Only a pass that began after the wait began has read what was written before it.
      for (const waiter of waiters) if (waiter.after < number) waiter.resolve();
      waiters = waiters.filter((waiter) => waiter.after >= number);
    } catch (error) {
      failures++;
      warn(
        `events: reading the table's stream failed (${errorName(error)}); trying again in ${Math.round(backoff() / 1000)} s`,
      );
    }
  };
  const backoff = () => Math.min(MAX_BACKOFF_MS, (options.pollMs ?? 1_000) * 2 ** failures);
  const schedule = () => {
    if (stopping) return;
    timer = setTimeout(
      () => {
        inFlight = pass().finally(() => {
          inFlight = undefined;
          schedule();
        });
      },
      failures ? backoff() : (options.pollMs ?? 1_000),
    );
  };
  inFlight = pass().finally(() => {
    inFlight = undefined;
    schedule();
  });

  return {
    async stop() {
      stopping = true;
      clearTimeout(timer);
      await inFlight;
      db.destroy();
      streams.destroy();
    },
    caughtUp: () =>
      new Promise<void>((resolve) => {
        waiters.push({ after: passes, resolve });
      }),
  };
}
