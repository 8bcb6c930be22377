import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, describe, expect, it } from 'vitest';
import { makeHandler } from '../../functions/submit-feedback/handler';
import { FUNCTION_TIMEOUT_SECONDS } from '../../infra/function-defaults';
import {
  ensureTable,
  LOCAL_CREDENTIALS,
  LOCAL_REGION,
  localClient,
  type RunningDynamoDbLocal,
  startDynamoDbLocal,
} from '../../infra/local/dynamodb-local';
import { keyFingerprint } from '../../shared/domain/intake-key';
import { newReference } from '../../shared/domain/reference';
import { subjectKeysOf } from '../../shared/retention/subject-keys';
import { createDynamoClient } from '../../shared/storage/client';
import { createFeedbackRepository } from '../../shared/storage/feedback-repository';
import { createProjectRepository } from '../../shared/storage/project-repository';
import { testClock } from '../support/clock';
import { invoke } from '../support/events';
import { processesMentioning, waitUntilGone } from '../support/processes';
import { TEST_SUBJECT_LOOKUP_KEY } from '../support/signing';
import { type Spawned, spawnWithOutput, waitForOutput } from '../support/spawned';

/**
 * Intake is idempotent by construction (shared/domain/intake-key.ts): whatever fails between a
 * submission and its answer (the whole stack killed, DynamoDB stalled), a retry with the same key
 * stores nothing more. These run the real parts: the local stack as `npm start` runs it, and
 * DynamoDB Local paused with SIGSTOP.
 */

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const submission = (i: number) => ({
  kind: i % 3 === 0 ? 'complaint' : 'feedback',
  message: `Submission ${i}: the transport to school was late again.`,
  submitterRole: 'parent_or_carer',
});

/** Every feedback item in the table, grouped by the key fingerprint stored on it. */
async function itemsByKey(endpoint: string, tableName: string) {
  const client = createDynamoClient(endpoint);
  const db = DynamoDBDocumentClient.from(client);
  const items: Record<string, unknown>[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await db.send(
      new ScanCommand({ TableName: tableName, ConsistentRead: true, ExclusiveStartKey: start }),
    );
    items.push(...(page.Items ?? []));
    start = page.LastEvaluatedKey;
  } while (start);
  client.destroy();
  const feedback = items.filter((item) => item.entity === 'FEEDBACK');
  const counts = new Map<string, number>();
  for (const item of feedback) {
    const hash = (item.intake as { keyHash?: string } | undefined)?.keyHash ?? 'none';
    counts.set(hash, (counts.get(hash) ?? 0) + 1);
  }
  return { total: feedback.length, counts };
}

/** Every stored feedback item, by id. */
async function feedbackItems(endpoint: string, tableName: string) {
  const client = createDynamoClient(endpoint);
  const db = DynamoDBDocumentClient.from(client);
  const items = new Map<string, Record<string, unknown>>();
  let start: Record<string, unknown> | undefined;
  do {
    const page = await db.send(
      new ScanCommand({ TableName: tableName, ConsistentRead: true, ExclusiveStartKey: start }),
    );
    for (const item of page.Items ?? []) if (item.entity === 'FEEDBACK') items.set(item.id as string, item);
    start = page.LastEvaluatedKey;
  } while (start);
  client.destroy();
  return items;
}

const dataDirs: string[] = [];
afterAll(() => {
  for (const dir of dataDirs) rmSync(dir, { recursive: true, force: true });
});

describe('npm start killed with SIGKILL (its whole process group) while submissions are in flight', () => {
  /** `npm start` as a developer runs it, in a process group of its own (as a terminal gives it). */
  const npmStart = (env: Record<string, string>) =>
    spawnWithOutput('npm', ['start'], { env: { ...process.env, ...env }, detached: true });
  /** Serving once it says so (start.ts prints the API's address only after the table is ready). */
  const ready = (stack: Spawned) => waitForOutput(stack, 'API on http://localhost', 90_000);

  it('starts again at once on the same DATA_DIR with every acknowledged submission, one item per key after retries, and nothing left behind', {
    timeout: 240_000,
  }, async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'yswd-crash-'));
    dataDirs.push(dataDir);
    const port = await freePort();
    const dynamoPort = await freePort();
    const tableName = 'crash-test';
    const env = {
      PORT: String(port),
      DYNAMODB_LOCAL_PORT: String(dynamoPort),
      DATA_DIR: dataDir,
      TABLE_NAME: tableName,
      POWERTOOLS_LOG_LEVEL: 'ERROR',
    };
    const base = `http://127.0.0.1:${port}`;
    const keys = Array.from({ length: 60 }, () => crypto.randomUUID());
    const post = (i: number) =>
      fetch(`${base}/feedback`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'idempotency-key': keys[i] as string },
        body: JSON.stringify(submission(i)),
      });

    const first = npmStart(env);
    let second: Spawned | undefined;
    try {
      await ready(first);
      // The first stack's private socket folder, which its SIGKILLed launcher cannot tidy away.
      const launcher = processesMentioning(`-port ${dynamoPort}`).find((p) => p.args.includes('--bridge'));
      const socketDir = launcher
        ? dirname(launcher.args[launcher.args.indexOf('--bridge') + 1] as string)
        : '';

      // Eight clients submitting one after another, each with its own key; SIGKILL once a few
      // have been told "received", so the kill lands with submissions in flight.
      const answered: (Record<string, unknown> | undefined)[] = Array(keys.length).fill(undefined);
      const cutOff: boolean[] = Array(keys.length).fill(false);
      let next = 0;
      let killed = false;
      let fifthAnswered: () => void = () => undefined;
      const fiveAnswered = new Promise<void>((resolve) => {
        fifthAnswered = resolve;
      });
      const client = async () => {
        while (!killed && next < keys.length) {
          const i = next++;
          try {
            const response = await post(i);
            if (response.status === 201) {
              answered[i] = (await response.json()) as Record<string, unknown>;
              if (answered.filter(Boolean).length === 5) fifthAnswered();
            } else await response.body?.cancel(); // a 503 from a slow machine: retried below like the rest
          } catch {
            cutOff[i] = true; // no answer: the family saw an error and will retry
          }
        }
      };
      const clients = Array.from({ length: 8 }, client);
      // Kill as soon as the fifth family has been told "received" (or every client has finished).
      await Promise.race([fiveAnswered, Promise.all(clients)]);
      killed = true;
      // As a crash would: every process of the group at once (npm, the stack, unshare, the
      // launcher, Java), none of them running any code on the way out.
      process.kill(-(first.child.pid as number), 'SIGKILL');
      await first.exited;
      await Promise.all(clients);
      expect(answered.filter(Boolean).length).toBeGreaterThanOrEqual(5);
      // Some were cut off mid-flight: the case this is about.
      expect(cutOff.filter(Boolean).length).toBeGreaterThan(0);

      // Again at once, without waiting for or tidying anything of the first: it comes back.
      second = npmStart(env);
      await ready(second);
      expect((await fetch(`${base}/health`)).status).toBe(200);
      expect(socketDir).not.toBe('');
      expect(existsSync(socketDir)).toBe(false);

      // Every submission acknowledged before the kill is stored, as it was acknowledged.
      const stored = await feedbackItems(`http://127.0.0.1:${dynamoPort}`, tableName);
      for (const receipt of answered.filter(Boolean)) {
        expect(stored.get(receipt?.id as string), receipt?.reference as string).toMatchObject({
          reference: receipt?.reference,
          receivedAt: receipt?.receivedAt,
        });
      }

      // Every key retried, as a client does: again after Retry-After while the answer is 503 (a
      // DynamoDB Local just restarted on a loaded machine can be slow), ten at a time.
      const retries: { status: number; replayed: string | null; body: unknown }[] = [];
      const retry = async (i: number) => {
        for (let attempt = 1; ; attempt++) {
          const response = await post(i);
          if (response.status !== 503 || attempt === 20) {
            retries[i] = {
              status: response.status,
              replayed: response.headers.get('idempotent-replayed'),
              body: await response.json(),
            };
            return;
          }
          await response.body?.cancel();
          await sleep(Number(response.headers.get('retry-after') ?? 1) * 250);
        }
      };
      for (let from = 0; from < keys.length; from += 10) {
        await Promise.all(keys.slice(from, from + 10).map((_, j) => retry(from + j)));
      }
      expect(retries.map((retry) => retry.status)).toEqual(Array(keys.length).fill(201));
      // Every family that was told "received" gets the same receipt again.
      answered.forEach((receipt, i) => {
        if (receipt) {
          expect(retries[i]?.body).toEqual(receipt);
          expect(retries[i]?.replayed).toBe('true');
        }
      });

      const { total, counts } = await itemsByKey(`http://127.0.0.1:${dynamoPort}`, tableName);
      for (const key of keys) expect(counts.get(keyFingerprint(key)), key).toBe(1);
      expect(total).toBe(keys.length);

      // Stopped as a developer stops it: then nothing of either stack is left running.
      process.kill(-(second.child.pid as number), 'SIGINT');
      await second.outputClosed;
      expect(await waitUntilGone(processesMentioning(dataDir).map((p) => p.pid))).toEqual([]);
      expect(processesMentioning(`-port ${dynamoPort}`)).toEqual([]);
    } finally {
      for (const stack of [first, second]) {
        try {
          if (stack) process.kill(-(stack.child.pid as number), 'SIGKILL');
        } catch {
          // already gone
        }
      }
    }
  });
});

describe('DynamoDB Local paused (SIGSTOP) during writes', () => {
  let dynamo: RunningDynamoDbLocal | undefined;
  let pausedPids: number[] = [];
  /**
   * Every process serving this DynamoDB Local's port: Java itself, and whatever wraps or bridges it
   * (found by its command line, so this holds however it is started).
   */
  const servingProcesses = (port: string) => {
    try {
      return execFileSync('pgrep', ['-f', `DynamoDBLocal\\.jar.* -port ${port}( |$)`], { encoding: 'utf8' })
        .split('\n')
        .filter(Boolean)
        .map(Number);
    } catch {
      return [];
    }
  };
  const signal = (pids: number[], name: NodeJS.Signals) => {
    for (const pid of pids) {
      try {
        process.kill(pid, name);
      } catch {
        // gone
      }
    }
  };
  afterAll(async () => {
    signal(pausedPids, 'SIGCONT');
    await dynamo?.stop();
  });

  it('answers 503 with Retry-After before the function timeout, and a retry stores one item per key', {
    timeout: 120_000,
  }, async () => {
    dynamo = await startDynamoDbLocal({ port: await freePort() });
    const tableName = `pause-${crypto.randomUUID()}`;
    const setup = localClient(Number(new URL(dynamo.endpoint).port));
    await ensureTable(setup, tableName);
    setup.destroy();
    // The functions' own client settings (timeouts, retries, deadline), on this DynamoDB Local.
    process.env.AWS_REGION = LOCAL_REGION;
    Object.assign(process.env, {
      AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
    });
    const client = createDynamoClient(dynamo.endpoint);
    const db = DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
    const handler = makeHandler({
      feedback: createFeedbackRepository(db, tableName),
      // Cached, as in a warm function: the pause hits the write.
      projects: createProjectRepository(db, tableName, { cacheTtlMs: 600_000 }),
      now: testClock(),
      newReference: () => newReference(),
      subjectKeys: async (contact) => subjectKeysOf(contact, TEST_SUBJECT_LOOKUP_KEY),
    });
    const post = (i: number, key: string) =>
      invoke(handler, {
        method: 'POST',
        path: '/feedback',
        body: submission(i),
        headers: { 'idempotency-key': key },
      });
    expect((await post(0, crypto.randomUUID())).status).toBe(201);

    const keys = Array.from({ length: 10 }, () => crypto.randomUUID());
    pausedPids = servingProcesses(new URL(dynamo.endpoint).port);
    expect(pausedPids.length).toBeGreaterThan(0);
    signal(pausedPids, 'SIGSTOP');
    let paused: Awaited<ReturnType<typeof post>>[];
    const started = performance.now();
    try {
      paused = await Promise.all(keys.map((key, i) => post(i, key)));
    } finally {
      signal(pausedPids, 'SIGCONT');
    }
    const elapsed = performance.now() - started;

    for (const response of paused) {
      expect(response.status).toBe(503);
      expect(response.headers['retry-after']).toMatch(/^\d+$/);
      expect(response.headers['content-type']).toBe('application/problem+json');
    }
    expect(elapsed).toBeLessThan((FUNCTION_TIMEOUT_SECONDS - 1) * 1_000);

    // DynamoDB may now carry out the writes it had received while paused: the retries find them.
    // Retried as a client does: again after Retry-After while DynamoDB Local catches up.
    const retries = await Promise.all(
      keys.map(async (key, i) => {
        for (let attempt = 1; ; attempt++) {
          const response = await post(i, key);
          if (response.status !== 503 || attempt === 10) return response;
          await sleep(Number(response.headers['retry-after'] ?? 1) * 250);
        }
      }),
    );
    expect(retries.map((retry) => retry.status)).toEqual(Array(keys.length).fill(201));
    const { counts } = await itemsByKey(dynamo.endpoint, tableName);
    for (const key of keys) expect(counts.get(keyFingerprint(key)), key).toBe(1);
    client.destroy();
  });
});
