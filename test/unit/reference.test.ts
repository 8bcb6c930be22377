import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  idOfReference,
  newReference,
  normaliseReference,
  REFERENCE_PATTERN,
} from '../../shared/domain/reference';

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

  it('are the id without its hyphen, and what a caller types normalises to that id', () => {
    expect(idOfReference('K7QM-92PD')).toBe('K7QM92PD');
    expect(normaliseReference(' k7qm 92pd ')).toBe('K7QM92PD');
    expect(normaliseReference('k7qm-92pd')).toBe('K7QM92PD');
  });
});
