import type { Actor } from '../auth/officer';
import { acknowledgeStage, answerStage } from './complaint-stages';
import { DomainError, InvalidTransitionError } from './errors';
import { COMPLAINT_OUTCOMES, type Feedback, type Outcome } from './feedback';
import { type Change, changed } from './feedback-change';

/**
 * received → acknowledged → responded → closed. Each change is a new version of the item plus the
 * history entry that says who made it, when, and what changed (shared/domain/feedback-change.ts).
 * A complaint walks this once per stage: the acknowledgement and answer are the current stage's,
 * kept in its stage record too (shared/domain/complaint-stages.ts).
 */
export type { Change } from './feedback-change';

export function acknowledge(feedback: Feedback, actor: Actor, now: Date): Change {
  if (feedback.status !== 'received') {
    throw new InvalidTransitionError(`Feedback ${feedback.reference} is already ${feedback.status}.`);
  }
  return changed(
    feedback,
    acknowledgeStage({
      ...feedback,
      status: 'acknowledged',
      acknowledgedAt: now.toISOString(),
      acknowledgedBy: actor,
    }),
    'acknowledge',
    actor,
    now,
  );
}

/**
 * Answers the family; answering unacknowledged feedback acknowledges it too. A complaint's answer
 * is its current stage's, and says what comes next (the next stage, or the Ombudsman).
 */
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
    answerStage(
      { ...feedback, ...acknowledged, status: 'responded', respondedAt: at, respondedBy: actor, ...answer },
      actor,
      now,
    ),
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
