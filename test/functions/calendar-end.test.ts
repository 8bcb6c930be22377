import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeHandler as submitHandler } from '../../functions/submit-feedback/handler';
import { BANK_HOLIDAYS_LAST_YEAR } from '../../shared/domain/bank-holidays.generated';
import { CalendarOutOfRangeError, deadlineAfter } from '../../shared/domain/working-days';
import { intakeDeps } from '../support/deps';
import { createTestTable, type TestTable } from '../support/dynamo';
import { invoke } from '../support/events';

/**
 * Past the end of the bank-holiday table a deadline cannot be counted. The service says so (503,
 * naming the reason) rather than guessing a date or failing with a 500. The instants here are
 * computed from the table's end, so they stay past it whenever the table is extended.
 */
let table: TestTable;
beforeAll(async () => {
  table = await createTestTable();
});
afterAll(async () => table.drop());

const pastTheTable = new Date(Date.UTC(BANK_HOLIDAYS_LAST_YEAR + 1, 0, 5, 12));
const lastWeekOfTheTable = new Date(Date.UTC(BANK_HOLIDAYS_LAST_YEAR, 11, 30, 12));

describe('a deadline beyond the bank-holiday table', () => {
  it('is refused by the domain, naming the date and where the table ends', () => {
    expect(() => deadlineAfter(pastTheTable, 5)).toThrow(CalendarOutOfRangeError);
    // A deadline that starts inside the table but would end past it is refused too.
    expect(() => deadlineAfter(lastWeekOfTheTable, 5)).toThrow(`ends at ${BANK_HOLIDAYS_LAST_YEAR}`);
  });

  it('answers POST /feedback with 503 /problems/calendar-unavailable and Retry-After, storing nothing', async () => {
    for (const now of [pastTheTable, lastWeekOfTheTable]) {
      const response = await invoke(submitHandler(intakeDeps(table, { now: () => now })), {
        method: 'POST',
        path: '/feedback',
        body: { kind: 'complaint', message: 'Nobody called back', submitterRole: 'parent_or_carer' },
      });
      expect(response.status).toBe(503);
      expect(response.headers['content-type']).toBe('application/problem+json');
      expect(Number(response.headers['retry-after'])).toBeGreaterThan(0);
      expect(response.body).toMatchObject({
        type: '/problems/calendar-unavailable',
        status: 503,
        detail: expect.stringContaining(`the bank-holiday table covers 2020 to ${BANK_HOLIDAYS_LAST_YEAR}`),
      });
      expect(JSON.stringify(response.body)).not.toContain('Nobody called back');
    }
    expect((await table.allItems()).filter((item) => item.entity === 'FEEDBACK')).toEqual([]);
  });
});
