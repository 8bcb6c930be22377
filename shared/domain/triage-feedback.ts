import type { Actor } from '../auth/officer';
import { NotFoundError, StaleVersionError } from './errors';
import {
  FEEDBACK_STATUSES,
  type Feedback,
  type FeedbackStatus,
  isOverdue,
  OPEN_STATUSES,
  type Outcome,
} from './feedback';
import { acknowledge, type Change, close, respond } from './feedback-lifecycle';
import type { HistoryEntry } from './history';
import { feedbackRowOf, officerFeedbackOf } from './officer-views';
import type { SentAlert } from './overdue';
import type { Page } from './page';
import type { FeedbackKind } from './project';

export interface FeedbackListQuery {
  status?: FeedbackStatus;
  projectId?: string;
  kind?: FeedbackKind;
  /** Only items past a deadline that is not yet met. */
  overdue?: boolean;
}

/** What a list row shows: enough to triage, none of the family's words or contact details. */
export type FeedbackSummary = Pick<
  Feedback,
  | 'id'
  | 'reference'
  | 'kind'
  | 'projectId'
  | 'status'
  | 'receivedAt'
  | 'acknowledgeBy'
  | 'respondBy'
  | 'version'
  | 'complaintProcedure'
  | 'complaintStage'
> & { overdue: boolean };

export type StoredSummary = Omit<FeedbackSummary, 'overdue'> & {
  acknowledgeDueAt: string;
  respondDueAt: string;
};

export interface TriageRepository {
  get(id: string): Promise<Feedback | undefined>;
  getWithHistory(
    id: string,
  ): Promise<{ feedback: Feedback; history: HistoryEntry[]; alerts: SentAlert[] } | undefined>;
  /** Writes the new version and its history entry together, only if the stored version is `expectedVersion`. */
  update(change: Change, expectedVersion: number): Promise<void>;
  list(
    query: { statuses: FeedbackStatus[]; projectId?: string; kind?: FeedbackKind; dueBefore?: string },
    page: { limit: number; cursor?: string },
  ): Promise<Page<StoredSummary>>;
}

export interface TriageDeps {
  feedback: TriageRepository;
  now: () => Date;
}

/**
 * One item as officers read it (shared/domain/officer-views.ts), its history and the alerts sent,
 * and whether it is overdue now (by the service's clock, as its list row says it), so a reader
 * never works it out from its own clock.
 */
export async function feedbackWithHistory(deps: TriageDeps, id: string) {
  const found = await deps.feedback.getWithHistory(id);
  if (!found) throw new NotFoundError('feedback', id);
  return {
    ...found,
    feedback: officerFeedbackOf(found.feedback),
    overdue: isOverdue(found.feedback, deps.now()),
  };
}

/** Nearest deadline first; no filter reads beyond the partitions it names. */
export async function listFeedback(
  deps: TriageDeps,
  query: FeedbackListQuery,
  page: { limit: number; cursor?: string },
): Promise<Page<FeedbackSummary>> {
  const now = deps.now();
  const statuses = query.status
    ? [query.status]
    : query.overdue
      ? [...OPEN_STATUSES]
      : [...FEEDBACK_STATUSES];
  const result = await deps.feedback.list(
    {
      statuses: query.overdue ? statuses.filter((status) => OPEN_STATUSES.includes(status)) : statuses,
      ...(query.projectId ? { projectId: query.projectId } : {}),
      ...(query.kind ? { kind: query.kind } : {}),
      ...(query.overdue ? { dueBefore: now.toISOString() } : {}),
    },
    page,
  );
  return {
    items: result.items.map((row) =>
      feedbackRowOf(
        row,
        isOverdue(
          { status: row.status, acknowledgeDueAt: row.acknowledgeDueAt, respondDueAt: row.respondDueAt },
          now,
        ),
      ),
    ),
    ...(result.cursor ? { cursor: result.cursor } : {}),
  };
}

export type FeedbackCommand =
  | { action: 'acknowledge' }
  | { action: 'respond'; response: string; outcome: Outcome }
  | { action: 'close' };

/**
 * One officer action on one item, guarded by the version the officer last saw: a stale version is
 * refused before and (for a race) during the write, so two officers never overwrite each other.
 */
export async function changeFeedback(
  deps: TriageDeps,
  id: string,
  expectedVersion: number,
  actor: Actor,
  command: FeedbackCommand,
  /** Runs before anything is written, with the item as read: what could fail after the write goes here. */
  beforeWrite?: (current: Feedback) => Promise<void>,
): Promise<Feedback> {
  const current = await deps.feedback.get(id);
  if (!current) throw new NotFoundError('feedback', id);
  if (current.version !== expectedVersion) throw new StaleVersionError(id);
  await beforeWrite?.(current);
  const now = deps.now();
  const change =
    command.action === 'acknowledge'
      ? acknowledge(current, actor, now)
      : command.action === 'respond'
        ? respond(current, { response: command.response, outcome: command.outcome }, actor, now)
        : close(current, actor, now);
  await deps.feedback.update(change, expectedVersion);
  return change.feedback;
}
