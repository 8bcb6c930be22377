import { createHash } from 'node:crypto';
import { referenceFromDigest } from './reference';

/**
 * Idempotent intake by construction: a submission's `Idempotency-Key` decides its id, so the one
 * conditional PutItem that stores the feedback is also the idempotency record. A retry (after a
 * crash, a timeout or a lost answer) lands on the same id, finds its own item and answers the same
 * receipt; there is no separate claim to lose and no in-flight state to expire.
 *
 * Hashes are domain-separated SHA-256 (a fixed label per use), so a key's fingerprint, its
 * reference candidates and a body's fingerprint can never be confused with one another.
 */

/**
 * 1-255 visible ASCII characters (as documented since the first release), e.g. a UUID. A key is
 * only as private as it is hard to guess, so clients should use a random one.
 */
export const IDEMPOTENCY_KEY_PATTERN = /^[\x21-\x7E]{1,255}$/;

/** How many references a key may try before giving up: each clash is 1 in 6.5 × 10^11. */
export const MAX_KEY_CANDIDATES = 5;

const sha256 = (label: string, ...parts: string[]) => {
  const hash = createHash('sha256').update(`you-said-we-did/${label}/v1`);
  // Length-prefixed parts: no two different part lists hash the same input.
  for (const part of parts) hash.update(`\0${Buffer.byteLength(part)}:`).update(part);
  return hash.digest();
};

/** Stored on the item: tells a retry its own item from another key's item at the same reference. */
export const keyFingerprint = (key: string) => sha256('idempotency-key', key).toString('base64url');

/**
 * The reference a key tries at `attempt` (0, 1, …): deterministic, so every retry tries the same
 * ones in the same order, and the next one only when an item of another key holds this one.
 */
export const referenceCandidate = (key: string, attempt: number) =>
  referenceFromDigest(sha256('feedback-reference', key, String(attempt)));

/** JSON with object keys in a fixed order: the same request, however its fields were ordered. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value)
      .filter(([, item]) => item !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([name, item]) => `${JSON.stringify(name)}:${canonicalJson(item)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** Fingerprint of the validated request (trimmed, defaults applied): what "the same body" means. */
export const requestFingerprint = (request: unknown) =>
  sha256('feedback-request', canonicalJson(request)).toString('base64url');
