import { PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeHandler as eraseHandler } from '../../functions/erase-subject-data/handler';
import { makeHandler as escalateHandler } from '../../functions/escalate-complaint/handler';
import { makeHandler as findHandler } from '../../functions/find-subject-data/handler';
import { makeHandler as auditHandler } from '../../functions/list-retention-audit/handler';
import { makeHandler as jobHandler } from '../../functions/run-retention/handler';
import type { Feedback } from '../../shared/domain/feedback';
import { receiveFeedback } from '../../shared/domain/receive-feedback';
import {
  addPeriod,
  DEFAULT_RETENTION_PERIODS,
  periodsByKind,
} from '../../shared/retention/retention-periods';
import { eraseSubjectData } from '../../shared/retention/subject-access';
import { subjectKeyOf, subjectKeysOf } from '../../shared/retention/subject-keys';
import { createAuditLog } from '../../shared/storage/audit-log';
import { auditPartition } from '../../shared/storage/keys';
import { noticesOfFeedback } from '../../shared/storage/notice-repository';
import { createSubjectLookup } from '../../shared/storage/subject-lookup';
import { DAY_MS, fromNow, TEST_NOW } from '../support/clock';
import { intakeDeps, officerDeps } from '../support/deps';
import { createTestTable, type TestTable } from '../support/dynamo';
import { invoke, officerClaims } from '../support/events';
import {
  anonymisationStore,
  closedFeedback,
  detailsIn,
  type FamilyDetails,
  familyDetails,
  lookupEntries,
  partitionOf,
} from '../support/retention';
import { TEST_SUBJECT_LOOKUP_KEY } from '../support/signing';

let table: TestTable;
beforeAll(async () => {
  table = await createTestTable();
});
afterAll(async () => table.drop());

const admin = officerClaims('admin');
const officer = officerClaims('officer');
const now = () => TEST_NOW;
const find = () =>
  findHandler({
    store: anonymisationStore(table),
    lookup: createSubjectLookup(table.db, table.name),
    audit: createAuditLog(table.db, table.name),
    subjectKey: async (channel, value) => subjectKeyOf(channel, value, TEST_SUBJECT_LOOKUP_KEY),
    periods: DEFAULT_RETENTION_PERIODS,
    now,
    messages: (id) => noticesOfFeedback(table.db, table.name, id),
  });
const erase = () => eraseHandler({ store: anonymisationStore(table), now });
const search = (body: unknown, claims = admin) =>
  invoke(find(), { method: 'POST', path: '/officer/subject-access', body, claims });
const eraseRequest = (body: unknown, claims = admin) =>
  invoke(erase(), { method: 'POST', path: '/officer/subject-access/erase', body, claims });

type Export = {
  items: {
    matchedBy: string[];
    feedback: Feedback;
    history: unknown[];
    retention: Record<string, unknown>;
  }[];
  truncated: boolean;
  retentionPeriods: Record<string, string>;
};

async function openFeedback(family: FamilyDetails, contact: { email?: string; phone?: string }) {
  const { receipt } = await receiveFeedback(intakeDeps(table, { now: () => fromNow(-DAY_MS) }), {
    kind: 'feedback',
    message: family.message,
    submitterRole: 'parent_or_carer',
    projectId: 'general',
    channel: 'web',
    contact: { name: family.name, ...contact },
    consentToContact: true,
  });
  return receipt;
}

describe('a subject access search (admins)', () => {
  const family = familyDetails('sar');
  const neighbour = familyDetails('other');
  let closed: Feedback;
  let openReference: string;
  let phoneOnlyReference: string;
  beforeAll(async () => {
    closed = await closedFeedback(table, 'complaint', fromNow(-10 * DAY_MS), family);
    openReference = (await openFeedback(family, { email: family.email.toUpperCase() })).reference;
    phoneOnlyReference = (await openFeedback(family, { phone: `+44 ${family.phone.slice(1)}` })).reference;
    await closedFeedback(table, 'feedback', fromNow(-10 * DAY_MS), neighbour);
  });

  it('finds the family’s feedback by their email however typed, and only theirs, with its history and how long it is kept', async () => {
    const response = await search({ email: `  ${family.email.toUpperCase()} ` });
    expect(response.status).toBe(200);
    expect(response.headers['cache-control']).toBe('no-store');
    const found = response.body as unknown as Export;
    expect(found.items.map((item) => item.feedback.reference).sort()).toEqual(
      [closed.reference, openReference].sort(),
    );
    expect(detailsIn(found, neighbour)).toEqual([]);
    const complaint = found.items.find((item) => item.feedback.id === closed.id);
    expect(complaint?.matchedBy).toEqual(['email']);
    expect(complaint?.feedback).toMatchObject({ message: family.message, contact: { email: family.email } });
    expect(complaint?.feedback).not.toHaveProperty('subjectKeys');
    expect(complaint?.history).toHaveLength(5);
    // No message was sent in these tests (no projector runs): the list is there, empty.
    expect(complaint).toHaveProperty('messages', []);
    expect(complaint?.retention).toEqual({
      period: 'P6Y',
      anonymiseAfter: addPeriod(
        new Date(closed.closedAt as string),
        DEFAULT_RETENTION_PERIODS.complaint,
      ).toISOString(),
    });
    expect(found.items.find((item) => item.feedback.reference === openReference)?.retention).toEqual({
      period: 'P2Y',
    });
    expect(found.retentionPeriods).toEqual(periodsByKind(DEFAULT_RETENTION_PERIODS));
  });

  it('finds by phone number in any of its forms, and by reference, saying which led to each', async () => {
    const byPhone = (await search({ phone: family.phone.replace(/\s/g, '') })).body as unknown as Export;
    expect(byPhone.items.map((item) => item.feedback.reference).sort()).toEqual(
      [closed.reference, phoneOnlyReference].sort(),
    );
    const both = (
      await search({ email: family.email, phone: family.phone, references: [openReference.toLowerCase()] })
    ).body as unknown as Export;
    expect(both.items.map((item) => [item.feedback.reference, item.matchedBy])).toEqual(
      expect.arrayContaining([
        [closed.reference, ['email', 'phone']],
        [openReference, ['email', 'reference']],
        [phoneOnlyReference, ['phone']],
      ]),
    );
    expect(both.items).toHaveLength(3);
    const none = (await search({ email: 'nobody@example.org' })).body as unknown as Export;
    expect(none).toMatchObject({ items: [], truncated: false });
  });

  it('never hands over an item whose stored details are not the ones searched for', async () => {
    // A lookup entry naming someone else's item (left by a past fault, or a colliding hash).
    const other = (await search({ email: neighbour.email })).body as unknown as Export;
    const stray = other.items[0]?.feedback.id as string;
    const key = subjectKeyOf('email', family.email, TEST_SUBJECT_LOOKUP_KEY);
    await table.db.send(
      new PutCommand({
        TableName: table.name,
        Item: { PK: `SUBJECT#${key}`, SK: `FEEDBACK#${stray}`, entity: 'SUBJECT', feedbackId: stray },
      }),
    );
    const found = (await search({ email: family.email })).body as unknown as Export;
    expect(found.items.map((item) => item.feedback.id)).not.toContain(stray);
    expect(detailsIn(found, neighbour)).toEqual([]);
  });

  it('is audit-recorded: who, when, which items and what was searched by, never the details', async () => {
    await search({ phone: family.phone });
    const { Items = [] } = await table.db.send(
      new QueryCommand({
        TableName: table.name,
        KeyConditionExpression: 'PK = :pk',
        ExpressionAttributeValues: { ':pk': auditPartition(TEST_NOW.toISOString().slice(0, 7)) },
      }),
    );
    const exports = Items.filter((item) => item.action === 'subject_access_export');
    expect(exports.length).toBeGreaterThanOrEqual(1);
    const byPhone = exports.filter((record) => JSON.stringify(record.searchedBy) === '["phone"]');
    expect(byPhone.length).toBeGreaterThanOrEqual(1);
    expect(byPhone.at(0)).toMatchObject({
      by: { sub: admin.sub, name: 'Alex Admin' },
      searchedBy: ['phone'],
      feedbackIds: expect.arrayContaining([closed.id]),
    });
    expect(detailsIn(Items, family)).toEqual([]);
  });

  it('is for admins only: an officer gets 403, and nothing is searched', async () => {
    const response = await search({ email: family.email }, officer);
    expect(response.status).toBe(403);
    expect(response.body.type).toBe('/problems/forbidden');
    expect(JSON.stringify(response.body)).not.toContain(family.email);
  });

  it('names every field it cannot use', async () => {
    const response = await search({ email: 'not an address', phone: '12', references: ['nope'], name: 'x' });
    expect(response.status).toBe(400);
    expect((response.body.errors as { path: string }[]).map((error) => error.path).sort()).toEqual([
      'email',
      'name',
      'phone',
      'references.0',
    ]);
    const empty = await search({});
    expect(empty.status).toBe(400);
    expect(empty.body.errors).toEqual([
      {
        path: '',
        message: 'Give the email address, phone number or references the family gave (any of them)',
      },
    ]);
  });
});

describe('an erasure request (admins)', () => {
  it('anonymises the closed items named, now, recording who, when and why, and a repeat changes nothing', async () => {
    const family = familyDetails('erase');
    const first = await closedFeedback(table, 'complaint', fromNow(-20 * DAY_MS), family);
    const second = await closedFeedback(table, 'compliment', fromNow(-15 * DAY_MS), family);
    const body = {
      references: [first.reference, second.id.toLowerCase()],
      reason: 'Asked by letter received 2 March',
    };

    const response = await eraseRequest(body);
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({
      erasedAt: TEST_NOW.toISOString(),
      erasedBy: { sub: admin.sub },
      items: [
        {
          reference: first.reference,
          outcome: 'anonymised',
          anonymised: { reason: 'erasure', note: body.reason },
        },
        { reference: second.reference, outcome: 'anonymised' },
      ],
    });
    for (const item of [first, second]) {
      const records = await partitionOf(table, item.id);
      expect(detailsIn(records, family)).toEqual([]);
      expect(records.find((r) => r.SK === 'META')).toMatchObject({
        anonymised: { by: { sub: admin.sub }, reason: 'erasure' },
      });
    }
    for (const key of subjectKeysOf({ email: family.email, phone: family.phone }, TEST_SUBJECT_LOOKUP_KEY)) {
      expect(await lookupEntries(table, key)).toEqual([]);
    }
    // The search no longer finds them by email; by reference it shows what is left.
    expect(((await search({ email: family.email })).body as unknown as Export).items).toEqual([]);
    const left = (await search({ references: [first.reference] })).body as unknown as Export;
    expect(left.items[0]?.retention.anonymised).toMatchObject({ reason: 'erasure' });

    const before = await table.allItems();
    const again = await eraseRequest(body);
    expect(again.status).toBe(200);
    expect((again.body.items as { outcome: string }[]).map((item) => item.outcome)).toEqual([
      'already_anonymised',
      'already_anonymised',
    ]);
    expect((await table.allItems()).filter((item) => !String(item.PK).startsWith('AUDIT#'))).toEqual(
      before.filter((item) => !String(item.PK).startsWith('AUDIT#')),
    );
    const audits = (await table.allItems()).filter(
      (item) =>
        item.entity === 'AUDIT' &&
        item.action === 'anonymise' &&
        (item.feedbackIds as string[]).includes(first.id),
    );
    expect(audits).toHaveLength(1);
  });

  it('refuses, writing nothing, when an item named does not exist or is still open', async () => {
    const family = familyDetails('refuse');
    const closed = await closedFeedback(table, 'compliment', fromNow(-5 * DAY_MS), family);
    const open = await openFeedback(family, { email: family.email });
    const before = await table.allItems();
    const unknown = await eraseRequest({
      references: [closed.reference, 'ZZZZ-ZZZZ'],
      reason: 'Asked by email',
    });
    expect(unknown.status).toBe(422);
    expect(unknown.body.errors).toEqual([
      { path: 'references.1', message: "There is no feedback 'ZZZZ-ZZZZ'" },
    ]);
    const stillOpen = await eraseRequest({
      references: [closed.reference, open.reference],
      reason: 'Asked by email',
    });
    expect(stillOpen.status).toBe(409);
    expect(stillOpen.body).toMatchObject({
      type: '/problems/feedback-still-open',
      errors: [{ path: 'references.1', message: `${open.reference} is received: close it first` }],
    });
    expect(await table.allItems()).toEqual(before);
  });

  it('names the fields it cannot use, and refuses officers', async () => {
    const bad = await eraseRequest({ references: [], reason: ' ' });
    expect(bad.status).toBe(400);
    expect((bad.body.errors as { path: string }[]).map((error) => error.path).sort()).toEqual([
      'reason',
      'references',
    ]);
    expect((await eraseRequest({ references: ['K7QM-92PD'], reason: 'x' }, officer)).status).toBe(403);
  });

  it('stops with a 503 before the function runs out of time, and a repeat finishes the rest', async () => {
    const family = familyDetails('late');
    const items = [
      await closedFeedback(table, 'compliment', fromNow(-4 * DAY_MS), family),
      await closedFeedback(table, 'compliment', fromNow(-4 * DAY_MS), family),
    ];
    const request = { references: items.map((item) => item.reference), reason: 'Asked by email' };
    let steps = 0;
    // Time for the two reads and one item, then no more.
    const outOfTime = () => ++steps > 3;
    await expect(
      eraseSubjectData(
        { store: anonymisationStore(table), now },
        request,
        { sub: 'a', name: 'A' },
        outOfTime,
      ),
    ).rejects.toMatchObject({ kind: 'unavailable' });
    const done = await Promise.all(
      items.map(async (item) => (await partitionOf(table, item.id)).find((r) => r.SK === 'META')),
    );
    expect(done.map((meta) => meta?.anonymised !== undefined)).toEqual([true, false]);

    const again = await eraseRequest(request);
    expect((again.body.items as { outcome: string }[]).map((item) => item.outcome)).toEqual([
      'already_anonymised',
      'anonymised',
    ]);
  });

  it('leaves an anonymised complaint closed: escalating it is refused with 409 feedback-anonymised', async () => {
    const family = familyDetails('frozen');
    const complaint = await closedFeedback(table, 'complaint', fromNow(-3 * DAY_MS), family, { stages: 1 });
    await eraseRequest({ references: [complaint.reference], reason: 'Asked in person' });
    const deps = officerDeps(table, now);
    const response = await invoke(escalateHandler(deps), {
      method: 'POST',
      path: `/officer/feedback/${complaint.id}/escalate`,
      pathParameters: { id: complaint.id },
      headers: { 'if-match': `"${complaint.version + 1}"` },
      body: { requestedAt: fromNow(-60_000).toISOString(), via: 'phone' },
      claims: officer,
    });
    expect(response.status).toBe(409);
    expect(response.body.type).toBe('/problems/feedback-anonymised');
  });
});

describe('the retention audit (admins)', () => {
  it('lists a month’s anonymisations and exports in order, page by page, with the periods in force', async () => {
    const month = TEST_NOW.toISOString().slice(0, 7);
    const list = (query: Record<string, string>, claims = admin) =>
      invoke(
        auditHandler({
          audit: createAuditLog(table.db, table.name),
          retentionPeriods: periodsByKind(DEFAULT_RETENTION_PERIODS),
        }),
        {
          method: 'GET',
          path: '/officer/retention/audit',
          query,
          claims,
        },
      );
    const all = await list({ month, limit: '500' });
    expect(all.status).toBe(200);
    const records = all.body.records as { at: string; action: string; position: string }[];
    expect(records.length).toBeGreaterThanOrEqual(3);
    expect(records.map((record) => record.at)).toEqual([...records.map((record) => record.at)].sort());
    expect(all.body.retentionPeriods).toEqual({ feedback: 'P2Y', compliment: 'P1Y', complaint: 'P6Y' });

    const first = await list({ month, limit: '1' });
    expect(first.body.records).toHaveLength(1);
    const second = await list({ month, limit: '1', after: String(first.body.next) });
    expect((second.body.records as { position: string }[])[0]?.position).toBe(records[1]?.position);

    expect((await list({ month: '2027-13' })).body.errors).toEqual([
      { path: 'month', message: 'Give a month like 2027-03' },
    ]);
    expect((await list({ month }, officer)).status).toBe(403);
  });
});

describe('the retention job’s function (EventBridge Scheduler invokes it)', () => {
  it('answers what it did, and fails the invocation when an item could not be done, so the scheduler retries', async () => {
    const closedAt = fromNow(-30 * DAY_MS);
    const item = await closedFeedback(table, 'compliment', closedAt, familyDetails('job'));
    const at = addPeriod(closedAt, DEFAULT_RETENTION_PERIODS.compliment);
    const real = anonymisationStore(table);
    const failing = jobHandler({
      store: { ...real, anonymise: async () => Promise.reject(new Error('throttled')) },
      now: () => at,
      periods: DEFAULT_RETENTION_PERIODS,
    });
    await expect(failing()).rejects.toThrow(/could not be anonymised; the next run retries them/);
    const summary = await jobHandler({ store: real, now: () => at, periods: DEFAULT_RETENTION_PERIODS })();
    expect(summary).toMatchObject({ anonymised: 1, failed: 0, more: false });
    expect((await partitionOf(table, item.id)).find((r) => r.SK === 'META')?.anonymised).toBeDefined();
  });
});
