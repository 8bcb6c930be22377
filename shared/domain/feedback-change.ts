import type { Actor } from '../auth/officer';
import type { Feedback } from './feedback';
import { BOOKKEEPING, changesBetween, type HistoryEntry } from './history';

/**
 * Each change to feedback is a new version of the item plus the history entry that says who made
 * it, when, and what changed. Pure: storage happens elsewhere.
 */
export interface Change {
  feedback: Feedback;
  entry: HistoryEntry;
}

/** The next version of `before`, and its history entry (with the officer's reason, when one is asked for). */
export function changed(
  before: Feedback,
  after: Feedback,
  action: string,
  actor: Actor,
  now: Date,
  reason?: string,
): Change {
  const feedback = { ...after, version: before.version + 1 };
  return {
    feedback,
    entry: {
      version: feedback.version,
      at: now.toISOString(),
      actor,
      action,
      changes: changesBetween(before, feedback, BOOKKEEPING),
      ...(reason === undefined ? {} : { reason }),
    },
  };
}
