import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_TIMEFRAMES } from '../../shared/config/default-projects';
import {
  CORPORATE_DEFAULTS,
  type ComplaintProcedureName,
  LGSCO,
  PROCEDURES,
  timescalesFor,
} from '../../shared/domain/complaint-procedure';
import {
  chooseProcedure,
  complaintStateOf,
  escalate,
  extendStage,
  FinalStageError,
  nextStepOf,
  recordReviewPanel,
  startComplaint,
} from '../../shared/domain/complaint-stages';
import { DomainError } from '../../shared/domain/errors';
import { type Feedback, newFeedback } from '../../shared/domain/feedback';
import { acknowledge, respond } from '../../shared/domain/feedback-lifecycle';
import { addDays, endOfLondonDay, type IsoDate, londonDateOf } from '../../shared/domain/london-time';
import { alertIdOf, dueAlert, type OpenFeedback, seriesOf, stageOf } from '../../shared/domain/overdue';
import { alertMessage } from '../../shared/domain/overdue-alert';
import { addWorkingDays, isWorkingDay } from '../../shared/domain/working-days';
import { DAY_MS, fromNow, HOUR_MS, TEST_NOW } from '../support/clock';

const sam = { sub: 'sub-sam', name: 'Sam Officer' };

function complaint(
  receivedAt: Date,
  procedure: ComplaintProcedureName = 'corporate',
  kind: Feedback['kind'] = 'complaint',
): Feedback {
  const feedback = newFeedback(
    'K7QM-92PD',
    { kind, projectId: 'general', submitterRole: 'parent_or_carer', channel: 'web', message: 'x' } as never,
    DEFAULT_TIMEFRAMES[kind],
    receivedAt,
  );
  return startComplaint(
    feedback,
    procedure,
    timescalesFor(procedure, { timeframe: DEFAULT_TIMEFRAMES.complaint }),
  );
}

/** Working days after `from` up to and including `to`, counted one day at a time (not with addWorkingDays). */
function workingDaysBetween(from: IsoDate, to: IsoDate): number {
  let count = 0;
  for (let day = addDays(from, 1); day <= to; day = addDays(day, 1)) if (isWorkingDay(day)) count++;
  return count;
}

/** Any instant within about a year of the run's now, minutes apart: weekends, bank holidays and clock changes included. */
const instant = fc
  .integer({ min: -400, max: 400 })
  .chain((days) =>
    fc.integer({ min: 0, max: 1439 }).map((minute) => fromNow(days * DAY_MS + minute * 60_000)),
  );
const procedure = fc.constantFrom<ComplaintProcedureName>('corporate', 'childrens');

/** Answered, at `at`. */
const answered = (feedback: Feedback, at: Date) =>
  respond(feedback, { response: 'Our answer.', outcome: 'partly_upheld' }, sam, at).feedback;

describe('the procedures, as data', () => {
  it('holds the Complaint Handling Code’s corporate timescales and the Children Act’s, with a source for each stage', () => {
    expect(timescalesFor('corporate', { timeframe: DEFAULT_TIMEFRAMES.complaint })).toEqual([
      {
        acknowledgeWorkingDays: 5,
        answerWorkingDays: 15,
        maxExtensionWorkingDays: 10,
        askNextWithinWorkingDays: 20,
      },
      { acknowledgeWorkingDays: 5, answerWorkingDays: 25, maxExtensionWorkingDays: 20 },
    ]);
    expect(timescalesFor('childrens', { timeframe: DEFAULT_TIMEFRAMES.complaint })).toEqual([
      {
        acknowledgeWorkingDays: 5,
        answerWorkingDays: 10,
        maxExtensionWorkingDays: 10,
        askNextWithinWorkingDays: 20,
      },
      {
        acknowledgeWorkingDays: 5,
        answerWorkingDays: 25,
        maxExtensionWorkingDays: 40,
        askNextWithinWorkingDays: 20,
      },
      {
        acknowledgeWorkingDays: 5,
        answerWorkingDays: 30,
        maxExtensionWorkingDays: 0,
        reviewPanel: { reportWorkingDays: 5, responseWorkingDays: 15 },
      },
    ]);
    for (const definition of Object.values(PROCEDURES)) {
      expect(definition.ombudsman).toEqual(LGSCO);
      for (const stage of definition.stages) expect(stage.sources.length).toBeGreaterThan(0);
    }
  });

  it('takes stage 1 from the project’s complaint timeframe and the corporate settings a council changes', () => {
    const [first, second] = timescalesFor('corporate', {
      timeframe: { acknowledgeWorkingDays: 3, respondWorkingDays: 20 },
      corporateComplaints: { stage2RespondWorkingDays: 30, askForStage2WithinWorkingDays: 40 },
    });
    expect(first).toMatchObject({
      acknowledgeWorkingDays: 3,
      answerWorkingDays: 20,
      askNextWithinWorkingDays: 40,
    });
    expect(second).toMatchObject({
      acknowledgeWorkingDays: CORPORATE_DEFAULTS.stage2AcknowledgeWorkingDays,
      answerWorkingDays: 30,
      maxExtensionWorkingDays: CORPORATE_DEFAULTS.stage2MaxExtensionWorkingDays,
    });
  });
});

describe('deadlines are N working days after the stage starts (property)', () => {
  it('at stage 1, from receipt, for both procedures, at any instant', () => {
    fc.assert(
      fc.property(instant, procedure, (receivedAt, chosen) => {
        const item = complaint(receivedAt, chosen);
        const [rules] = item.complaintTimescales ?? [];
        const day = londonDateOf(receivedAt);
        expect(workingDaysBetween(day, item.acknowledgeBy)).toBe(rules?.acknowledgeWorkingDays);
        expect(workingDaysBetween(day, item.respondBy)).toBe(rules?.answerWorkingDays);
        expect(isWorkingDay(item.respondBy)).toBe(true);
        expect(item.respondDueAt).toBe(endOfLondonDay(item.respondBy).toISOString());
        expect(item.complaintStages?.[0]).toMatchObject({
          stage: 1,
          dueBy: item.respondBy,
          originalDueBy: item.respondBy,
        });
      }),
      { numRuns: 200 },
    );
  });

  it('at the next stage, from the day the family asked, however long after the answer', () => {
    fc.assert(
      fc.property(instant, procedure, fc.integer({ min: 0, max: 30 * 24 }), (receivedAt, chosen, hours) => {
        const answer = new Date(receivedAt.getTime() + 3 * DAY_MS);
        const askedAt = new Date(answer.getTime() + hours * HOUR_MS);
        const stage2 = escalate(
          answered(complaint(receivedAt, chosen), answer),
          { at: askedAt, via: 'phone', recordedBy: sam },
          sam,
          askedAt,
        ).feedback;
        const rules = stage2.complaintTimescales?.[1];
        const day = londonDateOf(askedAt);
        expect(stage2).toMatchObject({ status: 'received', complaintStage: 2 });
        expect(workingDaysBetween(day, stage2.acknowledgeBy)).toBe(rules?.acknowledgeWorkingDays);
        expect(workingDaysBetween(day, stage2.respondBy)).toBe(rules?.answerWorkingDays);
        const askBy = stage2.complaintStages?.[0]?.next?.askBy as IsoDate;
        expect(workingDaysBetween(londonDateOf(answer), askBy)).toBe(20);
        expect(stage2.complaintStages?.[1]?.request?.inTime).toBe(londonDateOf(askedAt) <= askBy);
      }),
      { numRuns: 150 },
    );
  });
});

describe('an extension is never beyond the procedure’s maximum (property)', () => {
  it('accepts what fits, refuses the rest with 422 naming extendByWorkingDays, and never passes the limit', () => {
    fc.assert(
      fc.property(
        instant,
        procedure,
        fc.integer({ min: 1, max: 2 }),
        fc.array(fc.integer({ min: 1, max: 30 }), { minLength: 1, maxLength: 6 }),
        (receivedAt, chosen, stage, requests) => {
          let item = complaint(receivedAt, chosen);
          let now = receivedAt;
          if (stage === 2) {
            now = new Date(receivedAt.getTime() + DAY_MS);
            item = answered(item, now);
            item = escalate(item, { at: now, via: 'letter', recordedBy: sam }, sam, now).feedback;
          }
          const rules = item.complaintTimescales?.[stage - 1];
          const max = rules?.maxExtensionWorkingDays ?? 0;
          const original = item.respondBy;
          let granted = 0;
          for (const days of requests) {
            if (granted + days <= max) {
              item = extendStage(item, days, 'The school has not yet sent its records.', sam, now).feedback;
              granted += days;
            } else {
              const refusal = (() => {
                try {
                  extendStage(item, days, 'More time', sam, now);
                } catch (error) {
                  return error;
                }
              })();
              expect(refusal).toBeInstanceOf(DomainError);
              expect((refusal as DomainError).kind).toBe('unprocessable');
              expect((refusal as DomainError).errors[0]?.path).toBe('extendByWorkingDays');
            }
            expect(item.respondBy <= addWorkingDays(original, max)).toBe(true);
            expect(workingDaysBetween(original, item.respondBy)).toBe(granted);
          }
          const record = item.complaintStages?.[stage - 1];
          expect(record?.originalDueBy).toBe(original);
          expect((record?.extensions ?? []).reduce((sum, e) => sum + e.workingDays, 0)).toBe(granted);
          if (granted > 0) expect(record?.extendedTo).toBe(item.respondBy);
        },
      ),
      { numRuns: 150 },
    );
  });

  it('is refused once the deadline has passed, after the answer, and at the review panel stage', () => {
    const item = complaint(TEST_NOW);
    expect(() => extendStage(item, 1, 'Late', sam, new Date(Date.parse(item.respondDueAt) + 1))).toThrow(
      /before the deadline passes/,
    );
    expect(() => extendStage(answered(item, TEST_NOW), 1, 'Too late', sam, TEST_NOW)).toThrow(
      /not been answered/,
    );
    expect(() => extendStage(complaint(TEST_NOW, 'corporate', 'feedback'), 1, 'x', sam, TEST_NOW)).toThrow(
      /only complaints have stages/,
    );
  });
});

describe('a corporate complaint, stage 1 to the Ombudsman', () => {
  it('answers stage 1 with the next stage and its window, stage 2 with the Ombudsman; a third is refused', () => {
    const received = complaint(TEST_NOW);
    const acknowledged = acknowledge(received, sam, fromNow(HOUR_MS)).feedback;
    expect(acknowledged.complaintStages?.[0]?.acknowledgedAt).toBe(fromNow(HOUR_MS).toISOString());

    const stage1 = answered(acknowledged, fromNow(2 * DAY_MS));
    expect(nextStepOf(stage1)).toEqual({
      kind: 'next_stage',
      stage: 2,
      name: 'Stage 2',
      askBy: addWorkingDays(londonDateOf(fromNow(2 * DAY_MS)), 20),
    });
    expect(stage1.complaintStages?.[0]).toMatchObject({
      answeredAt: fromNow(2 * DAY_MS).toISOString(),
      outcome: 'partly_upheld',
      response: 'Our answer.',
      answeredOnTime: true,
    });

    const askedAt = fromNow(4 * DAY_MS);
    const stage2 = escalate(
      stage1,
      { at: askedAt, via: 'phone', recordedBy: sam, reason: 'Still no plan' },
      sam,
      askedAt,
    );
    expect(stage2.entry).toMatchObject({ action: 'escalate', actor: sam });
    expect(stage2.entry).not.toHaveProperty('reason');
    expect(stage2.feedback).not.toHaveProperty('respondedAt');
    expect(stage2.feedback).not.toHaveProperty('response');
    expect(stage2.feedback).not.toHaveProperty('acknowledgedAt');
    expect(stage2.feedback.complaintStages?.[1]?.request).toEqual({
      at: askedAt.toISOString(),
      via: 'phone',
      recordedBy: sam,
      reason: 'Still no plan',
      inTime: true,
    });

    const final = answered(acknowledge(stage2.feedback, sam, askedAt).feedback, fromNow(5 * DAY_MS));
    expect(nextStepOf(final)).toEqual({ kind: 'ombudsman', ...LGSCO });
    expect(final.complaintStages?.[1]?.ombudsman).toEqual(LGSCO);
    expect(() =>
      escalate(final, { at: fromNow(6 * DAY_MS), via: 'letter' }, sam, fromNow(6 * DAY_MS)),
    ).toThrow(FinalStageError);
  });

  it('refuses to escalate what has not been answered, a request before the answer, or one in the future', () => {
    const item = complaint(TEST_NOW);
    expect(() => escalate(item, { at: TEST_NOW, via: 'phone' }, sam, TEST_NOW)).toThrow(/not been answered/);
    const done = answered(item, fromNow(DAY_MS));
    expect(() => escalate(done, { at: TEST_NOW, via: 'phone' }, sam, fromNow(2 * DAY_MS))).toThrow(
      /before the answer/,
    );
    expect(() => escalate(done, { at: fromNow(3 * DAY_MS), via: 'phone' }, sam, fromNow(2 * DAY_MS))).toThrow(
      /future/,
    );
  });

  it('records a request after the window as late (an officer may accept it)', () => {
    const done = answered(complaint(TEST_NOW), TEST_NOW);
    const askBy = done.complaintStages?.[0]?.next?.askBy as IsoDate;
    const late = new Date(`${addDays(askBy, 1)}T12:00:00Z`);
    const stage2 = escalate(done, { at: late, via: 'letter', recordedBy: sam }, sam, late).feedback;
    expect(stage2.complaintStages?.[1]?.request?.inTime).toBe(false);
  });

  it('an escalation from a closed complaint reopens it at the next stage', () => {
    const done = answered(complaint(TEST_NOW), TEST_NOW);
    const closed = { ...done, status: 'closed' as const, closedAt: TEST_NOW.toISOString(), closedBy: sam };
    const reopened = escalate(closed, { at: fromNow(HOUR_MS), via: 'email' }, sam, fromNow(HOUR_MS)).feedback;
    expect(reopened).toMatchObject({ status: 'received', complaintStage: 2 });
    expect(reopened).not.toHaveProperty('closedAt');
  });
});

describe('the Children Act procedure', () => {
  it('has three stages; the review panel’s date sets the response deadline, 20 working days on', () => {
    let item = complaint(TEST_NOW, 'childrens');
    for (const stage of [1, 2]) {
      const answeredAt = fromNow(stage * 10 * DAY_MS);
      item = answered(item, answeredAt);
      item = escalate(item, { at: answeredAt, via: 'letter' }, sam, answeredAt).feedback;
    }
    expect(item.complaintStage).toBe(3);
    const askedOn = londonDateOf(fromNow(20 * DAY_MS));
    expect(item.respondBy).toBe(addWorkingDays(askedOn, 30));
    expect(item.complaintStages?.[2]).toMatchObject({
      name: 'Stage 3: review panel',
      panelBy: item.respondBy,
    });
    expect(() => answered(item, fromNow(21 * DAY_MS))).toThrow(/review panel/);
    expect(() => extendStage(item, 1, 'x', sam, fromNow(21 * DAY_MS))).toThrow(/cannot be extended/);
    expect(() => recordReviewPanel(item, addDays(askedOn, -1), sam, fromNow(21 * DAY_MS))).toThrow(
      DomainError,
    );

    const heldOn = addWorkingDays(askedOn, 12);
    const panel = recordReviewPanel(item, heldOn, sam, fromNow(21 * DAY_MS)).feedback;
    expect(panel.respondBy).toBe(addWorkingDays(heldOn, 20));
    expect(workingDaysBetween(heldOn, panel.respondBy)).toBe(20);
    expect(panel.reviewPanelOn).toBe(heldOn);
    expect(panel.complaintStages?.[2]).toMatchObject({ panelOn: heldOn, dueBy: panel.respondBy });

    const final = answered(panel, fromNow(40 * DAY_MS));
    expect(nextStepOf(final)).toMatchObject({ kind: 'ombudsman', url: 'https://www.lgo.org.uk' });
  });

  it('is chosen before acknowledgement (stage 1 counted again from receipt), and not after', () => {
    const item = complaint(TEST_NOW, 'corporate');
    const chosen = chooseProcedure(
      item,
      'childrens',
      timescalesFor('childrens', { timeframe: item.timeframe }),
      'About a child in need assessment',
      sam,
      fromNow(HOUR_MS),
    );
    expect(chosen.feedback.complaintProcedure).toBe('childrens');
    expect(chosen.feedback.respondBy).toBe(addWorkingDays(londonDateOf(TEST_NOW), 10));
    expect(chosen.entry).toMatchObject({
      action: 'choose_procedure',
      reason: 'About a child in need assessment',
    });
    expect(chosen.entry.changes.complaintProcedure).toEqual({ from: 'corporate', to: 'childrens' });
    const acknowledged = acknowledge(chosen.feedback, sam, fromNow(HOUR_MS)).feedback;
    expect(() =>
      chooseProcedure(
        acknowledged,
        'corporate',
        timescalesFor('corporate', { timeframe: item.timeframe }),
        'x',
        sam,
        TEST_NOW,
      ),
    ).toThrow(/before the complaint is acknowledged/);
    expect(() => chooseProcedure(chosen.feedback, 'childrens', [], 'again', sam, TEST_NOW)).toThrow(
      /already follows/,
    );
  });
});

describe('a complaint stored before stages existed', () => {
  it('reads as stage 1 of the corporate procedure, with the dates it has', () => {
    const old = newFeedback(
      'K7QM-92PD',
      {
        kind: 'complaint',
        projectId: 'general',
        submitterRole: 'parent_or_carer',
        channel: 'web',
        message: 'x',
      } as never,
      DEFAULT_TIMEFRAMES.complaint,
      TEST_NOW,
    );
    const state = complaintStateOf(old);
    expect(state).toMatchObject({ procedure: 'corporate', stage: 1, current: { dueBy: old.respondBy } });
    expect(nextStepOf(answered(old, TEST_NOW))).toMatchObject({ kind: 'next_stage', stage: 2 });
  });
});

describe('alerts follow the stage', () => {
  const open = (feedback: Feedback): OpenFeedback => ({ entity: 'FEEDBACK', ...feedback });

  it('a stage 2 alert has its own id and series, even with the same due date as stage 1, and names its stage', () => {
    const stage1 = complaint(TEST_NOW);
    const stage2 = escalate(
      answered(stage1, TEST_NOW),
      { at: TEST_NOW, via: 'phone' },
      sam,
      TEST_NOW,
    ).feedback;
    const first = stageOf(open(stage1));
    const second = stageOf(open(stage2));
    if (!first || !second) throw new Error('expected deadlines');
    // Answered and escalated the same day: the same acknowledgement date, still two series.
    expect(second.dueBy).toBe(first.dueBy);
    expect(seriesOf(second)).not.toBe(seriesOf(first));
    expect(alertIdOf(stage2, second, 0)).toBe(`${stage2.id}.stage2-acknowledge.${second.dueBy}.000`);
    expect(alertIdOf(stage1, first, 0)).toBe(`${stage1.id}.acknowledge.${first.dueBy}.000`);

    const after = new Date(Date.parse(stage2.acknowledgeDueAt) + 3 * DAY_MS);
    const alert = dueAlert(open(stage2), { reminderWorkingDays: 5, escalateAfterReminders: 2 }, after);
    if (!alert) throw new Error('expected an alert');
    const message = alertMessage(
      open(stage2),
      alert,
      { id: 'general', title: 'General', alertTeam: 'send-service' },
      'https://officers.example',
    );
    expect(message.subject).toMatch(/^Overdue: complaint K7QM-92PD, stage 2 acknowledgement due /);
    expect(message.email).toContain('Complaint stage:      Stage 2 (corporate procedure)');
    expect(message.attributes).toMatchObject({
      stage: 'acknowledge',
      complaintStage: '2',
      alertId: alert.alertId,
    });
    expect(message.document).toMatchObject({ complaintProcedure: 'corporate', complaintStage: 2 });
  });

  it('a Children Act stage 3 alert names the review panel until its date is recorded, then the response', () => {
    let item = complaint(TEST_NOW, 'childrens');
    for (const day of [1, 2]) {
      item = answered(item, fromNow(day * DAY_MS));
      item = escalate(
        item,
        { at: fromNow(day * DAY_MS), via: 'letter' },
        sam,
        fromNow(day * DAY_MS),
      ).feedback;
    }
    item = acknowledge(item, sam, fromNow(2 * DAY_MS)).feedback;
    const words = (feedback: Feedback) => {
      const at = new Date(Date.parse(feedback.respondDueAt) + 3 * DAY_MS);
      const alert = dueAlert(open(feedback), { reminderWorkingDays: 5, escalateAfterReminders: 2 }, at);
      if (!alert) throw new Error('expected an alert');
      return alertMessage(open(feedback), alert, { id: 'g', title: 'G', alertTeam: 't' }, 'https://o')
        .subject;
    };
    expect(words(item)).toMatch(/stage 3 review panel due/);
    const heldOn = addWorkingDays(londonDateOf(fromNow(2 * DAY_MS)), 5);
    expect(words(recordReviewPanel(item, heldOn, sam, fromNow(2 * DAY_MS)).feedback)).toMatch(
      /stage 3 response to the review panel due/,
    );
  });
});
