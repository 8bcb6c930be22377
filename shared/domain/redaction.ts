import type { FieldError } from './errors';

/**
 * Personal data in text meant for the public. Publishing (and editing a published update) is refused
 * when a public field holds any of these: the officer rewrites it, nothing is silently masked, so
 * what families read is what an officer chose to say.
 *
 * Patterns lean towards refusing: a false alarm costs an officer a rewording, a miss could identify
 * a child. Where a pattern would refuse ordinary English (an eight-letter word is spelt from the
 * reference alphabet), it asks for a digit, and the linked feedback's own references are matched
 * exactly whatever they look like.
 */
export type PersonalDataKind =
  | 'email address'
  | 'UK phone number'
  | 'UK postcode'
  | 'feedback reference'
  | "a linked submitter's name"
  | "a linked submitter's email address"
  | "a linked submitter's phone number";

/** What is known about the people behind the linked feedback. Never stored on an update. */
export interface KnownPerson {
  name?: string;
  email?: string;
  phone?: string;
  reference?: string;
}

const NOT_WORD_BEFORE = '(?<![\\p{L}\\p{N}])';
const NOT_WORD_AFTER = '(?![\\p{L}\\p{N}])';
const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const wholeWords = (phrase: string) =>
  new RegExp(`${NOT_WORD_BEFORE}${escapeRegExp(phrase).replace(/\s+/g, '\\s+')}${NOT_WORD_AFTER}`, 'iu');

const EMAIL = /[^\s@<>()[\],;:"]+@[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)+/iu;
/** +44, 0044 or 0, then 9 or 10 more digits, with the spaces, dashes, dots and brackets people type. */
const UK_PHONE =
  /(?<![\p{N}])(?:\+\s?44|0044|\(?0)[\s\-.()]*(?:\(0\)[\s\-.()]*)?[1-9](?:[\s\-.()]*\d){8,9}(?![\p{N}])/u;
/** Outward code (A9, A99, A9A, AA9, AA99, AA9A), optional space, inward code (9AA). */
const UK_POSTCODE = /(?<![\p{L}\p{N}])[A-Z]{1,2}\d[A-Z\d]?\s*\d[ABD-HJLNP-UW-Z]{2}(?![\p{L}\p{N}])/iu;
/** A reference as a parent writes it (K7QM-92PD, k7qm 92pd, K7QM92PD); see hasReference. */
const REFERENCE_ALPHABET = '[2-9A-HJKMNP-TV-Z]';
const REFERENCE = new RegExp(
  `${NOT_WORD_BEFORE}${REFERENCE_ALPHABET}{4}[\\s-]?${REFERENCE_ALPHABET}{4}${NOT_WORD_AFTER}`,
  'giu',
);
/**
 * Only candidates with a digit: "STRENGTH" and "SEND-TEAM" are spelt from the same alphabet.
 * Candidates may overlap ("ante AAAA-2222": "ante AAAA" would hide "AAAA-2222"), so the search
 * steps one character past the start of each candidate rather than past its end.
 */
function hasReference(text: string): boolean {
  const search = new RegExp(REFERENCE.source, REFERENCE.flags);
  for (let match = search.exec(text); match; match = search.exec(text)) {
    if (/\d/.test(match[0])) return true;
    search.lastIndex = match.index + 1;
  }
  return false;
}

/**
 * Words too common to refuse alone ("we will", "in May"): a name made of them is still matched as
 * a whole name, just not word by word.
 */
const COMMON_WORDS = new Set(
  'a an and as at be by do for go he her his i if in is it me my no of on or our so the to up us we will may can mark rose grace hope joy faith ray sky'.split(
    ' ',
  ),
);

/** A phone number as a pattern over its digits, whatever was typed between them. */
function phonePattern(phone: string): RegExp | undefined {
  const digits = phone.replace(/\D/g, '');
  const national = digits.replace(/^(?:0044|44|0)/, '');
  if (national.length < 6) return undefined;
  return new RegExp(
    `(?<![\\p{N}])(?:(?:\\+|00)?44[\\s\\-.()]*(?:\\(0\\))?|0)?[\\s\\-.()]*${[...national].join('[\\s\\-.()]*')}(?![\\p{N}])`,
    'u',
  );
}

interface Detector {
  kind: PersonalDataKind;
  test: (text: string) => boolean;
}

const matching = (kind: PersonalDataKind, pattern: RegExp): Detector => ({
  kind,
  test: (text) => pattern.test(text),
});

function detectorsFor(people: readonly KnownPerson[]): Detector[] {
  const detectors: Detector[] = [
    matching('email address', EMAIL),
    matching('UK phone number', UK_PHONE),
    matching('UK postcode', UK_POSTCODE),
    { kind: 'feedback reference', test: hasReference },
  ];
  for (const person of people) {
    const name = person.name?.trim();
    if (name) {
      detectors.push(matching("a linked submitter's name", wholeWords(name)));
      for (const part of name.split(/[\s-]+/)) {
        const bare = part.replace(/^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu, '');
        if ([...bare].length >= 2 && !COMMON_WORDS.has(bare.toLowerCase())) {
          detectors.push(matching("a linked submitter's name", wholeWords(bare)));
        }
      }
    }
    if (person.email?.trim()) {
      detectors.push(matching("a linked submitter's email address", wholeWords(person.email.trim())));
    }
    const phone = person.phone ? phonePattern(person.phone) : undefined;
    if (phone) detectors.push(matching("a linked submitter's phone number", phone));
    if (person.reference) {
      const [left, right] = [person.reference.slice(0, 4), person.reference.replace('-', '').slice(4)];
      detectors.push(
        matching(
          'feedback reference',
          new RegExp(
            `${NOT_WORD_BEFORE}${escapeRegExp(left)}[\\s-]?${escapeRegExp(right)}${NOT_WORD_AFTER}`,
            'iu',
          ),
        ),
      );
    }
  }
  return detectors;
}

/** The kinds of personal data found in one text, each once, in a stable order. */
export function personalDataIn(text: string, people: readonly KnownPerson[] = []): PersonalDataKind[] {
  const found = new Set<PersonalDataKind>();
  for (const { kind, test } of detectorsFor(people)) if (test(text)) found.add(kind);
  return [...found];
}

/** One error per public field holding personal data, naming the field and what kind of thing was found. */
export function personalDataErrors(
  fields: Record<string, string | undefined>,
  people: readonly KnownPerson[],
): FieldError[] {
  const detectors = detectorsFor(people);
  const errors: FieldError[] = [];
  for (const [path, text] of Object.entries(fields)) {
    if (!text) continue;
    const kinds = [...new Set(detectors.filter((d) => d.test(text)).map((d) => d.kind))];
    if (kinds.length) {
      errors.push({
        path,
        message: `Contains ${kinds.map((kind) => (kind.startsWith('a ') ? kind : `a ${kind}`).replace(/^a email/, 'an email')).join(', ')}: public text must identify no one`,
      });
    }
  }
  return errors;
}
