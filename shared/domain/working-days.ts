import { BANK_HOLIDAYS, BANK_HOLIDAYS_FIRST_YEAR, BANK_HOLIDAYS_LAST_YEAR } from './bank-holidays.generated';
import { DomainError } from './errors';
import { addDays, endOfLondonDay, type IsoDate, londonDateOf, weekday } from './london-time';

const bankHolidays = new Set(BANK_HOLIDAYS);

/**
 * Thrown for a date outside the generated bank-holiday table: a wrong deadline is worse than none.
 * The API answers 503 /problems/calendar-unavailable naming the table's end (it is our gap, not the
 * caller's), and logs it as an error: extend the table with `npm run holidays` (see docs/operators.md).
 * test/unit/bank-holidays.test.ts fails five years before the table runs out, so this should never
 * be seen.
 */
export class CalendarOutOfRangeError extends DomainError {
  constructor(readonly date: IsoDate) {
    super(
      'calendar_unavailable',
      `Working days cannot be counted for ${date}: the bank-holiday table covers ${BANK_HOLIDAYS_FIRST_YEAR} to ${BANK_HOLIDAYS_LAST_YEAR} and ends at ${BANK_HOLIDAYS_LAST_YEAR}.`,
    );
  }
}

function checkCovered(date: IsoDate): void {
  const year = Number(date.slice(0, 4));
  if (year < BANK_HOLIDAYS_FIRST_YEAR || year > BANK_HOLIDAYS_LAST_YEAR)
    throw new CalendarOutOfRangeError(date);
}

/** Monday to Friday and not an England and Wales bank holiday (substitute days included). */
export function isWorkingDay(date: IsoDate): boolean {
  checkCovered(date);
  const day = weekday(date);
  return day !== 0 && day !== 6 && !bankHolidays.has(date);
}

/** The Nth working day after `date`; `date` itself is never counted. */
export function addWorkingDays(date: IsoDate, workingDays: number): IsoDate {
  if (!Number.isInteger(workingDays) || workingDays < 0) {
    throw new RangeError(`workingDays must be a whole number of days, got ${workingDays}`);
  }
  let current = date;
  let counted = 0;
  while (counted < workingDays) {
    current = addDays(current, 1);
    if (isWorkingDay(current)) counted++;
  }
  return current;
}

export interface Deadline {
  /** The London date by which the family hears back. */
  date: IsoDate;
  /** The end of that day (23:59:59.999 London) as a UTC instant: what sweeps compare the clock with. */
  dueAt: string;
}

/** The deadline N working days after an instant of receipt; the London day of receipt is not counted. */
export function deadlineAfter(receivedAt: Date, workingDays: number): Deadline {
  const date = addWorkingDays(londonDateOf(receivedAt), workingDays);
  return { date, dueAt: endOfLondonDay(date).toISOString() };
}
