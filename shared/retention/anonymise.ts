import { isDeepStrictEqual } from 'node:util';
import type { Actor } from '../auth/officer';
import type { ComplaintStageRecord, StageExtension, StageRequest } from '../domain/complaint-stages';
import type { Feedback } from '../domain/feedback';
import type { HistoryEntry } from '../domain/history';
import type { FeedbackKind } from '../domain/project';

/**
 * What anonymising a piece of feedback keeps and what it removes. Pure: the retention job and an
 * admin's erasure both use it (shared/retention/anonymise-feedback.ts stores the result).
 *
 * Kept, by name (an allow-list, so a field added to feedback later is removed unless someone
 * decides it may stay): the kind, project, statuses, dates and deadlines, outcome, each stage's
 * record without its words, satisfaction, the submitter's role, the channel, who among the staff
 * did what, the alert bookkeeping. That is everything the scorecard, the annual report and the
 * published updates' counts read, so none of them moves.
 *
 * Removed: the family's message (left empty: every reader expects the field), their contact
 * details and the keyed hashes of them (so the subject lookup no longer finds the item), the
 * officer's answer, an escalation's and an extension's reasons (either may quote the family), the
 * intake fingerprints, and the same values wherever the item's history recorded them.
 */
export type AnonymisationReason = 'retention' | 'erasure';

export interface Anonymisation {
  at: string;
  /** `system:retention` for the schedule; the admin for an erasure request. */
  by: Actor;
  reason: AnonymisationReason;
  /** Retention: the rule that made it due. */
  rule?: { kind: FeedbackKind; period: string; closedAt: string; dueAt: string };
  /** Erasure: the admin's note of the request (when and how it came). Staff's words, kept. */
  note?: string;
  /**
   * Only while history entries are still being scrubbed: an item with more history than one
   * transaction can rewrite is finished by later writes (shared/storage/anonymisation-store.ts).
   */
  historyPending?: boolean;
}

/** Who the history says anonymised an item when the retention schedule did. */
export const RETENTION_ACTOR: Actor = { sub: 'system:retention', name: 'Retention schedule' };

/** What a history entry shows in place of a value that was removed. */
export const REMOVED = '[removed]';

/** The fields anonymised feedback keeps, as they are. */
const KEPT_FIELDS = [
  'id',
  'reference',
  'kind',
  'projectId',
  'status',
  'submitterRole',
  'channel',
  'satisfaction',
  'consentToContact',
  'receivedAt',
  'timeframe',
  'acknowledgeBy',
  'acknowledgeDueAt',
  'respondBy',
  'respondDueAt',
  'acknowledgedAt',
  'acknowledgedBy',
  'respondedAt',
  'respondedBy',
  'outcome',
  'closedAt',
  'closedBy',
  'complaintProcedure',
  'complaintStage',
  'complaintTimescales',
  'reviewPanelOn',
  'version',
  'alertSeries',
  'alertsSent',
  'lastAlertAt',
  'nextAlertAt',
  'anonymised',
] as const satisfies readonly (keyof Feedback)[];

/** Kept too, without their words. */
const SCRUBBED_FIELDS = ['complaintStages'] as const satisfies readonly (keyof Feedback)[];

const STAGE_FIELDS = [
  'stage',
  'name',
  'startedAt',
  'acknowledgeBy',
  'acknowledgeDueAt',
  'acknowledgedAt',
  'dueBy',
  'dueAt',
  'originalDueBy',
  'extendedTo',
  'panelBy',
  'panelOn',
  'answeredAt',
  'answeredBy',
  'outcome',
  'answeredOnTime',
  'next',
  'ombudsman',
] as const satisfies readonly (keyof ComplaintStageRecord)[];
const REQUEST_FIELDS = [
  'at',
  'via',
  'recordedBy',
  'inTime',
] as const satisfies readonly (keyof StageRequest)[];
const EXTENSION_FIELDS = [
  'at',
  'by',
  'workingDays',
  'from',
  'to',
] as const satisfies readonly (keyof StageExtension)[];

/** The fields of a history entry kept as they are (`changes` is scrubbed; `reason` goes). */
const ENTRY_FIELDS = [
  'version',
  'at',
  'actor',
  'action',
  'alert',
] as const satisfies readonly (keyof HistoryEntry)[];

function pick(value: unknown, fields: readonly string[]): Record<string, unknown> {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return {};
  const source = value as Record<string, unknown>;
  return Object.fromEntries(fields.filter((field) => source[field] !== undefined).map((f) => [f, source[f]]));
}

function scrubStage(record: unknown): Record<string, unknown> {
  const source = (record ?? {}) as Record<string, unknown>;
  const kept = pick(source, STAGE_FIELDS);
  if (source.request !== undefined) kept.request = pick(source.request, REQUEST_FIELDS);
  if (Array.isArray(source.extensions)) {
    kept.extensions = source.extensions.map((extension) => pick(extension, EXTENSION_FIELDS));
  }
  return kept;
}

/** A stage list without its words; anything that is not a list is not kept. */
const scrubStages = (stages: unknown) => (Array.isArray(stages) ? stages.map(scrubStage) : null);

/** The anonymised item: kept fields as they are, stage records without words, message empty. */
export function anonymisedFeedback(feedback: Feedback, anonymisation: Anonymisation): Feedback {
  const kept = pick(feedback, KEPT_FIELDS);
  return {
    ...kept,
    ...(feedback.complaintStages ? { complaintStages: scrubStages(feedback.complaintStages) } : {}),
    message: '',
    anonymised: anonymisation,
  } as unknown as Feedback;
}

/** The names of the fields anonymising removes from this item (or empties, the message). */
export function removedFields(feedback: Feedback): string[] {
  const keep = new Set<string>([...KEPT_FIELDS, ...SCRUBBED_FIELDS]);
  return Object.keys(feedback)
    .filter((field) => !keep.has(field))
    .filter((field) => field !== 'message' || feedback.message !== '')
    .sort();
}

/**
 * One change's before and after, scrubbed like the item: kept fields as they are, stage lists
 * without their words, any other value replaced by REMOVED (null stays null: "it was not set"
 * is no one's data), so the entry still says what changed, and who changed it, but not to what.
 */
function scrubChange(field: string, change: { from: unknown; to: unknown }) {
  if ((KEPT_FIELDS as readonly string[]).includes(field)) return change;
  if (field === 'complaintStages') return { from: scrubStages(change.from), to: scrubStages(change.to) };
  const removed = (value: unknown) => (value === null || value === undefined ? null : REMOVED);
  return { from: removed(change.from), to: removed(change.to) };
}

/** A history entry with the personal data removed from what it recorded; the officer's reason goes too. */
export function scrubbedEntry(entry: HistoryEntry): HistoryEntry {
  const changes = Object.fromEntries(
    Object.entries(entry.changes ?? {}).map(([field, change]) => [field, scrubChange(field, change)]),
  );
  return { ...(pick(entry, ENTRY_FIELDS) as Omit<HistoryEntry, 'changes'>), changes };
}

/** Whether an entry still holds something scrubbing would remove (so it needs rewriting). */
export const needsScrubbing = (entry: HistoryEntry) => !isDeepStrictEqual(scrubbedEntry(entry), entry);

/**
 * The anonymised item at its next version, and the history entry that records it: who, when,
 * why, and which fields went (never their values).
 */
export function anonymisationChange(
  feedback: Feedback,
  anonymisation: Anonymisation,
): { feedback: Feedback; entry: HistoryEntry } {
  const version = feedback.version + 1;
  const { historyPending: _pending, ...recorded } = anonymisation;
  const changes: HistoryEntry['changes'] = { anonymised: { from: null, to: recorded } };
  // The message is emptied rather than dropped, but recorded alike: scrubbing this entry again
  // (an interrupted anonymisation finishing) then leaves it as it is.
  for (const field of removedFields(feedback)) changes[field] = { from: REMOVED, to: null };
  return {
    feedback: { ...anonymisedFeedback(feedback, anonymisation), version },
    entry: { version, at: anonymisation.at, actor: anonymisation.by, action: 'anonymise', changes },
  };
}
