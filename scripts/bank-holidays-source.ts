import Holidays from 'date-holidays';

export const FIRST_YEAR = 2020;
export const LAST_YEAR = 2045;

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
