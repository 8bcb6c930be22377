/**
 * Counts are what the public sees instead of people: how many voices an update answers, by role,
 * and how many events. A small count could single a child out (one complaint from the only family
 * at a special school), so any count from 1 to (threshold - 1) is shown as "fewer than <threshold>".
 * Zero stays zero: "nobody" identifies no one. The threshold is per deployment (SMALL_COUNT_THRESHOLD,
 * CDK context `smallCountThreshold`), 5 unless configured.
 */
export const DEFAULT_SMALL_COUNT_THRESHOLD = 5;

/** Raw counts, as stored on an update (never public as they are). */
export interface VoiceCounts {
  childrenAndYoungPeople: number;
  parentsAndCarers: number;
  professionals: number;
  /** Feedback whose sender chose "other" as their role. */
  other: number;
  events: number;
}

export type ShownCount = number | `fewer than ${number}`;
export type PublicCounts = Record<keyof VoiceCounts, ShownCount>;

export const NO_VOICES: VoiceCounts = {
  childrenAndYoungPeople: 0,
  parentsAndCarers: 0,
  professionals: 0,
  other: 0,
  events: 0,
};

/** The threshold from configuration: a whole number from 2 to 100, else the default. */
export function smallCountThreshold(value: string | undefined = process.env.SMALL_COUNT_THRESHOLD): number {
  const parsed = Number(value);
  return Number.isInteger(parsed) && parsed >= 2 && parsed <= 100 ? parsed : DEFAULT_SMALL_COUNT_THRESHOLD;
}

export function shownCount(count: number, threshold: number): ShownCount {
  return count > 0 && count < threshold ? `fewer than ${threshold}` : count;
}

export function publicCounts(counts: VoiceCounts, threshold: number): PublicCounts {
  return {
    childrenAndYoungPeople: shownCount(counts.childrenAndYoungPeople, threshold),
    parentsAndCarers: shownCount(counts.parentsAndCarers, threshold),
    professionals: shownCount(counts.professionals, threshold),
    other: shownCount(counts.other, threshold),
    events: shownCount(counts.events, threshold),
  };
}

/** What linked feedback and events add up to: one voice per piece of feedback, plus each event's participants. */
export function countVoices(
  feedback: readonly { submitterRole: string }[],
  events: readonly {
    participants: { childrenAndYoungPeople: number; parentsAndCarers: number; professionals: number };
  }[],
): VoiceCounts {
  const counts = { ...NO_VOICES, events: events.length };
  for (const { submitterRole } of feedback) {
    if (submitterRole === 'child_or_young_person') counts.childrenAndYoungPeople++;
    else if (submitterRole === 'parent_or_carer') counts.parentsAndCarers++;
    else if (submitterRole === 'professional') counts.professionals++;
    else counts.other++;
  }
  for (const { participants } of events) {
    counts.childrenAndYoungPeople += participants.childrenAndYoungPeople;
    counts.parentsAndCarers += participants.parentsAndCarers;
    counts.professionals += participants.professionals;
  }
  return counts;
}

/**
 * A count in a published table of figures (the scorecard): the small-count rule, and every other
 * count rounded down to a multiple of the threshold, the bottom of its band (5 means 5 to 9, 10
 * means 10 to 14, for 5). A table shows months, projects and their totals, and its filters give
 * many more overlapping totals, so with exact figures "a total minus its shown parts" would give a
 * suppressed count exactly. With every figure banded on its own, a difference of figures is
 * uncertain across the whole hidden range: test/unit/scorecard.test.ts searches sums of up to
 * three parts, and a two-by-two table with its margins, for a hidden count they pin down. (Rounding
 * to the nearest multiple instead does pin some: parts of 4 and 4 with a total shown as 10 must be
 * 4 and 4.) The price: figures are lower bounds and need not add up, which the output says.
 */
export function bandedCount(count: number, threshold: number): ShownCount {
  if (count > 0 && count < threshold) return `fewer than ${threshold}`;
  return Math.floor(count / threshold) * threshold;
}
