import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_TIMEFRAMES } from '../../shared/config/default-projects';
import { timescalesFor } from '../../shared/domain/complaint-procedure';
import { escalate, extendStage, startComplaint } from '../../shared/domain/complaint-stages';
import { type Feedback, newFeedback } from '../../shared/domain/feedback';
import { close, respond } from '../../shared/domain/feedback-lifecycle';
import type { HistoryEntry } from '../../shared/domain/history';
import { newReference } from '../../shared/domain/reference';
import {
  anonymisationChange,
  anonymisedFeedback,
  needsScrubbing,
  RETENTION_ACTOR,
  scrubbedEntry,
} from '../../shared/retention/anonymise';
import {
  addPeriod,
  closedOnOrBefore,
  DEFAULT_RETENTION_PERIODS,
  formatRetentionPeriods,
  parsePeriod,
  parseRetentionPeriods,
  type RetentionPeriod,
} from '../../shared/retention/retention-periods';
import { retentionDecision } from '../../shared/retention/run-retention';
import { contactMatches, subjectKeyOf, subjectKeysOf } from '../../shared/retention/subject-keys';
import { DAY_MS, HOUR_MS, TEST_NOW } from '../support/clock';
import { person } from '../support/privacy-arbitraries';
import { TEST_SUBJECT_LOOKUP_KEY } from '../support/signing';

const officer = { sub: 'sub-sam', name: 'Sam Officer' };
const years = (n: number): RetentionPeriod => ({ years: n, months: 0, days: 0 });

describe('retention settings', () => {
  it('default to complaints 6 years, feedback 2 and compliments 1, and take any kind the council sets', () => {
    expect(parseRetentionPeriods(undefined)).toEqual({
      complaint: years(6),
      feedback: years(2),
      compliment: years(1),
    });
    expect(parseRetentionPeriods(' ')).toEqual(DEFAULT_RETENTION_PERIODS);
    expect(parseRetentionPeriods('complaint=P7Y, compliment=p6m')).toEqual({
      complaint: years(7),
      feedback: years(2),
      compliment: { years: 0, months: 6, days: 0 },
    });
    expect(parsePeriod('P1Y6M15D')).toEqual({ years: 1, months: 6, days: 15 });
    expect(formatRetentionPeriods(parseRetentionPeriods('feedback=P18M'))).toBe(
      'feedback=P18M,compliment=P1Y,complaint=P6Y',
    );
  });

  it('refuse what would anonymise on the wrong schedule, saying what is wrong', () => {
    const refusal = (text: string) => {
      try {
        parseRetentionPeriods(text);
      } catch (error) {
        return (error as Error).message;
      }
      return 'accepted';
    };
    expect(refusal('complaints=P6Y')).toMatch(/'complaints' is not a kind of feedback/);
    expect(refusal('complaint=P6Y,complaint=P7Y')).toMatch(/complaint is given twice/);
    expect(refusal('complaint=6 years')).toMatch(/'6 years' is not a period/);
    expect(refusal('complaint')).toMatch(/should be <kind>=<period>/);
    expect(refusal('compliment=P1D')).toMatch(/shorter than 30 days/);
    expect(refusal('compliment=P0Y')).toMatch(/shorter than 30 days/);
    expect(refusal('complaint=P101Y')).toMatch(/longer than 100 years/);
    expect(refusal('complaint=P')).toMatch(/not a period/);
    expect(refusal('compliment=P30D')).toBe('accepted');
  });
});

describe('the date feedback is due to be anonymised', () => {
  it('is the same day and time so many years and months on, the month’s last day when it has no such day', () => {
    expect(addPeriod(new Date('2028-02-29T10:15:00Z'), years(1)).toISOString()).toBe(
      '2029-02-28T10:15:00.000Z',
    );
    expect(
      addPeriod(new Date('2027-01-31T23:59:59.999Z'), { years: 0, months: 1, days: 0 }).toISOString(),
    ).toBe('2027-02-28T23:59:59.999Z');
    expect(
      addPeriod(new Date('2027-03-15T00:00:00Z'), { years: 1, months: 11, days: 20 }).toISOString(),
    ).toBe('2029-03-07T00:00:00.000Z');
  });

  it('is never missed by the job’s index query: every closure due by now sorts at or before its bound (property)', () => {
    const instant = fc.date({
      min: new Date('2020-01-01T00:00:00Z'),
      max: new Date('2060-12-31T23:59:59Z'),
      noInvalidDate: true,
    });
    const period = fc
      .record({
        years: fc.integer({ min: 0, max: 10 }),
        months: fc.integer({ min: 0, max: 30 }),
        days: fc.integer({ min: 0, max: 400 }),
      })
      .filter((p) => p.years * 365 + p.months * 28 + p.days >= 30);
    fc.assert(
      fc.property(instant, period, instant, (closedAt, p, now) => {
        const bound = closedOnOrBefore(now, p);
        // Due: in the job's read. Not in its read: not due. (The bound may read a few days more.)
        if (addPeriod(closedAt, p) <= now) expect(closedAt.toISOString() <= bound).toBe(true);
        if (closedAt.toISOString() > bound) expect(addPeriod(closedAt, p) > now).toBe(true);
      }),
    );
  });

  it('is decided from the item itself: closed, and its own closure plus its kind’s period passed', () => {
    const closedAt = TEST_NOW.toISOString();
    const item = { kind: 'feedback', status: 'closed', closedAt } as Feedback;
    const due = addPeriod(TEST_NOW, years(2));
    const decide = (now: Date) => retentionDecision(DEFAULT_RETENTION_PERIODS, now)(item);
    expect(decide(new Date(due.getTime() - 1))).toEqual({ skip: 'not_due' });
    expect(decide(due)).toEqual({
      anonymise: {
        at: due.toISOString(),
        by: RETENTION_ACTOR,
        reason: 'retention',
        rule: { kind: 'feedback', period: 'P2Y', closedAt, dueAt: due.toISOString() },
      },
    });
    expect(retentionDecision(DEFAULT_RETENTION_PERIODS, due)({ ...item, status: 'responded' })).toEqual({
      skip: 'not_closed',
    });
  });
});

describe('subject keys', () => {
  it('are the same for an address however it is retyped, and never the address itself', () => {
    const key = TEST_SUBJECT_LOOKUP_KEY;
    const email = subjectKeyOf('email', 'Rhian.Parry@Example.org', key);
    expect(subjectKeyOf('email', '  rhian.parry@example.ORG ', key)).toBe(email);
    expect(email).toMatch(/^email\.[\w-]{43}$/);
    expect(email.toLowerCase()).not.toContain('rhian');
    const phone = subjectKeyOf('phone', '07700 900982', key);
    for (const written of ['+44 7700 900982', '+44 (0)7700 900 982', '0044 7700-900-982', '(07700) 900982']) {
      expect(subjectKeyOf('phone', written, key)).toBe(phone);
    }
    expect(subjectKeyOf('phone', '07700 900983', key)).not.toBe(phone);
    // Another key, another hash: the lookup cannot be tested against guessed addresses without it.
    expect(
      subjectKeyOf('email', 'rhian.parry@example.org', Buffer.from('another key of 32 bytes or longer!!')),
    ).not.toBe(email);
    expect(subjectKeysOf({ name: 'Rhian' }, key)).toEqual([]);
    expect(subjectKeysOf({ email: 'a@example.org', phone: '07700 900982' }, key)).toHaveLength(2);
    expect(contactMatches({ phone: '+44 7700 900982' }, 'phone', '07700900982')).toBe(true);
    expect(contactMatches({ email: 'a@example.org' }, 'phone', '07700900982')).toBe(false);
  });
});

interface Family {
  first: string;
  last: string;
  email: string;
  phone: string;
  role: Feedback['submitterRole'];
  message: string;
  /** What officers wrote about them. */
  free: string;
}

/** A complaint from this family taken through two stages, with every kind of free text the service keeps. */
function storedLife(p: Family) {
  const received = newFeedback(
    newReference(),
    {
      kind: 'complaint',
      projectId: 'general',
      message: p.message,
      submitterRole: p.role,
      channel: 'web',
      satisfaction: 2,
      contact: { name: `${p.first} ${p.last}`, email: p.email, phone: p.phone },
      consentToContact: true,
    },
    DEFAULT_TIMEFRAMES.complaint,
    TEST_NOW,
  );
  const start = startComplaint(
    { ...received, intake: { keyHash: 'k', requestHash: 'r' }, subjectKeys: ['email.x'] },
    'corporate',
    timescalesFor('corporate', { timeframe: DEFAULT_TIMEFRAMES.complaint }),
  );
  const at = (hours: number) => new Date(TEST_NOW.getTime() + hours * HOUR_MS);
  const changes: HistoryEntry[] = [];
  let item: Feedback = start;
  const step = (change: { feedback: Feedback; entry: HistoryEntry }) => {
    changes.push(change.entry);
    item = change.feedback;
  };
  step(extendStage(item, 5, `Waiting on notes about ${p.first}`, officer, at(24)));
  step(
    respond(
      item,
      { response: `Dear ${p.first} ${p.last}, ${p.free}`, outcome: 'partly_upheld' },
      officer,
      at(48),
    ),
  );
  step(
    escalate(
      item,
      { at: at(50), via: 'phone', recordedBy: officer, reason: `${p.last} says ${p.free}` },
      officer,
      at(50),
    ),
  );
  step(respond(item, { response: `Reply to ${p.email} and ${p.phone}`, outcome: 'upheld' }, officer, at(72)));
  step(close(item, officer, at(80)));
  return { item, history: changes };
}

describe('anonymised feedback', () => {
  const people = fc
    .tuple(
      person(new Set(['sam', 'officer', 'general', 'stage', 'complaint', 'corporate', 'removed'])),
      fc.lorem({ maxCount: 6 }),
    )
    .map(([p, free]) => ({ ...p, free: `${free} privatemarker${free.length}` }));

  it('holds none of the family’s details or the officers’ free text, in the item or any history entry (property)', () => {
    fc.assert(
      fc.property(people, (p) => {
        const { item, history } = storedLife(p);
        const change = anonymisationChange(item, {
          at: TEST_NOW.toISOString(),
          by: RETENTION_ACTOR,
          reason: 'retention',
        });
        const stored = JSON.stringify([change.feedback, change.entry, ...history.map(scrubbedEntry)]);
        const lower = stored.toLowerCase();
        for (const detail of [p.email, p.message, p.free, `${p.first} ${p.last}`]) {
          expect(lower).not.toContain(detail.toLowerCase());
        }
        expect(stored).not.toMatch(new RegExp(`\\b(${p.first}|${p.last})\\b`, 'i'));
        expect(stored).not.toContain(p.phone);
        expect(stored).not.toContain(p.phone.replace(/\D/g, ''));
        expect(stored).not.toContain('privatemarker');
        // Each scrubbed entry is scrubbed for good: scrubbing again changes nothing.
        for (const entry of [...history.map(scrubbedEntry), change.entry])
          expect(needsScrubbing(entry)).toBe(false);
      }),
      { numRuns: 60 },
    );
  });

  it('keeps every statistic and each stage’s dates and outcome; the message is empty and the rest removed', () => {
    fc.assert(
      fc.property(people, (p) => {
        const { item } = storedLife(p);
        const anonymised = anonymisedFeedback(item, {
          at: TEST_NOW.toISOString(),
          by: RETENTION_ACTOR,
          reason: 'retention',
        });
        const { message, contact, response, intake, subjectKeys, complaintStages, ...kept } = item;
        expect({
          message,
          contact: !!contact,
          response: !!response,
          intake: !!intake,
          keys: !!subjectKeys,
        }).toMatchObject({
          contact: true,
          response: true,
          intake: true,
          keys: true,
        });
        const { message: empty, complaintStages: stages, anonymised: marker, ...rest } = anonymised;
        expect(empty).toBe('');
        expect(rest).toEqual(kept);
        expect(marker).toMatchObject({ reason: 'retention' });
        expect(stages).toEqual(
          complaintStages?.map(({ request, response: _r, extensions, ...stage }) => ({
            ...stage,
            ...(request
              ? {
                  request: {
                    at: request.at,
                    via: request.via,
                    inTime: request.inTime,
                    ...(request.recordedBy ? { recordedBy: request.recordedBy } : {}),
                  },
                }
              : {}),
            ...(extensions
              ? { extensions: extensions.map(({ reason: _why, ...extension }) => extension) }
              : {}),
          })),
        );
      }),
      { numRuns: 20 },
    );
  });

  it('records who anonymised it, when and why, and which fields went, without their values', () => {
    const { item } = storedLife({
      first: 'Seren',
      last: 'Hughes',
      email: 'seren@example.org',
      phone: '07700 900982',
      role: 'parent_or_carer',
      message: 'No transport for Seren',
      free: 'we will look again',
    });
    const at = new Date(TEST_NOW.getTime() + 3 * DAY_MS).toISOString();
    const { entry, feedback } = anonymisationChange(item, {
      at,
      by: officer,
      reason: 'erasure',
      note: 'Asked by letter',
    });
    expect(feedback.version).toBe(item.version + 1);
    expect(entry).toEqual({
      version: item.version + 1,
      at,
      actor: officer,
      action: 'anonymise',
      changes: {
        anonymised: { from: null, to: { at, by: officer, reason: 'erasure', note: 'Asked by letter' } },
        contact: { from: '[removed]', to: null },
        intake: { from: '[removed]', to: null },
        message: { from: '[removed]', to: null },
        response: { from: '[removed]', to: null },
        subjectKeys: { from: '[removed]', to: null },
      },
    });
  });
});
