import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { runningStack } from '../../infra/local/data-dir';
import { addDays } from '../../shared/domain/london-time';
import { spawnWithOutput, waitForOutput } from '../support/spawned';

/**
 * The "Done when", as a newcomer runs it: `npm start`, submit a complaint, then
 * `npm run sweep -- --now …` against the running stack (and, once it is stopped, on its own).
 */
const run = promisify(execFile);

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

const dataDir = mkdtempSync(join(tmpdir(), 'yswd-sweep-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

const FAMILY_WORDS = 'Our daughter Saoirse has been out of school since half term';
const FAMILY_EMAIL = 'saoirse.parent@example.com';

describe('npm run sweep', () => {
  it('puts one alert in the outbox the day after acknowledgeBy, nothing on a rerun, a reminder two weeks later', {
    timeout: 180_000,
  }, async () => {
    const port = await freePort();
    const dynamoPort = await freePort();
    const env = {
      ...process.env,
      PORT: String(port),
      DYNAMODB_LOCAL_PORT: String(dynamoPort),
      DATA_DIR: dataDir,
      TABLE_NAME: '',
    };
    const start = spawnWithOutput('npm', ['start'], { env });
    const sweep = async (now: string) =>
      (await run('npm', ['run', '-s', 'sweep', '--', '--now', now], { env })).stdout;
    const outbox = () =>
      existsSync(join(dataDir, 'outbox.jsonl'))
        ? readFileSync(join(dataDir, 'outbox.jsonl'), 'utf8').split('\n').filter(Boolean)
        : [];
    try {
      await waitForOutput(start, 'Ctrl-C to stop.', 60_000);
      const response = await fetch(`http://127.0.0.1:${port}/feedback`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          kind: 'complaint',
          message: FAMILY_WORDS,
          submitterRole: 'parent_or_carer',
          contact: { email: FAMILY_EMAIL },
          consentToContact: true,
        }),
      });
      const receipt = (await response.json()) as { reference: string; acknowledgeBy: string };
      const dayAfter = `${addDays(receipt.acknowledgeBy, 1)}T12:00:00Z`;

      const first = await sweep(dayAfter);
      expect(first).toContain('Using the DynamoDB Local of npm start');
      expect(first).toContain(receipt.reference);
      expect(first).toContain('sent 1 alert(s)');
      expect(outbox()).toHaveLength(1);
      expect(outbox()[0]).toContain(receipt.reference);
      expect(outbox()[0]).not.toContain('Saoirse');
      expect(outbox()[0]).not.toContain(FAMILY_EMAIL);

      expect(await sweep(dayAfter)).toContain('sent 0 alert(s)');
      expect(outbox()).toHaveLength(1);
      // npm start's projector saw the alert recorded as sent: one alert.sent domain event.
      await waitForOutput(start, 'event → alert.sent');
      const events = readFileSync(join(dataDir, 'events.jsonl'), 'utf8');
      const alerts = events
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line) as { type: string; reference?: string })
        .filter((event) => event.type === 'alert.sent');
      expect(alerts).toEqual([
        expect.objectContaining({ reference: receipt.reference, stage: 'acknowledge' }),
      ]);
      expect(events).not.toContain('Saoirse');
      expect(events).not.toContain(FAMILY_EMAIL);
    } finally {
      start.child.kill('SIGTERM');
      // npm dies of the signal at once; the stack forgets its DATA_DIR as it finishes stopping.
      await start.outputClosed;
    }
    // Stopped: the sweep starts its own DynamoDB Local on the same data.
    expect(runningStack(dataDir)).toBeUndefined();
    const receiptLine = JSON.parse(outbox()[0] as string) as { Message: string };
    const { dueBy } = JSON.parse((JSON.parse(receiptLine.Message) as { default: string }).default) as {
      dueBy: string;
    };
    const later = await sweep(`${addDays(dueBy, 15)}T12:00:00Z`);
    expect(later).toContain('started DynamoDB Local');
    expect(later).toContain('Reminder: complaint');
    expect(outbox()).toHaveLength(2);
  });
});
