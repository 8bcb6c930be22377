import type { ConsoleConfig } from '../security-headers';
import { challengeOf, claimsOf, randomState, randomVerifier } from './pkce';
import { BASE, safeReturnPath } from './routes';

/**
 * Signing in: OAuth 2.0 authorization code with PKCE (S256) against the Cognito hosted sign-in
 * (or, locally, its stand-in in infra/local/local-sign-in.ts: the same code path).
 * The access token lives in this module's memory only: never in localStorage, sessionStorage, a
 * cookie or an address. The PKCE verifier, `state` and the page to return to are not tokens; they
 * wait in sessionStorage across the redirect and are removed when the sign-in comes back.
 * A reload forgets the token, so it signs in again (at once, while the Cognito session lasts).
 */
export interface Session {
  token: string;
  name: string;
  groups: string[];
  /** performance.now() when it expires: a monotonic clock, so the machine's date cannot skew it. */
  expiresAt: number;
}

const PENDING_KEY = 'yswd-console-sign-in';
const CHANNEL = 'yswd-console-sign-in';
/** Sign in again this long before the token's own expiry, so no request is refused mid-flight. */
const EXPIRY_MARGIN_MS = 30_000;

let current: Session | undefined;

/** The signed-in officer, or undefined (never signed in, signed out, or the token has expired). */
export function currentSession(): Session | undefined {
  if (current && performance.now() >= current.expiresAt) current = undefined;
  return current;
}

export function forgetSession(): void {
  current = undefined;
}

export const isAdmin = (session: Session | undefined) => session?.groups.includes('admin') ?? false;

const redirectUriOf = (config: ConsoleConfig) => config.redirectUri ?? `${location.origin}${BASE}/callback`;
const signedOutUriOf = (config: ConsoleConfig) =>
  config.signedOutUri ?? `${location.origin}${BASE}/signed-out`;
const endpoint = (config: ConsoleConfig, path: string) =>
  new URL(`${config.authority.replace(/\/+$/, '')}${path}`, location.origin);

async function authorizeUrl(config: ConsoleConfig, state: string, verifier: string): Promise<string> {
  const url = endpoint(config, '/oauth2/authorize');
  url.search = new URLSearchParams({
    response_type: 'code',
    client_id: config.clientId,
    redirect_uri: redirectUriOf(config),
    scope: config.scope,
    state,
    code_challenge: await challengeOf(verifier),
    code_challenge_method: 'S256',
  }).toString();
  return url.toString();
}

/** Leaves for the sign-in page; comes back to `returnTo` (a console address) afterwards. */
export async function startSignIn(config: ConsoleConfig, returnTo: string): Promise<void> {
  const state = randomState();
  const verifier = randomVerifier();
  sessionStorage.setItem(PENDING_KEY, JSON.stringify({ state, verifier, returnTo }));
  location.assign(await authorizeUrl(config, state, verifier));
}

function groupsOf(claim: unknown): string[] {
  return Array.isArray(claim) ? claim.filter((group): group is string => typeof group === 'string') : [];
}

async function exchange(config: ConsoleConfig, code: string, verifier: string): Promise<void> {
  const response = await fetch(endpoint(config, '/oauth2/token'), {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      client_id: config.clientId,
      code,
      redirect_uri: redirectUriOf(config),
      code_verifier: verifier,
    }),
  });
  const body = (await response.json().catch(() => ({}))) as { access_token?: string; expires_in?: number };
  if (!response.ok || typeof body.access_token !== 'string') {
    throw new Error('The sign-in service did not accept this sign-in. Sign in again.');
  }
  const claims = claimsOf(body.access_token);
  const name = [claims.username, claims.name, claims['cognito:username'], claims.sub].find(
    (value): value is string => typeof value === 'string' && value !== '',
  );
  current = {
    token: body.access_token,
    name: name ?? 'Officer',
    groups: groupsOf(claims['cognito:groups']),
    expiresAt: performance.now() + (body.expires_in ?? 3600) * 1000 - EXPIRY_MARGIN_MS,
  };
}

export type CallbackResult = { returnTo: string } | { inWindow: true } | { error: string };

/**
 * At /console/callback: takes the code and state out of the address bar at once, checks the
 * state against the one this tab stored, and exchanges the code (with the verifier) for tokens.
 * A callback in a sign-in window hands its code to the page that opened it instead.
 */
export async function finishSignIn(config: ConsoleConfig): Promise<CallbackResult> {
  const params = new URLSearchParams(location.search);
  history.replaceState(null, '', `${BASE}/callback`);
  const code = params.get('code');
  const state = params.get('state') ?? '';
  if (state.startsWith('window.')) {
    const channel = new BroadcastChannel(CHANNEL);
    channel.postMessage({ code, state, error: params.get('error') });
    channel.close();
    return { inWindow: true };
  }
  const stored = sessionStorage.getItem(PENDING_KEY);
  sessionStorage.removeItem(PENDING_KEY);
  const pending = stored
    ? (JSON.parse(stored) as { state: string; verifier: string; returnTo: string })
    : null;
  if (params.get('error')) return { error: 'Sign-in was cancelled or refused. Sign in again.' };
  if (!code || !pending || pending.state !== state) {
    return { error: 'This sign-in was not started from this page, so it was not used. Sign in again.' };
  }
  try {
    await exchange(config, code, pending.verifier);
  } catch (error) {
    return { error: (error as Error).message };
  }
  return { returnTo: safeReturnPath(pending.returnTo) };
}

/**
 * Signs in again without leaving the page, in a sign-in window, so what the officer typed stays
 * where it is. Resolves false when the browser blocked the window.
 */
export async function signInAgainInWindow(config: ConsoleConfig): Promise<boolean> {
  // Opened first, during the click, so no pop-up blocker stops it; pointed at the sign-in next.
  const signInWindow = window.open('', 'yswd-console-sign-in', 'popup,width=560,height=760');
  if (!signInWindow) return false;
  const state = `window.${randomState()}`;
  const verifier = randomVerifier();
  const channel = new BroadcastChannel(CHANNEL);
  const answer = new Promise<{ code: string | null }>((resolve) => {
    channel.onmessage = (message: MessageEvent<{ code: string | null; state: string }>) => {
      if (message.data?.state === state) resolve(message.data);
    };
  });
  signInWindow.location.href = await authorizeUrl(config, state, verifier);
  const { code } = await answer;
  channel.close();
  if (!code) throw new Error('Sign-in was cancelled or refused. Sign in again.');
  await exchange(config, code, verifier);
  return true;
}

/** Forgets the token, then ends the sign-in service's session too (it returns to /console/signed-out). */
export function signOut(config: ConsoleConfig): void {
  forgetSession();
  const url = endpoint(config, '/logout');
  url.search = new URLSearchParams({
    client_id: config.clientId,
    logout_uri: signedOutUriOf(config),
  }).toString();
  location.assign(url.toString());
}
