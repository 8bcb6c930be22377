import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { personalDataErrors, personalDataIn } from '../../shared/domain/redaction';
import { newReference } from '../../shared/domain/reference';

describe('personal data in public text', () => {
  it.each([
    ['Write to jo.bloggs+send@example.co.uk for help', ['email address']],
    ['Ring 07700 900982', ['UK phone number']],
    ['Ring +44 (0)20 7946 0018', ['UK phone number']],
    ['Ring 0044 161-496-0000', ['UK phone number']],
    ['We met at SW1A 1AA', ['UK postcode']],
    ['We met at m1 1ae', ['UK postcode']],
    ['About K7QM-92PD', ['feedback reference']],
    ['about k7qm92pd', ['feedback reference']],
  ])('finds it in %j', (text, kinds) => {
    expect(personalDataIn(text)).toEqual(kinds);
  });

  it.each([
    'Transport changes now arrive ten school days ahead, from 2027.',
    'STRENGTH and SEND-TEAM are words, not references.',
    'We will review 25 EHCPs by March; 3,500 families were asked.',
    'Year 9 pupils, KS4 and 16-25 provision.',
  ])('leaves ordinary text alone: %j', (text) => {
    expect(personalDataIn(text)).toEqual([]);
  });

  it('finds linked submitters by name (whole words, any case), email and phone however typed', () => {
    const people = [
      {
        name: 'Anne-Marie O’Neill',
        email: 'amo@example.com',
        phone: '+44 7700 900 123',
        reference: 'ZZZZ-WWWW',
      },
    ];
    expect(personalDataIn('we spoke to anne-marie o’neill', people)).toEqual(["a linked submitter's name"]);
    expect(personalDataIn('MARIE asked us', people)).toEqual(["a linked submitter's name"]);
    expect(personalDataIn('Mariettas asked us', people)).toEqual([]);
    expect(personalDataIn('text 07700-900-123 please', people)).toContain(
      "a linked submitter's phone number",
    );
    expect(personalDataIn('about zzzzwwww', people)).toEqual(['feedback reference']);
    expect(personalDataIn('We will act', [{ name: 'Will May' }])).toEqual([]);
    expect(personalDataIn('will may came', [{ name: 'Will May' }])).toEqual(["a linked submitter's name"]);
  });

  it('names each field and what was found, without repeating what was found', () => {
    const errors = personalDataErrors(
      { title: 'Fine', youSaid: 'Email a@b.example or call 07700 900982', weDid: undefined },
      [],
    );
    expect(errors).toEqual([
      {
        path: 'youSaid',
        message: 'Contains an email address, a UK phone number: public text must identify no one',
      },
    ]);
  });

  it('finds a reference that a word before it overlaps (regression: "ante AAAA-2222" was missed)', () => {
    expect(personalDataIn('ante AAAA-2222 vitae')).toEqual(['feedback reference']);
    expect(personalDataIn('we need AAAA 2222 today')).toEqual(['feedback reference']);
  });

  it('finds every generated email, UK phone number, postcode and reference, wherever it sits (property)', () => {
    const digits = (n: number) =>
      fc.array(fc.integer({ min: 0, max: 9 }), { minLength: n, maxLength: n }).map((d) => d.join(''));
    const phone = fc
      .tuple(
        fc.constantFrom('07', '01', '02', '03'),
        digits(9),
        fc.constantFrom('0', '+44 ', '+44 (0)', '0044 '),
      )
      .map(([start, rest, prefix]) => `${prefix}${start.slice(1)}${rest.slice(0, 3)} ${rest.slice(3)}`);
    const postcode = fc
      .tuple(
        fc.constantFrom('SW1A', 'M1', 'B33', 'CR2', 'LS10', 'EC1V'),
        fc.integer({ min: 0, max: 9 }),
        fc.constantFrom('AA', 'BD', 'XZ', 'NP'),
      )
      .map(([out, n, tail]) => `${out} ${n}${tail}`);
    const reference = fc
      .array(fc.integer({ min: 0, max: 29 }), { minLength: 8, maxLength: 8 })
      .map((picks) => {
        let i = 0;
        return newReference(() => picks[i++] as number);
      })
      .filter((ref) => /\d/.test(ref));
    const detail = fc.oneof(
      fc.emailAddress(),
      phone,
      postcode,
      reference,
      reference.map((r) => r.replace('-', '').toLowerCase()),
    );
    fc.assert(
      fc.property(fc.lorem({ maxCount: 6 }), detail, fc.lorem({ maxCount: 6 }), (before, found, after) => {
        expect(personalDataIn(`${before} ${found} ${after}`).length).toBeGreaterThan(0);
      }),
      { numRuns: 1_000 },
    );
  });
});
