import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DevKeys, loadOrCreateDevKeys, signDevToken } from '../../infra/local/dev-auth';
import {
  eventsOutboxPath,
  type RunningStreamReader,
  startStreamReader,
  streamCheckpointPath,
} from '../../infra/local/stream-reader';
import type { DomainEvent } from '../../shared/events/schemas';
import { schemaViolations } from '../support/domain-events';
import { createTestTable, type TestTable } from '../support/dynamo';
import { startLocalServer } from '../support/local-server';

/**
 * What `npm start` does with domain events, in one process: the local server (the same handler
 * modules as Lambda) over HTTP, and the local stream reader running the projector on DynamoDB
 * Local's stream into DATA_DIR/events.jsonl. Waits on the reader having read the stream to its
 * end, never on a timer.
 */
const FAMILY_WORDS = 'Our daughter Saoirse has been out of school since half term';
const FAMILY_EMAIL = 'saoirse.parent@example.com';
const OFFICER_ANSWER = 'Dear Mr Byrne, a place has been found';

let table: TestTable;
let server: Awaited<ReturnType<typeof startLocalServer>>;
let keys: DevKeys;
let officer: string;
const keyDir = mkdtempSync(join(tmpdir(), 'yswd-keys-'));
const dataDir = mkdtempSync(join(tmpdir(), 'yswd-events-'));
const dynamoDbPort = Number(new URL(String(process.env.DYNAMODB_ENDPOINT)).port);

beforeAll(async () => {
  table = await createTestTable();
  process.env.TABLE_NAME = table.name;
  process.env.PROJECT_CACHE_SECONDS = '0';
  keys = await loadOrCreateDevKeys(keyDir);
  officer = await signDevToken(keys, { role: 'officer', name: 'Sam Officer' });
  server = await startLocalServer({ devKeys: keys });
});

afterAll(async () => {
  await server.close();
  await table.drop();
  rmSync(keyDir, { recursive: true, force: true });
  rmSync(dataDir, { recursive: true, force: true });
});

const call = async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => {
  const response = await fetch(`${server.base}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${officer}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...headers,
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  expect(response.status, `${method} ${path}`).toBeLessThan(300);
  return (await response.json()) as Record<string, unknown>;
};

function reader(printed: string[], warnings: string[] = []): Promise<RunningStreamReader> {
  return startStreamReader({
    dynamoDbPort,
    tableName: table.name,
    dataDir,
    pollMs: 50,
    print: (line) => printed.push(line),
    warn: (line) => warnings.push(line),
  });
}

const outbox = (): DomainEvent[] =>
  existsSync(eventsOutboxPath(dataDir))
    ? readFileSync(eventsOutboxPath(dataDir), 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line) as DomainEvent)
    : [];

describe('domain events with the local stack', () => {
  it('puts each domain event once into events.jsonl, with no family text, and not again after a restart or a lost checkpoint', async () => {
    const printed: string[] = [];
    const warnings: string[] = [];
    const running = await reader(printed, warnings);
    try {
      const receipt = await call('POST', '/feedback', {
        kind: 'complaint',
        message: FAMILY_WORDS,
        submitterRole: 'parent_or_carer',
        contact: { name: 'Niall Byrne', email: FAMILY_EMAIL },
        consentToContact: true,
      });
      const id = String(receipt.id);
      await call('POST', `/officer/feedback/${id}/acknowledge`, undefined, { 'if-match': '"1"' });
      await call(
        'POST',
        `/officer/feedback/${id}/respond`,
        { response: OFFICER_ANSWER, outcome: 'upheld' },
        { 'if-match': '"2"' },
      );
      const update = await call('POST', '/officer/updates', {
        projectId: 'general',
        title: 'School places',
        youSaid: 'Children waited too long for a school place.',
        weDid: 'We added a place panel every week.',
        status: 'done',
        feedbackIds: [receipt.reference],
      });
      await call('POST', `/officer/updates/${update.id}/publish`, undefined, { 'if-match': '"1"' });

      await running.caughtUp();

      const events = outbox();
      expect(events.map((event) => event.type)).toEqual([
        'feedback.received',
        'feedback.acknowledged',
        'feedback.responded',
        'update.published',
      ]);
      for (const event of events) expect(schemaViolations(event), event.type).toEqual([]);
      expect(events.at(-1)).toMatchObject({ updateId: update.id, feedbackIds: [id] });
      const file = readFileSync(eventsOutboxPath(dataDir), 'utf8');
      for (const secret of [FAMILY_WORDS, 'Saoirse', FAMILY_EMAIL, 'Byrne', OFFICER_ANSWER, 'Sam Officer'])
        expect(file).not.toContain(secret);
      // One summary line per event, as the alerts' outbox prints one per alert.
      expect(printed).toHaveLength(4);
      expect(printed[0]).toContain(`feedback.received: complaint ${receipt.reference}`);
      expect(warnings).toEqual([]);
    } finally {
      await running.stop();
    }

    // Restarted: continues from its checkpoint.
    const afterRestart: string[] = [];
    const again = await reader(afterRestart);
    await again.caughtUp();
    await again.stop();
    // The checkpoint lost: the stream is read again from its start, and still nothing repeats.
    rmSync(streamCheckpointPath(dataDir));
    const fromScratch = await reader(afterRestart);
    await fromScratch.caughtUp();
    await fromScratch.stop();
    expect(afterRestart).toEqual([]);
    expect(outbox()).toHaveLength(4);
  });

  it('logs and keeps trying when the stream cannot be read, and stops cleanly', async () => {
    let failed: () => void = () => undefined;
    const said = new Promise<void>((resolve) => {
      failed = resolve;
    });
    const warnings: string[] = [];
    const running = await startStreamReader({
      dynamoDbPort,
      tableName: 'no-such-table',
      dataDir,
      pollMs: 50,
      print: () => undefined,
      warn: (line) => {
        warnings.push(line);
        if (warnings.length === 2) failed();
      },
    });
    await said;
    await running.stop();
    expect(warnings[0]).toMatch(
      /reading the table's stream failed \(ResourceNotFoundException: .*\); trying again in \d+ s/,
    );
  });
});
