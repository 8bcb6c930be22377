import type { Actor } from '../auth/officer';
import { DomainError, InvalidTransitionError } from './errors';
import { COMPLAINT_OUTCOMES, type Feedback, type Outcome } from './feedback';
import { BOOKKEEPING, changesBetween, type HistoryEntry } from './history';

/**
 * received → acknowledged → responded → closed. Each change is a new version of the item plus the
 * history entry that says who made it, when, and what changed. Pure: storage happens elsewhere.
 */
export interface Change {
  feedback: Feedback;
  entry: HistoryEntry;
}

function changed(before: Feedback, after: Feedback, action: string, actor: Actor, now: Date): Change {
  const feedback = { ...after, version: before.version + 1 };
  return {
    feedback,
    entry: {
      version: feedback.version,
      at: now.toISOString(),
      actor,
      action,
      changes: changesBetween(before, feedback, BOOKKEEPING),
    },
  };
}

export function acknowledge(feedback: Feedback, actor: Actor, now: Date): Change {
  if (feedback.status !== 'received') {
    throw new InvalidTransitionError(`Feedback ${feedback.reference} is already ${feedback.status}.`);
  }
  return changed(
    feedback,
    { ...feedback, status: 'acknowledged', acknowledgedAt: now.toISOString(), acknowledgedBy: actor },
    'acknowledge',
    actor,
    now,
  );
}

/** Answers the family; answering unacknowledged feedback acknowledges it too. */
export function respond(
  feedback: Feedback,
  answer: { response: string; outcome: Outcome },
  actor: Actor,
  now: Date,
): Change {
  if (feedback.status !== 'received' && feedback.status !== 'acknowledged') {
    throw new InvalidTransitionError(`Feedback ${feedback.reference} is already ${feedback.status}.`);
  }
  if (!outcomeFits(feedback.kind, answer.outcome)) {
    throw new DomainError('invalid', 'A complaint’s answer must say whether it was upheld.', [
      { path: 'outcome', message: `For a complaint, choose one of: ${COMPLAINT_OUTCOMES.join(', ')}` },
    ]);
  }
  const at = now.toISOString();
  const acknowledged = feedback.status === 'received' ? { acknowledgedAt: at, acknowledgedBy: actor } : {};
  return changed(
    feedback,
    { ...feedback, ...acknowledged, status: 'responded', respondedAt: at, respondedBy: actor, ...answer },
    'respond',
    actor,
    now,
  );
}

/** Whether an outcome fits the kind: a complaint must say whether it was upheld. */
export function outcomeFits(kind: Feedback['kind'], outcome: Outcome): boolean {
  return kind !== 'complaint' || COMPLAINT_OUTCOMES.includes(outcome);
}

export function close(feedback: Feedback, actor: Actor, now: Date): Change {
  if (feedback.status !== 'responded') {
    throw new InvalidTransitionError(
      feedback.status === 'closed'
        ? `Feedback ${feedback.reference} is already closed.`
        : `Feedback ${feedback.reference} has not been answered yet: respond before closing.`,
    );
  }
  return changed(
    feedback,
    { ...feedback, status: 'closed', closedAt: now.toISOString(), closedBy: actor },
    'close',
    actor,
    now,
  );
}
