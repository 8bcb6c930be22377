import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { consoleContentSecurityPolicy } from '../../console/security-headers';
import { cursorOf, listKey, pageOf, rememberNext } from '../../console/src/list-pages';
import { base64Url, challengeOf, claimsOf, randomState, randomVerifier } from '../../console/src/pkce';
import { fieldFor, formErrorsOf, problemKind } from '../../console/src/problems';
import { href, parseRoute, safeReturnPath, sectionOf } from '../../console/src/routes';
import {
  complaintOf,
  extensionLeft,
  rememberAnswer,
  stageLabel,
  takeAnswer,
} from '../../console/src/screens/complaint-stages';
import type { FeedbackItem } from '../../console/src/screens/feedback-item';
import { referencesOf } from '../../console/src/screens/updates';
import { isCalendarDate, londonInstant, parseTimeOfDay } from '../../console/src/when';
import { timescalesFor } from '../../shared/domain/complaint-procedure';
import { extendStage, startComplaint } from '../../shared/domain/complaint-stages';
import { type Feedback, newFeedback } from '../../shared/domain/feedback';
import type { FeedbackSubmission } from '../../shared/domain/feedback-submission';
import { londonDateOf, londonOffsetMs } from '../../shared/domain/london-time';
import { newReference } from '../../shared/domain/reference';
import { TEST_NOW } from '../support/clock';

/** The officer console's pure logic: addresses, sign-in helpers, problem-to-field mapping, list memory. */

describe('console addresses', () => {
  it.each([
    ['/console', 'triage'],
    ['/console/', 'triage'],
    ['/console/feedback', 'triage'],
    ['/console/feedback/K7QM92PD', 'feedback'],
    ['/console/projects', 'projects'],
    ['/console/projects/short-breaks', 'project'],
    ['/console/projects/new', 'project'],
    ['/console/new/project', 'new-project'],
    ['/console/events', 'events'],
    ['/console/events/01JABCDEF', 'event'],
    ['/console/events/new', 'event'],
    ['/console/new/event', 'new-event'],
    ['/console/updates', 'updates'],
    ['/console/updates/8kq2mzx4hd7c', 'update'],
    ['/console/updates/new', 'update'],
    ['/console/new/update', 'new-update'],
    ['/console/new', 'not-found'],
    ['/console/new/constructor', 'not-found'],
    ['/console/new/feedback', 'not-found'],
    ['/console/reports', 'report'],
    ['/console/callback', 'callback'],
    ['/console/signed-out', 'signed-out'],
    ['/console/sign-out', 'sign-out'],
    ['/console/feedback/K7QM92PD/extra', 'not-found'],
    ['/console/feedback/..%2F..', 'not-found'],
    ['/console/nothing', 'not-found'],
    ['/consoles', 'not-found'],
    ['/officer/feedback', 'not-found'],
  ])('reads %s as the %s screen', (path, screen) => {
    expect(parseRoute(path).screen).toBe(screen);
  });

  it('reads every id a record may have as that record, never as a form (a project called new)', () => {
    expect(parseRoute('/console/projects/new')).toEqual({ screen: 'project', id: 'new' });
    fc.assert(
      fc.property(
        fc.constantFrom('projects', 'events', 'updates'),
        fc.stringMatching(/^[a-z0-9][a-z0-9-]{0,62}$/),
        (records, id) => {
          const route = parseRoute(`/console/${records}/${id}`);
          expect(route).toEqual({ screen: records.slice(0, -1), id });
        },
      ),
      { numRuns: 300 },
    );
  });

  it('keeps the id and the filters', () => {
    expect(parseRoute('/console/feedback/K7QM92PD')).toEqual({ screen: 'feedback', id: 'K7QM92PD' });
    const route = parseRoute('/console/feedback', '?status=received&overdue=true');
    expect(route.screen === 'triage' && route.query.get('status')).toBe('received');
  });

  it('builds addresses without empty filters, and names each screen’s section', () => {
    expect(href('/feedback', { status: 'received', kind: '', projectId: undefined })).toBe(
      '/console/feedback?status=received',
    );
    expect(sectionOf(parseRoute('/console/new/update'))).toBe('updates');
    expect(sectionOf(parseRoute('/console/new/project'))).toBe('projects');
    expect(sectionOf(parseRoute('/console/feedback/K7QM92PD'))).toBe('feedback');
    expect(sectionOf(parseRoute('/console/callback'))).toBeUndefined();
  });

  it('returns after sign-in only to a console screen, never to another site or the callback', () => {
    expect(safeReturnPath('/console/feedback/K7QM92PD?x=1')).toBe('/console/feedback/K7QM92PD?x=1');
    for (const hostile of [
      'https://evil.example/console',
      '//evil.example/console',
      '/console/callback',
      '/consolex',
      '',
      null,
    ]) {
      expect(safeReturnPath(hostile), String(hostile)).toBe('/console');
    }
    fc.assert(
      fc.property(fc.string(), (candidate) => {
        const path = safeReturnPath(candidate);
        expect(path === '/console' || path.startsWith('/console/')).toBe(true);
        expect(new URL(path, 'https://council.example').origin).toBe('https://council.example');
      }),
      { numRuns: 500 },
    );
  });
});

describe('PKCE and state', () => {
  it('computes the S256 challenge as Node’s own SHA-256 and base64url do', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 43, max: 128 }), async (length) => {
        const verifier = randomVerifier(length);
        expect(await challengeOf(verifier)).toBe(createHash('sha256').update(verifier).digest('base64url'));
      }),
      { numRuns: 50 },
    );
  });

  it('makes verifiers of unreserved characters at the length asked, all different', () => {
    fc.assert(
      fc.property(fc.integer({ min: 43, max: 128 }), (length) => {
        expect(randomVerifier(length)).toMatch(new RegExp(`^[A-Za-z0-9._~-]{${length}}$`));
      }),
      { numRuns: 100 },
    );
    expect(new Set(Array.from({ length: 50 }, () => randomVerifier())).size).toBe(50);
    expect(() => randomVerifier(42)).toThrow(RangeError);
    expect(randomState()).toMatch(/^[A-Za-z0-9_-]{32}$/);
  });

  it('encodes base64url without padding, and reads a token’s claims (for display only)', () => {
    expect(base64Url(new Uint8Array([251, 255]))).toBe('-_8');
    const payload = base64Url(
      new TextEncoder().encode(JSON.stringify({ username: 'Sam Officer', 'cognito:groups': ['admin'] })),
    );
    expect(claimsOf(`header.${payload}.signature`)).toEqual({
      username: 'Sam Officer',
      'cognito:groups': ['admin'],
    });
    expect(claimsOf('not a token')).toEqual({});
    expect(claimsOf('a.%%%.c')).toEqual({});
  });
});

describe('API problems on a form', () => {
  const fields = [
    'title',
    'youSaid',
    'feedbackIds',
    'participants.parentsAndCarers',
    'timeframes.complaint.respondWorkingDays',
  ];

  it('puts each error beside the field it names, or the nearest enclosing one', () => {
    expect(fieldFor('youSaid', fields)).toBe('youSaid');
    expect(fieldFor('feedbackIds.2', fields)).toBe('feedbackIds');
    expect(fieldFor('participants.parentsAndCarers', fields)).toBe('participants.parentsAndCarers');
    expect(fieldFor('timeframes.complaint.respondWorkingDays', fields)).toBe(
      'timeframes.complaint.respondWorkingDays',
    );
    expect(fieldFor('headers.if-match', fields)).toBeUndefined();
  });

  it('lists every message in the summary, in order, and the first per field beside it', () => {
    const errors = formErrorsOf(
      {
        type: '/problems/personal-data',
        errors: [
          { path: 'youSaid', message: 'Contains an email address' },
          { path: 'youSaid', message: 'Contains a phone number' },
          { path: 'feedbackIds.0', message: 'No feedback with this reference' },
          { path: 'colour', message: 'This field is not recognised' },
        ],
      },
      fields,
    );
    expect(errors.summary).toEqual([
      { field: 'youSaid', message: 'Contains an email address' },
      { field: 'youSaid', message: 'Contains a phone number' },
      { field: 'feedbackIds', message: 'No feedback with this reference' },
      { field: undefined, message: 'This field is not recognised' },
    ]);
    expect([...errors.byField]).toEqual([
      ['youSaid', 'Contains an email address'],
      ['feedbackIds', 'No feedback with this reference'],
    ]);
    expect(problemKind({ type: '/problems/personal-data' })).toBe('personal-data');
  });

  it('shows a problem without field errors as one message', () => {
    expect(formErrorsOf({ status: 409, detail: 'It is already closed.' }, fields).summary).toEqual([
      { field: undefined, message: 'It is already closed.' },
    ]);
  });
});

describe('list pages in memory', () => {
  it('remembers the cursor of each page seen, per list and filters, and forgets what lies past a new page', () => {
    const list = listKey('feedback', new URLSearchParams('status=received&page=3&kind=complaint'));
    expect(list).toBe(listKey('feedback', new URLSearchParams('kind=complaint&status=received')));
    expect(cursorOf(list, 1)).toBeUndefined();
    expect(cursorOf(list, 2)).toBeNull();
    rememberNext(list, 1, 'cursor-2');
    rememberNext(list, 2, 'cursor-3');
    expect(cursorOf(list, 2)).toBe('cursor-2');
    expect(cursorOf(list, 3)).toBe('cursor-3');
    rememberNext(list, 1, 'cursor-2b');
    expect(cursorOf(list, 2)).toBe('cursor-2b');
    expect(cursorOf(list, 3)).toBeNull();
    expect(cursorOf(listKey('events', new URLSearchParams()), 2)).toBeNull();
    expect(pageOf(new URLSearchParams('page=2'))).toBe(2);
    expect(pageOf(new URLSearchParams('page=-1'))).toBe(1);
    expect(pageOf(new URLSearchParams('page=x'))).toBe(1);
  });
});

describe('the console’s other helpers', () => {
  it('reads references as officers type them', () => {
    expect(referencesOf(' k7qm-92pd, X4RT-88BN\nQZR474P8;;  ')).toEqual([
      'k7qm-92pd',
      'X4RT-88BN',
      'QZR474P8',
    ]);
  });

  it('allows no inline script or style, no framing, and connects only to itself and the sign-in service', () => {
    const policy = consoleContentSecurityPolicy('https://council.auth.eu-west-2.amazoncognito.com');
    expect(policy).toContain("script-src 'self'");
    expect(policy).toContain("style-src 'self'");
    expect(policy).toContain("connect-src 'self' https://council.auth.eu-west-2.amazoncognito.com");
    expect(policy).toContain("frame-ancestors 'none'");
    expect(policy).not.toContain('unsafe');
    expect(consoleContentSecurityPolicy()).toContain("connect-src 'self';");
  });
});

describe('complaint stages in the console', () => {
  const timeframe = { acknowledgeWorkingDays: 5, respondWorkingDays: 15 };
  const officer = { sub: 'sub-sam', name: 'Sam Officer' };
  const asItem = (feedback: Feedback): FeedbackItem => ({
    ...feedback,
    overdue: false,
    history: [],
    alerts: [],
  });
  const complaint = (procedure: 'corporate' | 'childrens') =>
    startComplaint(
      newFeedback(
        newReference(),
        {
          kind: 'complaint',
          projectId: 'general',
          message: 'The plan was late.',
          submitterRole: 'parent_or_carer',
          channel: 'web',
        } as FeedbackSubmission,
        timeframe,
        TEST_NOW,
      ),
      procedure,
      timescalesFor(procedure, { timeframe }),
    );

  it('shows the extension left from the stage’s own maximum, less what was used', () => {
    const fresh = complaint('childrens');
    expect(extensionLeft(complaintOf(asItem(fresh)) ?? fail())).toBe(10);
    const extended = extendStage(fresh, 4, 'Waiting for notes', officer, TEST_NOW).feedback;
    expect(extensionLeft(complaintOf(asItem(extended)) ?? fail())).toBe(6);
    expect(extensionLeft(complaintOf(asItem(complaint('corporate'))) ?? fail())).toBe(10);
    // Not a complaint: no stages at all.
    expect(complaintOf(asItem({ ...fresh, kind: 'feedback' }))).toBeUndefined();
  });

  it('reads a complaint stored before stages existed as stage 1 of the corporate procedure, as the API does', () => {
    const {
      complaintProcedure: _procedure,
      complaintStage: _stage,
      complaintStages: _stages,
      complaintTimescales: _timescales,
      ...legacy
    } = complaint('corporate');
    const state = complaintOf(asItem(legacy as Feedback)) ?? fail();
    expect([state.procedure, state.stage, state.current.name, state.current.dueBy]).toEqual([
      'corporate',
      1,
      'Stage 1',
      legacy.respondBy,
    ]);
  });

  it('names a list row’s stage, and the procedure only when it is the Children Act', () => {
    expect(stageLabel({ complaintStage: 2, complaintProcedure: 'childrens' })).toBe('stage 2 (Children Act)');
    expect(stageLabel({ complaintStage: 1, complaintProcedure: 'corporate' })).toBe('stage 1');
    expect(stageLabel({})).toBe('');
  });

  it('gives an answer’s next step (and its escalation link) once, to that item only', () => {
    rememberAnswer('K7QM92PD', { kind: 'next_stage', stage: 2, name: 'Stage 2', askBy: '2027-01-04' });
    rememberAnswer('QZR474P8', undefined);
    expect(takeAnswer('QZR474P8')).toBeUndefined();
    expect(takeAnswer('K7QM92PD')).toMatchObject({ stage: 2, askBy: '2027-01-04' });
    expect(takeAnswer('K7QM92PD')).toBeUndefined();
  });
});

describe('when the family asked, as typed', () => {
  it.each([
    ['10:30', { hours: 10, minutes: 30 }],
    ['10.30', { hours: 10, minutes: 30 }],
    ['9am', { hours: 9, minutes: 0 }],
    ['10:30am', { hours: 10, minutes: 30 }],
    ['2:05 pm', { hours: 14, minutes: 5 }],
    ['14:30', { hours: 14, minutes: 30 }],
    ['12pm', { hours: 12, minutes: 0 }],
    ['12am', { hours: 0, minutes: 0 }],
    ['12:15 a.m.', { hours: 0, minutes: 15 }],
    ['00:00', { hours: 0, minutes: 0 }],
  ])('reads %s', (typed, time) => {
    expect(parseTimeOfDay(typed)).toEqual(time);
  });

  it.each(['', '10', '24:00', '10:60', '13pm', '0am', 'noon', '10:3', '1030'])('refuses %j', (typed) => {
    expect(parseTimeOfDay(typed)).toBeUndefined();
  });

  it('knows a calendar date from one that is not', () => {
    expect(isCalendarDate('2028-02-29')).toBe(true);
    for (const bad of ['2027-02-29', '2027-13-01', '2027-1-5', '', '0000-00-00'])
      expect(isCalendarDate(bad)).toBe(false);
  });

  it('turns a London date and time into the instant it names, in summer and winter and across clock changes (property)', () => {
    fc.assert(
      fc.property(
        fc.date({
          min: new Date('2020-01-01T00:00:00Z'),
          max: new Date('2045-12-31T23:59:00Z'),
          noInvalidDate: true,
        }),
        (instant) => {
          const minute = new Date(Math.floor(instant.getTime() / 60_000) * 60_000);
          const wall = new Date(minute.getTime() + londonOffsetMs(minute));
          const named = londonInstant(londonDateOf(minute), {
            hours: wall.getUTCHours(),
            minutes: wall.getUTCMinutes(),
          });
          // Autumn's repeated hour names two instants: the first (summer time) is the one given.
          const repeated =
            londonOffsetMs(minute) === 0 && londonOffsetMs(new Date(minute.getTime() - 3_600_000)) !== 0;
          expect(named.getTime()).toBe(repeated ? minute.getTime() - 3_600_000 : minute.getTime());
        },
      ),
      { numRuns: 2000 },
    );
    // Spring's missing hour (01:30 on 28 March 2027 never happens) reads as the clock an hour on.
    expect(londonInstant('2027-03-28', { hours: 1, minutes: 30 }).toISOString()).toBe(
      '2027-03-28T01:30:00.000Z',
    );
    expect(londonInstant('2027-07-01', { hours: 9, minutes: 0 }).toISOString()).toBe(
      '2027-07-01T08:00:00.000Z',
    );
    expect(londonInstant('2027-12-01', { hours: 9, minutes: 0 }).toISOString()).toBe(
      '2027-12-01T09:00:00.000Z',
    );
  });
});

function fail(): never {
  throw new Error('expected a complaint');
}
