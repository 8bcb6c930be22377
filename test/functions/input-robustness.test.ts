import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeHandler } from '../../functions/submit-feedback/handler';
import { fitsCharacters, MESSAGE_MAX_CHARACTERS } from '../../shared/domain/feedback-submission';
import { jsonDepthExceeds, MAX_BODY_BYTES, MAX_JSON_DEPTH } from '../../shared/http/middleware';
import { MAX_LISTED_ERRORS } from '../../shared/http/problem';
import type { HandlerName } from '../../shared/http/routes';
import { ROUTES } from '../../shared/http/routes';
import { intakeDeps } from '../support/deps';
import type { TestTable } from '../support/dynamo';
import { apiEvent, invoke, officerClaims, testContext } from '../support/events';
import {
  concretePath,
  loadAllHandlers,
  pathParameterNames,
  type RouteHandler,
  takesJsonBody,
} from '../support/route-handlers';

/** Regression cases from issue 7: each of these was a 5xx, an oversized answer, or a wrong refusal. */

let table: TestTable;
let handlers: Map<HandlerName, RouteHandler>;
beforeAll(async () => {
  ({ table, handlers } = await loadAllHandlers());
});
afterAll(async () => table.drop());

const jsonRoutes = ROUTES.filter(takesJsonBody);
/** Routes that read a body; acknowledge and close take none and ignore one. */
const READS_BODY = new Set([
  'submit-feedback',
  'respond-to-feedback',
  'save-project',
  'record-event',
  'update-event',
]);
/** A 400 where the route reads the body; any other route must still not fail (no 5xx). */
function expectRefused(route: (typeof ROUTES)[number], status: number) {
  if (READS_BODY.has(route.handler)) expect(status).toBe(400);
  else expect(status).toBeLessThan(500);
}

/** The route called as an admin (who may do anything), with If-Match and ids filled in. */
function call(route: (typeof ROUTES)[number], body: string) {
  const handler = handlers.get(route.handler);
  if (!handler) throw new Error(`no handler for ${route.handler}`);
  // An id of the right shape for the route, so the body is what gets checked.
  const id = route.path.includes('/projects/') ? 'general' : 'KKKK2222';
  const pathParameters = Object.fromEntries(pathParameterNames(route.path).map((name) => [name, id]));
  return invoke(handler, {
    method: route.method,
    path: concretePath(route.path, pathParameters),
    pathParameters,
    body,
    headers: { 'content-type': 'application/json', 'if-match': '"1"' },
    claims: officerClaims('admin'),
  });
}

describe('bodies built to break the parser', () => {
  it.each(jsonRoutes.map((route) => [`${route.method} ${route.path}`, route] as const))(
    'answers arrays nested 2,000 deep with 400, not a stack overflow (%s)',
    async (_name, route) => {
      const body = `${'['.repeat(2000)}${']'.repeat(2000)}`;
      const response = await call(route, body);
      expectRefused(route, response.status);
      expect(response.headers['content-type']).toBe('application/problem+json');
    },
  );

  it('answers objects nested 2,000 deep inside a valid field with 400', async () => {
    const body = `{"kind":"feedback","submitterRole":"other","message":${'{"a":'.repeat(2000)}1${'}'.repeat(2000)}}`;
    const response = await invoke(makeHandler(intakeDeps(table)), {
      method: 'POST',
      path: '/feedback',
      body,
      headers: { 'content-type': 'application/json' },
    });
    expect(response.status).toBe(400);
  });

  it('counts only brackets outside strings, and stops at the limit', () => {
    expect(jsonDepthExceeds(JSON.stringify({ message: '[[[[['.repeat(100) }), MAX_JSON_DEPTH)).toBe(false);
    expect(jsonDepthExceeds(JSON.stringify({ message: 'a\\"[[[['.repeat(100) }), MAX_JSON_DEPTH)).toBe(false);
    expect(jsonDepthExceeds('['.repeat(MAX_JSON_DEPTH), MAX_JSON_DEPTH)).toBe(false);
    expect(jsonDepthExceeds('['.repeat(MAX_JSON_DEPTH + 1), MAX_JSON_DEPTH)).toBe(true);
  });

  it.each(jsonRoutes.map((route) => [`${route.method} ${route.path}`, route] as const))(
    'answers 32 KiB of thousands of unknown keys with a small 400 listing 20 and counting the rest (%s)',
    async (_name, route) => {
      // {"k0":1,"k1":1,…} up to 32 KiB: about 3,300 keys, as in the issue.
      const keys: string[] = [];
      let length = 2;
      for (let n = 0; length + `"k${n}":1,`.length <= MAX_BODY_BYTES; n++) {
        keys.push(`"k${n}":1`);
        length += `"k${n}":1,`.length;
      }
      const n = keys.length;
      const body = `{${keys.join(',')}}`;
      expect(Buffer.byteLength(body)).toBeLessThanOrEqual(MAX_BODY_BYTES);

      const response = await call(route, body);

      expectRefused(route, response.status);
      if (!READS_BODY.has(route.handler)) return;
      const errors = response.body.errors as { path: string }[];
      expect(errors).toHaveLength(MAX_LISTED_ERRORS);
      const total = errors.length + Number(response.body.moreErrors);
      expect(total).toBeGreaterThanOrEqual(n);
      expect(response.body.detail).toBe(
        `${total.toLocaleString('en-GB')} fields need correcting; the first ${MAX_LISTED_ERRORS} are listed.`,
      );
      expect(JSON.stringify(response.body).length).toBeLessThan(4_096);
    },
  );

  it('names a very long unknown key by its start only', async () => {
    const response = await invoke(makeHandler(intakeDeps(table)), {
      method: 'POST',
      path: '/feedback',
      body: { kind: 'feedback', message: 'Hi', submitterRole: 'other', ['k'.repeat(30_000)]: 1 },
    });
    expect(response.status).toBe(400);
    expect(JSON.stringify(response.body).length).toBeLessThan(2_048);
  });

  it.each([
    [
      'a number too big for a double',
      '{"kind":"feedback","message":"Hi","submitterRole":"other","satisfaction":1e400}',
    ],
    [
      'a huge integer',
      `{"kind":"feedback","message":"Hi","submitterRole":"other","satisfaction":${'9'.repeat(400)}}`,
    ],
    ['a negative zero', '{"kind":"feedback","message":"Hi","submitterRole":"other","satisfaction":-0.0}'],
    ['a number as the message', '{"kind":"feedback","message":12345,"submitterRole":"other"}'],
    ['an array as the body', '[1,2,3]'],
    ['a string as the body', '"hello"'],
    ['null as the body', 'null'],
    [
      'a lone low surrogate in a key',
      '{"\\udc00":1,"kind":"feedback","message":"Hi","submitterRole":"other"}',
    ],
    [
      '__proto__ as a key',
      '{"__proto__":{"admin":true},"kind":"feedback","message":"Hi","submitterRole":"other"}',
    ],
  ])('answers %s with a 4xx problem', async (_name, body) => {
    const response = await invoke(makeHandler(intakeDeps(table)), {
      method: 'POST',
      path: '/feedback',
      body,
      headers: { 'content-type': 'application/json' },
    });
    expect(response.status).toBeGreaterThanOrEqual(400);
    expect(response.status).toBeLessThan(500);
    expect(response.headers['content-type']).toBe('application/problem+json');
  });
});

/** Routes that parse a JSON body; the rest (acknowledge, close, publish, unpublish) take none and ignore one. */
const PARSES_JSON = new Set([
  ...READS_BODY,
  'create-update',
  'edit-update',
  'choose-complaint-procedure',
  'escalate-complaint',
  'extend-complaint-stage',
  'record-review-panel',
  'escalate-by-family-link',
  'find-subject-data',
  'erase-subject-data',
  'stop-messages-by-family-link',
]);
const IGNORES_BODY = new Set([
  'acknowledge-feedback',
  'close-feedback',
  'stop-messages-for-family',
  'publish-update',
  'unpublish-update',
]);

describe('field names no request uses (__proto__, constructor, prototype)', () => {
  it('are looked for on every route that parses JSON (a new POST, PUT or PATCH route must say which it is)', () => {
    for (const route of jsonRoutes)
      expect(PARSES_JSON.has(route.handler) || IGNORES_BODY.has(route.handler), route.handler).toBe(true);
  });

  const parsing = jsonRoutes.filter((route) => PARSES_JSON.has(route.handler));
  const cases: [string, string, string[]][] = [
    ['__proto__ at the top', '{"__proto__":{"admin":true},"title":"x"}', ['__proto__']],
    [
      '__proto__ nested',
      '{"contact":{"__proto__":{"admin":true},"email":"a@example.com"}}',
      ['contact.__proto__'],
    ],
    [
      'constructor holding a prototype',
      '{"constructor":{"prototype":{"admin":true}}}',
      ['constructor', 'constructor.prototype'],
    ],
    ['a plain constructor', '{"constructor":1,"title":"x"}', ['constructor']],
    ['prototype in a list', '{"accessibility":[{"prototype":1}]}', ['accessibility.0.prototype']],
    [
      'two of them',
      '{"__proto__":1,"participants":{"constructor":2}}',
      ['__proto__', 'participants.constructor'],
    ],
  ];
  it.each(
    parsing.flatMap((route) =>
      cases.map(
        ([name, body, paths]) => [`${name}: ${route.method} ${route.path}`, route, body, paths] as const,
      ),
    ),
  )('%s is a 400 naming each, and nothing is written', async (_name, route, body, paths) => {
    const before = (await table.allItems()).length;
    const response = await call(route, body);
    expect(response.status).toBe(400);
    expect(response.headers['content-type']).toBe('application/problem+json');
    expect(response.body.errors).toEqual(
      paths.map((path) => ({ path, message: 'This field name is not allowed' })),
    );
    expect((await table.allItems()).length).toBe(before);
  });

  it('is named the same in a base64-encoded body (as API Gateway passes some)', async () => {
    const handler = handlers.get('submit-feedback');
    if (!handler) throw new Error('no submit-feedback handler');
    const event = apiEvent({
      method: 'POST',
      path: '/feedback',
      body: Buffer.from(
        '{"kind":"feedback","message":"Hi","submitterRole":"other","__proto__":{"x":1}}',
      ).toString('base64'),
      headers: { 'content-type': 'application/json' },
    });
    event.isBase64Encoded = true;
    const result = (await handler(event, testContext())) as { statusCode: number; body: string };
    expect(result.statusCode).toBe(400);
    expect(JSON.parse(result.body).errors).toEqual([
      { path: '__proto__', message: 'This field name is not allowed' },
    ]);
  });

  it('still calls broken JSON malformed', async () => {
    const response = await call(parsing[0] as (typeof ROUTES)[number], '{"__proto__":');
    expect(response.status).toBe(400);
    expect(response.body.title).toBe('Malformed JSON');
  });
});

describe('message length in characters as people count them', () => {
  const family = '👨‍👩‍👧‍👦';
  const submit = (message: string) =>
    invoke(makeHandler(intakeDeps(table)), {
      method: 'POST',
      path: '/feedback',
      body: { kind: 'compliment', message, submitterRole: 'parent_or_carer' },
    });

  it('accepts 715 family emoji: 715 characters, though 5,005 UTF-16 units and 17,875 bytes', async () => {
    const message = family.repeat(715);
    expect(message.length).toBeGreaterThan(MESSAGE_MAX_CHARACTERS);
    const response = await submit(message);
    expect(response.status).toBe(201);
    const stored = (await table.allItems()).find((item) => item.id === response.body.id);
    expect(stored?.message).toBe(message);
  });

  it('accepts exactly 5,000 characters and refuses 5,001, naming message', async () => {
    // Each one character, two to four code points: a flag, ŵ and é as letter + combining mark.
    const flagsAndAccents = ['🇬🇧', 'w\u0302', 'e\u0301', 'a'];
    const text = (n: number) => Array.from({ length: n }, (_, i) => flagsAndAccents[i % 4]).join('');
    expect((await submit(text(MESSAGE_MAX_CHARACTERS))).status).toBe(201);
    const refused = await submit(text(MESSAGE_MAX_CHARACTERS + 1));
    expect(refused.status).toBe(400);
    expect(refused.body.errors).toEqual([{ path: 'message', message: expect.stringContaining('5000') }]);
  });

  it('counts grapheme clusters, stopping early, and needs no count for short text', () => {
    expect(fitsCharacters(family.repeat(3), 3)).toBe(true);
    expect(fitsCharacters(family.repeat(4), 3)).toBe(false);
    expect(fitsCharacters('abc', 3)).toBe(true);
    expect(fitsCharacters('abcd', 3)).toBe(false);
  });
});
