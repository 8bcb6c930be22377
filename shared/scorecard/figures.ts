import { bandedCount, type ShownCount } from '../domain/public-counts';
import {
  addCounts,
  type CaseGroup,
  COMPLAINT_STAGES,
  type Counts,
  complaintGroup,
  counter,
  daysHistogram,
  type Month,
  type MonthCounts,
  medianOf,
  SATISFACTION_SCORES,
} from './counters';

/**
 * The public scorecard: what the counters say, in a form that identifies no one. Every count goes
 * through `bandedCount` (shared/domain/public-counts.ts): 1 to threshold-1 is "fewer than 5",
 * others are rounded down to a multiple of the threshold (the bottom of a band of 5), each figure
 * on its own, so subtracting figures (in one answer or across many) does not recover a hidden
 * count. A percentage is worked out from the shown figures alone (the middle of each band: on
 * time / (on time + late)), and only when neither is "fewer than": it tells nothing the figures do
 * not. A median is shown only when at least `threshold` answers make it.
 */
export interface Outcome {
  /** On time and late together. */
  total: ShownCount;
  onTime: ShownCount;
  late: ShownCount;
  /** The share on time (whole percent), from the shown figures' bands; null when either is "fewer than". */
  onTimePercent: number | null;
}

export interface Timeliness {
  /** Acknowledged in the month: on time if by the end of the acknowledgement's due day. */
  acknowledged: Outcome;
  /** Answered in the month: on time if by the end of the answer deadline in force (extensions included). */
  answered: Outcome;
  /** Of the answers in the month: working days from the London day it started to the day of the answer. */
  medianWorkingDaysToAnswer: number | null;
}

export interface StageTimeliness extends Timeliness {
  stage: number;
  /** Stage 1: complaints received; later stages: families' requests for them. */
  started: ShownCount;
}

export interface Figures {
  received: { feedback: ShownCount; compliment: ShownCount; complaint: ShownCount };
  timeliness: {
    feedback: Timeliness;
    compliment: Timeliness;
    /** Every stage together. */
    complaint: Timeliness;
    complaintStages: StageTimeliness[];
  };
  /** Scores families gave with their feedback (1 very unhappy … 5 very happy), by month of receipt. */
  satisfaction: {
    responses: ShownCount;
    byScore: Record<'1' | '2' | '3' | '4' | '5', ShownCount>;
  };
  /** "You said, we did" updates published now, by the month each was first published. */
  updatesPublished: ShownCount;
}

export interface Scorecard {
  /** The first and last London month, `YYYY-MM`, inclusive. */
  from: Month;
  to: Month;
  /** The one project asked for, or null for every project. */
  projectId: string | null;
  smallCountThreshold: number;
  /** Every month from `from` to `to`, oldest first, over the projects asked for. */
  months: ({ month: Month } & Figures)[];
  /** Each project with anything counted in the months (the one asked for, always), over all the months. */
  projects: ({ project: { id: string; title: string } } & Figures)[];
  total: Figures;
}

/** The months from..to inclusive (`YYYY-MM`). */
export function monthsBetween(from: Month, to: Month): Month[] {
  const months: Month[] = [];
  let [year, month] = from.split('-').map(Number) as [number, number];
  for (let current = from; current <= to; ) {
    months.push(current);
    month++;
    if (month > 12) {
      month = 1;
      year++;
    }
    current = `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}`;
  }
  return months;
}

/** The month `count` months before (negative: after) a month. */
export function monthsBefore(month: Month, count: number): Month {
  const [year, m] = month.split('-').map(Number) as [number, number];
  const index = year * 12 + (m - 1) - count;
  return `${String(Math.floor(index / 12)).padStart(4, '0')}-${String((index % 12) + 1).padStart(2, '0')}`;
}

export function scorecardOf(input: {
  from: Month;
  to: Month;
  projectId?: string | undefined;
  rows: readonly MonthCounts[];
  titles: ReadonlyMap<string, string>;
  threshold: number;
}): Scorecard {
  const { rows, threshold } = input;
  const inRange = rows.filter(
    (row) =>
      row.month >= input.from &&
      row.month <= input.to &&
      (input.projectId === undefined || row.projectId === input.projectId),
  );
  const sum = (selected: readonly MonthCounts[]) =>
    selected.reduce((counts, row) => addCounts(counts, row.counts), {} as Counts);
  const projectIds = input.projectId
    ? [input.projectId]
    : [...new Set(inRange.map((row) => row.projectId))].sort();
  return {
    from: input.from,
    to: input.to,
    projectId: input.projectId ?? null,
    smallCountThreshold: threshold,
    months: monthsBetween(input.from, input.to).map((month) => ({
      month,
      ...figuresOf(sum(inRange.filter((row) => row.month === month)), threshold),
    })),
    projects: projectIds.map((id) => ({
      project: { id, title: input.titles.get(id) ?? id },
      ...figuresOf(sum(inRange.filter((row) => row.projectId === id)), threshold),
    })),
    total: figuresOf(sum(inRange), threshold),
  };
}

/** The figures of some counts (a month, a project, the total), each count shown safely. */
export function figuresOf(counts: Counts, threshold: number): Figures {
  const n = (name: string) => counts[name] ?? 0;
  const shown = (count: number) => bandedCount(count, threshold);
  // The middle of a shown figure's band: 0 is exactly 0, 5 is 5 to 9.
  const middle = (figure: number) => (figure === 0 ? 0 : figure + (threshold - 1) / 2);
  const outcome = (onTime: number, late: number): Outcome => {
    const shownOnTime = shown(onTime);
    const shownLate = shown(late);
    const numbers = typeof shownOnTime === 'number' && typeof shownLate === 'number';
    const parts = numbers ? middle(shownOnTime) + middle(shownLate) : 0;
    return {
      total: shown(onTime + late),
      onTime: shownOnTime,
      late: shownLate,
      onTimePercent: parts > 0 ? Math.round((100 * middle(shownOnTime as number)) / parts) : null,
    };
  };
  const timeliness = (groups: readonly CaseGroup[]): Timeliness => {
    const total = (make: (group: CaseGroup) => string) => groups.reduce((s, g) => s + n(make(g)), 0);
    const histogram = new Map<number, number>();
    for (const group of groups)
      for (const [days, count] of daysHistogram(counts, group))
        histogram.set(days, (histogram.get(days) ?? 0) + count);
    const answers = [...histogram.values()].reduce((s, c) => s + c, 0);
    return {
      acknowledged: outcome(
        total((g) => counter.acknowledged(g, true)),
        total((g) => counter.acknowledged(g, false)),
      ),
      answered: outcome(
        total((g) => counter.answered(g, true)),
        total((g) => counter.answered(g, false)),
      ),
      medianWorkingDaysToAnswer: answers >= threshold ? (medianOf(histogram) ?? null) : null,
    };
  };
  const stageGroups = COMPLAINT_STAGES.map(complaintGroup);
  const scores = SATISFACTION_SCORES.map((score) => n(counter.satisfaction(score)));
  return {
    received: {
      feedback: shown(n(counter.started('feedback'))),
      compliment: shown(n(counter.started('compliment'))),
      complaint: shown(n(counter.started(complaintGroup(1)))),
    },
    timeliness: {
      feedback: timeliness(['feedback']),
      compliment: timeliness(['compliment']),
      complaint: timeliness(stageGroups),
      complaintStages: COMPLAINT_STAGES.map((stage) => ({
        stage,
        started: shown(n(counter.started(complaintGroup(stage)))),
        ...timeliness([complaintGroup(stage)]),
      })),
    },
    satisfaction: {
      responses: shown(scores.reduce((s, c) => s + c, 0)),
      byScore: {
        '1': shown(scores[0] ?? 0),
        '2': shown(scores[1] ?? 0),
        '3': shown(scores[2] ?? 0),
        '4': shown(scores[3] ?? 0),
        '5': shown(scores[4] ?? 0),
      },
    },
    updatesPublished: shown(n(counter.updatesPublished)),
  };
}
