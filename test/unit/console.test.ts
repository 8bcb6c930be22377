import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { consoleContentSecurityPolicy } from '../../console/security-headers';
import { cursorOf, listKey, pageOf, rememberNext } from '../../console/src/list-pages';
import { base64Url, challengeOf, claimsOf, randomState, randomVerifier } from '../../console/src/pkce';
import { fieldFor, formErrorsOf, problemKind } from '../../console/src/problems';
import { href, parseRoute, safeReturnPath, sectionOf } from '../../console/src/routes';
import { referencesOf } from '../../console/src/screens/updates';

/** The officer console's pure logic: addresses, sign-in helpers, problem-to-field mapping, list memory. */

describe('console addresses', () => {
  it.each([
    ['/console', 'triage'],
    ['/console/', 'triage'],
    ['/console/feedback', 'triage'],
    ['/console/feedback/K7QM92PD', 'feedback'],
    ['/console/projects', 'projects'],
    ['/console/projects/short-breaks', 'project'],
    ['/console/projects/new', 'new-project'],
    ['/console/events', 'events'],
    ['/console/events/01JABCDEF', 'event'],
    ['/console/events/new', 'new-event'],
    ['/console/updates', 'updates'],
    ['/console/updates/8kq2mzx4hd7c', 'update'],
    ['/console/updates/new', 'new-update'],
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

  it('keeps the id and the filters', () => {
    expect(parseRoute('/console/feedback/K7QM92PD')).toEqual({ screen: 'feedback', id: 'K7QM92PD' });
    const route = parseRoute('/console/feedback', '?status=received&overdue=true');
    expect(route.screen === 'triage' && route.query.get('status')).toBe('received');
  });

  it('builds addresses without empty filters, and names each screen’s section', () => {
    expect(href('/feedback', { status: 'received', kind: '', projectId: undefined })).toBe(
      '/console/feedback?status=received',
    );
    expect(sectionOf(parseRoute('/console/updates/new'))).toBe('updates');
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
