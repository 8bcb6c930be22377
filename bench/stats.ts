/**
 * The arithmetic of `npm run bench`, kept apart so it can be tested: medians, quantiles and ratios
 * taken round by round. On a shared machine the speed of everything drifts from minute to minute;
 * a ratio of two things timed side by side in the same round cancels most of that drift, so the
 * benchmark reports the median of per-round ratios, never a ratio of medians taken at different times.
 */

/** Linear-interpolation quantile (the "R-7" rule spreadsheets use), q in [0, 1]. */
export function quantile(values: readonly number[], q: number): number {
  if (values.length === 0) throw new Error('quantile of no values');
  if (!(q >= 0 && q <= 1)) throw new Error(`quantile ${q} is outside [0, 1]`);
  const sorted = [...values].sort((a, b) => a - b);
  const position = (sorted.length - 1) * q;
  const below = Math.floor(position);
  const above = Math.ceil(position);
  const low = sorted[below] as number;
  const high = sorted[above] as number;
  return low + (high - low) * (position - below);
}

export const median = (values: readonly number[]) => quantile(values, 0.5);

export interface Summary {
  median: number;
  /** The middle half of the values: a ratio whose spread crosses its goal is not settled. */
  p25: number;
  p75: number;
  min: number;
  max: number;
  n: number;
}

export function summarize(values: readonly number[]): Summary {
  return {
    median: median(values),
    p25: quantile(values, 0.25),
    p75: quantile(values, 0.75),
    min: Math.min(...values),
    max: Math.max(...values),
    n: values.length,
  };
}

/** Per-round ratios `subject[i] / baseline[i]`: both lists hold one timing per round, in round order. */
export function pairedRatios(subject: readonly number[], baseline: readonly number[]): number[] {
  if (subject.length !== baseline.length) {
    throw new Error(`paired lists differ in length: ${subject.length} and ${baseline.length}`);
  }
  return subject.map((value, round) => value / (baseline[round] as number));
}

/**
 * Ratios of each subject timing to the baseline timings either side of it, in a sequence that runs
 * baseline, subject, baseline, subject, …, baseline: each subject is compared with the mean of its
 * two neighbours, so a drift during the round lands on both sides alike.
 */
export function bracketedRatios(baselines: readonly number[], subjects: readonly number[]): number[] {
  if (baselines.length !== subjects.length + 1) {
    throw new Error(`need one more baseline than subjects: ${baselines.length} and ${subjects.length}`);
  }
  return subjects.map((value, i) => value / (((baselines[i] as number) + (baselines[i + 1] as number)) / 2));
}

/** A small deterministic generator (mulberry32): the run order is shuffled, yet repeatable from a seed. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Fisher-Yates with the given random source; returns a new array. */
export function shuffled<T>(items: readonly T[], random: () => number): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}

export type Verdict = 'PASS' | 'FAIL';

/** A goal is met when the median ratio is at or below it. */
export const verdict = (ratio: number, goal: number): Verdict => (ratio <= goal ? 'PASS' : 'FAIL');
