import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeHandler } from '../../functions/submit-feedback/handler';
import { DEFAULT_TIMEFRAMES } from '../../shared/config/default-projects';
import { TemporarilyUnavailableError } from '../../shared/domain/errors';
import type { Feedback } from '../../shared/domain/feedback';
import { keyFingerprint, referenceCandidate } from '../../shared/domain/intake-key';
import type { Project } from '../../shared/domain/project';
import { deadlineAfter } from '../../shared/domain/working-days';
import { MAX_BODY_BYTES } from '../../shared/http/middleware';
import { projectKey } from '../../shared/storage/keys';
import { TEST_NOW } from '../support/clock';
import { intakeDeps } from '../support/deps';
import { createTestTable, type TestTable } from '../support/dynamo';
import { invoke } from '../support/events';

const complaint = {
  kind: 'complaint',
  message: 'My son has waited 14 weeks for his EHC plan. Diolch 🌈',
  submitterRole: 'parent_or_carer',
  contact: { name: 'Sam Parent', email: 'sam@example.com', phone: '07700 900982' },
  consentToContact: true,
};

const post = (body: unknown, headers: Record<string, string> = {}) => ({
  method: 'POST',
  path: '/feedback',
  body,
  headers,
});

let table: TestTable;
beforeAll(async () => {
  table = await createTestTable();
});
afterAll(async () => table.drop());

async function feedbackItems() {
  return (await table.allItems()).filter((item) => item.entity === 'FEEDBACK') as unknown as (Feedback &
    Record<string, string>)[];
}

async function saveProject(project: Project) {
  await table.db.send(
    new PutCommand({
      TableName: table.name,
      Item: { ...projectKey(project.id), entity: 'PROJECT', ...project },
    }),
  );
}

describe('POST /feedback', () => {
  it('stores a complaint and says by when the family will hear back', async () => {
    // At the run's now (TEST_NOW): 5 and 15 working days on, counted from the London day of
    // receipt (the counting itself is proven on known dates in test/unit/working-days.test.ts).
    const handler = makeHandler(intakeDeps(table, { now: () => TEST_NOW }));
    const acknowledge = deadlineAfter(TEST_NOW, 5);
    const respond = deadlineAfter(TEST_NOW, 15);

    const response = await invoke(handler, post(complaint));

    expect(response.status).toBe(201);
    expect(response.headers['content-type']).toBe('application/json');
    expect(response.body).toEqual({
      id: expect.stringMatching(/^[2-9A-HJKMNP-TV-Z]{8}$/),
      reference: expect.stringMatching(/^[2-9A-HJKMNP-TV-Z]{4}-[2-9A-HJKMNP-TV-Z]{4}$/),
      kind: 'complaint',
      projectId: 'general',
      status: 'received',
      receivedAt: TEST_NOW.toISOString(),
      acknowledgeBy: acknowledge.date,
      respondBy: respond.date,
    });
    const stored = (await feedbackItems()).find((item) => item.id === response.body.id);
    expect(stored).toMatchObject({
      message: complaint.message,
      contact: complaint.contact,
      consentToContact: true,
      channel: 'web',
      version: 1,
      acknowledgeDueAt: acknowledge.dueAt,
      respondDueAt: respond.dueAt,
      GSI1SK: `${acknowledge.dueAt}#FEEDBACK#${response.body.id}`,
    });
    expect(response.body.id).toBe(String(response.body.reference).replace('-', ''));
  });

  it('returns no contact details or message in the response', async () => {
    const response = await invoke(makeHandler(intakeDeps(table)), post(complaint));
    const text = JSON.stringify(response.body);
    for (const secret of ['Sam Parent', 'sam@example.com', '07700', 'EHC plan'])
      expect(text).not.toContain(secret);
  });

  it('uses the timeframes of the project the feedback is for', async () => {
    await saveProject({
      id: 'short-breaks',
      title: 'Short breaks review',
      serviceArea: 'Short breaks',
      timeframes: { ...DEFAULT_TIMEFRAMES, feedback: { acknowledgeWorkingDays: 2, respondWorkingDays: 3 } },
      eventReportBackWorkingDays: 20,
      alertTeam: 'short-breaks',
      active: true,
    });
    const handler = makeHandler(intakeDeps(table, { now: () => TEST_NOW }));

    const response = await invoke(
      handler,
      post({
        kind: 'feedback',
        message: 'More Saturday sessions please',
        submitterRole: 'child_or_young_person',
        projectId: 'short-breaks',
      }),
    );

    expect(response.status).toBe(201);
    expect(response.body).toMatchObject({
      projectId: 'short-breaks',
      acknowledgeBy: deadlineAfter(TEST_NOW, 2).date,
      respondBy: deadlineAfter(TEST_NOW, 3).date,
    });
  });

  it('refuses an unknown or closed project with 422, naming projectId', async () => {
    await saveProject({
      id: 'closed-consultation',
      title: 'Closed consultation',
      serviceArea: 'SEND',
      timeframes: DEFAULT_TIMEFRAMES,
      eventReportBackWorkingDays: 20,
      alertTeam: 'send-service',
      active: false,
    });
    const handler = makeHandler(intakeDeps(table));
    for (const projectId of ['no-such-project', 'closed-consultation']) {
      const response = await invoke(handler, post({ ...complaint, projectId }));
      expect(response.status).toBe(422);
      expect(response.headers['content-type']).toBe('application/problem+json');
      expect(response.body.errors).toEqual([
        { path: 'projectId', message: expect.stringContaining(projectId) },
      ]);
    }
  });

  it('names every failing field in one 400 problem and stores nothing', async () => {
    const before = (await table.allItems()).length;
    const response = await invoke(
      makeHandler(intakeDeps(table)),
      post({
        kind: 'moan',
        message: '   ',
        submitterRole: 'parent_or_carer',
        contact: { email: 'nope' },
        surprise: 1,
      }),
    );

    expect(response.status).toBe(400);
    expect(response.headers['content-type']).toBe('application/problem+json');
    expect(response.body).toMatchObject({
      type: '/problems/validation-error',
      title: expect.any(String),
      status: 400,
      detail: expect.any(String),
      correlationId: response.correlationId,
    });
    expect((response.body.errors as { path: string }[]).map((error) => error.path).sort()).toEqual(
      ['kind', 'message', 'contact.email', 'consentToContact', 'surprise'].sort(),
    );
    expect((await table.allItems()).length).toBe(before);
  });

  it.each([
    [
      'malformed JSON',
      '{"kind": "complaint",',
      { 'content-type': 'application/json' },
      400,
      '/problems/malformed-json',
    ],
    [
      'a form post',
      'kind=complaint',
      { 'content-type': 'application/x-www-form-urlencoded' },
      415,
      '/problems/unsupported-media-type',
    ],
    ['no content type', '{}', {}, 415, '/problems/unsupported-media-type'],
    [
      'an empty JSON body',
      undefined,
      { 'content-type': 'application/json' },
      400,
      '/problems/malformed-json',
    ],
  ])('answers %s with a problem, not a 5xx', async (_name, body, headers, status, type) => {
    const response = await invoke(makeHandler(intakeDeps(table)), {
      method: 'POST',
      path: '/feedback',
      body,
      headers,
    });
    expect(response.status).toBe(status);
    expect(response.headers['content-type']).toBe('application/problem+json');
    expect(response.body.type).toBe(type);
  });

  it('refuses text with an unpaired surrogate (which storage cannot hold) with 400, not 500', async () => {
    const response = await invoke(makeHandler(intakeDeps(table)), {
      method: 'POST',
      path: '/feedback',
      body: '{"kind":"feedback","submitterRole":"other","message":"broken \\ud800 text","contact":{"name":"\\udc00"}}',
      headers: { 'content-type': 'application/json' },
    });
    expect(response.status).toBe(400);
    expect((response.body.errors as { path: string }[]).map((e) => e.path).sort()).toEqual([
      'contact.name',
      'message',
    ]);
  });

  it('refuses a body over 32 KiB with 413 and stores nothing', async () => {
    const before = (await table.allItems()).length;
    const body = JSON.stringify({ ...complaint, message: 'x'.repeat(MAX_BODY_BYTES) });
    const response = await invoke(makeHandler(intakeDeps(table)), {
      method: 'POST',
      path: '/feedback',
      body,
      headers: { 'content-type': 'application/json' },
    });
    expect(response.status).toBe(413);
    expect(response.body.type).toBe('/problems/payload-too-large');
    expect((await table.allItems()).length).toBe(before);
  });

  it('answers a filled honeypot like a person but keeps nothing', async () => {
    const before = (await table.allItems()).length;
    const response = await invoke(
      makeHandler(intakeDeps(table)),
      post({ ...complaint, website: 'http://spam.example' }),
    );
    expect(response.status).toBe(201);
    expect(Object.keys(response.body).sort()).toEqual(
      ['id', 'reference', 'kind', 'projectId', 'status', 'receivedAt', 'acknowledgeBy', 'respondBy'].sort(),
    );
    expect((await table.allItems()).length).toBe(before);
  });

  it('answers a honeypot naming an unknown project like a person too: bots learn nothing', async () => {
    const response = await invoke(
      makeHandler(intakeDeps(table)),
      post({ ...complaint, projectId: 'probing-for-projects', website: 'x' }),
    );
    expect(response.status).toBe(201);
  });

  it('takes a content type in any case, as RFC 9110 says media types are', async () => {
    const response = await invoke(makeHandler(intakeDeps(table)), {
      method: 'POST',
      path: '/feedback',
      body: JSON.stringify(complaint),
      headers: { 'content-type': 'Application/JSON; charset=UTF-8' },
    });
    expect(response.status).toBe(201);
  });

  it('draws a new reference when the first one is already taken, and never overwrites', async () => {
    const draws = ['KKKK-2222', 'KKKK-2222', 'MMMM-3333'];
    const handler = makeHandler(intakeDeps(table, { newReference: () => draws.shift() ?? 'ZZZZ-9999' }));

    const first = await invoke(handler, post(complaint));
    const second = await invoke(handler, post({ ...complaint, message: 'A second, different complaint' }));

    expect(first.body).toMatchObject({ id: 'KKKK2222', reference: 'KKKK-2222' });
    expect(second.body).toMatchObject({ id: 'MMMM3333', reference: 'MMMM-3333' });
    const stored = await feedbackItems();
    expect(stored.find((item) => item.id === 'KKKK2222')?.message).toBe(complaint.message);
    expect(stored.find((item) => item.id === 'MMMM3333')?.message).toBe('A second, different complaint');
  });

  it('gives up with a 500 rather than loop forever if every reference drawn is taken', async () => {
    const handler = makeHandler(intakeDeps(table, { newReference: () => 'KKKK-2222' }));
    const response = await invoke(handler, post(complaint));
    expect(response.status).toBe(500);
    expect((await feedbackItems()).find((item) => item.id === 'KKKK2222')?.message).toBe(complaint.message);
  });
});

describe('POST /feedback with an Idempotency-Key', () => {
  const items = async (id: unknown) => (await feedbackItems()).filter((item) => item.id === id);

  it('answers a retry with the first response, marked as a replay, and stores one item', async () => {
    const handler = makeHandler(intakeDeps(table));
    const key = crypto.randomUUID();
    const before = (await feedbackItems()).length;

    const first = await invoke(handler, post(complaint, { 'idempotency-key': key }));
    const retry = await invoke(handler, post(complaint, { 'idempotency-key': key }));

    expect(first.status).toBe(201);
    expect(first.headers['idempotent-replayed']).toBeUndefined();
    expect(retry.status).toBe(201);
    expect(retry.headers['idempotent-replayed']).toBe('true');
    expect(retry.body).toEqual(first.body);
    expect((await feedbackItems()).length).toBe(before + 1);
  });

  it('derives the reference from the key, so the stored item itself is the idempotency record', async () => {
    const key = crypto.randomUUID();
    const response = await invoke(
      makeHandler(intakeDeps(table)),
      post(complaint, { 'idempotency-key': key }),
    );

    expect(response.body.reference).toBe(referenceCandidate(key, 0));
    const [stored] = await items(response.body.id);
    expect(stored?.intake).toEqual({ keyHash: keyFingerprint(key), requestHash: expect.any(String) });
    // Neither the key nor anything else but fingerprints is kept for it, and no separate record.
    expect(JSON.stringify(await table.allItems())).not.toContain(key);
    expect((await table.allItems()).filter((item) => String(item.PK).startsWith('IDEMPOTENCY'))).toEqual([]);
  });

  it('treats the same request with its fields in another order or spacing as the same request', async () => {
    const handler = makeHandler(intakeDeps(table));
    const key = crypto.randomUUID();
    const first = await invoke(handler, post(complaint, { 'idempotency-key': key }));
    const reordered = Object.fromEntries(Object.entries(complaint).reverse());
    const retry = await invoke(handler, {
      ...post(JSON.stringify(reordered, null, 2), { 'idempotency-key': key }),
      headers: { 'idempotency-key': key, 'content-type': 'application/json' },
    });
    expect(retry.status).toBe(201);
    expect(retry.body).toEqual(first.body);
  });

  it('refuses the same key with a different body with 422 naming Idempotency-Key, and stores nothing more', async () => {
    const handler = makeHandler(intakeDeps(table));
    const key = crypto.randomUUID();
    await invoke(handler, post(complaint, { 'idempotency-key': key }));
    const before = (await feedbackItems()).length;

    const reused = await invoke(
      handler,
      post({ ...complaint, message: 'Something else' }, { 'idempotency-key': key }),
    );

    expect(reused.status).toBe(422);
    expect(reused.headers['content-type']).toBe('application/problem+json');
    expect(reused.body.type).toBe('/problems/idempotency-key-reused');
    expect(reused.body.errors).toEqual([{ path: 'headers.idempotency-key', message: expect.any(String) }]);
    expect((await feedbackItems()).length).toBe(before);
  });

  it('stores one item when the same key arrives many times at once: no in-flight state, no 409', async () => {
    const handler = makeHandler(intakeDeps(table));
    const key = crypto.randomUUID();

    const responses = await Promise.all(
      Array.from({ length: 8 }, () => invoke(handler, post(complaint, { 'idempotency-key': key }))),
    );

    expect(responses.map((response) => response.status)).toEqual(Array(8).fill(201));
    expect(new Set(responses.map((response) => JSON.stringify(response.body))).size).toBe(1);
    expect(responses.filter((response) => !response.headers['idempotent-replayed'])).toHaveLength(1);
    expect(await items(responses[0]?.body.id)).toHaveLength(1);
  });

  it('stores one item when the first attempt was stored but its answer lost (a timeout after the write)', async () => {
    const base = intakeDeps(table);
    const key = crypto.randomUUID();
    const lostAnswer = makeHandler({
      ...base,
      feedback: {
        create: async (item) => {
          await base.feedback.create(item);
          throw new TemporarilyUnavailableError(new Error('socket timed out after the write'));
        },
      },
    });

    const first = await invoke(lostAnswer, post(complaint, { 'idempotency-key': key }));
    const retry = await invoke(makeHandler(base), post(complaint, { 'idempotency-key': key }));

    expect(first.status).toBe(503);
    expect(retry.status).toBe(201);
    expect(retry.body.reference).toBe(referenceCandidate(key, 0));
    expect(await items(retry.body.id)).toHaveLength(1);
  });

  it("takes the key's next reference when another key's item holds its first, the same one on every retry", async () => {
    const key = crypto.randomUUID();
    // Another submission (no key, a random reference) happens to hold this key's first candidate.
    const squatter = await invoke(
      makeHandler(intakeDeps(table, { newReference: () => referenceCandidate(key, 0) })),
      post({ ...complaint, message: 'Someone else entirely' }),
    );
    expect(squatter.body.reference).toBe(referenceCandidate(key, 0));
    const handler = makeHandler(intakeDeps(table));

    const first = await invoke(handler, post(complaint, { 'idempotency-key': key }));
    const retry = await invoke(handler, post(complaint, { 'idempotency-key': key }));

    expect(first.status).toBe(201);
    expect(first.body.reference).toBe(referenceCandidate(key, 1));
    expect(retry.body).toEqual(first.body);
    expect(retry.headers['idempotent-replayed']).toBe('true');
    expect((await items(squatter.body.id))[0]?.message).toBe('Someone else entirely');
    expect(await items(first.body.id)).toHaveLength(1);
  });

  it('lets a retry through after the first attempt failed on bad input', async () => {
    const handler = makeHandler(intakeDeps(table));
    const key = crypto.randomUUID();
    const refused = await invoke(
      handler,
      post({ ...complaint, projectId: 'not-yet-created' }, { 'idempotency-key': key }),
    );
    expect(refused.status).toBe(422);

    const retried = await invoke(handler, post(complaint, { 'idempotency-key': key }));
    expect(retried.status).toBe(201);
  });

  it.each([
    ['spaces', 'has spaces in it'],
    ['an empty key', ''],
    ['a non-ASCII character', 'clé-3f0c1d9e-7a51-4a55'],
    ['256 characters', 'k'.repeat(256)],
  ])('refuses a key with %s with 400 naming the header', async (_name, key) => {
    const before = (await feedbackItems()).length;
    const response = await invoke(
      makeHandler(intakeDeps(table)),
      post(complaint, { 'idempotency-key': key }),
    );
    expect(response.status).toBe(400);
    expect(response.body.errors).toEqual([{ path: 'headers.idempotency-key', message: expect.any(String) }]);
    expect((await feedbackItems()).length).toBe(before);
  });
});
