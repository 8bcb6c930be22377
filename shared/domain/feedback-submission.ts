import * as z from 'zod/mini';
import { GENERAL_PROJECT_ID } from '../config/default-projects';
import { CHANNELS } from './channels';
import { FeedbackKind, ProjectId } from './input-fields';
import { messageChannelOf } from './keep-informed';
import './zod-messages';

export const MESSAGE_MAX_CHARACTERS = 5000;

export const SUBMITTER_ROLES = ['child_or_young_person', 'parent_or_carer', 'professional', 'other'] as const;
export const SubmitterRole = z.enum(SUBMITTER_ROLES, {
  error: `Choose one of: ${SUBMITTER_ROLES.join(', ')}`,
});
export type SubmitterRole = z.infer<typeof SubmitterRole>;

export { CHANNELS };
export const Channel = z.enum(CHANNELS, { error: `Choose one of: ${CHANNELS.join(', ')}` });
export type Channel = z.infer<typeof Channel>;

// Made on first use: building a Segmenter loads ICU break data (about 8 ms of a cold start), and
// text no longer than the limit in UTF-16 units never needs it.
let graphemes: Intl.Segmenter | undefined;

/**
 * At most `max` characters as people count them (grapheme clusters): a family emoji 👨‍👩‍👧‍👦 (seven
 * code points), a flag, or a Welsh ŵ typed as w + combining circumflex is one. A cluster is at least
 * one UTF-16 unit, so text that short needs no counting; longer text is bounded by the body limit
 * (32 KiB), and counting stops at the first character over.
 */
export function fitsCharacters(text: string, max: number): boolean {
  if (text.length <= max) return true;
  let count = 0;
  graphemes ??= new Intl.Segmenter('en', { granularity: 'grapheme' });
  for (const _ of graphemes.segment(text)) if (++count > max) return false;
  return true;
}

/**
 * UK numbers as people write them: spaces, dashes, brackets, `+44`, `0044` or a leading 0,
 * and the `+44 (0)` habit. Kept as typed; only its shape is checked.
 */
const UK_PHONE = /^(?:\+44|0044|0)[1-9]\d{8,9}$/;
export function isUkPhoneNumber(value: string): boolean {
  const digits = value.replace(/^\+44\s*\(0\)/, '+44').replace(/[\s\-().]/g, '');
  return UK_PHONE.test(digits);
}

const PHONE_MESSAGE = 'Enter a UK phone number, like 01632 960 001 or 07700 900 982';

export const Contact = z.strictObject({
  name: z.optional(
    z.string().check(z.trim(), z.minLength(1, 'Enter a name, or leave it out'), z.maxLength(200)),
  ),
  email: z.optional(z.email('Enter an email address like name@example.com').check(z.maxLength(254))),
  phone: z.optional(
    z
      .string(PHONE_MESSAGE)
      .check(z.trim(), z.maxLength(30, PHONE_MESSAGE), z.refine(isUkPhoneNumber, PHONE_MESSAGE)),
  ),
});
export type Contact = z.infer<typeof Contact>;

/** The body of `POST /feedback`, as a family's web form sends it. Unknown fields are refused. */
export const FeedbackSubmission = z
  .strictObject({
    kind: FeedbackKind,
    message: z.string('Enter your message').check(
      z.trim(),
      z.minLength(1, 'Enter your message'),
      z.refine(
        (text) => fitsCharacters(text, MESSAGE_MAX_CHARACTERS),
        `Message must be ${MESSAGE_MAX_CHARACTERS} characters or fewer`,
      ),
    ),
    submitterRole: SubmitterRole,
    projectId: z._default(ProjectId, GENERAL_PROJECT_ID),
    satisfaction: z.optional(
      z.int('Satisfaction must be a whole number from 1 to 5').check(z.minimum(1), z.maximum(5)),
    ),
    channel: z._default(Channel, 'web'),
    contact: z.optional(Contact),
    consentToContact: z.optional(z.boolean('consentToContact must be true or false')),
    /**
     * "Tell me what happens": one message when it is answered and one when a "You said, we did"
     * update linking it is published (shared/domain/keep-informed.ts). Only with contact details
     * that a message can reach: an email address or a UK mobile number.
     */
    keepMeInformed: z.optional(z.boolean('keepMeInformed must be true or false')),
    /** Honeypot: invisible to people, so anything in it came from a bot. */
    website: z.optional(z.string().check(z.maxLength(2000))),
  })
  // Runs even when other fields failed, so a form learns of every problem in one round trip; the
  // values may then be unparsed, hence the defensive reads.
  .check(
    z.superRefine(
      (submission, ctx) => {
        const contact: Partial<Contact> | undefined =
          typeof submission.contact === 'object' && submission.contact !== null
            ? submission.contact
            : undefined;
        if (submission.keepMeInformed === true && messageChannelOf(contact) === undefined) {
          ctx.addIssue({
            code: 'custom',
            path: ['keepMeInformed'],
            message: contact
              ? 'We can tell you what happens by email or by text message: give an email address or a UK mobile number, or untick the box'
              : 'Give an email address or a UK mobile number so that we can tell you what happens, or untick the box',
          });
        }
        if (!contact) return;
        if (contact.email === undefined && contact.phone === undefined) {
          ctx.addIssue({
            code: 'custom',
            path: ['contact'],
            message: 'Give an email address or a phone number',
          });
        }
        if (submission.consentToContact !== true) {
          ctx.addIssue({
            code: 'custom',
            path: ['consentToContact'],
            message:
              'Confirm that we may contact you (consentToContact: true), or leave out your contact details',
          });
        }
      },
      { when: (payload) => typeof payload.value === 'object' && payload.value !== null },
    ),
  );
export type FeedbackSubmission = z.infer<typeof FeedbackSubmission>;
