import { DomainError, type FieldError } from '../domain/errors';
import type { Feedback } from '../domain/feedback';

/** A step on feedback whose personal data was removed: it is a statistic now, and stays closed. */
export class FeedbackAnonymisedError extends DomainError {
  readonly problemType = 'feedback-anonymised';
  constructor(feedback: Pick<Feedback, 'reference' | 'anonymised'>) {
    super(
      'conflict',
      `${feedback.reference} was anonymised on ${feedback.anonymised?.at.slice(0, 10)} (${
        feedback.anonymised?.reason === 'erasure'
          ? 'at the family’s request'
          : 'its retention period had passed'
      }): it can no longer be reopened or escalated. Record a new complaint if the family raises it again.`,
    );
  }
}

/** Erasing feedback that is not closed: it must be answered and closed first, so nothing owed is lost. */
export class FeedbackStillOpenError extends DomainError {
  readonly problemType = 'feedback-still-open';
  constructor(errors: FieldError[]) {
    super(
      'conflict',
      'Only closed feedback can be erased: answer and close each item named below first (a withdrawn complaint can be answered as withdrawn).',
      errors,
    );
  }
}
