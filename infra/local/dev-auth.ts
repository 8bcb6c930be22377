import { randomUUID } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { exportJWK, generateKeyPair, importJWK, type JWK, type JWTPayload, jwtVerify, SignJWT } from 'jose';
import {
  LOCAL_AUDIENCE,
  LOCAL_ISSUER,
  OFFICER_SCOPE,
  type OfficerGroup,
} from '../../shared/auth/auth-config';
import { systemClock } from '../../shared/domain/clock';
import { createFileOnce, missingOrEmpty } from './data-dir';

/**
 * Development sign-in: a key pair kept in the data folder signs tokens shaped like Cognito access
 * tokens (`npm run token`), and the local server verifies them as API Gateway's JWT authorizer
 * would. The key never leaves the laptop and means nothing in AWS.
 */
const KEY_FILE = 'dev-jwt-key.json';
const ALGORITHM = 'ES256';

type Key = Awaited<ReturnType<typeof importJWK>>;

export interface DevKeys {
  privateKey: Key;
  publicKey: Key;
}

export async function loadOrCreateDevKeys(dataDir: string): Promise<DevKeys> {
  const file = join(dataDir, KEY_FILE);
  if (missingOrEmpty(file)) {
    mkdirSync(dataDir, { recursive: true });
    rmSync(file, { force: true });
    const { privateKey } = await generateKeyPair(ALGORITHM, { extractable: true });
    // All or nothing, and the first of two racing writers wins (npm start and npm run token).
    createFileOnce(file, JSON.stringify(await exportJWK(privateKey)));
  }
  const jwk = JSON.parse(readFileSync(file, 'utf8')) as JWK;
  const { d: _private, ...publicJwk } = jwk;
  return {
    privateKey: await importJWK(jwk, ALGORITHM),
    publicKey: await importJWK(publicJwk, ALGORITHM),
  };
}

export interface TokenRequest {
  /** `none` signs a valid token without an officer group: for trying a 403. */
  role: OfficerGroup | 'none';
  name?: string;
  /** Seconds until it expires; negative makes an already expired token, for trying a 401. */
  expiresInSeconds?: number;
  scope?: string;
}

/** A token shaped like a Cognito access token: `client_id`, `scope`, `cognito:groups`, no `aud`. */
export async function signDevToken(keys: DevKeys, request: TokenRequest): Promise<string> {
  const name = request.name ?? (request.role === 'admin' ? 'Alex Admin' : 'Sam Officer');
  // The local runtime's clock (CLOCK_NOW), which also verifies it: a token is valid in the runtime's time.
  const now = Math.floor(systemClock().getTime() / 1000);
  return new SignJWT({
    token_use: 'access',
    client_id: LOCAL_AUDIENCE,
    scope: request.scope ?? OFFICER_SCOPE,
    username: name,
    'cognito:groups': request.role === 'none' ? [] : [request.role],
  })
    .setProtectedHeader({ alg: ALGORITHM, kid: 'dev' })
    .setSubject(`dev-${name.toLowerCase().replace(/[^a-z0-9]+/g, '-')}`)
    .setIssuer(LOCAL_ISSUER)
    .setIssuedAt(now)
    .setExpirationTime(now + (request.expiresInSeconds ?? 8 * 60 * 60))
    .setJti(randomUUID())
    .sign(keys.privateKey);
}

export type Verification =
  | { ok: true; claims: JWTPayload; scopes: string[] }
  | { ok: false; status: 401 | 403; reason: string };

/**
 * What API Gateway's JWT authorizer checks: signature, issuer, expiry, and `aud` or `client_id`
 * against the audience (401 if any fails); then the route's scope (403 if missing).
 */
export async function verifyDevToken(
  keys: DevKeys,
  authorization: string | undefined,
  requiredScope: string,
): Promise<Verification> {
  const token = /^Bearer\s+(\S+)$/i.exec(authorization ?? '')?.[1];
  if (!token) return { ok: false, status: 401, reason: 'no bearer token' };
  let claims: JWTPayload;
  try {
    ({ payload: claims } = await jwtVerify(token, keys.publicKey, {
      issuer: LOCAL_ISSUER,
      algorithms: [ALGORITHM],
      // API Gateway refuses a token without an expiry; so does this.
      requiredClaims: ['exp', 'sub'],
      currentDate: systemClock(),
    }));
  } catch (error) {
    return { ok: false, status: 401, reason: (error as Error).message };
  }
  const audiences = [claims.aud, claims.client_id].flat().filter(Boolean);
  if (!audiences.includes(LOCAL_AUDIENCE)) return { ok: false, status: 401, reason: 'wrong audience' };
  const scopes = typeof claims.scope === 'string' ? claims.scope.split(' ') : [];
  if (!scopes.includes(requiredScope))
    return { ok: false, status: 403, reason: `missing scope ${requiredScope}` };
  return { ok: true, claims, scopes };
}

/** Claims as API Gateway hands them to Lambda: strings, arrays as "[a b]". */
export function claimsAsApiGatewayGivesThem(claims: JWTPayload): Record<string, string> {
  return Object.fromEntries(
    Object.entries(claims).map(([name, value]) => [
      name,
      Array.isArray(value)
        ? `[${value.join(' ')}]`
        : typeof value === 'string'
          ? value
          : JSON.stringify(value),
    ]),
  );
}
