import fc from 'fast-check';
import { DEFAULT_TIMEFRAMES } from '../../shared/config/default-projects';
import { type ComplaintProcedureName, timescalesFor } from '../../shared/domain/complaint-procedure';
import {
  chooseProcedure,
  escalate,
  extendStage,
  recordReviewPanel,
  startComplaint,
} from '../../shared/domain/complaint-stages';
import { type Feedback, newFeedback, type Outcome } from '../../shared/domain/feedback';
import { acknowledge, type Change, close, respond } from '../../shared/domain/feedback-lifecycle';
import { addDays, londonDateOf } from '../../shared/domain/london-time';
import type { FeedbackKind } from '../../shared/domain/project';
import { newReference } from '../../shared/domain/reference';
import { HOUR_MS } from './clock';

/**
 * Random lives of feedback, for the scorecard's properties: an item is received (any kind, with
 * or without a satisfaction score, any procedure), then officers and families take steps in
 * random order at random times (acknowledge, answer, close, choose the procedure, extend,
 * escalate, record the review panel). Steps the rules refuse at that point are skipped, as the
 * API would refuse them: what is left is a life the service allows.
 */
export type Step =
  | { do: 'acknowledge'; afterHours: number }
  | { do: 'respond'; afterHours: number; outcome: Outcome }
  | { do: 'close'; afterHours: number }
  | { do: 'choose'; afterHours: number; procedure: ComplaintProcedureName }
  | { do: 'extend'; afterHours: number; workingDays: number }
  | { do: 'escalate'; afterHours: number }
  | { do: 'panel'; afterHours: number; inDays: number };

export interface Life {
  kind: FeedbackKind;
  satisfaction: number | undefined;
  procedure: ComplaintProcedureName;
  projectId: string;
  /** Received this many hours before the walk's start instant (negative: after). */
  receivedHoursBefore: number;
  steps: Step[];
}

const sam = { sub: 'sub-sam', name: 'Sam Officer' };
const PROJECTS = ['general', 'short-breaks'];

// Hours between steps: often the same day, sometimes weeks, so deadlines are met and missed.
const afterHours = fc.oneof(fc.integer({ min: 0, max: 30 }), fc.integer({ min: 24, max: 24 * 40 }));
const step: fc.Arbitrary<Step> = fc.oneof(
  fc.record({ do: fc.constant('acknowledge' as const), afterHours }),
  fc.record({
    do: fc.constant('respond' as const),
    afterHours,
    outcome: fc.constantFrom<Outcome>('upheld', 'partly_upheld', 'not_upheld', 'acted_on', 'noted'),
  }),
  fc.record({ do: fc.constant('close' as const), afterHours }),
  fc.record({
    do: fc.constant('choose' as const),
    afterHours,
    procedure: fc.constantFrom<ComplaintProcedureName>('corporate', 'childrens'),
  }),
  fc.record({ do: fc.constant('extend' as const), afterHours, workingDays: fc.integer({ min: 1, max: 20 }) }),
  fc.record({ do: fc.constant('escalate' as const), afterHours }),
  fc.record({ do: fc.constant('panel' as const), afterHours, inDays: fc.integer({ min: 0, max: 20 }) }),
);

export const life: fc.Arbitrary<Life> = fc.record({
  kind: fc.constantFrom<FeedbackKind>('feedback', 'compliment', 'complaint', 'complaint'),
  satisfaction: fc.option(fc.integer({ min: 1, max: 5 }), { nil: undefined }),
  procedure: fc.constantFrom<ComplaintProcedureName>('corporate', 'childrens'),
  projectId: fc.constantFrom(...PROJECTS),
  receivedHoursBefore: fc.integer({ min: -24, max: 24 * 120 }),
  steps: fc.array(step, { maxLength: 10 }),
});

/** The item as intake stores it (shared/domain/receive-feedback.ts), received at `at`. */
export function receivedItem(
  item: Pick<Life, 'kind' | 'satisfaction' | 'procedure' | 'projectId'>,
  at: Date,
) {
  const timeframe = DEFAULT_TIMEFRAMES[item.kind];
  const feedback = newFeedback(
    newReference(),
    {
      kind: item.kind,
      projectId: item.projectId,
      message: 'Words the scorecard must never read.',
      submitterRole: 'parent_or_carer',
      channel: 'web',
      ...(item.satisfaction === undefined ? {} : { satisfaction: item.satisfaction }),
    },
    timeframe,
    at,
  );
  if (item.kind !== 'complaint') return feedback;
  return startComplaint(feedback, item.procedure, timescalesFor(item.procedure, { timeframe }));
}

/** One step as the domain takes it, or undefined when the rules refuse it now. */
function take(feedback: Feedback, next: Step, at: Date): Change | undefined {
  try {
    switch (next.do) {
      case 'acknowledge':
        return acknowledge(feedback, sam, at);
      case 'respond':
        return respond(
          feedback,
          {
            response: 'An officer’s answer.',
            outcome: feedback.kind === 'complaint' ? 'partly_upheld' : next.outcome,
          },
          sam,
          at,
        );
      case 'close':
        return close(feedback, sam, at);
      case 'choose':
        return chooseProcedure(
          feedback,
          next.procedure,
          timescalesFor(next.procedure, { timeframe: feedback.timeframe }),
          'Chosen',
          sam,
          at,
        );
      case 'extend':
        return extendStage(feedback, next.workingDays, 'More time', sam, at);
      case 'escalate':
        return escalate(feedback, { at, via: 'phone', reason: 'Still wrong' }, sam, at);
      case 'panel':
        return recordReviewPanel(feedback, addDays(londonDateOf(at), next.inDays), sam, at);
    }
  } catch {
    return undefined;
  }
}

/** The item's versions: as received, then after each step the rules allowed. */
export function walk(life: Life, start: Date): { received: Feedback; changes: Change[] } {
  let at = new Date(start.getTime() - life.receivedHoursBefore * HOUR_MS);
  const received = receivedItem(life, at);
  const changes: Change[] = [];
  let current = received;
  for (const next of life.steps) {
    at = new Date(at.getTime() + next.afterHours * HOUR_MS);
    const change = take(current, next, at);
    if (!change) continue;
    changes.push(change);
    current = change.feedback;
  }
  return { received, changes };
}
