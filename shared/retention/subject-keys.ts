import { createHmac } from 'node:crypto';
import type { Contact } from '../domain/feedback-submission';

/**
 * How an admin finds one family's feedback for a subject access request (or an erasure) by the
 * email address or phone number they gave, without the lookup holding either in the clear: each
 * is normalised, then keyed-hashed (HMAC-SHA256 with the subject lookup key,
 * shared/config/subject-lookup-key.ts). Intake stores the hashes on the item (`subjectKeys`) and
 * one lookup entry per hash (shared/storage/keys.ts `subjectLookupKey`); the search hashes what
 * the admin typed the same way. Without the key a hash cannot be tested against a guessed
 * address, which a plain SHA-256 of an email address could.
 *
 * A hash only points the search at candidates: the search then compares the stored contact
 * details themselves (normalised), so a stale entry can never hand over someone else's item.
 */
export type SubjectChannel = 'email' | 'phone';

/** `email.<43 characters>`: which detail, and its keyed hash (base64url). */
export type SubjectKey = `${SubjectChannel}.${string}`;

/**
 * Email addresses as people retype them: spaces trimmed, any case. The part before the @ is
 * case-sensitive in theory; no mail system a family uses treats it so, and the search checks the
 * stored address after, so lower-casing both can only widen what is compared, never mix families.
 */
export const normaliseEmail = (email: string) => email.trim().toLowerCase();

/**
 * UK numbers as written on a form or read out: digits only, in the national form (`07700900982`),
 * whether typed with spaces, brackets, dashes, `+44`, `0044` or the `+44 (0)` habit.
 */
export function normalisePhone(phone: string): string {
  const digits = phone
    .trim()
    .replace(/^\+44\s*\(0\)/, '+44')
    .replace(/[\s\-().]/g, '');
  if (digits.startsWith('+44')) return `0${digits.slice(3)}`;
  if (digits.startsWith('0044')) return `0${digits.slice(4)}`;
  return digits;
}

const normalisers: Record<SubjectChannel, (value: string) => string> = {
  email: normaliseEmail,
  phone: normalisePhone,
};

export function subjectKeyOf(channel: SubjectChannel, value: string, key: Uint8Array): SubjectKey {
  const hash = createHmac('sha256', key)
    // Domain-separated: an email and a phone number that normalise alike never share a hash.
    .update(`you-said-we-did/subject/${channel}/v1\0${normalisers[channel](value)}`)
    .digest('base64url');
  return `${channel}.${hash}`;
}

/** The keys of the contact details a family gave: one for an email, one for a phone, none for neither. */
export function subjectKeysOf(contact: Contact | undefined, key: Uint8Array): SubjectKey[] {
  if (!contact) return [];
  return [
    ...(contact.email ? [subjectKeyOf('email', contact.email, key)] : []),
    ...(contact.phone ? [subjectKeyOf('phone', contact.phone, key)] : []),
  ];
}

/** Whether stored contact details are the ones searched for (the check after the lookup). */
export function contactMatches(
  contact: Contact | undefined,
  channel: SubjectChannel,
  value: string,
): boolean {
  const stored = contact?.[channel];
  return stored !== undefined && normalisers[channel](stored) === normalisers[channel](value);
}
