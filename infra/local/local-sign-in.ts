import { createHash, randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ConsoleConfig } from '../../console/security-headers';
import { CONSOLE_HEADERS, consoleContentSecurityPolicy } from '../../console/security-headers';
import { LOCAL_AUDIENCE, OFFICER_SCOPE } from '../../shared/auth/auth-config';
import { systemClock } from '../../shared/domain/clock';
import { type DevKeys, signDevToken } from './dev-auth';

/**
 * LOCAL DEVELOPMENT ONLY: a stand-in for the Cognito hosted sign-in, so `npm start` runs the
 * console's real sign-in code (authorization code + PKCE) end to end. Its page lets anyone be
 * anyone (choose a name and a role), and it mints exactly the tokens `npm run token` does
 * (signDevToken), which only the local server accepts. It lives in infra/local and is never part
 * of anything deployed: in AWS the console talks to Cognito.
 *
 * - GET  /local-sign-in/oauth2/authorize: the sign-in page (checks client, redirect URI, PKCE S256)
 * - POST /local-sign-in/oauth2/authorize: redirects to the callback with a code (single use, 5 minutes)
 * - POST /local-sign-in/oauth2/token:     code + verifier → access token, as Cognito's token endpoint
 * - GET  /local-sign-in/logout:           back to the console's signed-out page
 */
export const LOCAL_SIGN_IN_PATH = '/local-sign-in';
const CODE_LIFETIME_MS = 5 * 60_000;
const ROLES = ['officer', 'admin'] as const;

export function localConsoleConfig(): ConsoleConfig {
  return {
    apiBase: '',
    authority: LOCAL_SIGN_IN_PATH,
    clientId: LOCAL_AUDIENCE,
    scope: `openid ${OFFICER_SCOPE}`,
    environment: 'local',
  };
}

interface PendingCode {
  redirectUri: string;
  challenge: string;
  name: string;
  role: (typeof ROLES)[number];
  expiresAt: number;
}

const escapeHtml = (value: string) =>
  value.replace(/[&<>"']/g, (character) => `&#${character.charCodeAt(0)};`);

const base64Url = (bytes: Buffer) => bytes.toString('base64url');

function sendHtml(response: ServerResponse, status: number, body: string) {
  response.writeHead(status, {
    'content-type': 'text/html; charset=utf-8',
    'cache-control': 'no-store',
    'content-security-policy': consoleContentSecurityPolicy(),
    ...CONSOLE_HEADERS,
  });
  response.end(body);
}

function sendJson(response: ServerResponse, status: number, body: unknown) {
  response.writeHead(status, {
    'content-type': 'application/json',
    'cache-control': 'no-store',
    pragma: 'no-cache',
  });
  response.end(JSON.stringify(body));
}

function pageHtml(title: string, stylesheet: string | undefined, content: string): string {
  return `<!DOCTYPE html>
<html lang="en" class="govuk-template">
<head><meta charset="utf-8"><title>${escapeHtml(title)} – LOCAL DEVELOPMENT ONLY</title>
<meta name="viewport" content="width=device-width, initial-scale=1"><link rel="icon" href="data:,">
${stylesheet ? `<link rel="stylesheet" href="${escapeHtml(stylesheet)}">` : ''}</head>
<body class="govuk-template__body">
<header class="govuk-template__header"><div class="govuk-generic-header"><div class="govuk-generic-header__container govuk-width-container"><div class="govuk-generic-header__logo"><span class="govuk-generic-header__homepage-link">You said, we did</span></div></div></div></header>
<div class="govuk-width-container"><main class="govuk-main-wrapper" id="main-content">${content}</main></div>
</body></html>`;
}

/** The redirect URI must be this server's own console callback (the host the browser used). */
function redirectAllowed(redirectUri: string, host: string | undefined, path: string): boolean {
  try {
    const url = new URL(redirectUri);
    return (
      (url.protocol === 'http:' || url.protocol === 'https:') &&
      url.host === host &&
      url.pathname === path &&
      !url.search &&
      !url.hash
    );
  } catch {
    return false;
  }
}

type Params = URLSearchParams;

/** What is wrong with an authorization request, or nothing. */
function authorizeProblem(params: Params, host: string | undefined): string | undefined {
  if (params.get('client_id') !== LOCAL_AUDIENCE) return `client_id must be ${LOCAL_AUDIENCE}.`;
  if (!redirectAllowed(params.get('redirect_uri') ?? '', host, '/console/callback'))
    return 'redirect_uri must be this server’s /console/callback.';
  if (params.get('response_type') !== 'code') return 'response_type must be code.';
  if (params.get('code_challenge_method') !== 'S256')
    return 'PKCE is required: code_challenge_method must be S256.';
  if (!/^[A-Za-z0-9_-]{43}$/.test(params.get('code_challenge') ?? ''))
    return 'code_challenge must be a base64url SHA-256 (43 characters).';
  if (!(params.get('scope') ?? '').split(' ').includes(OFFICER_SCOPE))
    return `scope must include ${OFFICER_SCOPE}.`;
  if (!params.get('state') || (params.get('state') ?? '').length > 512)
    return 'state is required (up to 512 characters).';
  return undefined;
}

const OAUTH_FIELDS = [
  'client_id',
  'redirect_uri',
  'response_type',
  'scope',
  'state',
  'code_challenge',
  'code_challenge_method',
];

function signInPage(params: Params, stylesheet: string | undefined, error?: string): string {
  const hidden = OAUTH_FIELDS.map(
    (name) => `<input type="hidden" name="${name}" value="${escapeHtml(params.get(name) ?? '')}">`,
  ).join('');
  const name = params.get('name') ?? 'Sam Officer';
  const role = params.get('role') ?? 'officer';
  const errorSummary = error
    ? `<div class="govuk-error-summary" tabindex="-1"><div role="alert"><h2 class="govuk-error-summary__title">There is a problem</h2><div class="govuk-error-summary__body"><ul class="govuk-list govuk-error-summary__list"><li><a href="#name">${escapeHtml(error)}</a></li></ul></div></div></div>`
    : '';
  return pageHtml(
    'Local development sign-in',
    stylesheet,
    `${errorSummary}
<strong class="govuk-tag govuk-tag--orange">Local development only</strong>
<h1 class="govuk-heading-l">Local development sign-in — not for real use</h1>
<div class="govuk-warning-text"><span class="govuk-warning-text__icon" aria-hidden="true">!</span><strong class="govuk-warning-text__text"><span class="govuk-visually-hidden">Warning</span>This page stands in for the council’s Cognito sign-in on a developer’s machine. It asks for no password: anyone here can be anyone. It does not exist in AWS.</strong></div>
<form method="post" novalidate>${hidden}
<div class="govuk-form-group${error ? ' govuk-form-group--error' : ''}"><label class="govuk-label" for="name">Name (recorded in history as who made each change)</label>${error ? `<p class="govuk-error-message" id="name-error"><span class="govuk-visually-hidden">Error:</span> ${escapeHtml(error)}</p>` : ''}<input class="govuk-input govuk-input--width-20${error ? ' govuk-input--error' : ''}" id="name" name="name" type="text" value="${escapeHtml(name)}" autocomplete="off"${error ? ' aria-describedby="name-error"' : ''}></div>
<div class="govuk-form-group"><fieldset class="govuk-fieldset"><legend class="govuk-fieldset__legend govuk-fieldset__legend--s">Role</legend><div class="govuk-radios">
<div class="govuk-radios__item"><input class="govuk-radios__input" id="role" name="role" type="radio" value="officer"${role === 'officer' ? ' checked' : ''}><label class="govuk-label govuk-radios__label" for="role">Officer: triage and answer feedback, events and updates</label></div>
<div class="govuk-radios__item"><input class="govuk-radios__input" id="role-admin" name="role" type="radio" value="admin"${role === 'admin' ? ' checked' : ''}><label class="govuk-label govuk-radios__label" for="role-admin">Admin: also change projects</label></div>
</div></fieldset></div>
<button type="submit" class="govuk-button">Sign in</button></form>`,
  );
}

const sha256Url = (value: string) => base64Url(createHash('sha256').update(value).digest());

export interface LocalSignIn {
  /** Answers a request under /local-sign-in; false when the path is not one of its endpoints. */
  handle(request: IncomingMessage, response: ServerResponse, path: string, body: Buffer): Promise<boolean>;
}

export function createLocalSignIn(keys: DevKeys, options: { stylesheet?: string } = {}): LocalSignIn {
  const codes = new Map<string, PendingCode>();
  const now = () => systemClock().getTime();
  return {
    async handle(request, response, path, body) {
      const method = request.method ?? 'GET';
      const host = request.headers.host;
      const query = new URL(request.url ?? '/', 'http://localhost').searchParams;
      if (path === `${LOCAL_SIGN_IN_PATH}/oauth2/authorize` && (method === 'GET' || method === 'POST')) {
        const params = method === 'GET' ? query : new URLSearchParams(body.toString('utf8'));
        const problem = authorizeProblem(params, host);
        if (problem) {
          // As Cognito does for a bad client or redirect URI: an error page, never a redirect.
          sendHtml(
            response,
            400,
            pageHtml(
              'Sign-in request refused',
              options.stylesheet,
              `<h1 class="govuk-heading-l">Sign-in request refused</h1><p class="govuk-body">${escapeHtml(problem)}</p>`,
            ),
          );
          return true;
        }
        if (method === 'GET') {
          sendHtml(response, 200, signInPage(params, options.stylesheet));
          return true;
        }
        const name = (params.get('name') ?? '').trim();
        const role = params.get('role');
        if (!name || name.length > 100 || !ROLES.includes(role as never)) {
          sendHtml(
            response,
            400,
            signInPage(
              params,
              options.stylesheet,
              name && name.length <= 100 ? 'Choose a role' : 'Enter a name of up to 100 characters',
            ),
          );
          return true;
        }
        for (const [code, pending] of codes) if (pending.expiresAt <= now()) codes.delete(code);
        const code = base64Url(randomBytes(32));
        codes.set(code, {
          redirectUri: params.get('redirect_uri') ?? '',
          challenge: params.get('code_challenge') ?? '',
          name,
          role: role as PendingCode['role'],
          expiresAt: now() + CODE_LIFETIME_MS,
        });
        const target = new URL(params.get('redirect_uri') ?? '');
        target.search = new URLSearchParams({ code, state: params.get('state') ?? '' }).toString();
        response.writeHead(303, {
          location: target.toString(),
          'cache-control': 'no-store',
          ...CONSOLE_HEADERS,
        });
        response.end();
        return true;
      }
      if (path === `${LOCAL_SIGN_IN_PATH}/oauth2/token` && method === 'POST') {
        const params = new URLSearchParams(body.toString('utf8'));
        if (params.get('grant_type') !== 'authorization_code') {
          sendJson(response, 400, { error: 'unsupported_grant_type' });
          return true;
        }
        if (params.get('client_id') !== LOCAL_AUDIENCE) {
          sendJson(response, 400, { error: 'invalid_client' });
          return true;
        }
        const code = params.get('code') ?? '';
        const pending = codes.get(code);
        // Single use: gone at the first attempt, whether or not that attempt succeeds.
        codes.delete(code);
        const verifier = params.get('code_verifier') ?? '';
        if (
          !pending ||
          pending.expiresAt <= now() ||
          pending.redirectUri !== params.get('redirect_uri') ||
          !/^[A-Za-z0-9._~-]{43,128}$/.test(verifier) ||
          sha256Url(verifier) !== pending.challenge
        ) {
          sendJson(response, 400, { error: 'invalid_grant' });
          return true;
        }
        const accessToken = await signDevToken(keys, { role: pending.role, name: pending.name });
        const { exp = 0 } = JSON.parse(
          Buffer.from(accessToken.split('.')[1] ?? '', 'base64url').toString('utf8'),
        ) as { exp?: number };
        sendJson(response, 200, {
          access_token: accessToken,
          token_type: 'Bearer',
          expires_in: Math.max(0, exp - Math.floor(now() / 1000)),
        });
        return true;
      }
      if (path === `${LOCAL_SIGN_IN_PATH}/logout` && method === 'GET') {
        const logoutUri = query.get('logout_uri') ?? '';
        if (
          query.get('client_id') !== LOCAL_AUDIENCE ||
          !redirectAllowed(logoutUri, host, '/console/signed-out')
        ) {
          sendHtml(
            response,
            400,
            pageHtml(
              'Sign-out request refused',
              options.stylesheet,
              '<h1 class="govuk-heading-l">Sign-out request refused</h1><p class="govuk-body">logout_uri must be this server’s /console/signed-out.</p>',
            ),
          );
          return true;
        }
        response.writeHead(302, { location: logoutUri, 'cache-control': 'no-store' });
        response.end();
        return true;
      }
      return false;
    },
  };
}
