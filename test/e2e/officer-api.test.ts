import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DevKeys, loadOrCreateDevKeys, signDevToken } from '../../infra/local/dev-auth';
import { LOCAL_AUDIENCE, LOCAL_ISSUER, OFFICER_SCOPE } from '../../shared/auth/auth-config';
import { addWorkingDays } from '../../shared/domain/working-days';
import { ROUTES } from '../../shared/http/routes';
import { londonDateFromNow } from '../support/clock';
import { createTestTable, type TestTable } from '../support/dynamo';
import { startLocalServer } from '../support/local-server';
import { contractFetch } from '../support/openapi-contract';

let table: TestTable;
let server: Awaited<ReturnType<typeof startLocalServer>>;
let base: string;
let keys: DevKeys;
const keyDir = mkdtempSync(join(tmpdir(), 'yswd-keys-'));
const otherKeyDir = mkdtempSync(join(tmpdir(), 'yswd-other-keys-'));
const tokens: Record<string, string> = {};

beforeAll(async () => {
  table = await createTestTable();
  process.env.TABLE_NAME = table.name;
  process.env.PROJECT_CACHE_SECONDS = '0';
  keys = await loadOrCreateDevKeys(keyDir);
  const otherKeys = await loadOrCreateDevKeys(otherKeyDir);
  tokens.officer = await signDevToken(keys, { role: 'officer', name: 'Sam Officer' });
  tokens.secondOfficer = await signDevToken(keys, { role: 'officer', name: 'Kim Officer' });
  tokens.admin = await signDevToken(keys, { role: 'admin', name: 'Alex Admin' });
  tokens.noGroup = await signDevToken(keys, { role: 'none' });
  tokens.noScope = await signDevToken(keys, { role: 'admin', scope: 'openid email' });
  tokens.expired = await signDevToken(keys, { role: 'admin', expiresInSeconds: -60 });
  tokens.forged = await signDevToken(otherKeys, { role: 'admin' });
  // Signed with the right key, but without an expiry: API Gateway refuses these.
  tokens.noExpiry = await new SignJWT({
    client_id: LOCAL_AUDIENCE,
    scope: OFFICER_SCOPE,
    'cognito:groups': ['admin'],
  })
    .setProtectedHeader({ alg: 'ES256' })
    .setSubject('no-expiry')
    .setIssuer(LOCAL_ISSUER)
    .sign(keys.privateKey);
  server = await startLocalServer({ devKeys: keys });
  base = server.base;
});

afterAll(async () => {
  await server.close();
  await table.drop();
  rmSync(keyDir, { recursive: true, force: true });
  rmSync(otherKeyDir, { recursive: true, force: true });
});

const call = (
  method: string,
  path: string,
  token?: string,
  body?: unknown,
  headers: Record<string, string> = {},
) =>
  // Every answer must match openapi.json (status, content type, body): see support/openapi-contract.ts.
  contractFetch(`${base}${path}`, {
    method,
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...headers,
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });

const concrete = (path: string) => path.replace('{id}', 'ABCD2345');

describe('every officer route, walked from the route table', () => {
  const guarded = ROUTES.filter((route) => route.access !== 'public');

  it('covers the officer API', () => {
    expect(guarded.length).toBeGreaterThanOrEqual(11);
  });

  it.each(guarded.map((route) => [`${route.method} ${route.path}`, route] as const))(
    '%s refuses no token, a forged or expired token (401) and a token without the scope or group (403)',
    async (_name, route) => {
      const path = concrete(route.path);
      const cases: [string | undefined, number][] = [
        [undefined, 401],
        ['not.a.jwt', 401],
        [tokens.forged, 401],
        [tokens.expired, 401],
        [tokens.noExpiry, 401],
        [tokens.noScope, 403],
        [tokens.noGroup, 403],
        ...(route.access === 'admin' ? ([[tokens.officer, 403]] as [string, number][]) : []),
      ];
      for (const [token, status] of cases) {
        const response = await call(route.method, path, token, route.method === 'GET' ? undefined : {});
        expect(response.status, `${route.method} ${path} with ${token?.slice(0, 12)}`).toBe(status);
        expect(response.headers.get('content-type')).toBe('application/problem+json');
      }
    },
  );
});

describe('a complaint walked from received to closed over HTTP', () => {
  it('works with officer tokens, keeps history, and refuses a second officer’s stale update with 412', async () => {
    const submitted = await call('POST', '/feedback', undefined, {
      kind: 'complaint',
      message: 'My daughter’s EHC plan review is months late.',
      submitterRole: 'parent_or_carer',
      contact: { name: 'Jo Parent', email: 'jo.parent@example.com', phone: '07700 900123' },
      consentToContact: true,
    });
    const receipt = (await submitted.json()) as { id: string };
    const path = `/officer/feedback/${receipt.id}`;

    const read = await call('GET', path, tokens.officer);
    expect(read.status).toBe(200);
    const etag = read.headers.get('etag') as string;
    expect(((await read.json()) as { contact: { email: string } }).contact.email).toBe(
      'jo.parent@example.com',
    );

    const first = await call('POST', `${path}/acknowledge`, tokens.officer, undefined, { 'if-match': etag });
    expect(first.status).toBe(200);
    const second = await call('POST', `${path}/acknowledge`, tokens.secondOfficer, undefined, {
      'if-match': etag,
    });
    expect(second.status).toBe(412);

    const answered = await call(
      'POST',
      `${path}/respond`,
      tokens.secondOfficer,
      { response: 'We apologise; the review is booked for 3 December.', outcome: 'upheld' },
      { 'if-match': first.headers.get('etag') as string },
    );
    expect(answered.status).toBe(200);
    const closed = await call('POST', `${path}/close`, tokens.officer, undefined, {
      'if-match': answered.headers.get('etag') as string,
    });
    expect(closed.status).toBe(200);

    const final = (await (await call('GET', path, tokens.officer)).json()) as {
      status: string;
      history: { action: string; actor: { name: string } }[];
    };
    expect(final.status).toBe('closed');
    expect(final.history.map((entry) => `${entry.action} by ${entry.actor.name}`)).toEqual([
      'acknowledge by Sam Officer',
      'respond by Kim Officer',
      'close by Sam Officer',
    ]);
  });

  it('lets an admin change a project, and an officer record an event', async () => {
    const saved = await call('PUT', '/officer/projects/short-breaks', tokens.admin, {
      title: 'Short breaks',
      serviceArea: 'Short breaks',
      timeframes: {
        feedback: { acknowledgeWorkingDays: 5, respondWorkingDays: 20 },
        compliment: { acknowledgeWorkingDays: 5, respondWorkingDays: 10 },
        complaint: { acknowledgeWorkingDays: 5, respondWorkingDays: 15 },
      },
      alertTeam: 'short-breaks',
      active: true,
    });
    expect(saved.status).toBe(200);
    // Planned for ten days after the run's now (TEST_NOW); the local server runs on that clock.
    const heldOn = londonDateFromNow(10);
    const event = await call('POST', '/officer/events', tokens.officer, {
      title: 'Short breaks survey',
      projectId: 'short-breaks',
      type: 'survey',
      heldOn,
      participants: { parentsAndCarers: 42 },
    });
    expect(event.status).toBe(201);
    // The project's default 20 working days (counting is proven in test/unit/working-days.test.ts).
    expect(((await event.json()) as { reportBackBy: string }).reportBackBy).toBe(addWorkingDays(heldOn, 20));
  });
});

describe('public responses', () => {
  it('never carry a family’s contact details or message', async () => {
    const secret = { name: 'Casey Private', email: 'casey.private@example.com', phone: '07700 900456' };
    const submitted = await call('POST', '/feedback', undefined, {
      kind: 'feedback',
      message: 'A very private story about my son',
      submitterRole: 'parent_or_carer',
      contact: secret,
      consentToContact: true,
    });
    const bodies = [await submitted.text()];
    for (const route of ROUTES.filter((r) => r.access === 'public' && r.method === 'GET')) {
      bodies.push(await (await call('GET', route.path)).text());
    }
    for (const body of bodies) {
      for (const value of [...Object.values(secret), 'private story']) expect(body).not.toContain(value);
    }
  });
});
