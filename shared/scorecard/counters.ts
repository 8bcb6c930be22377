import { PROCEDURES } from '../domain/complaint-procedure';

/**
 * The scorecard's counters: plain numbers per project and London month, named here once. The
 * projector adds to them (shared/events/projections/scorecard.ts), the rebuild sums them from the
 * table (shared/scorecard/rebuild.ts), and the public figures are read from them
 * (shared/scorecard/figures.ts).
 *
 * A "case" is something with a clock: a piece of feedback or a compliment, or one stage of a
 * complaint (stage 1 starts at receipt, a later stage when the family asks for it). Its group:
 *
 * | group         | counted for                                   |
 * | ------------- | --------------------------------------------- |
 * | `feedback`    | feedback                                      |
 * | `compliment`  | compliments                                   |
 * | `complaint-N` | stage N of a complaint (from 1)               |
 *
 * | counter                  | +1 in the London month of          | for                                           |
 * | ------------------------ | ---------------------------------- | --------------------------------------------- |
 * | `started:<group>`        | receipt (stage N: the request)     | every case                                    |
 * | `ackOnTime:<group>`      | the acknowledgement                | acknowledged by the end of its due day        |
 * | `ackLate:<group>`        | the acknowledgement                | acknowledged after it                         |
 * | `answerOnTime:<group>`   | the answer                         | answered by the answer deadline in force      |
 * | `answerLate:<group>`     | the answer                         | answered after it                             |
 * | `days:<group>:<n>`       | the answer                         | answered n working days after it started      |
 * | `satisfaction:<1-5>`     | receipt                            | feedback of any kind that gave a score        |
 * | `updatesPublished`       | the update's first publication     | a "You said, we did" update published now     |
 */

/** The most stages any procedure has: the scorecard always shows this many, so its shape is fixed. */
export const MAX_COMPLAINT_STAGES = Math.max(
  ...Object.values(PROCEDURES).map((procedure) => procedure.stages.length),
);
export const COMPLAINT_STAGES: readonly number[] = Array.from(
  { length: MAX_COMPLAINT_STAGES },
  (_, i) => i + 1,
);

export type CaseGroup = 'feedback' | 'compliment' | `complaint-${number}`;
export const complaintGroup = (stage: number): CaseGroup => `complaint-${stage}`;
export const CASE_GROUPS: readonly CaseGroup[] = [
  'feedback',
  'compliment',
  ...COMPLAINT_STAGES.map(complaintGroup),
];

export const SATISFACTION_SCORES = [1, 2, 3, 4, 5] as const;
export type SatisfactionScore = (typeof SATISFACTION_SCORES)[number];

export const counter = {
  started: (group: CaseGroup) => `started:${group}`,
  acknowledged: (group: CaseGroup, onTime: boolean) => `${onTime ? 'ackOnTime' : 'ackLate'}:${group}`,
  answered: (group: CaseGroup, onTime: boolean) => `${onTime ? 'answerOnTime' : 'answerLate'}:${group}`,
  days: (group: CaseGroup, workingDays: number) => `days:${group}:${workingDays}`,
  satisfaction: (score: SatisfactionScore) => `satisfaction:${score}`,
  updatesPublished: 'updatesPublished',
} as const;

const COUNTER_NAME =
  /^(?:(?:started|ackOnTime|ackLate|answerOnTime|answerLate):[a-z0-9-]+|days:[a-z0-9-]+:\d+|satisfaction:[1-5]|updatesPublished)$/;

/** Whether an attribute of a scorecard item is one of its counters (the others are keys and bookkeeping). */
export const isCounter = (name: string) => COUNTER_NAME.test(name);

/** Counter name → count. Absent means 0. */
export type Counts = Record<string, number>;

/** A London month, `YYYY-MM`. */
export type Month = string;

/** The counts of one project in one month: a scorecard item's content. */
export interface MonthCounts {
  projectId: string;
  month: Month;
  counts: Counts;
}

/** Adds `more` into `into`, dropping counters that reach 0. */
export function addCounts(into: Counts, more: Counts, sign: 1 | -1 = 1): Counts {
  for (const [name, n] of Object.entries(more)) {
    const sum = (into[name] ?? 0) + sign * n;
    if (sum === 0) delete into[name];
    else into[name] = sum;
  }
  return into;
}

/** The working-day histogram of one group, from counts: workingDays → answers. */
export function daysHistogram(counts: Counts, group: CaseGroup): Map<number, number> {
  const prefix = `days:${group}:`;
  const histogram = new Map<number, number>();
  for (const [name, n] of Object.entries(counts)) {
    if (!name.startsWith(prefix) || n === 0) continue;
    const days = Number(name.slice(prefix.length));
    histogram.set(days, (histogram.get(days) ?? 0) + n);
  }
  return histogram;
}

/**
 * The median of a histogram (value → how many): the middle value, or the mean of the two middle
 * values when the count is even. Exact, and histograms add up across months and projects, which a
 * stored median would not. Undefined when it is empty.
 */
export function medianOf(histogram: ReadonlyMap<number, number>): number | undefined {
  const entries = [...histogram].filter(([, n]) => n > 0).sort(([a], [b]) => a - b);
  const total = entries.reduce((sum, [, n]) => sum + n, 0);
  if (total === 0) return undefined;
  // 1-based positions of the middle value(s).
  const lower = Math.floor((total + 1) / 2);
  const upper = Math.floor(total / 2) + 1;
  let seen = 0;
  let lowerValue: number | undefined;
  for (const [value, n] of entries) {
    seen += n;
    if (lowerValue === undefined && seen >= lower) lowerValue = value;
    if (seen >= upper) return ((lowerValue as number) + value) / 2;
  }
  return lowerValue;
}
