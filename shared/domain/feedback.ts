import type { Actor } from '../auth/officer';
import type { Anonymisation } from '../retention/anonymise';
import type { SubjectKey } from '../retention/subject-keys';
import type { ComplaintProcedureName, StageTimescales } from './complaint-procedure';
import type { ComplaintStageRecord } from './complaint-stages';
import type { Channel, Contact, FeedbackSubmission, SubmitterRole } from './feedback-submission';
import { consentGiven, type KeepInformedConsent } from './keep-informed';
import type { IsoDate } from './london-time';
import type { AlertProgress } from './overdue';
import type { FeedbackKind, Timeframe } from './project';
import { idOfReference } from './reference';
import { deadlineAfter } from './working-days';

export const FEEDBACK_STATUSES = ['received', 'acknowledged', 'responded', 'closed'] as const;
export type FeedbackStatus = (typeof FEEDBACK_STATUSES)[number];
/** Statuses that still owe the family something, and so can be overdue. */
export const OPEN_STATUSES: readonly FeedbackStatus[] = ['received', 'acknowledged'];

export const OUTCOMES = ['upheld', 'partly_upheld', 'not_upheld', 'acted_on', 'noted'] as const;
export type Outcome = (typeof OUTCOMES)[number];
/** The Ombudsman's code: a complaint's answer says whether it was upheld. */
export const COMPLAINT_OUTCOMES: readonly Outcome[] = ['upheld', 'partly_upheld', 'not_upheld'];

/** A family's feedback as stored. `message` and `contact` are personal data: never logged, never public. */
export interface Feedback extends AlertProgress {
  /** The reference without its hyphen: see shared/domain/reference.ts. */
  id: string;
  reference: string;
  kind: FeedbackKind;
  projectId: string;
  status: FeedbackStatus;
  message: string;
  submitterRole: SubmitterRole;
  channel: Channel;
  satisfaction?: number;
  contact?: Contact;
  consentToContact: boolean;
  /** "Tell me what happens": given at intake, withdrawn by the stop link or an officer. */
  keepInformed?: KeepInformedConsent;
  receivedAt: string;
  /** The timeframe in force when it arrived: later changes to the project do not move these dates. */
  timeframe: Timeframe;
  acknowledgeBy: IsoDate;
  acknowledgeDueAt: string;
  respondBy: IsoDate;
  respondDueAt: string;
  acknowledgedAt?: string;
  acknowledgedBy?: Actor;
  respondedAt?: string;
  respondedBy?: Actor;
  /** What the officer told the family. */
  response?: string;
  outcome?: Outcome;
  closedAt?: string;
  closedBy?: Actor;
  /**
   * Complaints only (shared/domain/complaint-stages.ts). The fields above describe the current
   * stage: its deadlines, acknowledgement and answer. These say which stage that is and keep
   * every stage's record, so an escalation starts the next stage's clock without losing the last.
   */
  complaintProcedure?: ComplaintProcedureName;
  /** The current stage, from 1. */
  complaintStage?: number;
  /** Each stage's timescales, fixed when the complaint (or its procedure) was set. */
  complaintTimescales?: StageTimescales[];
  /** One record per stage reached, oldest first; the last is the current stage. */
  complaintStages?: ComplaintStageRecord[];
  /** Children Act stage 3: the review panel's date, once recorded (the sweep reads it from GSI1). */
  reviewPanelOn?: IsoDate;
  version: number;
  /**
   * Set when it came with an `Idempotency-Key`: fingerprints of the key and of the validated
   * request (shared/domain/intake-key.ts), so a retry knows its own item. Never the key itself.
   */
  intake?: { keyHash: string; requestHash: string };
  /**
   * Keyed hashes of the email address and phone number given (shared/retention/subject-keys.ts):
   * what an admin's subject access search finds the item by. Removed with the details themselves.
   */
  subjectKeys?: SubjectKey[];
  /**
   * Set once its personal data is removed (shared/retention/anonymise.ts): when, by whom, and why
   * (the retention schedule, or the family's erasure request). `message` is then empty.
   */
  anonymised?: Anonymisation;
}

/** The deadline feedback is working towards now: the acknowledgement first, then the answer. */
export function nextDueAt(feedback: Pick<Feedback, 'status' | 'acknowledgeDueAt' | 'respondDueAt'>): string {
  return feedback.status === 'received' ? feedback.acknowledgeDueAt : feedback.respondDueAt;
}

/** Past a deadline that is not yet met. */
export function isOverdue(
  feedback: Pick<Feedback, 'status' | 'acknowledgeDueAt' | 'respondDueAt'>,
  now: Date,
): boolean {
  return OPEN_STATUSES.includes(feedback.status) && nextDueAt(feedback) < now.toISOString();
}

/** What the family is told at once: their reference and by when they will hear back. */
export interface Receipt {
  id: string;
  reference: string;
  kind: FeedbackKind;
  projectId: string;
  status: 'received';
  receivedAt: string;
  acknowledgeBy: IsoDate;
  respondBy: IsoDate;
}

export function newFeedback(
  reference: string,
  submission: FeedbackSubmission,
  timeframe: Timeframe,
  receivedAt: Date,
): Feedback {
  const acknowledge = deadlineAfter(receivedAt, timeframe.acknowledgeWorkingDays);
  const respond = deadlineAfter(receivedAt, timeframe.respondWorkingDays);
  return {
    id: idOfReference(reference),
    reference,
    kind: submission.kind,
    projectId: submission.projectId,
    status: 'received',
    message: submission.message,
    submitterRole: submission.submitterRole,
    channel: submission.channel,
    ...(submission.satisfaction === undefined ? {} : { satisfaction: submission.satisfaction }),
    ...(submission.contact === undefined ? {} : { contact: submission.contact }),
    consentToContact: submission.contact !== undefined && submission.consentToContact === true,
    ...(submission.contact !== undefined && submission.keepMeInformed === true
      ? { keepInformed: consentGiven(submission.channel, receivedAt) }
      : {}),
    receivedAt: receivedAt.toISOString(),
    timeframe,
    acknowledgeBy: acknowledge.date,
    acknowledgeDueAt: acknowledge.dueAt,
    respondBy: respond.date,
    respondDueAt: respond.dueAt,
    version: 1,
  };
}

export function receiptOf(feedback: Feedback): Receipt {
  return {
    id: feedback.id,
    reference: feedback.reference,
    kind: feedback.kind,
    projectId: feedback.projectId,
    status: 'received',
    receivedAt: feedback.receivedAt,
    acknowledgeBy: feedback.acknowledgeBy,
    respondBy: feedback.respondBy,
  };
}
