import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { newReference, normaliseReference, REFERENCE_PATTERN } from '../../shared/domain/reference';

describe('references', () => {
  it('are two groups of four characters that cannot be misheard as one another (property)', () => {
    fc.assert(
      fc.property(fc.infiniteStream(fc.nat()), (stream) => {
        const reference = newReference((max) => stream.next().value % max);
        expect(reference).toMatch(REFERENCE_PATTERN);
        expect(reference).not.toMatch(/[01OILU]/);
      }),
    );
  });

  it('come out different across many draws', () => {
    const drawn = new Set(Array.from({ length: 10_000 }, () => newReference()));
    expect(drawn.size).toBe(10_000);
  });

  it('normalise what a caller types back to the stored form', () => {
    expect(normaliseReference(' k7qm 92pd ')).toBe('K7QM92PD');
    expect(normaliseReference('k7qm-92pd')).toBe('K7QM92PD');
  });
});
