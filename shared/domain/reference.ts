import { randomInt } from 'node:crypto';

/**
 * Letters and digits that survive being read aloud over the phone: no 0/O, 1/I/L, or U
 * (Crockford's reasoning), and no vowels-turned-words trouble beyond that.
 */
const ALPHABET = '23456789ABCDEFGHJKMNPQRSTVWXYZ';

/** Normalises what a caller read out or typed: case, spaces and the look-alikes people swap in. */
export function normaliseReference(input: string): string {
  return input.toUpperCase().replace(/[\s-]/g, '').replace(/O/g, '0').replace(/[IL]/g, '1');
}

/**
 * A short reference like `K7QM-92PD`: 8 characters from 30 gives 6.5 × 10^11 values, so clashes are
 * rare; storage still refuses a duplicate and the caller draws again, which is what makes it unique.
 */
export function newReference(random: (max: number) => number = randomInt): string {
  let chars = '';
  for (let i = 0; i < 8; i++) chars += ALPHABET[random(ALPHABET.length)];
  return `${chars.slice(0, 4)}-${chars.slice(4)}`;
}

export const REFERENCE_PATTERN = /^[2-9A-HJKMNP-TV-Z]{4}-[2-9A-HJKMNP-TV-Z]{4}$/;
