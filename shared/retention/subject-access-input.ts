import * as z from 'zod/mini';
import '../domain/zod-messages';
import { isUkPhoneNumber } from '../domain/feedback-submission';
import { officerText } from '../domain/officer-fields';
import { ITEM_ID_PATTERN, normaliseReference } from '../domain/reference';

/**
 * The bodies of the admins' subject-access routes. The search is a POST, not a GET with a query
 * string: an email address or phone number in a URL ends up in browser history and in any proxy's
 * or CDN's access logs, a body does not.
 */
const REFERENCE_MESSAGE = 'Use a reference like K7QM-92PD';
export const FeedbackReference = z.string(REFERENCE_MESSAGE).check(
  z.maxLength(20, REFERENCE_MESSAGE),
  z.refine((value) => ITEM_ID_PATTERN.test(normaliseReference(value)), REFERENCE_MESSAGE),
);

const PHONE_MESSAGE = 'Enter a UK phone number, like 01632 960 001 or 07700 900 982';

export const MAX_SEARCH_REFERENCES = 20;
export const MAX_ERASED_ITEMS = 50;

/** `POST /officer/subject-access`: the family's email, phone, references, any of them. */
export const SubjectSearch = z
  .strictObject({
    // Trimmed first: an address pasted from a letter or an email often brings a space with it.
    email: z.optional(
      z.pipe(
        z.string('Enter an email address like name@example.com').check(z.trim()),
        z.email('Enter an email address like name@example.com').check(z.maxLength(254)),
      ),
    ),
    phone: z.optional(
      z
        .string(PHONE_MESSAGE)
        .check(z.trim(), z.maxLength(30, PHONE_MESSAGE), z.refine(isUkPhoneNumber, PHONE_MESSAGE)),
    ),
    references: z.optional(
      z
        .array(FeedbackReference)
        .check(
          z.minLength(1, 'Give at least one reference, or leave references out'),
          z.maxLength(MAX_SEARCH_REFERENCES, `At most ${MAX_SEARCH_REFERENCES} references at once`),
        ),
    ),
  })
  .check(
    z.superRefine(
      (search, ctx) => {
        if (search.email === undefined && search.phone === undefined && search.references === undefined) {
          ctx.addIssue({
            code: 'custom',
            path: [],
            message: 'Give the email address, phone number or references the family gave (any of them)',
          });
        }
      },
      { when: (payload) => typeof payload.value === 'object' && payload.value !== null },
    ),
  );
export type SubjectSearch = z.infer<typeof SubjectSearch>;

/** `POST /officer/subject-access/erase`: which items (as the search found them), and the request. */
export const ErasureRequest = z.strictObject({
  references: z
    .array(FeedbackReference)
    .check(
      z.minLength(1, 'Name each item to erase, as the subject access search listed it'),
      z.maxLength(MAX_ERASED_ITEMS, `At most ${MAX_ERASED_ITEMS} items at once`),
    ),
  reason: officerText(500),
});
export type ErasureRequest = z.infer<typeof ErasureRequest>;

/** `GET /officer/retention/audit?month=2027-03&after=…&limit=…`. */
export const AuditQuery = z.strictObject({
  month: z
    .string('Give a month like 2027-03')
    .check(z.regex(/^20\d\d-(0[1-9]|1[0-2])$/, 'Give a month like 2027-03')),
  after: z.optional(z.string().check(z.minLength(1), z.maxLength(300))),
  limit: z._default(
    z
      .pipe(
        z.string().check(z.regex(/^\d{1,3}$/, 'limit is a whole number from 1 to 500')),
        z.transform(Number),
      )
      .check(z.refine((n) => n >= 1 && n <= 500, 'limit is a whole number from 1 to 500')),
    100,
  ),
});
export type AuditQuery = z.infer<typeof AuditQuery>;
