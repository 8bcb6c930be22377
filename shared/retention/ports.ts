import type { Actor } from '../auth/officer';
import type { Feedback } from '../domain/feedback';
import type { HistoryEntry } from '../domain/history';
import type { SentAlert } from '../domain/overdue';
import type { FeedbackKind } from '../domain/project';
import type { Anonymisation } from './anonymise';
import type { SubjectKey } from './subject-keys';

/**
 * The seams between the retention rules (shared/retention/) and DynamoDB (shared/storage/): the
 * rules decide, these read and write. Tests run them on DynamoDB Local.
 */

/** A history entry with the sort key it is stored under (an alert's entry has its own). */
export interface StoredHistoryEntry {
  sk: string;
  entry: HistoryEntry;
}

export interface FeedbackRecords {
  feedback: Feedback;
  history: StoredHistoryEntry[];
  alerts: SentAlert[];
}

/** What one anonymisation writes (shared/storage/anonymisation-store.ts), all or nothing where it fits. */
export interface AnonymisationWrite {
  /** The item as read: its version is the condition, its subject keys the lookups to delete. */
  before: Feedback;
  /** The anonymised item at its next version, and the history entry recording it. */
  after: Feedback;
  entry: HistoryEntry;
  /** History entries rewritten without personal data. */
  rewrites: StoredHistoryEntry[];
  audit: AuditRecord;
}

export interface AnonymisationStore {
  /**
   * Ids of closed feedback of `kind` still holding personal data, closed at or before
   * `closedOnOrBefore`, oldest closure first, at most `limit` (RetentionByClosure).
   */
  closedBefore(
    kind: FeedbackKind,
    closedOnOrBefore: string,
    limit: number,
  ): Promise<{ ids: string[]; more: boolean }>;
  /** The item, its history and sent alerts, read consistently; undefined if there is none. */
  read(id: string): Promise<FeedbackRecords | undefined>;
  /** The anonymisation, conditional on the version read: StaleVersionError if someone wrote first. */
  anonymise(write: AnonymisationWrite): Promise<void>;
  /**
   * Finishes an anonymisation whose history did not fit in one transaction (`historyPending`):
   * rewrites what is left, then takes the item out of the retention index.
   */
  finish(feedback: Feedback, rewrites: StoredHistoryEntry[]): Promise<void>;
}

/** The subject lookup (shared/retention/subject-keys.ts): item ids under a keyed hash. */
export interface SubjectLookup {
  idsFor(subjectKey: SubjectKey, limit: number): Promise<string[]>;
}

export type AuditAction = 'anonymise' | 'subject_access_export';

/**
 * An accountable record of an anonymisation or a subject-access export: who, when, what, why.
 * Ids, kinds and the rule only: never the details searched for or removed.
 */
export interface AuditRecord {
  at: string;
  action: AuditAction;
  by: Actor;
  /** The feedback it was about (one for an anonymisation, those exported for an export). */
  feedbackIds: string[];
  /** Anonymisation: why (the schedule or a request), the rule or the admin's note. */
  anonymisation?: Pick<Anonymisation, 'reason' | 'rule' | 'note'>;
  /** Export: what the admin searched by (`email`, `phone`, `reference`), never the values. */
  searchedBy?: string[];
  /** Tells records of the same instant and action apart: the item, or the request. */
  subject: string;
}

export interface AuditLog {
  write(record: AuditRecord): Promise<void>;
  /** A month's records in time order, from after `after` (a record's `position`), at most `limit`. */
  month(
    month: string,
    page: { after?: string; limit: number },
  ): Promise<{ records: (AuditRecord & { position: string })[]; next?: string }>;
}
