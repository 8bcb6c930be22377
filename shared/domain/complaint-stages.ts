import type { Actor } from '../auth/officer';
import { FeedbackAnonymisedError } from '../retention/errors';
import {
  type ComplaintProcedureName,
  type OmbudsmanRoute,
  PROCEDURES,
  type StageTimescales,
  stageName,
  timescalesFor,
} from './complaint-procedure';
import { DomainError, InvalidTransitionError } from './errors';
import type { Feedback, Outcome } from './feedback';
import { type Change, changed } from './feedback-change';
import { endOfLondonDay, type IsoDate, londonDateOf } from './london-time';
import { addWorkingDays, deadlineAfter } from './working-days';

/**
 * A complaint's stages: which one it is at, what each was due and given, and the steps between
 * them (choose the procedure, extend, escalate, record the review panel, answer). Pure: the
 * timescales are shared/domain/complaint-procedure.ts; storage and HTTP are elsewhere.
 *
 * The item's own deadline fields (`acknowledgeBy`/`acknowledgeDueAt`, `respondBy`/`respondDueAt`)
 * and `status` always describe the current stage, so the officers' lists, `overdue`, GSI1 and the
 * overdue sweep need no new shape: an escalation puts the complaint back to `received` with the
 * next stage's dates (and so in the received partitions and at its new place in GSI1), and the
 * stage it leaves is kept, answered, in `complaintStages`.
 */

/** How the family asked for the next stage. `family_link`: through their escalation link, by themselves. */
export const REQUEST_CHANNELS = ['phone', 'letter', 'email', 'in_person', 'family_link'] as const;
export type RequestChannel = (typeof REQUEST_CHANNELS)[number];
/** What an officer may record (the family link records itself). */
export const OFFICER_REQUEST_CHANNELS = ['phone', 'letter', 'email', 'in_person'] as const;

export interface StageRequest {
  /** When the family asked: the stage's clock starts that day. */
  at: string;
  via: RequestChannel;
  /** The officer who recorded it; absent when the family used their link. */
  recordedBy?: Actor;
  /** What the family said is still wrong: their words, private like the message. */
  reason?: string;
  /** Whether they asked within the time the last answer gave them (`next.askBy`). */
  inTime: boolean;
}

export interface StageExtension {
  at: string;
  by: Actor;
  workingDays: number;
  from: IsoDate;
  to: IsoDate;
  /** What the family is told: required, as the Code asks for the reasons to be explained. */
  reason: string;
}

/**
 * One stage as it happened: plain fields, so a reader of the stored item (the officer's read, the
 * scorecard from the table's stream) can tell when it started, when it was due (extended or not),
 * when it was answered, and whether on time.
 */
export interface ComplaintStageRecord {
  stage: number;
  name: string;
  /** Receipt (stage 1) or the family's request. */
  startedAt: string;
  request?: StageRequest;
  acknowledgeBy: IsoDate;
  acknowledgeDueAt: string;
  acknowledgedAt?: string;
  /** The answer deadline now: as first set, extended, or (review panel) set by the panel's date. */
  dueBy: IsoDate;
  dueAt: string;
  /** The answer deadline as the stage began. */
  originalDueBy: IsoDate;
  /** The deadline the last extension set (the same as `dueBy` while nothing else moves it). */
  extendedTo?: IsoDate;
  extensions?: StageExtension[];
  /** Children Act stage 3: by when the panel must meet, and when it does. */
  panelBy?: IsoDate;
  panelOn?: IsoDate;
  answeredAt?: string;
  answeredBy?: Actor;
  outcome?: Outcome;
  response?: string;
  /** Answered by the end of `dueBy` (London). */
  answeredOnTime?: boolean;
  /** Set by the answer at a stage that is not the last: the next stage, and by when the family may ask. */
  next?: { stage: number; name: string; askBy: IsoDate };
  /** Set by the answer at the last stage: where the family goes now. */
  ombudsman?: OmbudsmanRoute;
}

export interface ComplaintState {
  procedure: ComplaintProcedureName;
  stage: number;
  timescales: StageTimescales[];
  records: ComplaintStageRecord[];
  current: ComplaintStageRecord;
  rules: StageTimescales;
}

const OPEN = ['received', 'acknowledged'];

/**
 * Where a complaint is. A complaint stored before stages existed reads as stage 1 of the corporate
 * procedure, with the dates it already has; its first stage step writes the fields out.
 */
export function complaintStateOf(feedback: Feedback): ComplaintState | undefined {
  if (feedback.kind !== 'complaint') return undefined;
  const procedure = feedback.complaintProcedure ?? 'corporate';
  const timescales =
    feedback.complaintTimescales ?? timescalesFor(procedure, { timeframe: feedback.timeframe });
  const records = feedback.complaintStages?.length ? feedback.complaintStages : [legacyRecord(feedback)];
  const current = records[records.length - 1] as ComplaintStageRecord;
  const stage = feedback.complaintStage ?? current.stage;
  const rules = timescales[stage - 1] ?? (timescales[timescales.length - 1] as StageTimescales);
  return { procedure, stage, timescales, records, current, rules };
}

function legacyRecord(feedback: Feedback): ComplaintStageRecord {
  return {
    stage: 1,
    name: stageName('corporate', 1),
    startedAt: feedback.receivedAt,
    acknowledgeBy: feedback.acknowledgeBy,
    acknowledgeDueAt: feedback.acknowledgeDueAt,
    ...(feedback.acknowledgedAt ? { acknowledgedAt: feedback.acknowledgedAt } : {}),
    dueBy: feedback.respondBy,
    dueAt: feedback.respondDueAt,
    originalDueBy: feedback.respondBy,
  };
}

function requireComplaint(feedback: Feedback): ComplaintState {
  const state = complaintStateOf(feedback);
  if (!state) {
    throw new InvalidTransitionError(
      `${feedback.reference} is ${feedback.kind === 'compliment' ? 'a compliment' : 'feedback'}: only complaints have stages.`,
    );
  }
  return state;
}

/** A stage as it begins at `startedAt`: both deadlines counted from that London day. */
function beginStage(
  procedure: ComplaintProcedureName,
  timescales: StageTimescales[],
  stage: number,
  startedAt: Date,
  request?: StageRequest,
): ComplaintStageRecord {
  const rules = timescales[stage - 1] as StageTimescales;
  const acknowledge = deadlineAfter(startedAt, rules.acknowledgeWorkingDays);
  const answer = deadlineAfter(startedAt, rules.answerWorkingDays);
  return {
    stage,
    name: stageName(procedure, stage),
    startedAt: startedAt.toISOString(),
    ...(request ? { request } : {}),
    acknowledgeBy: acknowledge.date,
    acknowledgeDueAt: acknowledge.dueAt,
    dueBy: answer.date,
    dueAt: answer.dueAt,
    originalDueBy: answer.date,
    ...(rules.reviewPanel ? { panelBy: answer.date } : {}),
  };
}

/** The item's own deadlines, set to the current stage's. */
function withCurrentDeadlines(feedback: Feedback, record: ComplaintStageRecord): Feedback {
  return {
    ...feedback,
    acknowledgeBy: record.acknowledgeBy,
    acknowledgeDueAt: record.acknowledgeDueAt,
    respondBy: record.dueBy,
    respondDueAt: record.dueAt,
  };
}

function withCurrentRecord(
  feedback: Feedback,
  state: ComplaintState,
  record: ComplaintStageRecord,
): Feedback {
  return withCurrentDeadlines(
    {
      ...feedback,
      complaintProcedure: state.procedure,
      complaintStage: state.stage,
      complaintTimescales: state.timescales,
      complaintStages: [...state.records.slice(0, -1), record],
    },
    record,
  );
}

/**
 * A new complaint at stage 1 of `procedure`, its deadlines counted from receipt. Intake calls this;
 * so does a change of procedure before acknowledgement (the same receipt, the other timescales).
 */
export function startComplaint(
  feedback: Feedback,
  procedure: ComplaintProcedureName,
  timescales: StageTimescales[],
): Feedback {
  if (feedback.kind !== 'complaint') return feedback;
  const first = beginStage(procedure, timescales, 1, new Date(feedback.receivedAt));
  return withCurrentDeadlines(
    {
      ...feedback,
      complaintProcedure: procedure,
      complaintStage: 1,
      complaintTimescales: timescales,
      complaintStages: [first],
    },
    first,
  );
}

/** Choosing or changing the procedure: at stage 1, before the family is told its timescales (acknowledgement). */
export function chooseProcedure(
  feedback: Feedback,
  procedure: ComplaintProcedureName,
  timescales: StageTimescales[],
  reason: string,
  actor: Actor,
  now: Date,
): Change {
  const state = requireComplaint(feedback);
  if (state.stage !== 1 || feedback.status !== 'received') {
    throw new InvalidTransitionError(
      `${feedback.reference} is ${feedback.status} at stage ${state.stage}: the procedure can only be chosen before the complaint is acknowledged, since the acknowledgement tells the family its timescales.`,
    );
  }
  if (state.procedure === procedure && feedback.complaintProcedure) {
    throw new InvalidTransitionError(`${feedback.reference} already follows the ${procedure} procedure.`);
  }
  return changed(
    feedback,
    startComplaint(feedback, procedure, timescales),
    'choose_procedure',
    actor,
    now,
    reason,
  );
}

/** The stage's answer deadline, later by `workingDays`, within the procedure's maximum and before it passes. */
export function extendStage(
  feedback: Feedback,
  workingDays: number,
  reason: string,
  actor: Actor,
  now: Date,
): Change {
  const state = requireComplaint(feedback);
  const { current, rules } = state;
  if (!OPEN.includes(feedback.status)) {
    throw new InvalidTransitionError(
      `${feedback.reference} is ${feedback.status}: only a stage that has not been answered can be extended.`,
    );
  }
  if (rules.maxExtensionWorkingDays === 0) {
    throw new InvalidTransitionError(
      `${current.name} cannot be extended: its deadlines follow the review panel (record the panel's date instead).`,
    );
  }
  if (current.dueAt < now.toISOString()) {
    throw new InvalidTransitionError(
      `${current.name}'s answer was due by ${current.dueBy}: an extension is agreed and explained to the family before the deadline passes.`,
    );
  }
  const used = (current.extensions ?? []).reduce((sum, extension) => sum + extension.workingDays, 0);
  const left = rules.maxExtensionWorkingDays - used;
  if (workingDays > left) {
    const latest = addWorkingDays(current.dueBy, left);
    const message =
      left === 0
        ? `${current.name} has already been extended by the most allowed (${rules.maxExtensionWorkingDays} working days)`
        : `At most ${left} more working day${left === 1 ? '' : 's'} (to ${latest}): ${current.name} may be extended by ${rules.maxExtensionWorkingDays} working days in all`;
    throw new DomainError('unprocessable', `${message}.`, [{ path: 'extendByWorkingDays', message }]);
  }
  const to = addWorkingDays(current.dueBy, workingDays);
  const extension: StageExtension = {
    at: now.toISOString(),
    by: actor,
    workingDays,
    from: current.dueBy,
    to,
    reason,
  };
  const record: ComplaintStageRecord = {
    ...current,
    dueBy: to,
    dueAt: endOfLondonDay(to).toISOString(),
    extendedTo: to,
    extensions: [...(current.extensions ?? []), extension],
  };
  return changed(feedback, withCurrentRecord(feedback, state, record), 'extend', actor, now, reason);
}

/** Thrown when the family (or an officer for them) asks to go beyond the last stage. */
export class FinalStageError extends DomainError {
  readonly problemType = 'final-stage';
  constructor(feedback: Feedback, state: ComplaintState) {
    const ombudsman = PROCEDURES[state.procedure].ombudsman;
    super(
      'conflict',
      `${feedback.reference} has had the answer at ${state.current.name}, the last stage of the council's procedure. The family can now go to the ${ombudsman.name} (${ombudsman.url}).`,
    );
  }
}

/** Thrown when a family's own request comes after the time their last answer gave them. */
export class EscalationWindowClosedError extends DomainError {
  readonly problemType = 'escalation-window-closed';
  constructor(askBy: IsoDate, next: string) {
    super(
      'conflict',
      `The time to ask for ${next} ended on ${askBy}. Please contact the council: it can still consider a late request.`,
    );
  }
}

export interface EscalationRequest {
  at: Date;
  via: RequestChannel;
  recordedBy?: Actor;
  reason?: string;
}

/**
 * The family asks for the next stage: the answered stage stays in the record, and the complaint is
 * `received` again at the next stage, both deadlines counted from the day they asked. A request
 * after the time the answer gave (`next.askBy`) is recorded as late (`inTime: false`); the family's
 * own link refuses it instead (shared/domain/family-escalation.ts).
 */
export function escalate(feedback: Feedback, request: EscalationRequest, actor: Actor, now: Date): Change {
  // Its words are gone (the retention schedule, or the family's own erasure request): nothing to reopen.
  if (feedback.anonymised) throw new FeedbackAnonymisedError(feedback);
  const state = requireComplaint(feedback);
  const { current } = state;
  if (feedback.status !== 'responded' && feedback.status !== 'closed') {
    throw new InvalidTransitionError(
      `${current.name} of ${feedback.reference} has not been answered yet: the family can ask for the next stage once it has.`,
    );
  }
  if (!current.next) throw new FinalStageError(feedback, state);
  const at = request.at.toISOString();
  if (current.answeredAt && at < current.answeredAt) {
    throw new DomainError('invalid', 'The family cannot have asked before the answer was given.', [
      { path: 'requestedAt', message: `Use a time after the ${current.name} answer (${current.answeredAt})` },
    ]);
  }
  if (at > now.toISOString()) {
    throw new DomainError('invalid', 'The request cannot be in the future.', [
      { path: 'requestedAt', message: 'Use the time the family asked, not a later one' },
    ]);
  }
  const stage = current.next.stage;
  const next = beginStage(state.procedure, state.timescales, stage, request.at, {
    at,
    via: request.via,
    ...(request.recordedBy ? { recordedBy: request.recordedBy } : {}),
    ...(request.reason ? { reason: request.reason } : {}),
    inTime: londonDateOf(request.at) <= current.next.askBy,
  });
  // The last stage's acknowledgement, answer and closing stay in its record; the item's own
  // fields start again for the new stage.
  const {
    acknowledgedAt: _acknowledgedAt,
    acknowledgedBy: _acknowledgedBy,
    respondedAt: _respondedAt,
    respondedBy: _respondedBy,
    response: _response,
    outcome: _outcome,
    closedAt: _closedAt,
    closedBy: _closedBy,
    reviewPanelOn: _reviewPanelOn,
    ...kept
  } = feedback;
  const after = withCurrentDeadlines(
    {
      ...kept,
      status: 'received',
      complaintProcedure: state.procedure,
      complaintStage: stage,
      complaintTimescales: state.timescales,
      complaintStages: [...state.records, next],
    },
    next,
  );
  // No `reason` on the history entry: what the family said is theirs, kept in the stage's request.
  return changed(feedback, after, 'escalate', actor, now);
}

/** Children Act stage 3: the panel's date sets the response deadline (report 5 + response 15 working days). */
export function recordReviewPanel(feedback: Feedback, heldOn: IsoDate, actor: Actor, now: Date): Change {
  const state = requireComplaint(feedback);
  const { current, rules } = state;
  if (!rules.reviewPanel) {
    throw new InvalidTransitionError(
      `${feedback.reference} is at ${current.name}: only the Children Act procedure's stage 3 has a review panel.`,
    );
  }
  if (!OPEN.includes(feedback.status)) {
    throw new InvalidTransitionError(
      `${feedback.reference} is ${feedback.status}: the panel's date cannot change after the response.`,
    );
  }
  const askedOn = londonDateOf(new Date(current.startedAt));
  if (heldOn < askedOn) {
    throw new DomainError('invalid', 'The panel cannot meet before the family asked for it.', [
      { path: 'heldOn', message: `Use a date on or after ${askedOn}, when the family asked for the panel` },
    ]);
  }
  const dueBy = addWorkingDays(
    heldOn,
    rules.reviewPanel.reportWorkingDays + rules.reviewPanel.responseWorkingDays,
  );
  const record: ComplaintStageRecord = {
    ...current,
    panelOn: heldOn,
    dueBy,
    dueAt: endOfLondonDay(dueBy).toISOString(),
  };
  return changed(
    feedback,
    { ...withCurrentRecord(feedback, state, record), reviewPanelOn: heldOn },
    'record_review_panel',
    actor,
    now,
  );
}

/** The current stage's record once acknowledged (the lifecycle's acknowledge and respond call this). */
export function acknowledgeStage(feedback: Feedback): Feedback {
  const state = complaintStateOf(feedback);
  if (!state || !feedback.acknowledgedAt) return feedback;
  return withCurrentRecord(feedback, state, { ...state.current, acknowledgedAt: feedback.acknowledgedAt });
}

/**
 * The current stage's answer, from the item the lifecycle's respond made: the stage record gets
 * the answer and what comes next (the next stage and by when to ask, or the Ombudsman).
 */
export function answerStage(feedback: Feedback, actor: Actor, now: Date): Feedback {
  const state = complaintStateOf(feedback);
  if (!state) return feedback;
  const { current, rules, procedure } = state;
  if (rules.reviewPanel && !current.panelOn) {
    throw new InvalidTransitionError(
      `Record the review panel's date first: the council's response follows the panel's report.`,
    );
  }
  const at = now.toISOString();
  const last = state.stage >= state.timescales.length;
  const record: ComplaintStageRecord = {
    ...current,
    ...(feedback.acknowledgedAt ? { acknowledgedAt: current.acknowledgedAt ?? feedback.acknowledgedAt } : {}),
    answeredAt: at,
    answeredBy: actor,
    ...(feedback.outcome ? { outcome: feedback.outcome } : {}),
    ...(feedback.response ? { response: feedback.response } : {}),
    answeredOnTime: at <= current.dueAt,
    ...(last
      ? { ombudsman: PROCEDURES[procedure].ombudsman }
      : {
          next: {
            stage: state.stage + 1,
            name: stageName(procedure, state.stage + 1),
            askBy: addWorkingDays(londonDateOf(now), rules.askNextWithinWorkingDays ?? 20),
          },
        }),
  };
  return withCurrentRecord(feedback, state, record);
}

/** What the family may do after the current stage's answer: ask for the next stage, or go to the Ombudsman. */
export type NextStep =
  | { kind: 'next_stage'; stage: number; name: string; askBy: IsoDate }
  | ({ kind: 'ombudsman' } & OmbudsmanRoute);

export function nextStepOf(feedback: Feedback): NextStep | undefined {
  const state = complaintStateOf(feedback);
  if (!state?.current.answeredAt) return undefined;
  if (state.current.next) return { kind: 'next_stage', ...state.current.next };
  if (state.current.ombudsman) return { kind: 'ombudsman', ...state.current.ombudsman };
  return undefined;
}

/** What the family's page shows after asking for a stage: nothing of anyone's words, no contact details. */
export interface EscalationOutcome {
  reference: string;
  procedure: ComplaintProcedureName;
  stage: number;
  stageName: string;
  requestedAt: string;
  acknowledgeBy: IsoDate;
  respondBy: IsoDate;
  /** Children Act stage 3: by when the review panel meets. */
  panelBy?: IsoDate;
}

export function escalationOutcomeOf(feedback: Feedback, stage: number): EscalationOutcome | undefined {
  const state = complaintStateOf(feedback);
  const record = state?.records.find((candidate) => candidate.stage === stage);
  if (!state || !record?.request) return undefined;
  return {
    reference: feedback.reference,
    procedure: state.procedure,
    stage,
    stageName: record.name,
    requestedAt: record.request.at,
    acknowledgeBy: record.acknowledgeBy,
    respondBy: record.dueBy,
    ...(record.panelBy ? { panelBy: record.panelBy } : {}),
  };
}
