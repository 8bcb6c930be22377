import { DEFAULT_PROJECTS, DEFAULT_TIMEFRAMES } from '../config/default-projects';
import type { SubjectKey } from '../retention/subject-keys';
import { timescalesFor } from './complaint-procedure';
import { startComplaint } from './complaint-stages';
import { DomainError, UnknownProjectError } from './errors';
import { type Feedback, newFeedback, type Receipt, receiptOf } from './feedback';
import type { Contact, FeedbackSubmission } from './feedback-submission';
import { keyFingerprint, MAX_KEY_CANDIDATES, referenceCandidate, requestFingerprint } from './intake-key';
import type { Project, ProjectRepository } from './project';

export interface FeedbackRepository {
  /**
   * Stores new feedback in one conditional write; throws FeedbackIdTakenError, carrying the item
   * already there, if its id (its reference) is taken.
   */
  create(feedback: Feedback): Promise<void>;
}

export class FeedbackIdTakenError extends DomainError {
  constructor(
    id: string,
    /** The item holding the id, when storage said (a retry recognises its own item by it). */
    readonly existing?: Feedback,
  ) {
    super('conflict', `Feedback ${id} already exists`);
  }
}

/** The same Idempotency-Key with a different request: the caller has mixed up two submissions. */
export class IdempotencyKeyReusedError extends DomainError {
  /** A problem type of its own, so a client can tell it from an unknown project. */
  readonly problemType = 'idempotency-key-reused';
  constructor() {
    const message =
      'This Idempotency-Key was used with a different request. Use a new key for a new request.';
    super('unprocessable', message, [{ path: 'headers.idempotency-key', message }]);
  }
}

/**
 * New feedback as stored; a complaint starts at stage 1 of its project's procedure (corporate
 * unless the project says otherwise), the timescales kept on the item like `timeframe`.
 */
function received(
  reference: string,
  submission: FeedbackSubmission,
  project: Pick<Project, 'timeframes' | 'complaintProcedure' | 'corporateComplaints'>,
  receivedAt: Date,
): Feedback {
  const timeframe = project.timeframes[submission.kind] ?? DEFAULT_TIMEFRAMES[submission.kind];
  const feedback = newFeedback(reference, submission, timeframe, receivedAt);
  if (submission.kind !== 'complaint') return feedback;
  const procedure = project.complaintProcedure ?? 'corporate';
  return startComplaint(
    feedback,
    procedure,
    timescalesFor(procedure, { timeframe, corporateComplaints: project.corporateComplaints }),
  );
}

/** Five clashes in a row, out of 6.5 × 10^11 references, would mean a broken random source. */
const MAX_REFERENCE_DRAWS = 5;

export interface ReceiveFeedbackDeps {
  feedback: FeedbackRepository;
  projects: ProjectRepository;
  now: () => Date;
  newReference: () => string;
  /** Keyed hashes of the contact details given, for subject access (shared/retention/subject-keys.ts). */
  subjectKeys: (contact: Contact) => Promise<SubjectKey[]>;
}

/** Stores a family's feedback and tells them by when they will hear back. */
export interface Intake {
  receipt: Receipt;
  /** False for a honeypot hit: answered like a person, kept nowhere. */
  kept: boolean;
  /** True when this answers a retry: the item was stored by an earlier request with the same key. */
  replayed: boolean;
}

export async function receiveFeedback(
  deps: ReceiveFeedbackDeps,
  submission: FeedbackSubmission,
  idempotencyKey?: string,
): Promise<Intake> {
  // What an admin's subject access search finds the item by. Begun beside the project read, not
  // after it: the key's first read (a cold start) then adds no wait of its own before the write.
  const hashing = submission.contact ? deps.subjectKeys(submission.contact) : Promise.resolve([]);
  // A honeypot hit or an unknown project returns before awaiting it: its failure is not unhandled.
  hashing.catch(() => undefined);
  const project = await deps.projects.get(submission.projectId);
  const receivedAt = deps.now();
  const referenceAt =
    idempotencyKey === undefined
      ? () => deps.newReference()
      : (attempt: number) => referenceCandidate(idempotencyKey, attempt);
  // A honeypot hit gets the same answer as a person whatever it sent, so a bot learns nothing
  // (not even which projects exist), but nothing is kept.
  if (submission.website?.trim()) {
    return {
      receipt: receiptOf(
        received(referenceAt(0), submission, project ?? (DEFAULT_PROJECTS[0] as Project), receivedAt),
      ),
      kept: false,
      replayed: false,
    };
  }
  if (!project?.active) throw new UnknownProjectError(submission.projectId);
  const intake =
    idempotencyKey === undefined
      ? undefined
      : { keyHash: keyFingerprint(idempotencyKey), requestHash: requestFingerprint(submission) };
  const subjectKeys = await hashing;
  const attempts = intake ? MAX_KEY_CANDIDATES : MAX_REFERENCE_DRAWS;
  for (let attempt = 0; ; attempt++) {
    const feedback = {
      ...received(referenceAt(attempt), submission, project, receivedAt),
      ...(intake ? { intake } : {}),
      ...(subjectKeys.length ? { subjectKeys } : {}),
    };
    try {
      await deps.feedback.create(feedback);
      return { receipt: receiptOf(feedback), kept: true, replayed: false };
    } catch (error) {
      if (!(error instanceof FeedbackIdTakenError)) throw error;
      const existing = error.existing?.intake;
      // Our own item, stored by an earlier attempt whose answer was lost: the same receipt again.
      if (intake && existing?.keyHash === intake.keyHash) {
        if (existing.requestHash !== intake.requestHash) throw new IdempotencyKeyReusedError();
        return { receipt: receiptOf(error.existing as Feedback), kept: true, replayed: true };
      }
      // Another item holds this reference: the next candidate (the same next one on every retry).
      // Our fault, not the family's: a 500, never a 409 they could do nothing about.
      if (attempt + 1 === attempts) throw new Error(`No free reference after ${attempts} tries`);
    }
  }
}
