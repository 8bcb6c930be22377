import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  claimsAsApiGatewayGivesThem,
  type DevKeys,
  signDevToken,
  verifyDevToken,
} from '../../infra/local/dev-auth';
import { OFFICER_SCOPE } from '../../shared/auth/auth-config';
import { FORBIDDEN_FIELD_MESSAGE, FORBIDDEN_FIELD_NAMES } from '../../shared/http/field-names';
import { MAX_LISTED_ERRORS, problemType } from '../../shared/http/problem';
import { FALLBACK_HANDLER, type HandlerName, ROUTES } from '../../shared/http/routes';
import type { TestTable } from '../support/dynamo';
import { apiEvent, testContext } from '../support/events';
import {
  concretePath,
  loadAllHandlers,
  pathParameterNames,
  type RouteEntry,
  type RouteHandler,
} from '../support/route-handlers';

/**
 * Every route of the route table (and the fallback), fuzzed in-process on DynamoDB Local: generated
 * and mutated bodies, content types, query strings, path parameters, headers and officer claims.
 * Whatever comes in, the answer is never a 5xx; errors are problem+json, successes JSON, and a
 * refusal lists at most MAX_LISTED_ERRORS fields. Routes added later are fuzzed with no change here
 * (valid sample bodies, where a route has one below, only make the fuzz reach further).
 */

const TOTAL_CASES = 10_000;
const routeCount = ROUTES.length + 1;
const CASES_PER_ROUTE = Math.ceil(TOTAL_CASES / routeCount);
// A fixed seed per run of CI would find nothing new; a logged seed lets a failure be replayed.
const SEED = Number(process.env.FUZZ_SEED ?? Math.floor(Math.random() * 2 ** 31));

let table: TestTable;
let handlers: Map<HandlerName, RouteHandler>;
const known = { feedbackIds: [] as string[], eventIds: [] as string[] };
let verifiedClaims: {
  officer: Record<string, string>;
  admin: Record<string, string>;
  none: Record<string, string>;
};

/** Claims exactly as API Gateway would pass them on for a real development token of each role. */
async function claimsFor(keys: DevKeys, role: 'officer' | 'admin' | 'none') {
  const token = await signDevToken(keys, { role });
  const verdict = await verifyDevToken(keys, `Bearer ${token}`, OFFICER_SCOPE);
  if (!verdict.ok) throw new Error(`dev token refused: ${verdict.reason}`);
  return claimsAsApiGatewayGivesThem(verdict.claims);
}

async function call(handler: RouteHandler, spec: Parameters<typeof apiEvent>[0], base64 = false) {
  const event = apiEvent(spec);
  if (base64 && event.body !== undefined) {
    event.body = Buffer.from(event.body).toString('base64');
    event.isBase64Encoded = true;
  }
  return (await handler(event, testContext())) as {
    statusCode?: number;
    headers?: Record<string, string>;
    body?: string;
  };
}

beforeAll(async () => {
  ({ table, handlers } = await loadAllHandlers());
  const { generateKeyPair } = await import('jose');
  const pair = await generateKeyPair('ES256');
  const keys = { privateKey: pair.privateKey, publicKey: pair.publicKey } as DevKeys;
  verifiedClaims = {
    officer: await claimsFor(keys, 'officer'),
    admin: await claimsFor(keys, 'admin'),
    none: await claimsFor(keys, 'none'),
  };
  // Real items, so ids in the fuzz sometimes name something and authorised paths go deep.
  const submit = handlers.get('submit-feedback');
  const record = handlers.get('record-event');
  for (let i = 0; i < 3; i++) {
    const created = await call(submit as RouteHandler, {
      method: 'POST',
      path: '/feedback',
      body: VALID_BODIES['submit-feedback'],
    });
    known.feedbackIds.push(JSON.parse(created.body ?? '{}').id);
    if (record) {
      const event = await call(record, {
        method: 'POST',
        path: '/officer/events',
        body: VALID_BODIES['record-event'],
        claims: verifiedClaims.admin,
      });
      known.eventIds.push(JSON.parse(event.body ?? '{}').id);
    }
  }
});
afterAll(async () => table.drop());

/** A valid body per handler that takes one; a route without one here is fuzzed with generated bodies only. */
const VALID_BODIES: Partial<Record<HandlerName, Record<string, unknown>>> = {
  'submit-feedback': {
    kind: 'complaint',
    message: 'We waited 14 weeks for the assessment.',
    submitterRole: 'parent_or_carer',
    satisfaction: 2,
    contact: { name: 'Sam', email: 'sam@example.com' },
    consentToContact: true,
  },
  'respond-to-feedback': { response: 'We have booked the assessment.', outcome: 'upheld' },
  'save-project': {
    title: 'Short breaks',
    serviceArea: 'SEND',
    timeframes: {
      feedback: { acknowledgeWorkingDays: 5, respondWorkingDays: 20 },
      compliment: { acknowledgeWorkingDays: 5, respondWorkingDays: 10 },
      complaint: { acknowledgeWorkingDays: 5, respondWorkingDays: 15 },
    },
    alertTeam: 'send-service',
    active: true,
  },
  'record-event': {
    title: 'Parent forum',
    projectId: 'general',
    type: 'workshop',
    heldOn: '2026-11-20',
    participants: { parentsAndCarers: 12 },
    status: 'held',
  },
  'update-event': { whatWeHeard: 'More Saturday sessions', participants: { professionals: 3 } },
};

// ---- generators -------------------------------------------------------------------------------

const loneSurrogate = fc.constantFrom('\ud800', '\udc00', 'a\ud83d', '\udfff z');
const oddText = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  loneSurrogate,
  fc.constantFrom(
    '',
    ' ',
    '\u0000',
    '\u202e',
    '👨‍👩‍👧‍👦'.repeat(50),
    'x'.repeat(6000),
    'null',
    '__proto__',
    'constructor',
  ),
);
const hugeNumberText = fc.constantFrom(
  '1e400',
  '-1e400',
  '9'.repeat(400),
  '1e-400',
  '-0',
  '0.5',
  '-1',
  '1e21',
  '2e53',
);
const scalar = fc.oneof(oddText, fc.integer(), fc.double(), fc.boolean(), fc.constant(null));

/** A JSON text nested arrays/objects `depth` deep, around `inner`. */
const nested = fc
  .tuple(fc.integer({ min: 1, max: 3000 }), fc.boolean())
  .map(([depth, arrays]) =>
    arrays ? `${'['.repeat(depth)}${']'.repeat(depth)}` : `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`,
  );
const manyKeys = fc
  .integer({ min: 21, max: 4000 })
  .map((n) => `{${Array.from({ length: n }, (_, i) => `"k${i}":${i}`).join(',')}}`);

/** A valid body with one to three changes: a field dropped, retyped, made odd, or an unknown one added. */
function mutated(valid: Record<string, unknown>) {
  const fields = Object.keys(valid);
  const change = fc.oneof(
    fc.record({ op: fc.constant('drop' as const), field: fc.constantFrom(...fields) }),
    fc.record({
      op: fc.constant('set' as const),
      field: fc.constantFrom(...fields, 'extra'),
      value: fc.oneof(scalar, fc.jsonValue({ maxDepth: 3 })),
    }),
    fc.record({ op: fc.constant('raw' as const), field: fc.constantFrom(...fields), value: hugeNumberText }),
    // A field name no request uses, at the top or inside a field (shared/http/field-names.ts).
    fc.record({
      op: fc.constant('forbidden' as const),
      name: fc.constantFrom(...FORBIDDEN_FIELD_NAMES),
      inside: fc.option(fc.constantFrom(...fields)),
      value: fc.jsonValue({ maxDepth: 2 }),
    }),
  );
  return fc.array(change, { minLength: 1, maxLength: 3 }).map((changes) => {
    const body: Record<string, unknown> = structuredClone(valid);
    const raws: [string, string][] = [];
    const names: [string, string][] = [];
    for (const c of changes) {
      if (c.op === 'drop') delete body[c.field];
      else if (c.op === 'set') body[c.field] = c.value;
      else if (c.op === 'forbidden') {
        // Set under a placeholder: assigning `__proto__` on an object would set its prototype instead.
        const marker = `@@NAME${names.length}@@`;
        names.push([JSON.stringify(marker), JSON.stringify(c.name)]);
        const holder = c.inside === null ? body : body[c.inside];
        if (holder && typeof holder === 'object' && !Array.isArray(holder))
          (holder as Record<string, unknown>)[marker] = c.value;
        else body[c.inside ?? marker] = { [marker]: c.value };
      } else {
        body[c.field] = `@@RAW${raws.length}@@`;
        raws.push([`"@@RAW${raws.length}@@"`, c.value]);
      }
    }
    let text = JSON.stringify(body);
    for (const [marker, raw] of [...raws, ...names]) text = text.replace(marker, raw);
    return text;
  });
}

function bodyFor(handler: HandlerName) {
  const valid = VALID_BODIES[handler];
  const generated = [
    fc.jsonValue({ maxDepth: 4 }).map((value) => JSON.stringify(value)),
    fc
      .dictionary(fc.string({ maxLength: 12 }), scalar, { maxKeys: 30 })
      .map((value) => JSON.stringify(value)),
    nested,
    manyKeys,
    hugeNumberText,
    oddText,
    fc.string({ maxLength: 200 }).map((text) => `{"kind":${text}`),
    fc
      .tuple(fc.constantFrom(...FORBIDDEN_FIELD_NAMES), fc.jsonValue({ maxDepth: 2 }))
      .map(([name, value]) => `{${JSON.stringify(name)}:${JSON.stringify(value)}}`),
  ];
  return fc.option(
    valid
      ? fc.oneof(
          { arbitrary: fc.constant(JSON.stringify(valid)), weight: 2 },
          { arbitrary: mutated(valid), weight: 6 },
          ...generated.map((arbitrary) => ({ arbitrary, weight: 1 })),
        )
      : fc.oneof(...generated),
    { freq: 8 },
  );
}

const contentType = fc.option(
  fc.oneof(
    { arbitrary: fc.constant('application/json'), weight: 8 },
    {
      arbitrary: fc.constantFrom(
        'Application/JSON; charset=UTF-8',
        'application/json; charset=latin1',
        'application/json;;;',
        'text/plain',
        'application/x-www-form-urlencoded',
        'application/problem+json',
        'multipart/form-data; boundary=x',
        '',
      ),
      weight: 2,
    },
    { arbitrary: fc.string({ maxLength: 30 }), weight: 1 },
  ),
  { freq: 10 },
);

const isoDay = fc
  .integer({ min: -4000, max: 4000 })
  .map((days) => new Date(Date.UTC(2026, 0, 1 + days)).toISOString().slice(0, 10));
const queryValue = fc.oneof(
  fc.constantFrom(
    'received',
    'acknowledged',
    'closed',
    'general',
    'complaint',
    'true',
    'false',
    '1',
    '50',
    '100',
    '0',
    '-1',
    '1e400',
    '9'.repeat(40),
  ),
  isoDay,
  oddText,
  fc.jsonValue().map((value) => Buffer.from(JSON.stringify(value)).toString('base64url')),
  fc
    .record({ PK: oddText, SK: oddText, GSI2PK: oddText, GSI2SK: oddText })
    .map((key) => Buffer.from(JSON.stringify({ v: 1, f: 'x', p: { a: key } })).toString('base64url')),
);
const query = fc.option(
  fc.dictionary(
    fc.oneof(
      fc.constantFrom('status', 'projectId', 'kind', 'overdue', 'limit', 'cursor', 'from', 'to'),
      fc.string({ maxLength: 8 }),
    ),
    queryValue,
    { maxKeys: 5 },
  ),
  { freq: 2 },
);

const idValue = () =>
  fc.oneof(
    fc.constantFrom(
      ...known.feedbackIds,
      ...known.eventIds,
      'general',
      'KKKK2222',
      'kkkk-2222',
      '%',
      '..',
      'a/b',
    ),
    fc.stringMatching(/^[2-9A-HJKMNP-TV-Z]{8}$/),
    fc.stringMatching(/^[a-z0-9][a-z0-9-]{0,62}$/),
    oddText,
  );

const headers = fc.record(
  {
    'if-match': fc.oneof(
      fc.constantFrom('"1"', '"2"', '*', 'W/"1"', '"99999999999999999999"', '"-1"', '"1.5"', '1'),
      oddText,
    ),
    'idempotency-key': fc.oneof(fc.uuid(), oddText, fc.constant('k'.repeat(300))),
    authorization: fc.oneof(fc.constant('Bearer x.y.z'), oddText),
    origin: fc.constantFrom('https://evil.example', 'null'),
  },
  { requiredKeys: [] },
);

const claims = () =>
  fc.oneof(
    { arbitrary: fc.constant(verifiedClaims.admin), weight: 5 },
    { arbitrary: fc.constant(verifiedClaims.officer), weight: 3 },
    { arbitrary: fc.constant(verifiedClaims.none), weight: 1 },
    { arbitrary: fc.constant(undefined), weight: 1 },
    {
      arbitrary: fc.record({
        sub: oddText,
        username: oddText,
        'cognito:groups': fc.oneof(
          fc.constantFrom('[officer,admin]', '["admin"', '[admin]', '["officer"]', 'admin', ''),
          oddText,
        ),
        scope: fc.constantFrom(OFFICER_SCOPE, ''),
      }),
      weight: 1,
    },
  );

// ---- the property -----------------------------------------------------------------------------

/** The body as the handler's parser reads it, if it is JSON at all. */
function parsesAsJson(body: string | null, base64: boolean): boolean {
  if (body === null) return false;
  try {
    JSON.parse(base64 ? Buffer.from(Buffer.from(body).toString('base64'), 'base64').toString('utf8') : body);
    return true;
  } catch {
    return false;
  }
}

function expectWellFormed(
  route: string,
  result: Awaited<ReturnType<typeof call>>,
  sent?: { body: string | null; base64: boolean },
) {
  const status = result.statusCode ?? 200;
  const contentType = Object.entries(result.headers ?? {}).find(
    ([name]) => name.toLowerCase() === 'content-type',
  )?.[1];
  expect(status, `${route} answered ${status}: ${result.body?.slice(0, 300)}`).toBeLessThan(500);
  if (status >= 400) {
    expect(contentType, route).toBe('application/problem+json');
    const problem = JSON.parse(result.body ?? '');
    expect(problem.status, route).toBe(status);
    expect(typeof problem.type, route).toBe('string');
    if (problem.errors) expect(problem.errors.length, route).toBeLessThanOrEqual(MAX_LISTED_ERRORS);
    // "Malformed JSON" only for a body that is not JSON: never for a valid one with a `__proto__` key.
    if (sent && problem.type === problemType('malformed-json')) {
      expect(parsesAsJson(sent.body, sent.base64), `${route}: ${sent.body?.slice(0, 200)}`).toBe(false);
    }
    for (const error of (problem.errors ?? []) as { path: string; message: string }[]) {
      if (error.message === FORBIDDEN_FIELD_MESSAGE)
        expect(FORBIDDEN_FIELD_NAMES, route).toContain(error.path.split('.').at(-1));
    }
  } else if (result.body) {
    // JSON (plain or JSON Feed) must parse; the RSS feed and the CSV report are their own formats.
    expect(contentType, route).toMatch(/^(application\/(json|feed\+json|rss\+xml)|text\/csv)\b/);
    if (/^application\/(json|feed\+json)/.test(String(contentType))) JSON.parse(result.body);
    else expect(result.body.length, route).toBeGreaterThan(0);
  }
}

const routes: (RouteEntry | { method: 'ANY'; path: 'ANY'; handler: typeof FALLBACK_HANDLER })[] = [
  ...ROUTES,
  { method: 'ANY', path: 'ANY', handler: FALLBACK_HANDLER },
];

describe(`every route, fuzzed (${CASES_PER_ROUTE * routeCount} cases, seed ${SEED})`, () => {
  it('covers every route of the route table', () => {
    expect(new Set(routes.map((route) => route.handler))).toEqual(
      new Set([...ROUTES.map((r) => r.handler), FALLBACK_HANDLER]),
    );
    expect(CASES_PER_ROUTE * routeCount).toBeGreaterThanOrEqual(TOTAL_CASES);
  });

  it.each(routes.map((route) => [`${route.method} ${route.path}`, route] as const))(
    'never answers %s with a 5xx, and always with a problem or JSON',
    async (name, route) => {
      const handler = handlers.get(route.handler as HandlerName);
      if (!handler) throw new Error(`no handler module for ${route.handler}`);
      const isFallback = route.handler === FALLBACK_HANDLER;
      const method = isFallback
        ? fc.constantFrom('GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS', 'TRACE', 'BREW')
        : fc.constant(route.method);
      const path = isFallback
        ? fc.oneof(
            fc.constantFrom(
              ...ROUTES.map((r) => r.path.replace('{id}', 'X')),
              '/',
              '/nope',
              '/feedback/',
              '//',
            ),
            fc.webPath(),
          )
        : fc.constant(route.path);
      const parameters = fc.record(
        Object.fromEntries(pathParameterNames(isFallback ? '' : route.path).map((p) => [p, idValue()])),
      );
      await fc.assert(
        fc.asyncProperty(
          method,
          path,
          parameters,
          bodyFor(route.handler as HandlerName),
          contentType,
          query,
          headers,
          claims(),
          fc.boolean(),
          async (m, p, params, body, type, q, extra, who, base64) => {
            const result = await call(
              handler,
              {
                method: m,
                path: concretePath(p, params),
                ...(Object.keys(params).length ? { pathParameters: params } : {}),
                ...(body === null ? {} : { body }),
                headers: {
                  ...(type === null ? {} : { 'content-type': type }),
                  ...(extra as Record<string, string>),
                },
                ...(q === null ? {} : { query: q }),
                ...(who ? { claims: who as Record<string, string> } : {}),
              },
              base64 && body !== null,
            );
            expectWellFormed(name, result, { body, base64: base64 && body !== null });
          },
        ),
        { numRuns: CASES_PER_ROUTE, seed: SEED, endOnFailure: true },
      );
    },
    120_000,
  );
});
