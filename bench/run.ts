/**
 * `npm run bench`: what each function costs to load and what a submission costs to serve.
 *
 * 1. Bundles every function exactly as CDK does (infra/bundling.ts), plus a baseline that only
 *    creates a DynamoDB document client, built with the same options; prints each bundle's size
 *    and its median cold import time over fresh Node.js processes, and the ratio to the baseline.
 * 2. Starts DynamoDB Local and the local server, and compares the median latency of
 *    `POST /feedback` with a raw PutItem on the same DynamoDB Local; counts the capacity units a
 *    submission consumes, which is what it costs in DynamoDB on demand.
 */
import '../infra/local/quiet-sdk-warning';
import { execFileSync } from 'node:child_process';
import { mkdirSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { build } from 'esbuild';
import { BUNDLE_OPTIONS } from '../infra/bundling';
import { ensureTable, localClient, startDynamoDbLocal } from '../infra/local/dynamodb-local';
import { applyFunctionEnvironment } from '../infra/local/local-env';
import { createLocalServer } from '../infra/local/server';
import { FALLBACK_HANDLER, ROUTES } from '../shared/http/routes';

const root = fileURLToPath(new URL('..', import.meta.url));
const outDir = join(root, 'bench', '.out');
const COLD_RUNS = Number(process.env.BENCH_COLD_RUNS ?? 15);
const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 300);
const WARM_UP = 30;

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2
    ? (sorted[middle] as number)
    : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
};
const percentile = (values: number[], p: number) =>
  [...values].sort((a, b) => a - b)[Math.floor((values.length - 1) * p)] as number;

async function bundle(name: string, entry: string): Promise<string> {
  const outfile = join(outDir, name, 'index.mjs');
  await build({ ...BUNDLE_OPTIONS, entryPoints: [entry], outfile, target: 'node20', logLevel: 'silent' });
  return outfile;
}

/** Each run is a new Node.js process: the import is as cold as a Lambda cold start can be here. */
function coldImportMs(file: string): number {
  const script = `const t = performance.now(); await import(${JSON.stringify(file)}); process.stdout.write(String(performance.now() - t));`;
  const times: number[] = [];
  for (let i = 0; i < COLD_RUNS; i++) {
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], {
      env: {
        ...process.env,
        TABLE_NAME: 'bench',
        AWS_REGION: 'eu-west-2',
        AWS_ACCESS_KEY_ID: 'bench',
        AWS_SECRET_ACCESS_KEY: 'bench',
        AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
        POWERTOOLS_METRICS_DISABLED: 'true',
      },
      encoding: 'utf8',
    });
    times.push(Number(out));
  }
  return median(times);
}

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

async function bundles() {
  mkdirSync(outDir, { recursive: true });
  const handlers = [...new Set([...ROUTES.map((route) => route.handler), FALLBACK_HANDLER])];
  const baselineFile = await bundle('baseline', join(root, 'bench', 'baseline.ts'));
  const baselineMs = coldImportMs(baselineFile);
  console.log(
    `\n## Bundles and cold imports (median of ${COLD_RUNS} fresh processes, Node.js ${process.versions.node})\n`,
  );
  console.log('| function | bundle | cold import | ratio to baseline |');
  console.log('| --- | ---: | ---: | ---: |');
  console.log(
    `| baseline (document client only) | ${(statSync(baselineFile).size / 1024).toFixed(0)} KB | ${baselineMs.toFixed(1)} ms | 1.00 |`,
  );
  for (const handler of handlers) {
    const file = await bundle(handler, join(root, 'functions', handler, 'handler.ts'));
    const ms = coldImportMs(file);
    console.log(
      `| ${handler} | ${(statSync(file).size / 1024).toFixed(0)} KB | ${ms.toFixed(1)} ms | ${(ms / baselineMs).toFixed(2)} |`,
    );
  }
}

/** Adds up the capacity units DynamoDB reports for every command a client sends. */
function capacityCounter() {
  const totals = { write: 0, read: 0 };
  type Next = (args: { input: object }) => Promise<{ output: object }>;
  const middleware = (next: Next, context: { commandName?: string }) => async (args: { input: object }) => {
    (args.input as Record<string, unknown>).ReturnConsumedCapacity = 'TOTAL';
    const result = await next(args);
    const units = [(result.output as { ConsumedCapacity?: unknown }).ConsumedCapacity]
      .flat()
      .reduce(
        (sum: number, c) => sum + ((c as { CapacityUnits?: number } | undefined)?.CapacityUnits ?? 0),
        0,
      );
    if (/^(Get|Query|BatchGet)/.test(context.commandName ?? '')) totals.read += units;
    else totals.write += units;
    return result;
  };
  return {
    attach(client: { middlewareStack: { add: (...args: never[]) => void } }) {
      (client.middlewareStack.add as (m: unknown, o: object) => void)(middleware, {
        step: 'initialize',
        name: 'benchConsumedCapacity',
        override: true,
      });
    },
    /** Units consumed while `run` runs. */
    async during(run: () => Promise<unknown>) {
      const before = { ...totals };
      await run();
      return { write: totals.write - before.write, read: totals.read - before.read };
    },
  };
}

async function latency() {
  const dynamoPort = await freePort();
  const dynamo = await startDynamoDbLocal({ port: dynamoPort });
  const server = createLocalServer();
  try {
    const admin = localClient(dynamoPort);
    await ensureTable(admin, 'bench');
    applyFunctionEnvironment({ tableName: 'bench', dynamoDbEndpoint: dynamo.endpoint });
    process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;

    // Count capacity on the very clients the handlers use.
    const { documentClient, dynamoClient } = await import('../shared/storage/client');
    const capacity = capacityCounter();
    capacity.attach(documentClient());
    capacity.attach(dynamoClient());

    const body = JSON.stringify({
      kind: 'complaint',
      message: 'The bus to school has been late every day this week and nobody has told us why.',
      submitterRole: 'parent_or_carer',
      contact: { email: 'parent@example.com' },
      consentToContact: true,
    });
    const submit = (headers: Record<string, string> = {}) =>
      fetch(`${base}/feedback`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body,
      }).then(async (response) => {
        await response.arrayBuffer();
        if (response.status !== 201) throw new Error(`POST /feedback answered ${response.status}`);
      });
    const raw = DynamoDBDocumentClient.from(admin);
    const rawPut = (i: number) =>
      raw.send(
        new PutCommand({ TableName: 'bench', Item: { PK: `BENCH#${i}`, SK: 'META', message: body, n: i } }),
      );

    for (let i = 0; i < WARM_UP; i++) {
      await submit();
      await rawPut(-1 - i);
    }

    // Interleaved, so each kind of request meets DynamoDB Local's JVM in the same state.
    const times = { put: [] as number[], post: [] as number[], postWithKey: [] as number[] };
    const units = { post: { write: 0, read: 0 }, postWithKey: { write: 0, read: 0 } };
    const timed = async (into: number[], run: () => Promise<unknown>) => {
      const started = performance.now();
      await run();
      into.push(performance.now() - started);
    };
    for (let i = 0; i < REQUESTS; i++) {
      await timed(times.put, () => rawPut(i));
      const plain = await capacity.during(() => timed(times.post, () => submit()));
      const keyed = await capacity.during(() =>
        timed(times.postWithKey, () => submit({ 'idempotency-key': crypto.randomUUID() })),
      );
      units.post.write += plain.write;
      units.post.read += plain.read;
      units.postWithKey.write += keyed.write;
      units.postWithKey.read += keyed.read;
    }

    console.log(
      `\n## Latency through the local stack (${REQUESTS} of each, interleaved, after ${WARM_UP} warm-up)\n`,
    );
    console.log('| request | median | p95 | ratio to raw PutItem (median) |');
    console.log('| --- | ---: | ---: | ---: |');
    const row = (name: string, values: number[]) =>
      console.log(
        `| ${name} | ${median(values).toFixed(2)} ms | ${percentile(values, 0.95).toFixed(2)} ms | ${(median(values) / median(times.put)).toFixed(2)} |`,
      );
    row('raw PutItem (document client)', times.put);
    row('POST /feedback', times.post);
    row('POST /feedback with Idempotency-Key', times.postWithKey);

    console.log('\n## DynamoDB capacity per submission (what on-demand billing counts)\n');
    console.log('| request | write request units | read request units |');
    console.log('| --- | ---: | ---: |');
    for (const [name, total] of [
      ['POST /feedback', units.post],
      ['POST /feedback with Idempotency-Key', units.postWithKey],
    ] as const) {
      console.log(
        `| ${name} | ${(total.write / REQUESTS).toFixed(1)} | ${(total.read / REQUESTS).toFixed(1)} |`,
      );
    }
    raw.destroy();
  } finally {
    server.closeAllConnections();
    server.close();
    await dynamo.stop();
  }
}

await bundles();
await latency();
