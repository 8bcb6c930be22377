import { DEFAULT_PROJECTS, DEFAULT_TIMEFRAMES } from '../config/default-projects';
import { DomainError, UnknownProjectError } from './errors';
import { type Feedback, newFeedback, type Receipt, receiptOf } from './feedback';
import type { FeedbackSubmission } from './feedback-submission';
import type { ProjectRepository } from './project';

export interface FeedbackRepository {
  /** Stores new feedback; throws FeedbackIdTakenError if its id (its reference) is already used. */
  create(feedback: Feedback): Promise<void>;
}

export class FeedbackIdTakenError extends DomainError {
  constructor(id: string) {
    super('conflict', `Feedback ${id} already exists`);
  }
}

/** Five clashes in a row, out of 6.5 × 10^11 references, would mean a broken random source. */
const MAX_REFERENCE_DRAWS = 5;

export interface ReceiveFeedbackDeps {
  feedback: FeedbackRepository;
  projects: ProjectRepository;
  now: () => Date;
  newReference: () => string;
}

/** Stores a family's feedback and tells them by when they will hear back. */
export interface Intake {
  receipt: Receipt;
  /** False for a honeypot hit: answered like a person, kept nowhere. */
  kept: boolean;
}

export async function receiveFeedback(
  deps: ReceiveFeedbackDeps,
  submission: FeedbackSubmission,
): Promise<Intake> {
  const project = await deps.projects.get(submission.projectId);
  const receivedAt = deps.now();
  // A honeypot hit gets the same answer as a person whatever it sent, so a bot learns nothing
  // (not even which projects exist), but nothing is kept.
  if (submission.website?.trim()) {
    const timeframe =
      (project ?? DEFAULT_PROJECTS[0])?.timeframes[submission.kind] ?? DEFAULT_TIMEFRAMES[submission.kind];
    return {
      receipt: receiptOf(newFeedback(deps.newReference(), submission, timeframe, receivedAt)),
      kept: false,
    };
  }
  if (!project?.active) throw new UnknownProjectError(submission.projectId);
  const timeframe = project.timeframes[submission.kind];
  for (let draw = 1; ; draw++) {
    const feedback = newFeedback(deps.newReference(), submission, timeframe, receivedAt);
    try {
      await deps.feedback.create(feedback);
      return { receipt: receiptOf(feedback), kept: true };
    } catch (error) {
      if (!(error instanceof FeedbackIdTakenError)) throw error;
      // Our fault, not the family's: a 500, never a 409 they could do nothing about.
      if (draw === MAX_REFERENCE_DRAWS) throw new Error(`No free reference after ${draw} draws`);
    }
  }
}
