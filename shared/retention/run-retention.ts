import type { Feedback } from '../domain/feedback';
import { FEEDBACK_KINDS, type FeedbackKind } from '../domain/project';
import { RETENTION_ACTOR } from './anonymise';
import { anonymiseFeedback, type Decision } from './anonymise-feedback';
import type { AnonymisationStore } from './ports';
import { anonymiseAfter, closedOnOrBefore, formatPeriod, type RetentionPeriods } from './retention-periods';

/**
 * The retention job, run daily (EventBridge Scheduler in AWS, `npm start` locally, `npm run
 * retention -- --now <ISO>` at any instant): for each kind, read the closures old enough to be due
 * from RetentionByClosure (no Scan: only those), then anonymise each item whose own closure plus
 * its kind's period has passed. Each item is one conditional write with its audit record
 * (shared/retention/anonymise-feedback.ts), so the job is safe to re-run and to stop anywhere: what
 * it did is done once, what it did not is still due next time.
 */
export interface RetentionDeps {
  store: AnonymisationStore;
  now: () => Date;
  periods: RetentionPeriods;
  /** The most items one run anonymises; the rest stay due for the next run (`more` says so). */
  maxItems?: number;
  /** Items in flight at once. */
  concurrency?: number;
  /** Whether to stop taking items (the function nears its timeout): the rest wait, `more` says so. */
  outOfTime?: () => boolean;
  /** One line per event worth knowing: ids and kinds, never a family's words (there are none to give). */
  log?: (event: string, details: Record<string, unknown>) => void;
}

export interface RetentionReport {
  at: string;
  /** Index entries read: closures old enough that they may be due. */
  read: number;
  anonymised: { id: string; kind: FeedbackKind }[];
  /** Read but not due after all (a closure within the index's generous bound), or no longer closed. */
  skipped: number;
  /** Anonymised already (a run racing this one), or changed by an officer at every attempt. */
  unchanged: number;
  failed: { id: string; error: string }[];
  /** The run stopped at `maxItems`: more may be due, for the next run. */
  more: boolean;
}

export const DEFAULT_MAX_ITEMS = 2_000;

/** The retention rule as a decision for one item, as of `now`. */
export function retentionDecision(periods: RetentionPeriods, now: Date) {
  return (feedback: Feedback): Decision => {
    if (feedback.status !== 'closed' || !feedback.closedAt) return { skip: 'not_closed' };
    const period = periods[feedback.kind];
    const dueAt = anonymiseAfter(feedback.closedAt, period);
    if (dueAt > now) return { skip: 'not_due' };
    return {
      anonymise: {
        at: now.toISOString(),
        by: RETENTION_ACTOR,
        reason: 'retention',
        rule: {
          kind: feedback.kind,
          period: formatPeriod(period),
          closedAt: feedback.closedAt,
          dueAt: dueAt.toISOString(),
        },
      },
    };
  };
}

export async function runRetention(deps: RetentionDeps): Promise<RetentionReport> {
  const now = deps.now();
  const log = deps.log ?? (() => {});
  const maxItems = deps.maxItems ?? DEFAULT_MAX_ITEMS;
  const report: RetentionReport = {
    at: now.toISOString(),
    read: 0,
    anonymised: [],
    skipped: 0,
    unchanged: 0,
    failed: [],
    more: false,
  };
  const due: string[] = [];
  for (const kind of FEEDBACK_KINDS) {
    const room = maxItems - due.length;
    if (room <= 0) {
      report.more = true;
      break;
    }
    const { ids, more } = await deps.store.closedBefore(
      kind,
      closedOnOrBefore(now, deps.periods[kind]),
      room,
    );
    due.push(...ids);
    report.read += ids.length;
    report.more ||= more;
  }

  const decide = retentionDecision(deps.periods, now);
  const handle = async (id: string) => {
    try {
      const result = await anonymiseFeedback(deps, id, decide);
      if (result.outcome === 'anonymised') {
        report.anonymised.push({ id, kind: result.feedback.kind });
        log('feedback-anonymised', { id, kind: result.feedback.kind, reason: 'retention' });
      } else if (result.outcome === 'skipped' || result.outcome === 'missing') report.skipped++;
      else report.unchanged++;
    } catch (error) {
      // Names and codes only: a storage error says nothing of the item's contents.
      const reason = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
      report.failed.push({ id, error: reason });
      log('feedback-anonymise-failed', { id, error: reason });
    }
  };
  // A small pool: writes overlap, but a backlog does not open hundreds of connections at once.
  const queue = [...due];
  const worker = async () => {
    for (let id = queue.shift(); id; id = queue.shift()) {
      if (deps.outOfTime?.()) {
        report.more = true;
        return;
      }
      await handle(id);
    }
  };
  await Promise.all(Array.from({ length: deps.concurrency ?? 4 }, worker));
  return report;
}
