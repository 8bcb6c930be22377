import { randomInt } from 'node:crypto';

/**
 * Letters and digits that survive being read aloud over the phone or copied from a letter: no 0/O,
 * 1/I/L or U (Crockford's reasoning, stricter).
 */
const ALPHABET = '23456789ABCDEFGHJKMNPQRSTVWXYZ';

/**
 * A short reference like `K7QM-92PD` that a parent can read out on the phone. 8 characters from 30
 * give 6.5 × 10^11 values; uniqueness does not rest on that: storage refuses a reference already
 * taken and the caller draws again.
 */
export function newReference(random: (max: number) => number = randomInt): string {
  let chars = '';
  for (let i = 0; i < 8; i++) chars += ALPHABET[random(ALPHABET.length)];
  return `${chars.slice(0, 4)}-${chars.slice(4)}`;
}

/**
 * A reference from a hash (see intake-key.ts): the digest read as one big number, written in base
 * 30. 256 bits against 30^8 ≈ 2^39: every reference is as likely as any other, to within 2^-200.
 */
export function referenceFromDigest(digest: Uint8Array): string {
  let rest = BigInt(`0x${Buffer.from(digest).toString('hex')}`);
  let chars = '';
  for (let i = 0; i < 8; i++) {
    chars += ALPHABET[Number(rest % 30n)];
    rest /= 30n;
  }
  return `${chars.slice(0, 4)}-${chars.slice(4)}`;
}

export const REFERENCE_PATTERN = /^[2-9A-HJKMNP-TV-Z]{4}-[2-9A-HJKMNP-TV-Z]{4}$/;
/** Ids of feedback and events: a reference without its hyphen. */
export const ITEM_ID_PATTERN = /^[2-9A-HJKMNP-TV-Z]{8}$/;

/**
 * A feedback item's id is its reference without the hyphen (`K7QM92PD`). One value for both means
 * one conditional write makes the reference unique: no second item, no transaction.
 */
export function idOfReference(reference: string): string {
  return reference.replace('-', '');
}

/** What a caller typed or read out (any case, spaces or hyphens), as an id. */
export function normaliseReference(input: string): string {
  return input.toUpperCase().replace(/[\s-]/g, '');
}
