import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  addDays,
  dayNumber,
  endOfLondonDay,
  londonDateOf,
  londonOffsetMs,
} from '../../shared/domain/london-time';
import {
  addWorkingDays,
  CalendarOutOfRangeError,
  deadlineAfter,
  isWorkingDay,
} from '../../shared/domain/working-days';

describe('working days', () => {
  it.each([
    ['a Monday, 5 days on, is the next Monday', '2026-11-23', 5, '2026-11-30'],
    ['a Friday, 1 day on, skips the weekend', '2026-11-27', 1, '2026-11-30'],
    ['a Saturday, 1 day on, is the Monday', '2026-11-28', 1, '2026-11-30'],
    ['a Sunday, 1 day on, is the Monday', '2026-11-29', 1, '2026-11-30'],
    ['Christmas 2026 skips 25 Dec and the Boxing Day substitute on 28 Dec', '2026-12-24', 1, '2026-12-29'],
    ['Christmas 2027 skips both substitute days, 27 and 28 Dec', '2027-12-24', 1, '2027-12-29'],
    ['New Year 2027 skips 1 Jan (a Friday)', '2026-12-31', 1, '2027-01-04'],
    ['Easter 2027 skips Good Friday 26 Mar and Easter Monday 29 Mar', '2027-03-25', 1, '2027-03-30'],
    ['early May bank holiday 2027 (3 May)', '2027-04-30', 1, '2027-05-04'],
    ['zero days is the same day', '2026-11-25', 0, '2026-11-25'],
  ])('%s', (_name, from, days, expected) => {
    expect(addWorkingDays(from, days)).toBe(expected);
  });

  it.each([
    ['2026-12-25', false],
    ['2026-12-26', false],
    ['2026-12-28', false],
    ['2026-12-29', true],
    ['2027-12-27', false],
    ['2027-12-28', false],
    ['2027-03-26', false],
    ['2027-03-29', false],
    ['2027-03-30', true],
  ])('%s is a working day: %s', (date, expected) => {
    expect(isWorkingDay(date)).toBe(expected);
  });

  it('refuses to guess beyond the bank-holiday table', () => {
    expect(() => isWorkingDay('2099-01-05')).toThrow(CalendarOutOfRangeError);
  });

  const dates = fc
    .integer({ min: dayNumber('2020-01-01'), max: dayNumber('2043-12-31') })
    .map((day) => addDays('1970-01-01', day));

  it('always lands on a working day strictly after the start (property)', () => {
    fc.assert(
      fc.property(dates, fc.integer({ min: 1, max: 60 }), (from, days) => {
        const due = addWorkingDays(from, days);
        expect(isWorkingDay(due)).toBe(true);
        expect(due > from).toBe(true);
      }),
    );
  });

  it('has exactly N working days after the start up to and including the result (property)', () => {
    fc.assert(
      fc.property(dates, fc.integer({ min: 0, max: 60 }), (from, days) => {
        const due = addWorkingDays(from, days);
        let counted = 0;
        for (let d = addDays(from, 1); d <= due; d = addDays(d, 1)) if (isWorkingDay(d)) counted++;
        expect(counted).toBe(days);
      }),
    );
  });

  it('never moves a deadline earlier when more days are allowed (property)', () => {
    fc.assert(
      fc.property(dates, fc.integer({ min: 0, max: 40 }), fc.integer({ min: 0, max: 40 }), (from, a, b) => {
        expect(addWorkingDays(from, Math.min(a, b)) <= addWorkingDays(from, Math.max(a, b))).toBe(true);
      }),
    );
  });
});

describe('London time', () => {
  it('puts 23:30 UTC on a summer evening on the next London day', () => {
    expect(londonDateOf(new Date('2026-07-14T23:30:00Z'))).toBe('2026-07-15');
  });

  it('keeps 23:30 UTC on a winter evening on the same day', () => {
    expect(londonDateOf(new Date('2026-01-14T23:30:00Z'))).toBe('2026-01-14');
  });

  it('ends a summer day at 22:59:59.999 UTC and a winter day at 23:59:59.999 UTC', () => {
    expect(endOfLondonDay('2026-07-15').toISOString()).toBe('2026-07-15T22:59:59.999Z');
    expect(endOfLondonDay('2026-01-15').toISOString()).toBe('2026-01-15T23:59:59.999Z');
  });

  it('ends the days the clocks change on at the right instant', () => {
    // BST starts 29 March 2026 at 01:00 UTC; ends 25 October 2026 at 01:00 UTC.
    expect(endOfLondonDay('2026-03-28').toISOString()).toBe('2026-03-28T23:59:59.999Z');
    expect(endOfLondonDay('2026-03-29').toISOString()).toBe('2026-03-29T22:59:59.999Z');
    expect(endOfLondonDay('2026-10-24').toISOString()).toBe('2026-10-24T22:59:59.999Z');
    expect(endOfLondonDay('2026-10-25').toISOString()).toBe('2026-10-25T23:59:59.999Z');
  });

  it('agrees with the tz database (Intl, Europe/London) at every instant from 2020 to 2045 (property)', () => {
    const reference = new Intl.DateTimeFormat('en-CA', {
      timeZone: 'Europe/London',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      hourCycle: 'h23',
    });
    const instants = fc
      .integer({ min: Date.UTC(2020, 0, 1), max: Date.UTC(2045, 11, 31) })
      .map((ms) => new Date(ms));
    // Around each change, too: the hours either side of 01:00 UTC on the last Sundays.
    const nearChanges = fc
      .tuple(
        fc.integer({ min: 2020, max: 2045 }),
        fc.constantFrom(2, 9),
        fc.integer({ min: -7200, max: 7200 }),
      )
      .map(([year, month, seconds]) => {
        const last = new Date(Date.UTC(year, month + 1, 0));
        return new Date(Date.UTC(year, month, last.getUTCDate() - last.getUTCDay(), 1) + seconds * 1000);
      });
    fc.assert(
      fc.property(fc.oneof(instants, nearChanges), (instant) => {
        const parts = Object.fromEntries(
          reference.formatToParts(instant).map((part) => [part.type, part.value]),
        );
        expect(londonDateOf(instant)).toBe(`${parts.year}-${parts.month}-${parts.day}`);
        const londonHour = Number(parts.hour);
        expect((instant.getUTCHours() + londonOffsetMs(instant) / 3_600_000) % 24).toBe(londonHour);
      }),
      { numRuns: 2000 },
    );
  });

  it('ends every day on that same London day, one millisecond before the next (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: dayNumber('2020-01-01'), max: dayNumber('2045-12-30') }), (day) => {
        const date = addDays('1970-01-01', day);
        const end = endOfLondonDay(date);
        expect(londonDateOf(end)).toBe(date);
        expect(londonDateOf(new Date(end.getTime() + 1))).toBe(addDays(date, 1));
      }),
    );
  });
});

describe('deadlines', () => {
  it('does not count the London day of receipt, even when UTC says the day before', () => {
    // 23:30 UTC on Thursday 16 July 2026 is 00:30 on Friday 17 July in London.
    const due = deadlineAfter(new Date('2026-07-16T23:30:00Z'), 1);
    expect(due).toEqual({ date: '2026-07-20', dueAt: '2026-07-20T22:59:59.999Z' });
  });

  it('counts a complaint sent on Christmas Eve 2026 past the bank holidays', () => {
    const due = deadlineAfter(new Date('2026-12-24T10:00:00Z'), 5);
    // 29, 30, 31 Dec, (1 Jan holiday), 4, 5 Jan.
    expect(due).toEqual({ date: '2027-01-05', dueAt: '2027-01-05T23:59:59.999Z' });
  });
});
