/**
 * PKCE (RFC 7636) and the `state` value: random strings from the browser's CSPRNG, and the S256
 * challenge of a verifier. Pure apart from randomness; runs in Node too (unit-tested there).
 */
const UNRESERVED = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~';

/** A verifier of `length` (43–128) unreserved characters, each drawn without modulo bias. */
export function randomVerifier(length = 64): string {
  if (length < 43 || length > 128) throw new RangeError('A PKCE verifier has 43 to 128 characters');
  let verifier = '';
  // 66 characters: take bytes below 198 (3 × 66) so each character is equally likely.
  while (verifier.length < length) {
    for (const byte of crypto.getRandomValues(new Uint8Array(length))) {
      if (byte < 198 && verifier.length < length) verifier += UNRESERVED[byte % 66];
    }
  }
  return verifier;
}

export function base64Url(bytes: Uint8Array): string {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** BASE64URL(SHA-256(ASCII(verifier))), the `S256` method. */
export async function challengeOf(verifier: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier));
  return base64Url(new Uint8Array(digest));
}

/** An unguessable `state`, binding the callback to the sign-in this page started. */
export const randomState = () => base64Url(crypto.getRandomValues(new Uint8Array(24)));

/** The payload of a JWT, read without checking it: for showing who is signed in, never for trust. */
export function claimsOf(token: string): Record<string, unknown> {
  const payload = token.split('.')[1];
  if (!payload) return {};
  try {
    const binary = atob(payload.replace(/-/g, '+').replace(/_/g, '/'));
    const bytes = Uint8Array.from(binary, (character) => character.charCodeAt(0));
    const claims: unknown = JSON.parse(new TextDecoder().decode(bytes));
    return claims && typeof claims === 'object' ? (claims as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}
