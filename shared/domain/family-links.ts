import { createHmac, timingSafeEqual } from 'node:crypto';
import { DomainError } from './errors';
import { ITEM_ID_PATTERN } from './reference';

/**
 * Family links: what lets a family act on their own feedback without signing in (ask for the next
 * stage of a complaint; later, stop the messages they get). A token names one item, one purpose and
 * one stage, signed with HMAC-SHA256 under a key only the functions that make or read links hold
 * (shared/config/family-link-key.ts), so it cannot be made up or edited to reach another item,
 * purpose or stage. It grants nothing else: it carries no name, no contact details, no expiry.
 * Whether the step is still open (a time window, a stage already left) is the caller's check,
 * against the stored item, so a link sent once stays meaningful and the answer stays honest.
 *
 * The token travels in a URL's fragment (`…/family/escalate.html#<token>`): browsers never send a
 * fragment to a server, so it reaches no access log, CDN log or Referer header; the page reads it
 * and POSTs it.
 *
 * Format: `<id>.<purpose>.<stage>.<signature>`, e.g. `K7QM92PD.escalate.1.3q2-…` (the signature is
 * the first 128 bits of the HMAC in base64url, 22 characters: a link stays short enough to type
 * from a letter). `stage` 0 means the link is not tied to a stage.
 */
export const FAMILY_LINK_PURPOSES = ['escalate', 'stop-messages'] as const;
export type FamilyLinkPurpose = (typeof FAMILY_LINK_PURPOSES)[number];

export interface FamilyLink {
  feedbackId: string;
  purpose: FamilyLinkPurpose;
  /** The stage the link acts on (an escalation link: the stage just answered); 0 for none. */
  stage: number;
}

const SIGNATURE_BYTES = 16;
const SIGNATURE_LENGTH = 22;
/** Far above any real token (8 + 13 + 2 + 22 and three dots): anything longer is refused unread. */
export const MAX_FAMILY_LINK_LENGTH = 120;
const SHAPE = /^([A-Za-z0-9]{1,64})\.([a-z-]{1,20})\.(\d{1,2})\.([A-Za-z0-9_-]{22})$/;

/** Why a token was refused (tests assert it; the family sees one message, naming `token`). */
export type FamilyLinkRefusal = 'not-text' | 'oversized' | 'bad-shape' | 'bad-signature' | 'other-purpose';

export class InvalidFamilyLinkError extends DomainError {
  readonly problemType = 'invalid-family-link';
  constructor(readonly reason: FamilyLinkRefusal) {
    super(
      'invalid',
      'This link is not one we sent, or it has been changed. Use the whole link from your letter or email, or contact us.',
      [{ path: 'token', message: 'Use the link exactly as it was sent to you' }],
    );
  }
}

/** What is signed: a fixed prefix (so no other HMAC made with this key can pass as a link), then the claims. */
const signedText = (link: FamilyLink) =>
  `you-said-we-did/family-link/v1\n${link.feedbackId}\n${link.purpose}\n${link.stage}`;

function signatureOf(link: FamilyLink, key: Uint8Array): string {
  return createHmac('sha256', key)
    .update(signedText(link))
    .digest()
    .subarray(0, SIGNATURE_BYTES)
    .toString('base64url');
}

export function signFamilyLink(link: FamilyLink, key: Uint8Array): string {
  if (!ITEM_ID_PATTERN.test(link.feedbackId)) throw new RangeError(`Not a feedback id: ${link.feedbackId}`);
  if (!Number.isInteger(link.stage) || link.stage < 0 || link.stage > 99)
    throw new RangeError(`A family link's stage is 0-99, got ${link.stage}`);
  return `${link.feedbackId}.${link.purpose}.${link.stage}.${signatureOf(link, key)}`;
}

/**
 * The link a token stands for, if it is one this service signed for `purpose`; otherwise
 * InvalidFamilyLinkError (400 naming `token`). The signature is checked before anything is looked up.
 */
export function readFamilyLink(token: unknown, key: Uint8Array, purpose: FamilyLinkPurpose): FamilyLink {
  if (typeof token !== 'string') throw new InvalidFamilyLinkError('not-text');
  if (token.length > MAX_FAMILY_LINK_LENGTH) throw new InvalidFamilyLinkError('oversized');
  const match = SHAPE.exec(token.trim());
  if (!match) throw new InvalidFamilyLinkError('bad-shape');
  const [, feedbackId = '', claimedPurpose = '', stage = '', signature = ''] = match;
  if (!(FAMILY_LINK_PURPOSES as readonly string[]).includes(claimedPurpose))
    throw new InvalidFamilyLinkError('bad-shape');
  const link: FamilyLink = {
    feedbackId,
    purpose: claimedPurpose as FamilyLinkPurpose,
    stage: Number(stage),
  };
  // Compared as text (as cursors are): base64url's last character carries spare bits, so decoding
  // would accept several spellings of one signature.
  const expected = Buffer.from(signatureOf(link, key));
  if (signature.length !== SIGNATURE_LENGTH || !timingSafeEqual(Buffer.from(signature), expected))
    throw new InvalidFamilyLinkError('bad-signature');
  // Only after the signature: a genuine link for another purpose is still the wrong link here.
  if (link.purpose !== purpose) throw new InvalidFamilyLinkError('other-purpose');
  return link;
}

/** The address a family opens: the page, with the token in the fragment (never the query string). */
export function familyLinkUrl(pageUrl: string, token: string): string {
  return `${pageUrl.replace(/#.*$/, '')}#${token}`;
}
