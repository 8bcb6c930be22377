import type { Feedback } from '../../../shared/domain/feedback';
import type { HistoryEntry } from '../../../shared/domain/history';
import type { SentAlert } from '../../../shared/domain/overdue';
import type { Context } from '../app';

/** One piece of feedback as `GET /officer/feedback/{id}` gives it. */
export type FeedbackItem = Feedback & { overdue: boolean; history: HistoryEntry[]; alerts: SentAlert[] };

/**
 * Something an officer can do to an item: when it applies, and its form. The item screen draws
 * every action that applies, in the order of FEEDBACK_ACTIONS (screens/feedback.ts); a later
 * capability adds its own entries there, from a module of its own (as complaint-actions.ts does).
 */
export interface FeedbackAction {
  name: string;
  applies: (item: FeedbackItem) => boolean;
  form: (context: Context, item: FeedbackItem, etag: string | undefined) => HTMLElement;
}
