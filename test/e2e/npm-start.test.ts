import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetItemCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, describe, expect, it } from 'vitest';
import { runningStack } from '../../infra/local/data-dir';
import { localClient } from '../../infra/local/dynamodb-local';
import { TEST_NOW } from '../support/clock';
import { type Spawned, spawnWithOutput, waitForOutput } from '../support/spawned';

/**
 * `npm start` as a newcomer runs it: a real process, its own DynamoDB Local (on Java) with data on
 * disk, stopped with SIGTERM and started again.
 */

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

async function portInUse(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once('error', () => resolve(true));
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(false)));
  });
}

const dataDir = mkdtempSync(join(tmpdir(), 'yswd-start-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

const domainEvents = () =>
  readFileSync(join(dataDir, 'events.jsonl'), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Record<string, unknown>);

function npmStart(env: Record<string, string>): Spawned {
  return spawnWithOutput('npm', ['start'], { env: { ...process.env, ...env } });
}

function processesFor(dir: string): string {
  try {
    return execFileSync('pgrep', ['-af', dir], { encoding: 'utf8' }).trim();
  } catch {
    return ''; // pgrep exits 1 when nothing matches
  }
}

/** The Java process of the DynamoDB Local on this port (its command line names the port). */
function javaFor(port: number): number | undefined {
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/comm`, 'utf8').trim() !== 'java') continue;
      const args = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0');
      if (args[args.indexOf('-port') + 1] === String(port)) return Number(entry);
    } catch {
      // The process ended while we looked.
    }
  }
  return undefined;
}

/**
 * npm itself dies of the signal; what matters is that nothing it started (Java above all) lingers.
 * Waits until no process holds npm start's output (the stack has finished stopping), then looks.
 */
async function nothingLeftFor(started: Spawned, dir: string, port: number) {
  await started.outputClosed;
  expect(processesFor(dir)).toBe('');
  expect(await portInUse(port)).toBe(false);
}

describe('npm start', () => {
  it('serves, stops DynamoDB Local on SIGTERM, and keeps the data across a restart', {
    timeout: 300_000,
  }, async () => {
    const port = await freePort();
    const dynamoPort = await freePort();
    const env = {
      PORT: String(port),
      DYNAMODB_LOCAL_PORT: String(dynamoPort),
      DATA_DIR: dataDir,
      TABLE_NAME: '',
      // The local runtime's clock starts at the run's test instant (TEST_NOW), as in-process tests do.
      CLOCK_NOW: TEST_NOW.toISOString(),
    };
    const key = crypto.randomUUID();
    const submit = () =>
      fetch(`http://127.0.0.1:${port}/feedback`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'idempotency-key': key },
        body: JSON.stringify({
          kind: 'compliment',
          message: 'The new Local Offer pages are clear',
          submitterRole: 'parent_or_carer',
        }),
      });

    const first = npmStart(env);
    await waitForOutput(first, 'API on http://localhost');
    const created = await submit();
    expect(created.status).toBe(201);
    const receipt = (await created.json()) as { id: string; receivedAt: string };
    // npm start ran on the test clock (CLOCK_NOW), not the machine's date.
    const lateBy = Date.parse(receipt.receivedAt) - TEST_NOW.getTime();
    expect(lateBy).toBeGreaterThanOrEqual(0);
    expect(lateBy).toBeLessThan(30 * 60_000);
    // The banner names the officer console, and any console address answers with its shell.
    expect(first.output()).toContain(`Officer console: http://localhost:${port}/console`);
    const shell = await fetch(`http://127.0.0.1:${port}/console/feedback/${receipt.id}`);
    expect(shell.status).toBe(200);
    expect(shell.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(await shell.text()).toContain('<div id="app">');
    // Its domain event, from DynamoDB Local's stream, printed and in DATA_DIR/events.jsonl.
    await waitForOutput(first, 'event → feedback.received');
    expect(domainEvents()).toEqual([
      expect.objectContaining({ type: 'feedback.received', feedbackId: receipt.id }),
    ]);

    first.child.kill('SIGTERM');
    await first.exited;
    await nothingLeftFor(first, dataDir, dynamoPort);

    const second = npmStart(env);
    try {
      await waitForOutput(second, 'API on http://localhost');
      expect(second.output()).toContain('(existing)');
      // The stream reader went on from its checkpoint: the event is not there twice.
      await waitForOutput(second, "the table's stream is read to its end");
      expect(domainEvents()).toHaveLength(1);
      const client = localClient(dynamoPort);
      const { Item } = await client.send(
        new GetItemCommand({
          TableName: 'you-said-we-did',
          Key: { PK: { S: `FEEDBACK#${receipt.id}` }, SK: { S: 'META' } },
        }),
      );
      client.destroy();
      expect(Item?.message?.S).toBe('The new Local Offer pages are clear');
      // The idempotency record survived too: the same retry gets the same receipt.
      expect(await (await submit()).json()).toEqual(receipt);
    } finally {
      second.child.kill('SIGINT');
      await second.exited;
    }
    await nothingLeftFor(second, dataDir, dynamoPort);
  });

  it('stops DynamoDB Local even when stopped during start-up', { timeout: 120_000 }, async () => {
    const dynamoPort = await freePort();
    const early = npmStart({
      PORT: String(await freePort()),
      DYNAMODB_LOCAL_PORT: String(dynamoPort),
      DATA_DIR: dataDir,
    });
    // Java is spawned within a second or so; DynamoDB Local takes 2-4 s to answer.
    const deadline = performance.now() + 20_000;
    while (!processesFor(`port ${dynamoPort}`) && performance.now() < deadline)
      await new Promise((r) => setTimeout(r, 50));
    expect(processesFor(`port ${dynamoPort}`)).not.toBe('');
    early.child.kill('SIGTERM');
    await early.exited;
    await nothingLeftFor(early, `port ${dynamoPort}`, dynamoPort);
  });

  it('answers readiness, says when DynamoDB Local dies, and exits non-zero', {
    timeout: 90_000,
  }, async () => {
    const port = await freePort();
    const dynamoPort = await freePort();
    const dir = mkdtempSync(join(tmpdir(), 'yswd-dies-'));
    const started = npmStart({ PORT: String(port), DYNAMODB_LOCAL_PORT: String(dynamoPort), DATA_DIR: dir });
    try {
      await waitForOutput(started, 'API on http://localhost');
      const ready = await fetch(`http://127.0.0.1:${port}/health?ready=true`);
      expect(ready.status).toBe(200);
      expect(await ready.json()).toEqual({ status: 'ready' });

      const java = javaFor(dynamoPort);
      expect(java).toBeDefined();
      process.kill(java as number, 'SIGKILL');
      const code = await started.exited;
      expect(code).not.toBe(0);
      expect(started.output()).toContain('DynamoDB Local stopped unexpectedly');
      await nothingLeftFor(started, dir, dynamoPort);
    } finally {
      started.child.kill('SIGTERM');
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('npm run token warns when no running stack uses its DATA_DIR, and not when one does; a second npm start there is refused', {
    timeout: 90_000,
  }, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'yswd-token-'));
    const token = () =>
      spawnSync('npm', ['run', '-s', 'token', '--', '--role', 'officer'], {
        env: { ...process.env, DATA_DIR: dir },
        encoding: 'utf8',
      });
    const alone = token();
    expect(alone.status).toBe(0);
    expect(alone.stdout.trim()).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
    expect(alone.stderr).toContain(`no running npm start uses ${dir}`);

    const port = await freePort();
    const started = npmStart({
      PORT: String(port),
      DYNAMODB_LOCAL_PORT: String(await freePort()),
      DATA_DIR: dir,
    });
    try {
      await waitForOutput(started, 'API on http://localhost');
      const served = token();
      expect(served.stderr).not.toContain('no running npm start');
      const list = await fetch(`http://127.0.0.1:${port}/officer/feedback`, {
        headers: { authorization: `Bearer ${served.stdout.trim()}` },
      });
      expect(list.status).toBe(200);

      // A second stack on the same folder: refused before it touches anything, naming the first.
      const second = npmStart({
        PORT: String(await freePort()),
        DYNAMODB_LOCAL_PORT: String(await freePort()),
        DATA_DIR: dir,
      });
      expect(await second.exited).not.toBe(0);
      await second.outputClosed;
      expect(second.output()).toContain(
        `npm start: Another npm start (process ${runningStack(dir)?.pid}, API on port ${port}) already uses ${dir}.`,
      );
    } finally {
      started.child.kill('SIGTERM');
      // npm dies of the signal at once; the stack's claim on DATA_DIR goes as it finishes stopping.
      await started.outputClosed;
    }
    expect(token().stderr).toContain('no running npm start');
    rmSync(dir, { recursive: true, force: true });
  });

  it('says plainly that Java is missing, and exits non-zero', { timeout: 120_000 }, async () => {
    // What `npm start` runs, with a PATH on which there is no java.
    const started = spawnWithOutput(process.execPath, ['--import', 'tsx', 'infra/local/start.ts'], {
      env: { ...process.env, PATH: '/nonexistent', PORT: String(await freePort()), DATA_DIR: dataDir },
    });
    const code = await started.exited;
    await started.outputClosed;
    const output = started.output();
    expect(code).not.toBe(0);
    expect(output).toContain('Java was not found');
    expect(output).toContain('Java 17');
  });
});
