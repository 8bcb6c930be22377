import { type IsoDate, londonOffsetMs } from '../../shared/domain/london-time';

/**
 * When something happened, as an officer types it (a London date and a time of day), made into the
 * instant the API takes. Pure, unit-tested against shared/domain/london-time.ts, whose UK rule it
 * uses: the browser's own time zone and clock play no part.
 */
export interface TimeOfDay {
  hours: number;
  minutes: number;
}

const HOUR_MS = 3_600_000;

/** "10:30", "10.30", "9am", "10:30am", "2:05 pm", "14:30", "12pm" (noon), "12am" (midnight); else undefined. */
export function parseTimeOfDay(typed: string): TimeOfDay | undefined {
  const match = /^(\d{1,2})(?:[:.](\d{2}))?\s*(am|pm|a\.m\.|p\.m\.)?$/i.exec(typed.trim());
  if (!match) return undefined;
  const [, hourText, minuteText, suffix] = match;
  let hours = Number(hourText);
  const minutes = minuteText === undefined ? 0 : Number(minuteText);
  if (minutes > 59) return undefined;
  if (suffix) {
    if (hours < 1 || hours > 12) return undefined;
    const pm = suffix.toLowerCase().startsWith('p');
    hours = (hours % 12) + (pm ? 12 : 0);
  } else if (minuteText === undefined || hours > 23) {
    // "10" alone could be morning or evening: ask for the minutes or am/pm.
    return undefined;
  }
  return { hours, minutes };
}

/** A real calendar date written YYYY-MM-DD (what dateValue gives for a complete date input). */
export function isCalendarDate(value: string): value is IsoDate {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const instant = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(instant.getTime()) && instant.toISOString().startsWith(value);
}

/**
 * The instant a London wall-clock time names. In the autumn hour that happens twice, the first
 * (summer time); in the spring hour that never happens, the time an hour later on the clock.
 */
export function londonInstant(date: IsoDate, time: TimeOfDay): Date {
  const [year, month, day] = date.split('-').map(Number) as [number, number, number];
  const wall = Date.UTC(year, month - 1, day, time.hours, time.minutes);
  const summer = wall - HOUR_MS;
  if (londonOffsetMs(new Date(summer)) === HOUR_MS) return new Date(summer);
  return new Date(wall);
}
