import Holidays from 'date-holidays';

/**
 * The years the table covers. Past the next year or so the dates are date-holidays' projection of
 * the standing rules (fixed days, Easter, substitute days); one-off holidays (a coronation, a
 * jubilee) are announced about a year ahead and arrive with a date-holidays upgrade. Raise
 * LAST_YEAR and run `npm run holidays` well before it comes near: a test fails five years ahead.
 */
export const FIRST_YEAR = 2020;
export const LAST_YEAR = 2060;

/** England and Wales bank holidays (substitute days included), as sorted YYYY-MM-DD dates. */
export function englandAndWalesBankHolidays(firstYear: number, lastYear: number): string[] {
  const calendar = new Holidays('GB', 'ENG');
  const dates = new Set<string>();
  for (let year = firstYear; year <= lastYear; year++) {
    for (const holiday of calendar.getHolidays(year)) {
      if (holiday.type === 'public') dates.add(holiday.date.slice(0, 10));
    }
  }
  return [...dates].sort();
}
