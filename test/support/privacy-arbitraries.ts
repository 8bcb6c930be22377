import fc from 'fast-check';
import type { SubmitterRole } from '../../shared/domain/feedback-submission';
import { newReference } from '../../shared/domain/reference';

/** Generated families' details for the privacy properties, and checks that output holds none of them. */
export const CLEAN_WORDS = [
  'families',
  'told',
  'us',
  'transport',
  'was',
  'late',
  'we',
  'changed',
  'the',
  'contract',
  'school',
  'letters',
  'now',
  'arrive',
  'earlier',
  'short',
  'breaks',
  'more',
  'places',
  'reviews',
  'faster',
  'parents',
  'asked',
  'for',
  'clearer',
  'plans',
  'and',
  'support',
  'in',
  'holidays',
  'training',
];

export interface GeneratedPerson {
  first: string;
  last: string;
  email: string;
  phone: string;
  role: SubmitterRole;
  message: string;
  reference: string;
}

const word = fc.stringMatching(/^[A-Z][a-z]{3,9}$/);
const digits = (n: number) =>
  fc.array(fc.integer({ min: 0, max: 9 }), { minLength: n, maxLength: n }).map((d) => d.join(''));
const phone = fc
  .tuple(fc.constantFrom('7', '1', '2', '3'), digits(9), fc.constantFrom('0', '+44 ', '+44 (0)', '0044 '))
  .map(
    ([start, rest, prefix]) => `${prefix}${start}${rest.slice(0, 3)} ${rest.slice(3, 6)} ${rest.slice(6)}`,
  );
const reference = fc.array(fc.integer({ min: 0, max: 29 }), { minLength: 8, maxLength: 8 }).map((picks) => {
  let i = 0;
  return newReference(() => picks[i++] as number);
});

/** Names never equal a word the output uses anyway (a project titled "General …", a status "Done"). */
export const person = (reserved: ReadonlySet<string>): fc.Arbitrary<GeneratedPerson> =>
  fc.record({
    first: word.filter((w) => !reserved.has(w.toLowerCase()) && !CLEAN_WORDS.includes(w.toLowerCase())),
    last: word.filter((w) => !reserved.has(w.toLowerCase()) && !CLEAN_WORDS.includes(w.toLowerCase())),
    email: fc.emailAddress().filter((e) => e.length <= 254),
    phone,
    role: fc.constantFrom<SubmitterRole>('child_or_young_person', 'parent_or_carer', 'professional', 'other'),
    message: fc.lorem({ maxCount: 8 }).map((text) => `${text} secretmarker${text.length}`),
    reference,
  });

/** A detail of one person, written as an officer might paste it (any case). */
export const detailOf = (p: GeneratedPerson) =>
  fc.constantFrom(
    `${p.first} ${p.last}`,
    p.first.toUpperCase(),
    p.last.toLowerCase(),
    p.email,
    p.email.toUpperCase(),
    p.phone,
    p.phone.replace(/\D/g, ''),
    p.reference,
    p.reference.replace('-', '').toLowerCase(),
  );

export const cleanText = fc
  .array(fc.constantFrom(...CLEAN_WORDS), { minLength: 3, maxLength: 12 })
  .map((words) => words.join(' '));

/** Every place a person's details could show, looked for in one public response. */
export function leaksOf(
  output: string,
  people: readonly GeneratedPerson[],
  extraIds: readonly string[] = [],
): string[] {
  const lower = output.toLowerCase();
  const leaks: string[] = [];
  const wholeWord = (w: string) =>
    new RegExp(`(?<![\\p{L}\\p{N}])${w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![\\p{L}\\p{N}])`, 'iu').test(
      output,
    );
  for (const p of people) {
    for (const name of [p.first, p.last]) if (wholeWord(name)) leaks.push(name);
    if (lower.includes(p.email.toLowerCase())) leaks.push(p.email);
    if (output.includes(p.phone) || output.includes(p.phone.replace(/\D/g, ''))) leaks.push(p.phone);
    if (
      lower.includes(p.reference.toLowerCase()) ||
      lower.includes(p.reference.replace('-', '').toLowerCase())
    )
      leaks.push(p.reference);
    if (output.includes(p.message)) leaks.push('message');
  }
  for (const id of extraIds) if (lower.includes(id.toLowerCase())) leaks.push(id);
  return leaks;
}
