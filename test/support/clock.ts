import { inject } from 'vitest';
import type { Clock } from '../../shared/domain/clock';
import { addDays, type IsoDate, londonDateOf } from '../../shared/domain/london-time';

/**
 * The run's "now": TEST_NOW (an ISO instant) when set, else the real time read once at the start
 * of the run (test/support/global-setup.ts). Tests take every date from here, never from
 * `new Date()`, so the suite means the same at any instant from 2026 to 2044: CI runs it twice,
 * once at the real date and once with TEST_NOW across a clock change and a bank holiday.
 */
export const TEST_NOW: Date = new Date(inject('testNow'));

export const MINUTE_MS = 60_000;
export const HOUR_MS = 60 * MINUTE_MS;
export const DAY_MS = 24 * HOUR_MS;

/** An instant `ms` milliseconds after (or, negative, before) the test's now. */
export const fromNow = (ms: number): Date => new Date(TEST_NOW.getTime() + ms);

/** The London date `days` calendar days from the test's now (negative: before). */
export const londonDateFromNow = (days: number): IsoDate => addDays(londonDateOf(TEST_NOW), days);

export interface TestClock extends Clock {
  /** Move the clock on (or back, negative) by `ms`. */
  advance(ms: number): void;
  set(instant: Date): void;
}

/** A clock a test holds and moves; it stands still unless told, so outcomes never race the real time. */
export function testClock(start: Date = TEST_NOW): TestClock {
  let current = start.getTime();
  const now = () => new Date(current);
  return Object.assign(now, {
    advance(ms: number) {
      current += ms;
    },
    set(instant: Date) {
      current = instant.getTime();
    },
  });
}
