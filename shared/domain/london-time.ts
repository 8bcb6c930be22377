/**
 * Calendar dates in Europe/London. Deadlines are London dates because families and officers live by
 * the council's calendar, not UTC: a form sent at 23:30 UTC on a summer evening arrives on the next
 * London day.
 */

/** A calendar date, `YYYY-MM-DD`. */
export type IsoDate = string;

const londonDateFormat = new Intl.DateTimeFormat('en-CA', {
  timeZone: 'Europe/London',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});

const londonClockFormat = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/London',
  hourCycle: 'h23',
  year: 'numeric',
  month: 'numeric',
  day: 'numeric',
  hour: 'numeric',
  minute: 'numeric',
  second: 'numeric',
});

const DAY_MS = 86_400_000;

/** The London calendar date on which an instant falls. */
export function londonDateOf(instant: Date): IsoDate {
  return londonDateFormat.format(instant);
}

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

/** London's offset from UTC at an instant, in milliseconds (0 in winter, 3 600 000 in summer). */
function londonOffsetMs(instant: Date): number {
  const parts = Object.fromEntries(
    londonClockFormat.formatToParts(instant).map((part) => [part.type, Number(part.value)]),
  ) as Record<'year' | 'month' | 'day' | 'hour' | 'minute' | 'second', number>;
  const wallClockAsUtc = Date.UTC(
    parts.year,
    parts.month - 1,
    parts.day,
    parts.hour,
    parts.minute,
    parts.second,
  );
  return wallClockAsUtc - Math.floor(instant.getTime() / 1000) * 1000;
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
