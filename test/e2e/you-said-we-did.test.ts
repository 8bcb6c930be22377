import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadOrCreateDevKeys, signDevToken } from '../../infra/local/dev-auth';
import { createTestTable, type TestTable } from '../support/dynamo';
import { startLocalServer } from '../support/local-server';
import { contractFetch } from '../support/openapi-contract';

/**
 * The "Done when" walk, over HTTP, as a new user would do it: a family complains (twice), an officer
 * records an event, writes an update answering them, is refused for a parent's email in youSaid,
 * publishes it clean, and the public feeds show it (counts, no one's details) until it is unpublished.
 */
let table: TestTable;
let server: Awaited<ReturnType<typeof startLocalServer>>;
let token: string;
const keyDir = mkdtempSync(join(tmpdir(), 'yswd-feed-keys-'));

beforeAll(async () => {
  table = await createTestTable();
  process.env.TABLE_NAME = table.name;
  process.env.PROJECT_CACHE_SECONDS = '0';
  const keys = await loadOrCreateDevKeys(keyDir);
  token = await signDevToken(keys, { role: 'officer', name: 'Sam Officer' });
  server = await startLocalServer({ devKeys: keys, allowedOrigins: ['https://officers.council.example'] });
});

afterAll(async () => {
  await server.close();
  await table.drop();
  rmSync(keyDir, { recursive: true, force: true });
});

// Every answer must match openapi.json (status, content type, body): see support/openapi-contract.ts.
const call = (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) =>
  contractFetch(`${server.base}${path}`, {
    method,
    headers: {
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...headers,
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
const asOfficer = (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) =>
  call(method, path, body, { authorization: `Bearer ${token}`, ...headers });

const parent = { name: 'Olwen Trevithick', email: 'olwen.trevithick@example.com', phone: '07700 900 123' };

describe('You said, we did, end to end', () => {
  it('walks from two complaints and an event to a published update, and back out of the feeds', async () => {
    const complaints = [];
    for (const message of [
      'My daughter Morwenna waited 40 minutes for the school taxi again.',
      'The taxi company never tells us when the driver changes.',
    ]) {
      const response = await call(
        'POST',
        '/feedback',
        {
          kind: 'complaint',
          message,
          submitterRole: 'parent_or_carer',
          contact: parent,
          consentToContact: true,
        },
        { 'idempotency-key': crypto.randomUUID() },
      );
      expect(response.status).toBe(201);
      complaints.push((await response.json()) as { id: string; reference: string });
    }
    // Long past for any run: an event that was held, whatever "now" is.
    const event = await asOfficer('POST', '/officer/events', {
      title: 'Transport forum',
      projectId: 'general',
      type: 'forum',
      heldOn: '2020-03-02',
      status: 'held',
      participants: { childrenAndYoungPeople: 2, parentsAndCarers: 9, professionals: 4 },
    });
    expect(event.status).toBe(201);
    const eventId = ((await event.json()) as { id: string }).id;

    const created = await asOfficer('POST', '/officer/updates', {
      projectId: 'general',
      title: 'School taxis: drivers and times told in advance',
      youSaid: `Taxis were late and nobody said why (olwen.trevithick@example.com asked us twice).`,
      weDid: 'The taxi contract now makes firms tell families about changes a week ahead.',
      status: 'done',
      feedbackIds: complaints.map((c) => c.reference),
      eventIds: [eventId],
    });
    expect(created.status).toBe(201);
    const update = (await created.json()) as { id: string };
    expect(created.headers.get('etag')).toBe('"1"');

    const refused = await asOfficer('POST', `/officer/updates/${update.id}/publish`, undefined, {
      'if-match': '"1"',
    });
    expect(refused.status).toBe(422);
    expect(refused.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    const problem = (await refused.json()) as { type: string; errors: { path: string; message: string }[] };
    expect(problem.type).toBe('/problems/personal-data');
    expect(problem.errors.map((e) => e.path)).toEqual(['youSaid']);
    expect(problem.errors[0]?.message).toMatch(/email address/);

    const fixed = await asOfficer(
      'PATCH',
      `/officer/updates/${update.id}`,
      { youSaid: 'Taxis were late and nobody said why.' },
      { 'if-match': '"1"' },
    );
    expect(fixed.status).toBe(200);
    const published = await asOfficer('POST', `/officer/updates/${update.id}/publish`, undefined, {
      'if-match': '"2"',
    });
    expect(published.status).toBe(200);

    const feed = await call('GET', '/feed', undefined, { origin: 'https://any-local-offer.example' });
    expect(feed.status).toBe(200);
    expect(feed.headers.get('content-type')).toMatch(/^application\/feed\+json/);
    expect(feed.headers.get('access-control-allow-origin')).toBe('*');
    expect(feed.headers.get('cache-control')).toBe('public, max-age=300, stale-while-revalidate=86400');
    const text = await feed.text();
    const body = JSON.parse(text) as { items: { id: string; _you_said_we_did: { counts: unknown } }[] };
    const item = body.items.find((i) => i.id === update.id);
    expect(item?._you_said_we_did.counts).toEqual({
      childrenAndYoungPeople: 'fewer than 5',
      parentsAndCarers: 11,
      professionals: 'fewer than 5',
      other: 0,
      events: 'fewer than 5',
    });
    for (const secret of [
      parent.name,
      'Olwen',
      'Trevithick',
      parent.email,
      '07700',
      'Morwenna',
      'taxi company never',
      'Sam Officer',
    ]) {
      expect(text).not.toContain(secret);
    }
    for (const complaint of complaints) {
      expect(text).not.toContain(complaint.id);
      expect(text).not.toContain(complaint.reference);
    }

    const etag = feed.headers.get('etag') ?? '';
    expect(etag).toMatch(/^"[^"]+"$/);
    const again = await call('GET', '/feed', undefined, { 'if-none-match': etag });
    expect(again.status).toBe(304);

    const xml = await call('GET', '/feed.xml');
    expect(xml.status).toBe(200);
    expect(xml.headers.get('content-type')).toMatch(/^application\/rss\+xml/);
    const rss = await xml.text();
    expect(rss).toContain(`<guid isPermaLink="false">${update.id}</guid>`);
    expect(rss).toContain('School taxis: drivers and times told in advance');
    expect(rss).not.toContain('Olwen');
    const xmlEtag = xml.headers.get('etag') ?? '';
    expect((await call('GET', '/feed.xml', undefined, { 'if-none-match': xmlEtag })).status).toBe(304);

    // The officer's views of it: the list, the update with its history, and the year's report.
    const listed = (await (await asOfficer('GET', '/officer/updates?published=true')).json()) as {
      items: { id: string }[];
    };
    expect(listed.items.map((i) => i.id)).toContain(update.id);
    const read = await asOfficer('GET', `/officer/updates/${update.id}`);
    expect(((await read.json()) as { history: { action: string }[] }).history.map((h) => h.action)).toEqual([
      'create',
      'update',
      'publish',
    ]);
    const year = ((await published.json()) as { publishedAt: string }).publishedAt.slice(0, 4);
    const report = await asOfficer('GET', `/officer/reports/annual?year=${year}`);
    expect(report.status).toBe(200);
    const reported = (await report.json()) as { updates: { id: string }[] };
    expect(reported.updates.map((u) => u.id)).toContain(update.id);
    const csv = await asOfficer('GET', `/officer/reports/annual?year=${year}&format=csv`);
    expect(csv.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(await csv.text()).toContain(update.id);

    // Officer routes keep the configured origins: no wildcard for them.
    const officerList = await asOfficer('GET', '/officer/updates', undefined, {
      origin: 'https://any-local-offer.example',
    });
    expect(officerList.status).toBe(200);
    expect(officerList.headers.get('access-control-allow-origin')).toBeNull();
    const configured = await asOfficer('GET', '/officer/updates', undefined, {
      origin: 'https://officers.council.example',
    });
    expect(configured.headers.get('access-control-allow-origin')).toBe('https://officers.council.example');

    const unpublished = await asOfficer('POST', `/officer/updates/${update.id}/unpublish`, undefined, {
      'if-match': '"3"',
    });
    expect(unpublished.status).toBe(200);
    const after = (await (await call('GET', '/feed')).json()) as { items: { id: string }[] };
    expect(after.items.map((i) => i.id)).not.toContain(update.id);
    expect(await (await call('GET', '/feed.xml')).text()).not.toContain(update.id);
    // The old copy is not served as current: the ETag changed with the content.
    expect((await call('GET', '/feed', undefined, { 'if-none-match': etag })).status).toBe(200);
  });

  it('answers garbage feed queries with 400 problem details, never a 5xx', async () => {
    for (const query of [
      '?cursor=%%%',
      '?cursor=eyJ2IjoxfQ',
      '?limit=1000',
      '?since=2026-02-31',
      '?status=DONE',
    ]) {
      const response = await call('GET', `/feed${query}`);
      expect(response.status, query).toBe(400);
      expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    }
  });
});

describe('CORS', () => {
  it('answers a preflight for the feed from any origin, and for officer routes only from configured ones', async () => {
    const preflight = (path: string, origin: string) =>
      call('OPTIONS', path, undefined, {
        origin,
        'access-control-request-method': 'GET',
        'access-control-request-headers': 'if-none-match',
      });
    const feed = await preflight('/feed', 'https://any-local-offer.example');
    expect(feed.status).toBe(204);
    expect(feed.headers.get('access-control-allow-origin')).toBe('*');
    expect(feed.headers.get('access-control-allow-headers')).toContain('if-none-match');
    const officerForeign = await preflight('/officer/updates', 'https://any-local-offer.example');
    expect(officerForeign.headers.get('access-control-allow-origin')).toBeNull();
    const officerConfigured = await preflight('/officer/updates', 'https://officers.council.example');
    expect(officerConfigured.headers.get('access-control-allow-origin')).toBe(
      'https://officers.council.example',
    );
  });
});
