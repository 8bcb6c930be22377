import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { ensureFamilyLinkKeyFile } from '../../infra/local/data-dir';
import { familyLinkKey, useFamilyLinkKeySource } from '../../shared/config/family-link-key';
import {
  FAMILY_LINK_PURPOSES,
  type FamilyLink,
  familyLinkUrl,
  InvalidFamilyLinkError,
  readFamilyLink,
  signFamilyLink,
} from '../../shared/domain/family-links';
import { newReference } from '../../shared/domain/reference';
import { TEST_FAMILY_LINK_KEY } from '../support/signing';

const KEY = TEST_FAMILY_LINK_KEY;
const link = fc.record<FamilyLink>({
  feedbackId: fc.constant(null).map(() => newReference().replace('-', '')),
  purpose: fc.constantFrom(...FAMILY_LINK_PURPOSES),
  stage: fc.integer({ min: 0, max: 3 }),
});

const refusal = (token: unknown, purpose: FamilyLink['purpose'] = 'escalate', key: Uint8Array = KEY) => {
  try {
    readFamilyLink(token, key, purpose);
  } catch (error) {
    if (error instanceof InvalidFamilyLinkError) return error.reason;
    throw error;
  }
  return 'accepted';
};

describe('family links', () => {
  it('read back exactly what was signed, for its own purpose only (property)', () => {
    fc.assert(
      fc.property(link, (claims) => {
        const token = signFamilyLink(claims, KEY);
        expect(token.length).toBeLessThanOrEqual(60);
        expect(readFamilyLink(token, KEY, claims.purpose)).toEqual(claims);
        const other = FAMILY_LINK_PURPOSES.find((purpose) => purpose !== claims.purpose);
        if (other) expect(refusal(token, other)).toBe('other-purpose');
      }),
    );
  });

  it('refuse any change to a token, one character anywhere (property)', () => {
    const alphabet = 'ABCDEFGHJKMNPQRSTVWXYZ23456789abcdefghijklmnopqrstuvwxyz-_.';
    fc.assert(
      fc.property(link, fc.nat(), fc.constantFrom(...alphabet), (claims, at, replacement) => {
        const token = signFamilyLink({ ...claims, purpose: 'escalate' }, KEY);
        const index = at % token.length;
        fc.pre(token[index] !== replacement);
        const edited = `${token.slice(0, index)}${replacement}${token.slice(index + 1)}`;
        expect(refusal(edited)).not.toBe('accepted');
      }),
      { numRuns: 500 },
    );
  });

  it('refuse a token signed with another key, and anything that is not a token, before any lookup', () => {
    const claims = { feedbackId: 'K7QM92PD', purpose: 'escalate', stage: 1 } as const;
    expect(refusal(signFamilyLink(claims, Buffer.alloc(32, 1)))).toBe('bad-signature');
    expect(refusal(42)).toBe('not-text');
    expect(refusal('x'.repeat(500))).toBe('oversized');
    expect(refusal('K7QM92PD.escalate.1')).toBe('bad-shape');
    expect(refusal('K7QM92PD.unsubscribe.1.AAAAAAAAAAAAAAAAAAAAAA')).toBe('bad-shape');
    const error = new InvalidFamilyLinkError('bad-signature');
    expect(error).toMatchObject({
      kind: 'invalid',
      problemType: 'invalid-family-link',
      errors: [{ path: 'token' }],
    });
  });

  it('put the token in the page address’s fragment, never its query string', () => {
    const url = familyLinkUrl('https://council.example/family/escalate.html#old', 'TOKEN');
    expect(url).toBe('https://council.example/family/escalate.html#TOKEN');
    expect(new URL(url).search).toBe('');
  });
});

describe('the family-link key', () => {
  afterEach(() => {
    delete process.env.FAMILY_LINK_KEY_FILE;
    useFamilyLinkKeySource(() => TEST_FAMILY_LINK_KEY);
  });

  it('locally, is its own 0600 file in DATA_DIR, apart from the cursor key', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ysdw-family-key-'));
    const file = ensureFamilyLinkKeyFile(dir);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(file).toBe(join(dir, 'family-link-key'));
    useFamilyLinkKeySource(undefined);
    process.env.FAMILY_LINK_KEY_FILE = file;
    expect((await familyLinkKey()).toString()).toBe(readFileSync(file, 'utf8').trim());
  });

  it('is refused when missing, naming where it should come from', async () => {
    useFamilyLinkKeySource(undefined);
    await expect(familyLinkKey()).rejects.toThrow(
      /FAMILY_LINK_KEY_SECRET_ARN \(AWS\) or FAMILY_LINK_KEY_FILE/,
    );
  });
});
