import { FEEDBACK_KINDS, type FeedbackKind } from '../domain/project';

/**
 * How long closed feedback keeps the family's words and contact details, per kind, counted from
 * its closure. After that the retention job (shared/retention/run-retention.ts) anonymises it:
 * the statistics stay, the personal data goes (shared/retention/anonymise.ts).
 *
 * The defaults, and why (docs/operators.md has the same, for the council's retention schedule):
 * - complaints: 6 years. The Limitation Act 1980 gives six years to bring a claim, and councils'
 *   retention schedules (the IRMS toolkit for local government) keep complaint files for closure
 *   + 6 years. It also covers the Ombudsman's window (normally 12 months after the last answer).
 * - feedback: 2 years: long enough to show what changed because of it (the "You said, we did"
 *   updates and the annual report of SEND Regulations 2014 reg. 56 look back a year or two).
 * - compliments: 1 year: shared with staff and counted, not acted on.
 * A council sets its own schedule with `RETENTION_PERIODS` (CDK context `retentionPeriods`).
 */
export interface RetentionPeriod {
  years: number;
  months: number;
  days: number;
}

export type RetentionPeriods = Record<FeedbackKind, RetentionPeriod>;

export const DEFAULT_RETENTION_PERIODS: RetentionPeriods = {
  complaint: { years: 6, months: 0, days: 0 },
  feedback: { years: 2, months: 0, days: 0 },
  compliment: { years: 1, months: 0, days: 0 },
};

/** The variable the retention job and the subject-access export read (`complaint=P6Y,feedback=P2Y`). */
export const RETENTION_PERIODS_ENV = 'RETENTION_PERIODS';

/**
 * Bounds a period must keep. The floor is there so a slip (`P1D` for `P1Y`) cannot anonymise
 * feedback officers are still working from; the ceiling so a typo cannot keep it for ever.
 */
export const MIN_RETENTION_DAYS = 30;
export const MAX_RETENTION_YEARS = 100;

export class RetentionSettingsError extends Error {
  constructor(message: string) {
    super(`${RETENTION_PERIODS_ENV}: ${message}`);
    this.name = 'RetentionSettingsError';
  }
}

const DURATION = /^P(?:(\d{1,3})Y)?(?:(\d{1,4})M)?(?:(\d{1,5})D)?$/;

/** An ISO 8601 duration of years, months and days (`P6Y`, `P18M`, `P1Y6M`, `P90D`). */
export function parsePeriod(text: string): RetentionPeriod {
  const match = DURATION.exec(text.trim().toUpperCase());
  if (!match || text.trim().toUpperCase() === 'P') {
    throw new RetentionSettingsError(
      `'${text}' is not a period: use an ISO 8601 duration of years, months and days, like P6Y, P18M or P1Y6M`,
    );
  }
  const period = { years: Number(match[1] ?? 0), months: Number(match[2] ?? 0), days: Number(match[3] ?? 0) };
  // The same instant at both ends of any day: the shortest month, year and leap-free year.
  const shortestDays = period.years * 365 + period.months * 28 + period.days;
  const longestYears = period.years + period.months / 12 + period.days / 365;
  if (shortestDays < MIN_RETENTION_DAYS) {
    throw new RetentionSettingsError(
      `${text} is shorter than ${MIN_RETENTION_DAYS} days: feedback would lose its words while officers may still need them`,
    );
  }
  if (longestYears > MAX_RETENTION_YEARS) {
    throw new RetentionSettingsError(`${text} is longer than ${MAX_RETENTION_YEARS} years`);
  }
  return period;
}

/** `P6Y`, `P1Y6M`: the period as the settings and the export write it. */
export function formatPeriod({ years, months, days }: RetentionPeriod): string {
  return `P${years ? `${years}Y` : ''}${months ? `${months}M` : ''}${days ? `${days}D` : ''}`;
}

/**
 * `complaint=P6Y,feedback=P2Y,compliment=P1Y`: any of the kinds, the rest keep their default.
 * Empty or unset: the defaults. Anything else (an unknown kind, a kind twice, a period out of
 * bounds) is refused with a message naming it, so a wrong setting stops the job at start-up
 * rather than anonymising on the wrong schedule.
 */
export function parseRetentionPeriods(text: string | undefined): RetentionPeriods {
  const periods = { ...DEFAULT_RETENTION_PERIODS };
  if (text === undefined || text.trim() === '') return periods;
  const seen = new Set<string>();
  for (const part of text.split(',')) {
    const [rawKind, rawPeriod, extra] = part.split('=');
    const kind = rawKind?.trim() ?? '';
    if (rawPeriod === undefined || extra !== undefined) {
      throw new RetentionSettingsError(
        `'${part.trim()}' should be <kind>=<period>, like complaint=P6Y (kinds: ${FEEDBACK_KINDS.join(', ')})`,
      );
    }
    if (!(FEEDBACK_KINDS as readonly string[]).includes(kind)) {
      throw new RetentionSettingsError(`'${kind}' is not a kind of feedback (${FEEDBACK_KINDS.join(', ')})`);
    }
    if (seen.has(kind)) throw new RetentionSettingsError(`${kind} is given twice`);
    seen.add(kind);
    periods[kind as FeedbackKind] = parsePeriod(rawPeriod);
  }
  return periods;
}

/** The settings written back as the variable takes them: what CDK puts in the environment. */
export function formatRetentionPeriods(periods: RetentionPeriods): string {
  return FEEDBACK_KINDS.map((kind) => `${kind}=${formatPeriod(periods[kind])}`).join(',');
}

/** `{ complaint: 'P6Y', … }`: the settings as the API shows them. */
export const periodsByKind = (periods: RetentionPeriods) =>
  Object.fromEntries(FEEDBACK_KINDS.map((kind) => [kind, formatPeriod(periods[kind])])) as Record<
    FeedbackKind,
    string
  >;

const MS_PER_DAY = 86_400_000;

/** Days in a month of a year (UTC): month 0-11. */
const daysInMonth = (year: number, month: number) => new Date(Date.UTC(year, month + 1, 0)).getUTCDate();

/**
 * The instant `period` after `from`, on the calendar (UTC): the same day of the month and time of
 * day so many years and months on, clamped to the month's last day (closed on 29 February 2028,
 * one year on is 28 February 2029), then the days added.
 */
export function addPeriod(from: Date, period: RetentionPeriod): Date {
  const totalMonths = from.getUTCFullYear() * 12 + from.getUTCMonth() + period.years * 12 + period.months;
  const year = Math.floor(totalMonths / 12);
  const month = totalMonths % 12;
  const day = Math.min(from.getUTCDate(), daysInMonth(year, month));
  const timeOfDay = from.getTime() - Date.UTC(from.getUTCFullYear(), from.getUTCMonth(), from.getUTCDate());
  return new Date(Date.UTC(year, month, day) + timeOfDay + period.days * MS_PER_DAY);
}

/** When closed feedback of this kind is due to be anonymised. */
export const anonymiseAfter = (closedAt: string, period: RetentionPeriod): Date =>
  addPeriod(new Date(closedAt), period);

/**
 * The latest closure the job needs to look at, as of `now`: every closure at or before it may be
 * due. The month-end clamp in addPeriod means a closure up to three days later than `now` minus
 * the period can already be due (closed 31 January, one month on is 28 February), so the bound
 * is that much generous; the job checks each item's own date (`anonymiseAfter`) before acting.
 */
export function closedOnOrBefore(now: Date, period: RetentionPeriod): string {
  // The inverse of addPeriod, step by step in the other order: the days first, then the months.
  const lessDays = new Date(now.getTime() - period.days * MS_PER_DAY);
  const back = addPeriod(lessDays, { years: -period.years, months: -period.months, days: 0 });
  return new Date(back.getTime() + 3 * MS_PER_DAY).toISOString();
}
