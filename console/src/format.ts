import type { TagColour } from './govuk';

/** Dates and words as officers read them (London time, GOV.UK style: 2 December 2026, 4:05pm). */
const DATE = new Intl.DateTimeFormat('en-GB', {
  day: 'numeric',
  month: 'long',
  year: 'numeric',
  timeZone: 'Europe/London',
});
const TIME = new Intl.DateTimeFormat('en-GB', {
  hour: 'numeric',
  minute: '2-digit',
  hour12: true,
  timeZone: 'Europe/London',
});

/** A date-only value (2026-12-16) or an instant, as a London date. */
export function date(value: string | undefined): string {
  if (!value) return '';
  const instant = /^\d{4}-\d{2}-\d{2}$/.test(value) ? new Date(`${value}T12:00:00Z`) : new Date(value);
  return Number.isNaN(instant.getTime()) ? value : DATE.format(instant);
}

export function dateTime(value: string | undefined): string {
  if (!value) return '';
  const instant = new Date(value);
  if (Number.isNaN(instant.getTime())) return value;
  return `${DATE.format(instant)} at ${TIME.format(instant).replace(' ', '').toLowerCase()}`;
}

/** snake_case API values as words: partly_upheld → Partly upheld. */
export const words = (value: string | undefined) =>
  value ? value.charAt(0).toUpperCase() + value.slice(1).replace(/_/g, ' ') : '';

export const STATUS_COLOURS: Record<string, TagColour> = {
  received: 'blue',
  acknowledged: 'light-blue',
  responded: 'green',
  closed: 'grey',
  planned: 'yellow',
  held: 'light-blue',
  reported_back: 'green',
  in_progress: 'light-blue',
  done: 'green',
  not_possible: 'grey',
};
