import type { Actor } from '../auth/officer';
import { DomainError, type FieldError, TemporarilyUnavailableError } from '../domain/errors';
import type { Feedback } from '../domain/feedback';
import type { HistoryEntry } from '../domain/history';
import { type OfficerFeedback, officerFeedbackOf } from '../domain/officer-views';
import type { SentAlert } from '../domain/overdue';
import type { FeedbackKind } from '../domain/project';
import { normaliseReference } from '../domain/reference';
import type { FamilyNotice } from '../storage/notice-repository';
import type { Anonymisation } from './anonymise';
import { anonymiseFeedback, type Decision } from './anonymise-feedback';
import { FeedbackStillOpenError } from './errors';
import type { AnonymisationStore, AuditLog, AuditRecord, FeedbackRecords, SubjectLookup } from './ports';
import { anonymiseAfter, formatPeriod, periodsByKind, type RetentionPeriods } from './retention-periods';
import type { ErasureRequest, SubjectSearch } from './subject-access-input';
import { contactMatches, type SubjectChannel, type SubjectKey } from './subject-keys';

/**
 * A family's rights over their feedback, as an admin carries them out (UK GDPR articles 15 and
 * 17): find everything held about them by the email address, phone number or references they
 * give, export it, and erase it (anonymise it: the statistics stay, shared/retention/anonymise.ts).
 * Every export and every erasure is audit-recorded: who, when, which items, why; never the
 * details searched for.
 */
export interface SubjectAccessDeps {
  store: Pick<AnonymisationStore, 'read' | 'anonymise' | 'finish'>;
  lookup: SubjectLookup;
  audit: Pick<AuditLog, 'write'>;
  /** The keyed hash of a detail as intake made it (shared/retention/subject-keys.ts). */
  subjectKey: (channel: SubjectChannel, value: string) => Promise<SubjectKey>;
  periods: RetentionPeriods;
  now: () => Date;
  /** The messages sent to the family about an item ("tell me what happens"), oldest first. */
  messages: (feedbackId: string) => Promise<FamilyNotice[]>;
}

export type MatchedBy = SubjectChannel | 'reference';

/** What one export holds of one item, and how long it will be kept. */
export interface SubjectAccessItem {
  matchedBy: MatchedBy[];
  feedback: OfficerFeedback;
  history: HistoryEntry[];
  alerts: SentAlert[];
  /** What the family was sent about it, and when (no words: those are rebuilt when sent). */
  messages: FamilyNotice[];
  retention: {
    /** The kind's period after closure (ISO 8601), as the retention job applies it now. */
    period: string;
    /** Closed: when its personal data goes. Open: not yet known (the period runs from closure). */
    anonymiseAfter?: string;
    anonymised?: Anonymisation;
  };
}

export interface SubjectAccessExport {
  exportedAt: string;
  exportedBy: Actor;
  searchedBy: MatchedBy[];
  items: SubjectAccessItem[];
  /** More than MAX_EXPORT_ITEMS matched: search again by references, a few at a time. */
  truncated: boolean;
  /** The council's retention periods after closure, per kind (ISO 8601 durations). */
  retentionPeriods: Record<FeedbackKind, string>;
}

/** The most items one export holds: one family's feedback is a handful; a professional's, more. */
export const MAX_EXPORT_ITEMS = 100;

/** Reads in flight at once. */
const CONCURRENCY = 8;

/**
 * Whether the function is too close to its timeout to take another step (the handler asks Lambda's
 * `getRemainingTimeInMillis`, leaving room for the slowest step); without it, no limit. Work then
 * stops with a 503 the admin repeats (every step is safe to repeat), never a timeout.
 */
export type OutOfTime = () => boolean;

function checkTime(outOfTime: OutOfTime | undefined): void {
  if (outOfTime?.()) {
    throw new TemporarilyUnavailableError(new Error('Out of time: repeat the request to finish it'));
  }
}

async function readAll(deps: Pick<SubjectAccessDeps, 'store'>, ids: string[], outOfTime?: OutOfTime) {
  const found = new Map<string, FeedbackRecords>();
  const queue = [...ids];
  const worker = async () => {
    for (let id = queue.shift(); id; id = queue.shift()) {
      checkTime(outOfTime);
      const records = await deps.store.read(id);
      if (records) found.set(id, records);
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  return found;
}

function retentionOf(feedback: Feedback, periods: RetentionPeriods): SubjectAccessItem['retention'] {
  const period = periods[feedback.kind];
  return {
    period: formatPeriod(period),
    ...(feedback.anonymised
      ? { anonymised: feedback.anonymised }
      : feedback.status === 'closed' && feedback.closedAt
        ? { anonymiseAfter: anonymiseAfter(feedback.closedAt, period).toISOString() }
        : {}),
  };
}

/**
 * Every item the family's details lead to. A lookup entry only names candidates: each item is read
 * and its stored details compared with those searched for, so an entry left from a past erasure or
 * a hash that collides can never hand over another family's feedback.
 */
export async function findSubjectData(
  deps: SubjectAccessDeps,
  search: SubjectSearch,
  actor: Actor,
  requestId: string,
  outOfTime?: OutOfTime,
): Promise<SubjectAccessExport> {
  const candidates = new Map<string, Set<MatchedBy>>();
  const add = (id: string, by: MatchedBy) => candidates.set(id, (candidates.get(id) ?? new Set()).add(by));
  const channels: [SubjectChannel, string][] = [];
  if (search.email !== undefined) channels.push(['email', search.email]);
  if (search.phone !== undefined) channels.push(['phone', search.phone]);
  for (const [channel, value] of channels) {
    const ids = await deps.lookup.idsFor(await deps.subjectKey(channel, value), MAX_EXPORT_ITEMS + 1);
    for (const id of ids) add(id, channel);
  }
  for (const reference of search.references ?? []) add(normaliseReference(reference), 'reference');

  const found = await readAll(deps, [...candidates.keys()], outOfTime);
  const items: SubjectAccessItem[] = [];
  const shownIds = [...candidates.keys()].filter((id) => found.has(id)).slice(0, MAX_EXPORT_ITEMS + 1);
  const messages = new Map(
    await Promise.all(shownIds.map(async (id) => [id, await deps.messages(id)] as const)),
  );
  for (const [id, by] of candidates) {
    const records = found.get(id);
    if (!records) continue;
    const matchedBy = [...by].filter(
      (match) =>
        match === 'reference' || contactMatches(records.feedback.contact, match, search[match] as string),
    );
    if (matchedBy.length === 0) continue;
    items.push({
      matchedBy,
      // What officers see of it: everything about the family, not the service's own fingerprints.
      feedback: officerFeedbackOf(records.feedback),
      history: records.history.map(({ entry }) => entry),
      alerts: records.alerts,
      messages: messages.get(id) ?? [],
      retention: retentionOf(records.feedback, deps.periods),
    });
  }
  items.sort((a, b) => (a.feedback.receivedAt < b.feedback.receivedAt ? -1 : 1));
  const shown = items.slice(0, MAX_EXPORT_ITEMS);
  const at = deps.now().toISOString();
  const searchedBy = [
    ...channels.map(([channel]) => channel),
    ...(search.references ? (['reference'] as const) : []),
  ];
  // Accountable like any officer's change: who looked at whose data, when. Not what they typed.
  await deps.audit.write({
    at,
    action: 'subject_access_export',
    by: actor,
    feedbackIds: shown.map((item) => item.feedback.id),
    searchedBy,
    subject: requestId,
  });
  return {
    exportedAt: at,
    exportedBy: actor,
    searchedBy,
    items: shown,
    truncated: items.length > MAX_EXPORT_ITEMS,
    retentionPeriods: periodsByKind(deps.periods),
  };
}

export interface ErasureOutcome {
  erasedAt: string;
  erasedBy: Actor;
  reason: string;
  items: {
    id: string;
    reference: string;
    /** `already_anonymised`: erased before (a repeated request), or by the retention schedule. */
    outcome: 'anonymised' | 'already_anonymised';
    anonymised: Anonymisation;
  }[];
}

const erasureDecision =
  (actor: Actor, reason: string, now: Date) =>
  (feedback: Feedback): Decision =>
    feedback.status !== 'closed'
      ? { skip: 'not_closed' }
      : { anonymise: { at: now.toISOString(), by: actor, reason: 'erasure', note: reason } };

/**
 * Erases the items named, now, each as the retention job would (one conditional write with its
 * audit record). Nothing is written unless every item named exists and is closed: the admin is
 * told which are not (422, 409). Repeating the request is harmless: items already anonymised are
 * reported as such, and a request cut short by a failure finishes the rest when repeated.
 */
export async function eraseSubjectData(
  deps: Pick<SubjectAccessDeps, 'store' | 'now'>,
  request: ErasureRequest,
  actor: Actor,
  outOfTime?: OutOfTime,
): Promise<ErasureOutcome> {
  const ids = request.references.map(normaliseReference);
  const found = await readAll(deps, [...new Set(ids)], outOfTime);
  const missing: FieldError[] = [];
  const open: FieldError[] = [];
  ids.forEach((id, index) => {
    const records = found.get(id);
    const path = `references.${index}`;
    if (!records) missing.push({ path, message: `There is no feedback '${request.references[index]}'` });
    else if (records.feedback.status !== 'closed' && !records.feedback.anonymised) {
      open.push({
        path,
        message: `${records.feedback.reference} is ${records.feedback.status}: close it first`,
      });
    }
  });
  if (missing.length) throw new DomainError('unprocessable', 'Some items named do not exist.', missing);
  if (open.length) throw new FeedbackStillOpenError(open);

  const now = deps.now();
  const decide = erasureDecision(actor, request.reason, now);
  const items: ErasureOutcome['items'] = [];
  for (const id of [...new Set(ids)]) {
    checkTime(outOfTime);
    const result = await anonymiseFeedback(deps, id, decide);
    if (result.outcome === 'anonymised' || result.outcome === 'already') {
      items.push({
        id,
        reference: result.feedback.reference,
        outcome: result.outcome === 'anonymised' ? 'anonymised' : 'already_anonymised',
        anonymised: result.feedback.anonymised as Anonymisation,
      });
    } else if (result.outcome === 'skipped') {
      // Reopened (an escalation) since the check above: refused, as it would have been then.
      const index = ids.indexOf(id);
      throw new FeedbackStillOpenError([
        { path: `references.${index}`, message: `${result.feedback.reference} was reopened: close it first` },
      ]);
    } else {
      // Changed by someone else at every attempt: the admin repeats the request in a moment.
      throw new TemporarilyUnavailableError(new Error(`${id} kept changing while being erased`));
    }
  }
  return { erasedAt: now.toISOString(), erasedBy: actor, reason: request.reason, items };
}

/** A month of the audit, oldest first: `next` continues it. */
export async function auditMonth(
  deps: { audit: Pick<AuditLog, 'month'> },
  query: { month: string; after?: string | undefined; limit: number },
): Promise<{ month: string; records: (AuditRecord & { position: string })[]; next?: string }> {
  const page = await deps.audit.month(query.month, {
    limit: query.limit,
    ...(query.after ? { after: query.after } : {}),
  });
  return { month: query.month, ...page };
}
