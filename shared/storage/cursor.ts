import { createHmac, timingSafeEqual } from 'node:crypto';
import * as z from 'zod/mini';
import { DomainError } from '../domain/errors';

/**
 * Officers' list cursors: `<payload>.<signature>`, both base64url; the payload is JSON naming, per
 * partition read, where the last page stopped, and a fingerprint of the filters. The signature is
 * HMAC-SHA256 over the payload text with a key only the list functions hold
 * (shared/config/signing-key.ts), so a cursor cannot be edited or made up: every change is a 400
 * naming `cursor`. The payload is still schema-checked after the signature: a key that leaked, or a
 * bug that signed something odd, must not turn into a DynamoDB error (a 500) or a read outside the list.
 */
export const CURSOR_VERSION = 2;
/** Two partitions at most, each with four key values of bounded length: far below this. */
export const MAX_CURSOR_LENGTH = 2048;
const SIGNATURE_LENGTH = 43; // 32 bytes in base64url, unpadded

export type CursorRefusal =
  | 'oversized'
  | 'not-base64url'
  | 'no-signature'
  | 'bad-signature'
  | 'bad-json'
  | 'bad-shape'
  | 'wrong-version'
  | 'other-filters'
  | 'other-partitions'
  | 'not-a-list-entry';

export class InvalidCursorError extends DomainError {
  constructor(readonly reason: CursorRefusal) {
    super('invalid', 'The cursor is not one this list gave out, or was given out for other filters.', [
      { path: 'cursor', message: 'Use the cursor from the previous page of this same list, unchanged' },
    ]);
  }
}

export type Key = Record<string, string>;
export type Position = Key | 'start' | 'done';
export interface CursorState {
  v: typeof CURSOR_VERSION;
  /** Fingerprint of the index, partitions, ranges and order the cursor was made for. */
  f: string;
  p: Record<string, Position>;
}

/**
 * Built on first use, not at import: every function that stores feedback imports this module with
 * its repository, and only list functions ever read a cursor (zod work at import is cold start).
 */
let cursorShape: ReturnType<typeof buildCursorShape> | undefined;
function buildCursorShape() {
  const keyValue = z.string().check(z.minLength(1), z.maxLength(1024));
  return z.strictObject({
    v: z.number(),
    f: z.string().check(z.maxLength(64)),
    p: z.record(
      z.string().check(z.minLength(1), z.maxLength(1024)),
      z.union([z.literal('start'), z.literal('done'), z.record(z.string(), keyValue)]),
    ),
  });
}

const BASE64URL = /^[A-Za-z0-9_-]+$/;

function sign(payload: string, key: Uint8Array): Buffer {
  return createHmac('sha256', key).update(payload).digest();
}

export function encodeCursor(state: Omit<CursorState, 'v'>, key: Uint8Array): string {
  const payload = Buffer.from(JSON.stringify({ v: CURSOR_VERSION, ...state })).toString('base64url');
  return `${payload}.${sign(payload, key).toString('base64url')}`;
}

/** What a position key must be to name a list entry of this list. */
export interface ListEntryRule {
  /** Key attributes of the index read (besides PK and SK). */
  partitionKey: string;
  sortKey: string;
  /** `FEEDBACK`, `EVENT`, …: listed items are `<entity>#<id>` / META. */
  entity: string;
}

/**
 * Checks a cursor step by step, cheapest first, and the signature before anything in the payload is
 * parsed. Throws InvalidCursorError with the reason (tests assert it; callers see only `cursor`).
 */
export function decodeCursor(
  cursor: string,
  key: Uint8Array,
  expected: { fingerprint: string; partitions: string[]; rule: ListEntryRule },
): CursorState {
  if (cursor.length > MAX_CURSOR_LENGTH) throw new InvalidCursorError('oversized');
  const parts = cursor.split('.');
  if (!parts.every((part) => BASE64URL.test(part))) throw new InvalidCursorError('not-base64url');
  const [payload, signature] = parts;
  if (parts.length !== 2 || !payload || signature?.length !== SIGNATURE_LENGTH)
    throw new InvalidCursorError('no-signature');
  // Compared as text, not decoded bytes: base64url's last character carries two spare bits, so
  // decoding would accept four spellings of one signature, and an edited cursor would pass.
  if (!timingSafeEqual(Buffer.from(signature), Buffer.from(sign(payload, key).toString('base64url'))))
    throw new InvalidCursorError('bad-signature');

  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
  } catch {
    throw new InvalidCursorError('bad-json');
  }
  cursorShape ??= buildCursorShape();
  const shape = cursorShape.safeParse(parsed);
  if (!shape.success) throw new InvalidCursorError('bad-shape');
  const state = shape.data;
  if (state.v !== CURSOR_VERSION) throw new InvalidCursorError('wrong-version');
  if (state.f !== expected.fingerprint) throw new InvalidCursorError('other-filters');
  const named = Object.keys(state.p);
  if (named.length !== expected.partitions.length || !named.every((p) => expected.partitions.includes(p)))
    throw new InvalidCursorError('other-partitions');
  for (const [partition, position] of Object.entries(state.p)) {
    if (typeof position === 'object' && !isListEntry(position, partition, expected.rule))
      throw new InvalidCursorError('not-a-list-entry');
  }
  return state as CursorState;
}

const ID = '[A-Za-z0-9_-]{1,64}';

/** Exactly the four key attributes of an item of this entity, in this partition of the index. */
function isListEntry(key: Key, partition: string, rule: ListEntryRule): boolean {
  const names = Object.keys(key).sort();
  const expectedNames = ['PK', 'SK', rule.partitionKey, rule.sortKey].sort();
  if (names.length !== expectedNames.length || names.some((name, i) => name !== expectedNames[i]))
    return false;
  const id = new RegExp(`^${rule.entity}#(${ID})$`).exec(key.PK ?? '')?.[1];
  return (
    id !== undefined &&
    key.SK === 'META' &&
    key[rule.partitionKey] === partition &&
    // Index sort keys are `<date or time>#<id>`.
    new RegExp(`^[0-9][0-9T:.Z+-]{0,40}#${id}$`).test(key[rule.sortKey] ?? '')
  );
}
