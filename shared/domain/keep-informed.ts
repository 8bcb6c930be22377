import type { Actor } from '../auth/officer';
import type { Channel, Contact } from './feedback-submission';

/**
 * "Tell me what happens": a family's consent to one message when their feedback is answered and
 * one when a "You said, we did" update that links it is published (shared/domain/family-messages.ts).
 * Kept on the feedback item as a record, not a flag: when it was given, how, to which wording, and
 * when and how it was withdrawn. Withdrawal stops every later message and is never undone by the
 * service (a family who wants messages again asks an officer, who records new feedback).
 */
export interface KeepInformedConsent {
  givenAt: string;
  /**
   * How it was given: the channel the feedback came in by. `web` is the family's own tick on the
   * form; any other channel is an officer recording what the family said (phone, letter, …).
   */
  givenVia: Channel;
  /** The wording the family agreed to (KEEP_INFORMED_WORDING): a change of wording is a new version. */
  wording: string;
  withdrawnAt?: string;
  /** `stop_link`: the family's own link from a message; `officer`: recorded on their behalf. */
  withdrawnVia?: WithdrawalRoute;
}

export const WITHDRAWAL_ROUTES = ['stop_link', 'officer'] as const;
export type WithdrawalRoute = (typeof WITHDRAWAL_ROUTES)[number];

/**
 * The version of what the form's checkbox and hint say (embed/feedback-form.ts) and so what a
 * family agreed to. Change it with the words.
 */
export const KEEP_INFORMED_WORDING = 'tell-me-what-happens/v1';

/** Who the history names when the family used the stop link in a message: no officer did. */
export const FAMILY_STOP_ACTOR: Actor = {
  sub: 'family:stop-messages-link',
  name: 'The family (stop link in a message)',
};

/**
 * UK mobile numbers, the only phones Notify texts: 07…, +447…, 00447…, as people write them
 * (spaces, dashes, brackets, the `+44 (0)` habit), like isUkPhoneNumber.
 */
export function isUkMobileNumber(value: string): boolean {
  const digits = value.replace(/^\+44\s*\(0\)/, '+44').replace(/[\s\-().]/g, '');
  return /^(?:\+44|0044|0)7\d{9}$/.test(digits);
}

/** How a family is told: email when they gave one, else a text to a UK mobile; undefined when neither. */
export type MessageChannel = 'email' | 'sms';
export function messageChannelOf(contact: Partial<Contact> | undefined): MessageChannel | undefined {
  if (contact?.email) return 'email';
  if (contact?.phone && isUkMobileNumber(contact.phone)) return 'sms';
  return undefined;
}

/** The consent record intake stores, when the family ticked the box. */
export function consentGiven(channel: Channel, at: Date): KeepInformedConsent {
  return { givenAt: at.toISOString(), givenVia: channel, wording: KEEP_INFORMED_WORDING };
}

/** Whether messages may go now: consent given, not withdrawn, and a way to reach them. */
export function keepsInformed(feedback: {
  keepInformed?: KeepInformedConsent | undefined;
  contact?: Partial<Contact> | undefined;
}): boolean {
  return (
    feedback.keepInformed !== undefined &&
    feedback.keepInformed.withdrawnAt === undefined &&
    messageChannelOf(feedback.contact) !== undefined
  );
}

/** What officers and the family's stop page see: the state, never the contact details. */
export interface KeepInformedState {
  reference: string;
  keepInformed: 'yes' | 'withdrawn' | 'never_asked';
  givenAt?: string;
  withdrawnAt?: string;
  withdrawnVia?: WithdrawalRoute;
}

export function keepInformedStateOf(feedback: {
  reference: string;
  keepInformed?: KeepInformedConsent | undefined;
}): KeepInformedState {
  const consent = feedback.keepInformed;
  if (!consent) return { reference: feedback.reference, keepInformed: 'never_asked' };
  return {
    reference: feedback.reference,
    keepInformed: consent.withdrawnAt ? 'withdrawn' : 'yes',
    givenAt: consent.givenAt,
    ...(consent.withdrawnAt ? { withdrawnAt: consent.withdrawnAt } : {}),
    ...(consent.withdrawnVia ? { withdrawnVia: consent.withdrawnVia } : {}),
  };
}
