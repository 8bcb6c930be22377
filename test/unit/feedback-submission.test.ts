import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  CHANNELS,
  FeedbackSubmission,
  isUkPhoneNumber,
  MESSAGE_MAX_CHARACTERS,
  SUBMITTER_ROLES,
} from '../../shared/domain/feedback-submission';
import { FEEDBACK_KINDS } from '../../shared/domain/project';
import { fieldErrorsOf } from '../../shared/http/parse';

const valid = {
  kind: 'complaint',
  message: 'The transport to school keeps being late.',
  submitterRole: 'parent_or_carer',
};

function errorsFor(body: unknown) {
  const result = FeedbackSubmission.safeParse(body);
  return result.success ? [] : fieldErrorsOf(result.error);
}

const paths = (body: unknown) => errorsFor(body).map((error) => error.path);

/** A message with at least one visible character: what a person could type, in any script. */
const message = fc
  .tuple(fc.string({ unit: 'grapheme', maxLength: 200 }), fc.constantFrom('a', 'ŵ', '🌟', '你', 'ب'))
  .map(([text, visible]) => `${text}${visible}`);

const validSubmission = fc.record(
  {
    kind: fc.constantFrom(...FEEDBACK_KINDS),
    message,
    submitterRole: fc.constantFrom(...SUBMITTER_ROLES),
    channel: fc.constantFrom(...CHANNELS),
    satisfaction: fc.integer({ min: 1, max: 5 }),
    projectId: fc.stringMatching(/^[a-z0-9][a-z0-9-]{0,20}$/),
  },
  { requiredKeys: ['kind', 'message', 'submitterRole'] },
);

describe('FeedbackSubmission', () => {
  it('accepts any well-formed submission and keeps its message exactly, trimmed (property)', () => {
    fc.assert(
      fc.property(validSubmission, (body) => {
        const parsed = FeedbackSubmission.parse(body);
        expect(parsed.message).toBe(body.message.trim());
        expect(parsed.kind).toBe(body.kind);
        expect(parsed.projectId).toBe(body.projectId ?? 'general');
        expect(parsed.channel).toBe(body.channel ?? 'web');
      }),
    );
  });

  it('keeps Welsh, emoji and other scripts exactly as sent', () => {
    const text = 'Diolch yn fawr 🌈 — mae’r gwasanaeth yn wych! ŵŷ 👨‍👩‍👧';
    expect(FeedbackSubmission.parse({ ...valid, message: text }).message).toBe(text);
  });

  it('counts characters as people do: 5000 emoji pass, 5001 do not', () => {
    expect(paths({ ...valid, message: '🌟'.repeat(MESSAGE_MAX_CHARACTERS) })).toEqual([]);
    expect(paths({ ...valid, message: '🌟'.repeat(MESSAGE_MAX_CHARACTERS + 1) })).toEqual(['message']);
  });

  it('refuses a message of only white space (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom(' ', '\n', '\t', '\u00a0', '\u2003'), { maxLength: 50 }),
        (spaces) => {
          expect(paths({ ...valid, message: spaces.join('') })).toEqual(['message']);
        },
      ),
    );
  });

  it('names every unknown field, at any depth (property)', () => {
    const known = new Set([
      'kind',
      'message',
      'submitterRole',
      'projectId',
      'satisfaction',
      'channel',
      'contact',
      'consentToContact',
      'website',
    ]);
    const unknownName = fc
      .stringMatching(/^[a-zA-Z_][a-zA-Z0-9_]{0,15}$/)
      .filter((name) => !known.has(name) && name !== '__proto__');
    fc.assert(
      fc.property(fc.uniqueArray(unknownName, { minLength: 1, maxLength: 5 }), (names) => {
        const body = { ...valid, ...Object.fromEntries(names.map((name) => [name, 1])) };
        expect(paths(body).sort()).toEqual([...names].sort());
      }),
    );
    expect(
      paths({ ...valid, contact: { email: 'a@example.com', fax: '1' }, consentToContact: true }),
    ).toEqual(['contact.fax']);
  });

  it('reports every failing field at once, cross-field rules included', () => {
    const errors = errorsFor({
      kind: 'moan',
      message: '',
      submitterRole: 'cat',
      satisfaction: 6,
      channel: 'pigeon',
      projectId: 'Not A Slug',
      contact: { email: 'not-an-email', phone: '12345' },
      consentToContact: false,
      extra: true,
    });
    expect(errors.map((error) => error.path).sort()).toEqual(
      [
        'kind',
        'message',
        'submitterRole',
        'satisfaction',
        'channel',
        'projectId',
        'contact.email',
        'contact.phone',
        'consentToContact',
        'extra',
      ].sort(),
    );
    for (const error of errors) expect(error.message.length).toBeGreaterThan(3);
  });

  it('says what is wrong with a field of the wrong type, rather than "Required"', () => {
    const errors = errorsFor({ ...valid, website: 7 });
    expect(errors).toEqual([{ path: 'website', message: expect.stringMatching(/expected string/) }]);
  });

  it('names required fields that are missing', () => {
    expect(paths({}).sort()).toEqual(['kind', 'message', 'submitterRole']);
  });

  it('refuses a body that is not an object', () => {
    for (const body of [null, [], 'text', 42]) expect(paths(body)).toEqual(['']);
  });

  it('needs consent, and a way to reply, when contact details are given', () => {
    expect(paths({ ...valid, contact: { email: 'sam@example.com' } })).toEqual(['consentToContact']);
    expect(paths({ ...valid, contact: { name: 'Sam' }, consentToContact: true })).toEqual(['contact']);
    expect(paths({ ...valid, contact: { phone: '07700 900982' }, consentToContact: true })).toEqual([]);
  });

  it('takes satisfaction as a whole number from 1 to 5 only (property)', () => {
    fc.assert(
      fc.property(fc.oneof(fc.integer(), fc.double(), fc.string()), (satisfaction) => {
        const ok =
          Number.isInteger(satisfaction) && (satisfaction as number) >= 1 && (satisfaction as number) <= 5;
        expect(paths({ ...valid, satisfaction })).toEqual(ok ? [] : ['satisfaction']);
      }),
    );
  });
});

describe('UK phone numbers', () => {
  it.each([
    '07700 900982',
    '07700900982',
    '+44 7700 900982',
    '+44 (0)20 7946 0958',
    '020 7946 0958',
    '(01632) 960 001',
    '0044 1632 960001',
    '01697 73123',
  ])('accepts %s', (number) => expect(isUkPhoneNumber(number)).toBe(true));

  it.each(['12345', '+1 202 555 0143', '0770090098212345', 'call me', '00000 000000', '+44'])(
    'refuses %s',
    (number) => expect(isUkPhoneNumber(number)).toBe(false),
  );
});
