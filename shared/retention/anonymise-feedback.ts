import { StaleVersionError } from '../domain/errors';
import type { Feedback } from '../domain/feedback';
import { type Anonymisation, anonymisationChange, needsScrubbing, scrubbedEntry } from './anonymise';
import type { AnonymisationStore } from './ports';

/**
 * Anonymises one item, for the retention schedule and for an admin's erasure alike: read the item
 * and its history, let the caller decide (still closed? due?), then write the anonymised item,
 * its history scrubbed, the entry recording it and the audit record, conditional on the version
 * read. Safe to repeat and to crash in:
 * - an item already anonymised is left alone ("already"), so a re-run or a repeated erasure
 *   request changes nothing;
 * - an officer's write between the read and the write wins: the write is refused, the item is
 *   read again and decided again (an escalated complaint is no longer closed, so it is skipped);
 * - a crash before the write leaves the item as it was, still due; a crash part-way through a
 *   history too long for one transaction leaves it marked `historyPending` (and still in the
 *   retention index), and the next attempt finishes it.
 */
export type Decision = { anonymise: Anonymisation } | { skip: SkipReason };
export type SkipReason = 'not_closed' | 'not_due';

export type AnonymiseOutcome =
  | { outcome: 'anonymised'; feedback: Feedback }
  | { outcome: 'already'; feedback: Feedback }
  | { outcome: 'skipped'; why: SkipReason; feedback: Feedback }
  | { outcome: 'missing' }
  /** Changed by someone else at every attempt: left for the next run. */
  | { outcome: 'changed' };

/** Reads, decides and writes again after losing a race; an officer's burst of changes is a few writes. */
const ATTEMPTS = 3;

export async function anonymiseFeedback(
  deps: { store: Pick<AnonymisationStore, 'read' | 'anonymise' | 'finish'> },
  id: string,
  decide: (feedback: Feedback) => Decision,
): Promise<AnonymiseOutcome> {
  for (let attempt = 1; attempt <= ATTEMPTS; attempt++) {
    const found = await deps.store.read(id);
    if (!found) return { outcome: 'missing' };
    const { feedback, history } = found;
    const rewrites = history
      .filter(({ entry }) => needsScrubbing(entry))
      .map(({ sk, entry }) => ({ sk, entry: scrubbedEntry(entry) }));
    if (feedback.anonymised?.historyPending) {
      await deps.store.finish(feedback, rewrites);
      const { historyPending: _done, ...anonymised } = feedback.anonymised;
      return { outcome: 'anonymised', feedback: { ...feedback, anonymised } };
    }
    if (feedback.anonymised) return { outcome: 'already', feedback };
    const decision = decide(feedback);
    if ('skip' in decision) return { outcome: 'skipped', why: decision.skip, feedback };
    const change = anonymisationChange(feedback, decision.anonymise);
    try {
      await deps.store.anonymise({
        before: feedback,
        after: change.feedback,
        entry: change.entry,
        rewrites,
        audit: {
          at: decision.anonymise.at,
          action: 'anonymise',
          by: decision.anonymise.by,
          feedbackIds: [feedback.id],
          anonymisation: {
            reason: decision.anonymise.reason,
            ...(decision.anonymise.rule ? { rule: decision.anonymise.rule } : {}),
            ...(decision.anonymise.note ? { note: decision.anonymise.note } : {}),
          },
          subject: feedback.id,
        },
      });
      return { outcome: 'anonymised', feedback: change.feedback };
    } catch (error) {
      if (!(error instanceof StaleVersionError)) throw error;
    }
  }
  return { outcome: 'changed' };
}
