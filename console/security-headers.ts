/**
 * The console's response headers, the same locally (infra/local/static-site.ts) and in AWS (the
 * CloudFront response headers policy in infra/constructs/edge.ts), so a local run proves the app
 * works under them: no inline script or style anywhere, and the only other origin it may talk to
 * is the sign-in service's (the token exchange).
 */
export function consoleContentSecurityPolicy(signInOrigin?: string): string {
  const signIn = signInOrigin ? ` ${signInOrigin}` : '';
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    `connect-src 'self'${signIn}`,
    "form-action 'self'",
    "frame-ancestors 'none'",
    "base-uri 'none'",
  ].join('; ');
}

/** Headers beside the CSP; HSTS is added by CloudFront only (browsers ignore it over plain http). */
export const CONSOLE_HEADERS = {
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  // The callback address carries an authorization code until the app removes it: never send it on.
  'referrer-policy': 'no-referrer',
} as const;

/** What the app reads from `/console/config.json` (written beside the bundle at deploy). */
export interface ConsoleConfig {
  /** Base of the officer API; '' for the console's own origin (CloudFront fronts both). */
  apiBase: string;
  /** The sign-in service: the Cognito domain in AWS, the local stand-in's path locally. */
  authority: string;
  clientId: string;
  /** Scopes asked for; must include the officer scope. */
  scope: string;
  /** Absolute callback URL registered with Cognito; locally left out (the page's own origin). */
  redirectUri?: string;
  /** Where sign-out returns; left out locally, as redirectUri. */
  signedOutUri?: string;
  /** `local`: the banner says sign-in is a development stand-in. */
  environment: 'local' | 'aws';
}
