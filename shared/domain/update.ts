import type { Actor } from '../auth/officer';
import type { FieldError } from './errors';
import type { IsoDate } from './london-time';
import type { VoiceCounts } from './public-counts';

/**
 * "You said, we did": an officer's public answer to many voices (SEND Regulations 2014, reg. 56).
 * Plain types and rules; the zod schemas for officers' requests are in update-input.ts.
 */
export const UPDATE_STATUSES = ['planned', 'in_progress', 'done', 'not_possible'] as const;
export type UpdateStatus = (typeof UPDATE_STATUSES)[number];

/** Statuses that look forward, and so may say by when. */
export const FORWARD_STATUSES: readonly UpdateStatus[] = ['planned', 'in_progress'];

export interface Update {
  id: string;
  projectId: string;
  /** The project's title when the update was last written: the feed shows it without a lookup. */
  projectTitle: string;
  title: string;
  /** What families told us, in our words. */
  youSaid: string;
  /** What we did, or will do. */
  weDid: string;
  status: UpdateStatus;
  /** Why not: required when `not_possible`. */
  reason?: string;
  /** A plain-language version. */
  easyRead?: string;
  expectedBy?: IsoDate;
  feedbackIds: string[];
  eventIds: string[];
  /** Raw counts over the linked feedback and events, refreshed on every write; public only suppressed. */
  voices: VoiceCounts;
  published: boolean;
  publishedAt?: string;
  publishedBy?: Actor;
  /** When it was first made public; publishing it again after unpublishing leaves this (the scorecard counts it then). */
  firstPublishedAt?: string;
  /** The public modified time: set on publishing and on every edit while published. */
  modifiedAt?: string;
  unpublishedAt?: string;
  unpublishedBy?: Actor;
  createdAt: string;
  createdBy: Actor;
  updatedAt: string;
  updatedBy: Actor;
  version: number;
}

/** Fields the public reads; each is checked for personal data before it may be public. */
export const PUBLIC_TEXT_FIELDS = ['title', 'youSaid', 'weDid', 'reason', 'easyRead'] as const;

/**
 * What the public feed indexes hold for a published update: no feedback ids, no officers, no
 * history. The feed and the annual report are built from this alone.
 */
export type PublicView = Pick<
  Update,
  // Named one by one, not Omit: a field added to Update stays private until someone decides otherwise.
  | 'id'
  | 'projectId'
  | 'projectTitle'
  | 'title'
  | 'youSaid'
  | 'weDid'
  | 'status'
  | 'reason'
  | 'easyRead'
  | 'expectedBy'
  | 'voices'
> & {
  /** Optional on Update, always present in public: publicViewOf falls back to updatedAt. */
  publishedAt: string;
  modifiedAt: string;
};

export function publicViewOf(update: Update): PublicView {
  return {
    id: update.id,
    projectId: update.projectId,
    projectTitle: update.projectTitle,
    title: update.title,
    youSaid: update.youSaid,
    weDid: update.weDid,
    status: update.status,
    ...(update.reason === undefined ? {} : { reason: update.reason }),
    ...(update.easyRead === undefined ? {} : { easyRead: update.easyRead }),
    ...(update.expectedBy === undefined ? {} : { expectedBy: update.expectedBy }),
    voices: update.voices,
    publishedAt: update.publishedAt ?? update.updatedAt,
    modifiedAt: update.modifiedAt ?? update.updatedAt,
  };
}

/**
 * Rules across fields: families are owed an honest reason when something cannot change, and only
 * work still to come has an expected date.
 */
export function ruleErrors(update: Pick<Update, 'status' | 'reason' | 'expectedBy'>): FieldError[] {
  const errors: FieldError[] = [];
  if (update.status === 'not_possible' && !update.reason) {
    errors.push({ path: 'reason', message: 'Say why this is not possible: families are owed the reason' });
  }
  if (update.expectedBy !== undefined && !FORWARD_STATUSES.includes(update.status)) {
    errors.push({
      path: 'expectedBy',
      message: 'Only planned or in-progress updates have an expected date; leave it out',
    });
  }
  return errors;
}

/** Update ids: 12 characters, so none can be mistaken for (or match the pattern of) a feedback reference. */
const ID_ALPHABET = '23456789abcdefghjkmnpqrstvwxyz';
export const UPDATE_ID_PATTERN = /^[2-9a-hjkmnp-tv-z]{12}$/;
export function newUpdateId(random: (max: number) => number): string {
  let id = '';
  for (let i = 0; i < 12; i++) id += ID_ALPHABET[random(ID_ALPHABET.length)];
  return id;
}
