import { UnknownProjectError } from './errors';
import { type Feedback, newFeedback, type Receipt, receiptOf } from './feedback';
import type { FeedbackSubmission } from './feedback-submission';
import type { Project } from './project';

export interface FeedbackRepository {
  /** Stores new feedback; draws a fresh reference itself if the one given is taken. */
  create(feedback: Feedback, newReference: () => string): Promise<Feedback>;
}

export interface ProjectRepository {
  get(id: string): Promise<Project | undefined>;
  list(): Promise<Project[]>;
}

export interface ReceiveFeedbackDeps {
  feedback: FeedbackRepository;
  projects: ProjectRepository;
  now: () => Date;
  newId: () => string;
  newReference: () => string;
}

/** Stores a family's feedback and tells them by when they will hear back. */
export async function receiveFeedback(
  deps: ReceiveFeedbackDeps,
  submission: FeedbackSubmission,
): Promise<Receipt> {
  const project = await deps.projects.get(submission.projectId);
  if (!project?.active) throw new UnknownProjectError(submission.projectId);
  const receivedAt = deps.now();
  const draft = newFeedback(
    { id: deps.newId(), reference: deps.newReference() },
    submission,
    project.timeframes[submission.kind],
    receivedAt,
  );
  // A honeypot hit gets the same answer as a person, so a bot learns nothing, but nothing is kept.
  if (submission.website?.trim()) return receiptOf(draft);
  const stored = await deps.feedback.create(draft, deps.newReference);
  return receiptOf(stored);
}
