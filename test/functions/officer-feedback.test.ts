import { PutCommand } from '@aws-sdk/lib-dynamodb';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeHandler as acknowledgeHandler } from '../../functions/acknowledge-feedback/handler';
import { makeHandler as closeHandler } from '../../functions/close-feedback/handler';
import { makeHandler as getHandler } from '../../functions/get-feedback/handler';
import { makeHandler as listHandler } from '../../functions/list-feedback/handler';
import { makeHandler as respondHandler } from '../../functions/respond-to-feedback/handler';
import { makeHandler as submitHandler } from '../../functions/submit-feedback/handler';
import { StaleVersionError } from '../../shared/domain/errors';
import { createFeedbackRepository } from '../../shared/storage/feedback-repository';
import { DAY_MS, fromNow, HOUR_MS, TEST_NOW } from '../support/clock';
import { intakeDeps, officerDeps } from '../support/deps';
import { createTestTable, type TestTable } from '../support/dynamo';
import { invoke, officerClaims } from '../support/events';

let table: TestTable;
beforeAll(async () => {
  table = await createTestTable();
});
afterAll(async () => table.drop());

const sam = officerClaims('officer', 'Sam Officer');
const kim = officerClaims('officer', 'Kim Officer');

async function submit(body: Record<string, unknown>, receivedAt = TEST_NOW) {
  const response = await invoke(submitHandler(intakeDeps(table, { now: () => receivedAt })), {
    method: 'POST',
    path: '/feedback',
    body: { submitterRole: 'parent_or_carer', message: 'The respite centre closed early again', ...body },
  });
  expect(response.status).toBe(201);
  return response.body as { id: string; reference: string };
}

const at = (now: Date) => officerDeps(table, () => now);
const acknowledge = (id: string, ifMatch: string | undefined, claims = sam, now = TEST_NOW) =>
  invoke(acknowledgeHandler(at(now)), {
    method: 'POST',
    path: `/officer/feedback/${id}/acknowledge`,
    pathParameters: { id },
    headers: ifMatch === undefined ? {} : { 'if-match': ifMatch },
    claims,
  });
const respond = (id: string, ifMatch: string, body: unknown, claims = sam) =>
  invoke(respondHandler(at(TEST_NOW)), {
    method: 'POST',
    path: `/officer/feedback/${id}/respond`,
    pathParameters: { id },
    headers: { 'if-match': ifMatch },
    body,
    claims,
  });
const close = (id: string, ifMatch: string) =>
  invoke(closeHandler(at(TEST_NOW)), {
    method: 'POST',
    path: `/officer/feedback/${id}/close`,
    pathParameters: { id },
    headers: { 'if-match': ifMatch },
    claims: sam,
  });
const get = (id: string) =>
  invoke(getHandler(at(TEST_NOW)), {
    path: `/officer/feedback/${id}`,
    pathParameters: { id },
    claims: sam,
  });
const list = (query: Record<string, string>, now = TEST_NOW) =>
  invoke(listHandler(at(now)), { path: '/officer/feedback', query, claims: sam });

describe('a complaint, from received to closed', () => {
  it('moves through each step with If-Match, and every step is in its history', async () => {
    const { id, reference } = await submit({
      kind: 'complaint',
      contact: { email: 'parent@example.com' },
      consentToContact: true,
    });

    const read = await get(id);
    expect(read.status).toBe(200);
    expect(read.headers.etag).toBe('"1"');
    expect(read.body).toMatchObject({
      id,
      reference,
      status: 'received',
      contact: { email: 'parent@example.com' },
      history: [],
    });

    const acknowledged = await acknowledge(id, '"1"');
    expect(acknowledged.status).toBe(200);
    expect(acknowledged.headers.etag).toBe('"2"');
    expect(acknowledged.body).toMatchObject({
      status: 'acknowledged',
      acknowledgedBy: { name: 'Sam Officer' },
    });

    const answered = await respond(
      id,
      '"2"',
      { response: 'We have spoken to the transport team.', outcome: 'partly_upheld' },
      kim,
    );
    expect(answered.status).toBe(200);
    expect(answered.body).toMatchObject({
      status: 'responded',
      outcome: 'partly_upheld',
      respondedBy: { name: 'Kim Officer' },
    });

    const closed = await close(id, '"3"');
    expect(closed.status).toBe(200);
    expect(closed.headers.etag).toBe('"4"');

    const history = (await get(id)).body.history as {
      version: number;
      action: string;
      actor: { name: string };
      changes: Record<string, { from: unknown; to: unknown }>;
    }[];
    expect(history.map((entry) => [entry.version, entry.action, entry.actor.name])).toEqual([
      [2, 'acknowledge', 'Sam Officer'],
      [3, 'respond', 'Kim Officer'],
      [4, 'close', 'Sam Officer'],
    ]);
    expect(history[0]?.changes.status).toEqual({ from: 'received', to: 'acknowledged' });
    expect(history[1]?.changes.response).toEqual({ from: null, to: 'We have spoken to the transport team.' });
    expect(history[2]?.changes.status).toEqual({ from: 'responded', to: 'closed' });
  });

  it('acknowledges as it answers feedback nobody acknowledged', async () => {
    const { id } = await submit({ kind: 'feedback' });
    const answered = await respond(id, '"1"', {
      response: 'Thank you: we will add Saturday sessions.',
      outcome: 'acted_on',
    });
    expect(answered.status).toBe(200);
    expect(answered.body).toMatchObject({ status: 'responded', acknowledgedBy: { name: 'Sam Officer' } });
  });

  it('needs a complaint’s answer to say whether it was upheld', async () => {
    const { id } = await submit({ kind: 'complaint' });
    const answered = await respond(id, '"1"', { response: 'Noted.', outcome: 'noted' });
    expect(answered.status).toBe(400);
    expect(answered.body.errors).toEqual([{ path: 'outcome', message: expect.stringContaining('upheld') }]);
    expect((await get(id)).body.version).toBe(1);
  });

  it('refuses an impossible step with 409 and changes nothing', async () => {
    const { id } = await submit({ kind: 'feedback' });
    const early = await close(id, '"1"');
    expect(early.status).toBe(409);
    expect((await acknowledge(id, '"1"')).status).toBe(200);
    expect((await acknowledge(id, '"2"')).status).toBe(409);
    expect((await get(id)).body).toMatchObject({
      version: 2,
      status: 'acknowledged',
      history: [expect.anything()],
    });
  });

  it('needs If-Match (428), refuses a stale one (412) and a malformed one (400), changing nothing', async () => {
    const { id } = await submit({ kind: 'feedback' });
    expect((await acknowledge(id, undefined)).status).toBe(428);
    expect((await acknowledge(id, '"7"')).status).toBe(412);
    expect((await acknowledge(id, 'seven')).status).toBe(400);
    expect((await get(id)).body).toMatchObject({ version: 1, status: 'received', history: [] });
  });

  it('lets exactly one of two officers acknowledging at once win; the other gets 412', async () => {
    const { id } = await submit({ kind: 'complaint' });
    const results = await Promise.all([acknowledge(id, '"1"', sam), acknowledge(id, '"1"', kim)]);
    expect(results.map((r) => r.status).sort()).toEqual([200, 412]);
    const { body } = await get(id);
    expect(body.version).toBe(2);
    expect(body.history).toHaveLength(1);
  });

  it('answers 404 for an unknown id and 400, naming id, for one this service never gives out', async () => {
    expect((await get('ZZZZ2222')).status).toBe(404);
    const bad = await get('not-an-id');
    expect(bad.status).toBe(400);
    expect(bad.body.errors).toEqual([{ path: 'id', message: expect.any(String) }]);
  });

  it('compares If-Match strongly: a weak ETag never matches (412) and * is no precondition (428)', async () => {
    const { id } = await submit({ kind: 'feedback' });
    expect((await acknowledge(id, 'W/"1"')).status).toBe(412);
    expect((await acknowledge(id, '*')).status).toBe(428);
    expect((await get(id)).body.version).toBe(1);
  });

  it('finds feedback by the reference as a parent reads it out', async () => {
    const { id, reference } = await submit({ kind: 'compliment' });
    const read = await get(reference.toLowerCase());
    expect(read.body.id).toBe(id);
  });

  it('keeps history append-only: the repository will not write an entry twice, even with a matching version', async () => {
    const { id } = await submit({ kind: 'feedback' });
    expect((await acknowledge(id, '"1"')).status).toBe(200);
    const repository = createFeedbackRepository(table.db, table.name);
    const current = await repository.get(id);
    if (!current) throw new Error('missing');
    // A write that claims version 2 again: the item condition holds (it is at 2), the history one must not.
    const forged = {
      feedback: { ...current, version: 2 },
      entry: {
        version: 2,
        at: TEST_NOW.toISOString(),
        actor: { sub: 'x', name: 'Forger' },
        action: 'forged',
        changes: {},
      },
    };
    await expect(repository.update(forged, 2)).rejects.toBeInstanceOf(StaleVersionError);
    const history = (await get(id)).body.history as { action: string }[];
    expect(history.map((entry) => entry.action)).toEqual(['acknowledge']);
  });
});

describe('GET /officer/feedback', () => {
  let lists: TestTable;
  const ids: Record<string, string> = {};
  // Received 28, 14 and 0 days before the run's now (TEST_NOW), acknowledgement due in 5 working
  // days: whatever the date, bank holidays and weekends included, the first two are overdue now and
  // the last is not, and their deadlines come in that order.
  const ago = (days: number, hours = 2) => fromNow(-days * DAY_MS - hours * HOUR_MS);

  beforeAll(async () => {
    lists = table;
    await lists.db.send(
      new PutCommand({
        TableName: lists.name,
        Item: {
          PK: 'PROJECTS',
          SK: 'PROJECT#transport',
          id: 'transport',
          title: 'Home to school transport',
          serviceArea: 'Transport',
          timeframes: {
            feedback: { acknowledgeWorkingDays: 5, respondWorkingDays: 20 },
            compliment: { acknowledgeWorkingDays: 5, respondWorkingDays: 10 },
            complaint: { acknowledgeWorkingDays: 5, respondWorkingDays: 15 },
          },
          eventReportBackWorkingDays: 20,
          alertTeam: 'transport',
          active: true,
          version: 1,
        },
      }),
    );
    ids.oldComplaint = (await submit({ kind: 'complaint', projectId: 'transport' }, ago(28))).id;
    ids.newFeedback = (await submit({ kind: 'feedback', projectId: 'transport' }, ago(0))).id;
    ids.midCompliment = (await submit({ kind: 'compliment', projectId: 'transport' }, ago(14))).id;
  });

  const now = TEST_NOW;

  it('filters by project and kind, nearest deadline first, without contact details or messages', async () => {
    const response = await list({ projectId: 'transport' }, now);
    expect(response.status).toBe(200);
    const items = response.body.items as Record<string, unknown>[];
    expect(items.map((item) => item.id)).toEqual([ids.oldComplaint, ids.midCompliment, ids.newFeedback]);
    for (const item of items) {
      expect(item).not.toHaveProperty('message');
      expect(item).not.toHaveProperty('contact');
    }
    const complaints = await list({ projectId: 'transport', kind: 'complaint' }, now);
    expect((complaints.body.items as { id: string }[]).map((item) => item.id)).toEqual([ids.oldComplaint]);
  });

  it('shows only what is overdue with overdue=true, and marks each item', async () => {
    // Five working days never span more than 14 calendar days (the longest run of bank holidays
    // and weekends is at Christmas), so the complaint and the compliment are overdue; the feedback
    // received two hours ago is not.
    const response = await list({ projectId: 'transport', overdue: 'true' }, now);
    const items = response.body.items as { id: string; overdue: boolean }[];
    expect(items.map((item) => item.id)).toEqual([ids.oldComplaint, ids.midCompliment]);
    expect(items.every((item) => item.overdue)).toBe(true);
  });

  it('says on the item, as on its row, whether it is overdue by the service’s clock', async () => {
    const rows = (await list({ projectId: 'transport' }, now)).body.items as {
      id: string;
      overdue: boolean;
    }[];
    for (const id of [ids.oldComplaint, ids.newFeedback] as string[]) {
      const item = await get(id);
      expect(item.body.overdue).toBe(rows.find((row) => row.id === id)?.overdue);
    }
    expect((await get(ids.oldComplaint as string)).body.overdue).toBe(true);
    expect((await get(ids.newFeedback as string)).body.overdue).toBe(false);
    // Answered, nothing is owed, so nothing is overdue, however late the answer was.
    const late = await submit({ kind: 'feedback', projectId: 'transport' }, ago(28));
    expect((await get(late.id)).body.overdue).toBe(true);
    expect((await respond(late.id, '"1"', { response: 'Sorry.', outcome: 'noted' })).status).toBe(200);
    expect((await get(late.id)).body.overdue).toBe(false);
  });

  it('filters by status', async () => {
    const { id } = await submit({ kind: 'feedback', projectId: 'transport' }, ago(27));
    await acknowledge(id, '"1"');
    const acknowledged = await list({ projectId: 'transport', status: 'acknowledged' }, now);
    expect((acknowledged.body.items as { id: string }[]).map((item) => item.id)).toEqual([id]);
  });

  it('pages through every item exactly once, whatever the page size, with no empty last page (property)', async () => {
    const all = ((await list({ limit: '100' }, now)).body.items as { id: string }[]).map((item) => item.id);
    expect(all.length).toBeGreaterThan(5);
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 7 }),
        fc.constantFrom<Record<string, string>>(
          {},
          { projectId: 'transport' },
          { kind: 'feedback' },
          { overdue: 'true' },
        ),
        async (limit, filters) => {
          const expected = (
            (await list({ ...filters, limit: '100' }, now)).body.items as { id: string }[]
          ).map((item) => item.id);
          const seen: string[] = [];
          let cursor: string | undefined;
          let pages = 0;
          // The clock moves between pages, as it does between an officer's clicks.
          let clock = now.getTime();
          do {
            clock += 1000;
            const page = await list(
              { ...filters, limit: String(limit), ...(cursor ? { cursor } : {}) },
              new Date(clock),
            );
            expect(page.status).toBe(200);
            const items = page.body.items as { id: string }[];
            expect(items.length).toBeLessThanOrEqual(limit);
            seen.push(...items.map((item) => item.id));
            cursor = page.body.cursor as string | undefined;
            pages++;
          } while (cursor);
          expect(seen).toEqual(expected);
          expect(pages).toBe(Math.max(1, Math.ceil(expected.length / limit)));
        },
      ),
      { numRuns: 16 },
    );
  });

  it('refuses a tampered cursor, or one from other filters, with 400 (each reason: test/functions/list-cursors.test.ts)', async () => {
    const first = await list({ limit: '1' }, now);
    const cursor = first.body.cursor as string;
    expect(cursor).toBeDefined();
    for (const bad of [`${cursor}x`, 'not base64!', Buffer.from('{}').toString('base64url')]) {
      const response = await list({ limit: '1', cursor: bad }, now);
      expect(response.status, bad).toBe(400);
      expect((response.body.errors as { path: string }[])[0]?.path).toBe('cursor');
    }
    expect((await list({ limit: '1', kind: 'complaint', cursor }, now)).status).toBe(400);
  });

  it('refuses bad filters with every failing one named', async () => {
    const response = await list({ status: 'lost', kind: 'moan', overdue: 'yes', limit: '0', colour: 'red' });
    expect(response.status).toBe(400);
    expect((response.body.errors as { path: string }[]).map((e) => e.path).sort()).toEqual([
      'colour',
      'kind',
      'limit',
      'overdue',
      'status',
    ]);
  });
});
