import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DevKeys, loadOrCreateDevKeys, signDevToken } from '../../infra/local/dev-auth';
import { startStreamReader } from '../../infra/local/stream-reader';
import { startSystemClockAt } from '../../shared/domain/clock';
import { londonDateOf } from '../../shared/domain/london-time';
import { rebuildScorecard } from '../../shared/scorecard/rebuild';
import { createScorecardRepository } from '../../shared/storage/scorecard-repository';
import { DAY_MS, HOUR_MS, TEST_NOW } from '../support/clock';
import { createTestTable, type TestTable } from '../support/dynamo';
import { startLocalServer } from '../support/local-server';

/**
 * The scorecard as `npm start` keeps it: the local server (the Lambda handler modules) over HTTP,
 * the local stream reader running the projector on DynamoDB Local's stream, the clock moved on
 * (CLOCK_NOW's mechanism) to miss a deadline. Waits on the reader having read the stream to its
 * end, never on a timer.
 */
let table: TestTable;
let server: Awaited<ReturnType<typeof startLocalServer>>;
let keys: DevKeys;
let officer: string;
const keyDir = mkdtempSync(join(tmpdir(), 'yswd-keys-'));
const dataDir = mkdtempSync(join(tmpdir(), 'yswd-scorecard-'));
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
  startSystemClockAt(TEST_NOW);
  await server.close();
  await table.drop();
  rmSync(keyDir, { recursive: true, force: true });
  rmSync(dataDir, { recursive: true, force: true });
});

/** The clock at `instant` (as CLOCK_NOW would set it), with a token signed then: an old one has expired. */
async function at(instant: Date) {
  startSystemClockAt(instant);
  officer = await signDevToken(keys, { role: 'officer', name: 'Sam Officer' });
}

async function call(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
  const response = await fetch(`${server.base}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${officer}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...headers,
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  expect(response.status, `${method} ${path}: ${await response.clone().text()}`).toBeLessThan(300);
  return (await response.json()) as Record<string, string>;
}

describe('the scorecard with the local stack', () => {
  it('counts a submission acknowledged and answered on time, and a complaint answered late, as their deadlines say', async () => {
    const running = await startStreamReader({
      dynamoDbPort,
      tableName: table.name,
      dataDir,
      pollMs: 50,
      print: () => undefined,
      warn: () => undefined,
    });
    try {
      const family = { submitterRole: 'parent_or_carer', projectId: 'general' };
      const prompt = await call('POST', '/feedback', {
        ...family,
        kind: 'feedback',
        message: 'The new short breaks booking page is much easier.',
        satisfaction: 4,
      });
      const late = await call('POST', '/feedback', {
        ...family,
        kind: 'complaint',
        message: 'Nobody has called us back about the transport.',
        satisfaction: 1,
      });
      // The feedback: acknowledged and answered within the hour.
      await at(new Date(TEST_NOW.getTime() + HOUR_MS));
      await call('POST', `/officer/feedback/${prompt.id}/acknowledge`, undefined, { 'if-match': '"1"' });
      await call(
        'POST',
        `/officer/feedback/${prompt.id}/respond`,
        { response: 'Thank you: we will tell the team.', outcome: 'noted' },
        { 'if-match': '"2"' },
      );
      // The complaint: acknowledged a day after its acknowledgement was due, answered a day after its answer.
      await at(new Date(Date.parse(String(late.acknowledgeBy)) + 1.5 * DAY_MS));
      await call('POST', `/officer/feedback/${late.id}/acknowledge`, undefined, { 'if-match': '"1"' });
      const answeredAt = new Date(Date.parse(String(late.respondBy)) + 1.5 * DAY_MS);
      await at(answeredAt);
      await call(
        'POST',
        `/officer/feedback/${late.id}/respond`,
        { response: 'We are sorry: the contract has changed.', outcome: 'upheld' },
        { 'if-match': '"2"' },
      );
      const update = await call('POST', '/officer/updates', {
        projectId: 'general',
        title: 'Transport call-backs',
        youSaid: 'Families waited too long to hear about transport.',
        weDid: 'We now call back within two working days.',
        status: 'done',
        feedbackIds: [late.reference],
      });
      await call('POST', `/officer/updates/${update.id}/publish`, undefined, { 'if-match': '"1"' });
      await running.caughtUp();

      const from = londonDateOf(TEST_NOW).slice(0, 7);
      const to = londonDateOf(answeredAt).slice(0, 7);
      const response = await fetch(`${server.base}/scorecard?projectId=general&from=${from}&to=${to}`);
      expect(response.status).toBe(200);
      expect(response.headers.get('access-control-allow-origin')).toBe('*');
      const card = (await response.json()) as {
        total: {
          received: Record<string, unknown>;
          timeliness: Record<
            string,
            { acknowledged: Record<string, unknown>; answered: Record<string, unknown> }
          >;
          satisfaction: { byScore: Record<string, unknown> };
          updatesPublished: unknown;
        };
      };
      const few = 'fewer than 5';
      const { total } = card;
      expect(total.received).toEqual({ feedback: few, compliment: 0, complaint: few });
      expect(total.timeliness.feedback?.acknowledged).toMatchObject({ onTime: few, late: 0 });
      expect(total.timeliness.feedback?.answered).toMatchObject({ onTime: few, late: 0 });
      expect(total.timeliness.complaint?.acknowledged).toMatchObject({ onTime: 0, late: few });
      expect(total.timeliness.complaint?.answered).toMatchObject({ onTime: 0, late: few });
      expect(total.satisfaction.byScore).toEqual({ '1': few, '2': 0, '3': 0, '4': few, '5': 0 });
      expect(total.updatesPublished).toBe(few);
      // Nothing of what families or officers wrote.
      const text = JSON.stringify(card);
      for (const words of [
        'short breaks booking',
        'called us back',
        'contract',
        String(late.reference),
        String(prompt.id),
      ])
        expect(text).not.toContain(words);

      // The live counters equal a rebuild from the table.
      const rebuilt = await rebuildScorecard(createScorecardRepository(table.db, table.name));
      expect(rebuilt.differences).toEqual([]);
      expect(rebuilt.itemsRead).toBe(3);
    } finally {
      await running.stop();
    }
  });
});
