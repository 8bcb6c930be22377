/**
 * "Now", as a dependency. Domain code never reads the date itself: handlers are given a clock
 * (`deps.now`), production wiring passes `systemClock`, and tests pass a clock they set, so a
 * deadline, an overdue check or a history entry can be tested at any instant (see test/support/clock.ts).
 */
export type Clock = () => Date;

/**
 * How far the local runtime has moved its clock from the machine's (0 in Lambda: nothing there
 * sets it). Only infra/local changes it, from CLOCK_NOW, so `npm start` and the end-to-end tests
 * can run the real handler modules as if it were another instant while time still moves on.
 */
let offsetMs = 0;

/** The machine's clock (plus the local runtime's offset, which is 0 in Lambda). */
export const systemClock: Clock = () => new Date(Date.now() + offsetMs);

/** Local runtime and tests only: from now on, `systemClock` reads `instant` and moves on from it. */
export function startSystemClockAt(instant: Date): void {
  if (Number.isNaN(instant.getTime())) throw new RangeError('startSystemClockAt needs a valid instant');
  offsetMs = instant.getTime() - Date.now();
}
