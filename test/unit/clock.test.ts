import { afterEach, describe, expect, it } from 'vitest';
import { applyLocalClock } from '../../infra/local/local-env';
import { startSystemClockAt, systemClock } from '../../shared/domain/clock';
import { MINUTE_MS, TEST_NOW, testClock } from '../support/clock';

// test/support/test-env.ts starts systemClock at the run's instant; put it back after each test.
afterEach(() => startSystemClockAt(TEST_NOW));

describe('the clock', () => {
  it('that production wiring uses runs, in tests, from the run’s test instant (TEST_NOW)', () => {
    const now = systemClock().getTime();
    expect(now).toBeGreaterThanOrEqual(TEST_NOW.getTime());
    expect(now).toBeLessThan(TEST_NOW.getTime() + 30 * MINUTE_MS);
  });

  it('can start at another instant and moves on from there (CLOCK_NOW, local runtime only)', () => {
    const instant = applyLocalClock('2027-12-24T23:30:00Z');
    expect(instant?.toISOString()).toBe('2027-12-24T23:30:00.000Z');
    const first = systemClock().getTime();
    const second = systemClock().getTime();
    expect(first).toBeGreaterThanOrEqual(Date.parse('2027-12-24T23:30:00Z'));
    expect(first).toBeLessThan(Date.parse('2027-12-24T23:30:00Z') + MINUTE_MS);
    expect(second).toBeGreaterThanOrEqual(first);
  });

  it('refuses a CLOCK_NOW that is not an ISO instant, and ignores an empty one', () => {
    for (const bad of ['tomorrow', '24/12/2027', '2027-13-40T00:00:00Z']) {
      expect(() => applyLocalClock(bad), bad).toThrow(/CLOCK_NOW/);
    }
    expect(applyLocalClock('')).toBeUndefined();
    expect(applyLocalClock(undefined)).toBeUndefined();
  });

  it('that tests hold stands still until moved', () => {
    const clock = testClock();
    expect(clock()).toEqual(TEST_NOW);
    clock.advance(90 * MINUTE_MS);
    expect(clock().getTime() - TEST_NOW.getTime()).toBe(90 * MINUTE_MS);
    clock.set(new Date('2031-03-30T00:30:00Z'));
    expect(clock().toISOString()).toBe('2031-03-30T00:30:00.000Z');
  });
});
