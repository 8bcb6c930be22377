import * as z from 'zod/mini';
import './zod-messages';
import { COMPLAINT_PROCEDURES } from './complaint-procedure';
import { OFFICER_REQUEST_CHANNELS } from './complaint-stages';
import { MAX_FAMILY_LINK_LENGTH } from './family-links';
import { isoDate, officerText } from './officer-fields';

/** Request bodies of the complaint-stage routes. Strict: unknown fields are refused, by name. */

/** Why, in the words the family will read: required wherever the family is owed an explanation. */
const reason = officerText(2000);

/** `POST /officer/feedback/{id}/procedure` */
export const ProcedureInput = z.strictObject({
  procedure: z.enum(COMPLAINT_PROCEDURES, { error: `Choose one of: ${COMPLAINT_PROCEDURES.join(', ')}` }),
  reason,
});
export type ProcedureInput = z.infer<typeof ProcedureInput>;

/** `POST /officer/feedback/{id}/extend`; the procedure's maximum is checked against the stage (422). */
export const ExtensionInput = z.strictObject({
  extendByWorkingDays: z
    .int('Give a whole number of working days')
    .check(z.minimum(1, 'Extend by at least 1 working day'), z.maximum(65, 'No procedure allows more')),
  reason,
});
export type ExtensionInput = z.infer<typeof ExtensionInput>;

/** `POST /officer/feedback/{id}/escalate`: the family asked by phone, letter, email or in person. */
export const EscalationInput = z.strictObject({
  requestedAt: z.iso.datetime({
    offset: true,
    error: 'Give the time the family asked, like 2027-01-12T10:30:00Z',
  }),
  via: z.enum(OFFICER_REQUEST_CHANNELS, { error: `Choose one of: ${OFFICER_REQUEST_CHANNELS.join(', ')}` }),
  /** What the family said is still wrong (their words, kept private like the message). */
  reason: z.optional(z.string().check(z.trim(), z.maxLength(5000))),
});
export type EscalationInput = z.infer<typeof EscalationInput>;

/** `POST /officer/feedback/{id}/review-panel` */
export const ReviewPanelInput = z.strictObject({ heldOn: isoDate });
export type ReviewPanelInput = z.infer<typeof ReviewPanelInput>;

/** `POST /escalations`: what the family's page sends. */
export const FamilyEscalationInput = z.strictObject({
  token: z
    .string('Use the link exactly as it was sent to you')
    .check(z.minLength(1, 'Use the link exactly as it was sent to you'), z.maxLength(MAX_FAMILY_LINK_LENGTH)),
  reason: z.optional(z.string().check(z.trim(), z.maxLength(5000, 'Write no more than 5,000 characters'))),
});
export type FamilyEscalationInput = z.infer<typeof FamilyEscalationInput>;
