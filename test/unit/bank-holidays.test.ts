import { describe, expect, it } from 'vitest';
import { englandAndWalesBankHolidays } from '../../scripts/bank-holidays-source';
import {
  BANK_HOLIDAYS,
  BANK_HOLIDAYS_FIRST_YEAR,
  BANK_HOLIDAYS_LAST_YEAR,
} from '../../shared/domain/bank-holidays.generated';

describe('the generated bank-holiday table', () => {
  it('matches date-holidays for every year it covers (run `npm run holidays` after upgrading it)', () => {
    expect(BANK_HOLIDAYS).toEqual(
      englandAndWalesBankHolidays(BANK_HOLIDAYS_FIRST_YEAR, BANK_HOLIDAYS_LAST_YEAR),
    );
  });

  it('includes the substitute days families would otherwise be short-changed by', () => {
    expect(BANK_HOLIDAYS).toEqual(expect.arrayContaining(['2026-12-28', '2027-12-27', '2027-12-28']));
  });

  it('covers at least ten years ahead, so deadlines never run off its end', () => {
    expect(BANK_HOLIDAYS_LAST_YEAR).toBeGreaterThanOrEqual(new Date().getUTCFullYear() + 10);
  });
});
