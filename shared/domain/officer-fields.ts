import * as z from 'zod/mini';
import './zod-messages';
import { BANK_HOLIDAYS_FIRST_YEAR, BANK_HOLIDAYS_LAST_YEAR } from './bank-holidays.generated';

/** Field rules officers' requests share. Every schema using them is strict: unknown fields are refused. */

export const limit = z._default(
  z
    .pipe(
      z.string().check(z.regex(/^\d{1,3}$/, 'limit is a whole number from 1 to 100')),
      z.transform(Number),
    )
    .check(z.refine((n) => n >= 1 && n <= 100, 'limit is a whole number from 1 to 100')),
  25,
);
export const cursor = z.optional(z.string().check(z.minLength(1), z.maxLength(4096)));

export const officerText = (max: number) =>
  z.string().check(z.trim(), z.minLength(1, 'Enter some text'), z.maxLength(max));

/** Dates the working-day calendar covers, with a year to spare for deadlines counted from them. */
export const isoDate = z.iso.date('Use a date like 2026-11-25').check(
  z.refine(
    (date) => {
      const year = Number(date.slice(0, 4));
      return year >= BANK_HOLIDAYS_FIRST_YEAR && year < BANK_HOLIDAYS_LAST_YEAR;
    },
    `Use a date from ${BANK_HOLIDAYS_FIRST_YEAR} to ${BANK_HOLIDAYS_LAST_YEAR - 1}`,
  ),
);
