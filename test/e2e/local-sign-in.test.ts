import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DevKeys, loadOrCreateDevKeys, verifyDevToken } from '../../infra/local/dev-auth';
import { createLocalSignIn } from '../../infra/local/local-sign-in';
import { LOCAL_AUDIENCE, OFFICER_SCOPE } from '../../shared/auth/auth-config';
import { startSystemClockAt } from '../../shared/domain/clock';
import { fromNow, MINUTE_MS, TEST_NOW } from '../support/clock';
import { startLocalServer } from '../support/local-server';

/**
 * The LOCAL-ONLY stand-in for Cognito's hosted sign-in, over HTTP as the console uses it:
 * authorization code with PKCE (S256 only), codes single-use and short-lived, and the tokens
 * `npm run token` mints, which the local API accepts.
 */
const dir = mkdtempSync(join(tmpdir(), 'yswd-sign-in-'));
let keys: DevKeys;
let server: Awaited<ReturnType<typeof startLocalServer>>;
let callback: string;

beforeAll(async () => {
  keys = await loadOrCreateDevKeys(dir);
  server = await startLocalServer({ devKeys: keys, signIn: createLocalSignIn(keys) });
  callback = `${server.base}/console/callback`;
});
afterAll(async () => {
  startSystemClockAt(TEST_NOW);
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

const verifier = () => randomBytes(32).toString('base64url');
const challenge = (value: string) => createHash('sha256').update(value).digest('base64url');

function authorizeParams(codeVerifier: string, overrides: Record<string, string> = {}) {
  return new URLSearchParams({
    response_type: 'code',
    client_id: LOCAL_AUDIENCE,
    redirect_uri: callback,
    scope: `openid ${OFFICER_SCOPE}`,
    state: 'state-123',
    code_challenge: challenge(codeVerifier),
    code_challenge_method: 'S256',
    ...overrides,
  });
}

/** Signs in on the page (its form's POST) and returns the code the callback would get. */
async function codeFor(codeVerifier: string, name = 'Sam Officer', role = 'officer') {
  const params = authorizeParams(codeVerifier);
  params.set('name', name);
  params.set('role', role);
  const response = await fetch(`${server.base}/local-sign-in/oauth2/authorize`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: params,
    redirect: 'manual',
  });
  expect(response.status).toBe(303);
  const location = new URL(response.headers.get('location') ?? '');
  expect(`${location.origin}${location.pathname}`).toBe(callback);
  expect(location.searchParams.get('state')).toBe('state-123');
  return location.searchParams.get('code') ?? '';
}

function redeem(code: string, codeVerifier: string, redirectUri = callback) {
  return fetch(`${server.base}/local-sign-in/oauth2/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      client_id: LOCAL_AUDIENCE,
      code,
      redirect_uri: redirectUri,
      code_verifier: codeVerifier,
    }),
  });
}

describe('the local sign-in page', () => {
  it('says plainly that it is for local development only', async () => {
    const response = await fetch(
      `${server.base}/local-sign-in/oauth2/authorize?${authorizeParams(verifier())}`,
    );
    expect(response.status).toBe(200);
    expect(response.headers.get('content-security-policy')).toContain("script-src 'self'");
    const page = await response.text();
    expect(page).toContain('Local development sign-in — not for real use');
    expect(page).not.toContain('<script');
  });

  it.each([
    ['no PKCE', { code_challenge_method: 'plain' }, 'PKCE is required'],
    ['another client', { client_id: 'someone-else' }, 'client_id'],
    ['a callback elsewhere', { redirect_uri: 'https://evil.example/console/callback' }, 'redirect_uri'],
    ['no officer scope', { scope: 'openid' }, 'scope'],
    ['no state', { state: '' }, 'state'],
  ])('refuses a request with %s, with a page and no redirect', async (_name, overrides, message) => {
    const response = await fetch(
      `${server.base}/local-sign-in/oauth2/authorize?${authorizeParams(verifier(), overrides)}`,
      { redirect: 'manual' },
    );
    expect(response.status).toBe(400);
    expect(response.headers.get('location')).toBeNull();
    expect(await response.text()).toContain(message);
  });
});

describe('the local token endpoint', () => {
  it('gives the token npm run token mints for the name and role chosen, which the local API’s authorizer accepts', async () => {
    const codeVerifier = verifier();
    const response = await redeem(await codeFor(codeVerifier, 'Alex Admin', 'admin'), codeVerifier);
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('no-store');
    const body = (await response.json()) as { access_token: string; token_type: string; expires_in: number };
    expect(body.token_type).toBe('Bearer');
    expect(body.expires_in).toBeGreaterThan(8 * 60 * 60 - 5);
    expect(body.expires_in).toBeLessThanOrEqual(8 * 60 * 60);
    const verdict = await verifyDevToken(keys, `Bearer ${body.access_token}`, OFFICER_SCOPE);
    expect(verdict.ok && verdict.claims).toMatchObject({
      username: 'Alex Admin',
      'cognito:groups': ['admin'],
    });
  });

  it('uses each code once: a wrong verifier spends it, and the right one then fails too', async () => {
    const codeVerifier = verifier();
    const code = await codeFor(codeVerifier);
    expect((await redeem(code, verifier())).status).toBe(400);
    const again = await redeem(code, codeVerifier);
    expect(again.status).toBe(400);
    await expect(again.json()).resolves.toEqual({ error: 'invalid_grant' });
  });

  it('refuses a code for another callback, and a code older than five minutes', async () => {
    const codeVerifier = verifier();
    expect((await redeem(await codeFor(codeVerifier), codeVerifier, `${server.base}/other`)).status).toBe(
      400,
    );
    const late = await codeFor(codeVerifier);
    startSystemClockAt(fromNow(6 * MINUTE_MS));
    try {
      expect((await redeem(late, codeVerifier)).status).toBe(400);
    } finally {
      startSystemClockAt(TEST_NOW);
    }
  });

  it('signs out only back to the console’s signed-out page', async () => {
    const out = (logoutUri: string) =>
      fetch(
        `${server.base}/local-sign-in/logout?${new URLSearchParams({ client_id: LOCAL_AUDIENCE, logout_uri: logoutUri })}`,
        { redirect: 'manual' },
      );
    const home = await out(`${server.base}/console/signed-out`);
    expect(home.status).toBe(302);
    expect(home.headers.get('location')).toBe(`${server.base}/console/signed-out`);
    expect((await out('https://evil.example/console/signed-out')).status).toBe(400);
  });
});
