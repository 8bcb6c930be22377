/**
 * Latency through the local stack, paired round by round. Each round runs, in a shuffled order:
 * - `POST /feedback` through the local server and the real handler, without and with an
 *   `Idempotency-Key`;
 * - a raw PutItem of the handler's exact item (captured from the handler's own PutItem, so the same
 *   size, the same index keys and the same condition; only the id differs);
 * - a minimal HTTP server doing that PutItem, so both sides of that pair pay the local HTTP hop;
 * - `GET /officer/feedback?limit=50` as an officer, and a plain Query of 50 items: the list's own
 *   fullest Query (same index, same partition) replayed alone with `Limit: 50`.
 * Per-round ratios are taken within the round; the report is their median. Capacity units are
 * counted from DynamoDB's own `ConsumedCapacity` on every client involved.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { createServer as createNetServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  DynamoDBDocumentClient,
  PutCommand,
  QueryCommand,
  type QueryCommandInput,
} from '@aws-sdk/lib-dynamodb';
import { loadOrCreateDevKeys, signDevToken } from '../infra/local/dev-auth';
import { ensureTable, localClient, startDynamoDbLocal } from '../infra/local/dynamodb-local';
import { applyFunctionEnvironment } from '../infra/local/local-env';
import { createLocalServer } from '../infra/local/server';
import { FEEDBACK_KINDS } from '../shared/domain/project';
import { seededRandom, shuffled } from './stats';

const TABLE_NAME = 'bench';
export const LIST_LIMIT = 50;

export const OPERATIONS = ['rawPut', 'minimalHttpPut', 'post', 'postWithKey', 'list', 'plainQuery'] as const;
export type Operation = (typeof OPERATIONS)[number];

export interface Units {
  write: number;
  read: number;
  /** Items DynamoDB examined (ScannedCount of Queries, 1 per GetItem that found one). */
  itemsRead: number;
  calls: number;
}

export interface LatencyTimings {
  /** Milliseconds, one per round, in round order. */
  ms: Record<Operation, number[]>;
  /** Capacity and calls per request, averaged over the rounds. */
  perRequest: Record<Operation, Units>;
  itemBytes: number;
  plainQueryItems: number;
  listItems: number;
}

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const probe = createNetServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as { port: number }).port}`;
}

type Recorded = { command: string; input: Record<string, unknown>; output: Record<string, unknown> };
type MiddlewareStack = { add: (middleware: unknown, options: object) => void };

/**
 * Watches every command a client sends: asks DynamoDB for ConsumedCapacity, and records the
 * command, its input and its output while a `during` call is open.
 */
function recorder() {
  let open: Recorded[] | undefined;
  type Next = (args: { input: object }) => Promise<{ output: object }>;
  const middleware = (next: Next, context: { commandName?: string }) => async (args: { input: object }) => {
    (args.input as Record<string, unknown>).ReturnConsumedCapacity = 'TOTAL';
    const result = await next(args);
    open?.push({
      command: context.commandName ?? '',
      input: structuredClone(args.input) as Record<string, unknown>,
      output: result.output as Record<string, unknown>,
    });
    return result;
  };
  return {
    attach(client: { middlewareStack: MiddlewareStack }) {
      client.middlewareStack.add(middleware, {
        step: 'initialize',
        name: 'benchRecorder',
        override: true,
      });
    },
    async during<T>(run: () => Promise<T>): Promise<{ value: T; calls: Recorded[] }> {
      const calls: Recorded[] = [];
      open = calls;
      try {
        return { value: await run(), calls };
      } finally {
        open = undefined;
      }
    },
  };
}

function unitsOf(calls: Recorded[]): Units {
  const units: Units = { write: 0, read: 0, itemsRead: 0, calls: calls.length };
  for (const call of calls) {
    const consumed = [call.output.ConsumedCapacity]
      .flat()
      .reduce(
        (sum: number, c) => sum + ((c as { CapacityUnits?: number } | undefined)?.CapacityUnits ?? 0),
        0,
      );
    if (/^(Get|Query|BatchGet|Scan)/.test(call.command)) units.read += consumed;
    else units.write += consumed;
    if (typeof call.output.ScannedCount === 'number') units.itemsRead += call.output.ScannedCount;
    else if (call.output.Item) units.itemsRead += 1;
    else if (Array.isArray((call.output as { Items?: unknown[] }).Items))
      units.itemsRead += (call.output as { Items: unknown[] }).Items.length;
  }
  return units;
}

/** Same length, same separators, new letters and digits: a fresh id shaped like the handler's. */
function reshaped(id: string, random: () => number): string {
  const pick = (alphabet: string) => alphabet[Math.floor(random() * alphabet.length)] as string;
  return id
    .replace(/[0-9]/g, () => pick('0123456789'))
    .replace(/[A-Z]/g, () => pick('ABCDEFGHJKMNPQRSTVWXYZ'))
    .replace(/[a-z]/g, () => pick('abcdefghjkmnpqrstvwxyz'));
}

/** Only the attribute values a key condition uses (DynamoDB refuses unused ones). */
function plainQueryFrom(listQuery: Record<string, unknown>): QueryCommandInput {
  const condition = String(listQuery.KeyConditionExpression);
  const pick = (values: unknown) =>
    values &&
    Object.fromEntries(
      Object.entries(values as Record<string, unknown>).filter(([name]) =>
        new RegExp(`${name.replace(/[$#:]/g, '\\$&')}(?![A-Za-z0-9_])`).test(condition),
      ),
    );
  const names = pick(listQuery.ExpressionAttributeNames) as Record<string, string> | undefined;
  return {
    TableName: String(listQuery.TableName),
    ...(listQuery.IndexName ? { IndexName: String(listQuery.IndexName) } : {}),
    KeyConditionExpression: condition,
    ...(names && Object.keys(names).length ? { ExpressionAttributeNames: names } : {}),
    ExpressionAttributeValues: pick(listQuery.ExpressionAttributeValues) as Record<string, unknown>,
    ...(listQuery.ScanIndexForward === undefined
      ? {}
      : { ScanIndexForward: Boolean(listQuery.ScanIndexForward) }),
    Limit: LIST_LIMIT,
  };
}

export async function measureLatency(options: {
  rounds: number;
  warmUp: number;
  seedItems: number;
  seed?: number;
  onProgress?: (round: number) => void;
}): Promise<LatencyTimings> {
  const random = seededRandom(options.seed ?? 20261126);
  const dynamoPort = await freePort();
  const dataDir = mkdtempSync(join(tmpdir(), 'bench-'));
  const dynamo = await startDynamoDbLocal({ port: dynamoPort });
  const servers: Server[] = [];
  const admin = localClient(dynamoPort);
  const raw = DynamoDBDocumentClient.from(admin);
  try {
    await ensureTable(admin, TABLE_NAME);
    applyFunctionEnvironment({ tableName: TABLE_NAME, dynamoDbEndpoint: dynamo.endpoint });
    process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';
    process.env.LOG_LEVEL = 'SILENT';
    const devKeys = await loadOrCreateDevKeys(dataDir);
    const token = await signDevToken(devKeys, { role: 'officer', name: 'Bench Officer' });
    const local = createLocalServer({ devKeys });
    servers.push(local);
    const base = await listen(local);

    // Watch the very clients the handlers use, and the raw client.
    const { documentClient, dynamoClient } = await import('../shared/storage/client');
    const watch = recorder();
    watch.attach(documentClient() as unknown as { middlewareStack: MiddlewareStack });
    watch.attach(dynamoClient() as unknown as { middlewareStack: MiddlewareStack });
    watch.attach(raw as unknown as { middlewareStack: MiddlewareStack });

    const bodyOf = (kind: string) =>
      JSON.stringify({
        kind,
        message:
          'The bus to school has been late every day this week and nobody has told us why. My son misses the start of his first lesson and is anxious all morning.',
        submitterRole: 'parent_or_carer',
        contact: { name: 'A Parent', email: 'parent@example.com' },
        consentToContact: true,
      });
    const body = bodyOf('complaint');
    const call = async (url: string, init: RequestInit, expected: number) => {
      const response = await fetch(url, init);
      await response.arrayBuffer();
      if (response.status !== expected) throw new Error(`${init.method} ${url} answered ${response.status}`);
    };
    const post = (payload = body, headers: Record<string, string> = {}) =>
      call(
        `${base}/feedback`,
        { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: payload },
        201,
      );

    // Feedback of every kind for the officer list to page through, then the handler's own write.
    for (let i = 0; i < options.seedItems; i++)
      await post(bodyOf(FEEDBACK_KINDS[i % FEEDBACK_KINDS.length] as string));
    const { calls: postCalls } = await watch.during(() => post());
    const put = postCalls.find((c) => /^Put(Item)?Command$/.test(c.command));
    if (!put) throw new Error('POST /feedback sent no PutItem: the benchmark cannot copy its item');
    const template = JSON.stringify({ ...put.input, ReturnConsumedCapacity: undefined });
    const item = put.input.Item as Record<string, unknown>;
    const id = String(item.id ?? '');
    if (!id) throw new Error('the stored feedback item has no id');
    const rawPutInput = () => JSON.parse(template.replaceAll(id, reshaped(id, random)));
    const rawPut = () => raw.send(new PutCommand(rawPutInput()));

    const minimal = createServer(async (request, response) => {
      const chunks: Buffer[] = [];
      for await (const chunk of request) chunks.push(chunk as Buffer);
      JSON.parse(Buffer.concat(chunks).toString('utf8'));
      await rawPut();
      response.writeHead(201, { 'content-type': 'application/json' });
      response.end('{"ok":true}');
    });
    servers.push(minimal);
    const minimalBase = await listen(minimal);

    const listUrl = `${base}/officer/feedback?limit=${LIST_LIMIT}`;
    const list = () => call(listUrl, { method: 'GET', headers: { authorization: `Bearer ${token}` } }, 200);
    const { calls: listCalls } = await watch.during(list);
    // The list's fullest Query: the partition it read most from, which holds a page or more.
    const fullest = listCalls
      .filter((c) => c.command.startsWith('Query'))
      .sort((a, b) => Number(b.output.Count ?? 0) - Number(a.output.Count ?? 0))[0];
    if (!fullest) throw new Error('GET /officer/feedback sent no Query');
    const plainInput = plainQueryFrom(fullest.input);
    const plainQuery = async () => {
      const result = await raw.send(new QueryCommand(plainInput));
      return result.Count ?? 0;
    };
    const plainQueryItems = await plainQuery();
    const listBody = (await (
      await fetch(listUrl, { headers: { authorization: `Bearer ${token}` } })
    ).json()) as { items?: unknown[] };

    const run: Record<Operation, () => Promise<unknown>> = {
      rawPut,
      minimalHttpPut: () =>
        call(minimalBase, { method: 'POST', headers: { 'content-type': 'application/json' }, body }, 201),
      post: () => post(),
      postWithKey: () => post(body, { 'idempotency-key': randomUUID() }),
      list,
      plainQuery,
    };
    for (let i = 0; i < options.warmUp; i++) for (const operation of OPERATIONS) await run[operation]();

    const ms = Object.fromEntries(OPERATIONS.map((o) => [o, [] as number[]])) as Record<Operation, number[]>;
    const totals = Object.fromEntries(
      OPERATIONS.map((o) => [o, { write: 0, read: 0, itemsRead: 0, calls: 0 }]),
    ) as Record<Operation, Units>;
    for (let round = 0; round < options.rounds; round++) {
      for (const operation of shuffled(OPERATIONS, random)) {
        const { value: elapsed, calls } = await watch.during(async () => {
          const started = performance.now();
          await run[operation]();
          return performance.now() - started;
        });
        ms[operation].push(elapsed);
        const units = unitsOf(calls);
        const total = totals[operation];
        total.write += units.write;
        total.read += units.read;
        total.itemsRead += units.itemsRead;
        total.calls += units.calls;
      }
      options.onProgress?.(round + 1);
    }
    const perRequest = Object.fromEntries(
      OPERATIONS.map((o) => {
        const t = totals[o];
        const n = options.rounds;
        return [o, { write: t.write / n, read: t.read / n, itemsRead: t.itemsRead / n, calls: t.calls / n }];
      }),
    ) as Record<Operation, Units>;
    return {
      ms,
      perRequest,
      itemBytes: Buffer.byteLength(JSON.stringify(item)),
      plainQueryItems,
      listItems: listBody.items?.length ?? 0,
    };
  } finally {
    for (const server of servers) {
      server.closeAllConnections();
      server.close();
    }
    raw.destroy();
    await dynamo.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}
