import { describe, expect, it } from 'vitest';
import { englandAndWalesBankHolidays } from '../../scripts/bank-holidays-source';
import {
  BANK_HOLIDAYS,
  BANK_HOLIDAYS_FIRST_YEAR,
  BANK_HOLIDAYS_LAST_YEAR,
} from '../../shared/domain/bank-holidays.generated';
import { TEST_NOW } from '../support/clock';

describe('the generated bank-holiday table', () => {
  it('matches date-holidays for every year it covers (run `npm run holidays` after upgrading it)', () => {
    expect(BANK_HOLIDAYS).toEqual(
      englandAndWalesBankHolidays(BANK_HOLIDAYS_FIRST_YEAR, BANK_HOLIDAYS_LAST_YEAR),
    );
  });

  it('includes the substitute days families would otherwise be short-changed by', () => {
    expect(BANK_HOLIDAYS).toEqual(expect.arrayContaining(['2026-12-28', '2027-12-27', '2027-12-28']));
  });

  it('runs at least five more years past the run’s date (TEST_NOW), so deadlines never run off its end', () => {
    // Failing here is the early warning: raise LAST_YEAR in scripts/bank-holidays-source.ts and run
    // `npm run holidays` (docs/operators.md, "Working days and the bank-holiday table"). Past its end, deadlines are a 503, not a guess.
    const yearsLeft = BANK_HOLIDAYS_LAST_YEAR - TEST_NOW.getUTCFullYear();
    expect(
      yearsLeft,
      `the bank-holiday table ends at ${BANK_HOLIDAYS_LAST_YEAR}: extend it (npm run holidays)`,
    ).toBeGreaterThanOrEqual(5);
  });

  it('covers the run’s date and the year before it, so today’s deadlines are counted', () => {
    expect(BANK_HOLIDAYS_FIRST_YEAR).toBeLessThan(TEST_NOW.getUTCFullYear());
    const thisYear = String(TEST_NOW.getUTCFullYear());
    // Every year has Christmas Day and at least eight bank holidays in England and Wales.
    expect(BANK_HOLIDAYS).toContain(`${thisYear}-12-25`);
    expect(BANK_HOLIDAYS.filter((date) => date.startsWith(thisYear)).length).toBeGreaterThanOrEqual(8);
  });
});
