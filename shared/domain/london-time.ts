/**
 * Calendar dates in Europe/London. Deadlines are London dates because families and officers live by
 * the council's calendar, not UTC: a form sent at 23:30 UTC on a summer evening arrives on the next
 * London day.
 *
 * Why not Intl.DateTimeFormat with timeZone 'Europe/London': creating one loads the ICU time-zone
 * data, about 12 ms of every Lambda cold start (measured by `npm run bench`). The UK rule is short
 * and fixed in law (the Summer Time Order 2002): British Summer Time runs from 01:00 UTC on the last
 * Sunday of March to 01:00 UTC on the last Sunday of October. A property test checks this module
 * against Intl's tz database for every day from 2020 to 2045, so a change in the law fails the build.
 */

/** A calendar date, `YYYY-MM-DD`. */
export type IsoDate = string;

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;

/** Days since 1970-01-01 for a calendar date: plain integers make date arithmetic exact. */
export function dayNumber(date: IsoDate): number {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return Date.UTC(y, m - 1, d) / DAY_MS;
}

export function dateOfDayNumber(day: number): IsoDate {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

export function addDays(date: IsoDate, days: number): IsoDate {
  return dateOfDayNumber(dayNumber(date) + days);
}

/** 0 = Sunday … 6 = Saturday. */
export function weekday(date: IsoDate): number {
  return new Date(dayNumber(date) * DAY_MS).getUTCDay();
}

/** 01:00 UTC on the last Sunday of a month (0-based), when UK clocks change. */
function lastSundayAtOneUtc(year: number, month: number): number {
  const lastDay = new Date(Date.UTC(year, month + 1, 0));
  return Date.UTC(year, month, lastDay.getUTCDate() - lastDay.getUTCDay(), 1);
}

/** London's offset from UTC at an instant, in milliseconds (0 in winter, one hour in summer). */
export function londonOffsetMs(instant: Date): number {
  const time = instant.getTime();
  const year = instant.getUTCFullYear();
  return time >= lastSundayAtOneUtc(year, 2) && time < lastSundayAtOneUtc(year, 9) ? HOUR_MS : 0;
}

/** The London calendar date on which an instant falls. */
export function londonDateOf(instant: Date): IsoDate {
  return new Date(instant.getTime() + londonOffsetMs(instant)).toISOString().slice(0, 10);
}

/**
 * The last millisecond (23:59:59.999 London time) of a London date, as an instant.
 * Clocks change at 01:00 UTC, never at midnight, so the offset at UTC midnight of the next day is
 * the offset in force at London midnight.
 */
export function endOfLondonDay(date: IsoDate): Date {
  const nextMidnightUtc = (dayNumber(date) + 1) * DAY_MS;
  return new Date(nextMidnightUtc - londonOffsetMs(new Date(nextMidnightUtc)) - 1);
}
