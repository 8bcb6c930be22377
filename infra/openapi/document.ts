import * as z from 'zod';
import type * as core from 'zod/v4/core';
import { OFFICER_SCOPE } from '../../shared/auth/auth-config';
import { MAX_BODY_BYTES } from '../../shared/http/middleware';
import { ROUTES, type Route } from '../../shared/http/routes';
import { PROBLEM_TYPES } from './problem-types';
import './response-schemas';
import { ROUTE_DOCS, type RouteDoc, type RouteHandlerName, type SuccessHeader } from './route-docs';

/**
 * Builds the OpenAPI 3.1 document for every route in the route table, at build time
 * (`npm run openapi` writes openapi.json; GET /openapi.json serves that file). Request schemas are
 * the handlers' own zod schemas, turned into JSON Schema 2020-12 (OpenAPI 3.1's dialect) by zod's
 * `z.toJSONSchema`; nothing here is imported by a function, so no generator reaches a Lambda bundle.
 */
type JsonSchema = Record<string, unknown>;
type Json = Record<string, unknown>;

const SCHEMA_REF = '#/components/schemas/';

/**
 * Without the `$schema` dialect (OpenAPI 3.1's is JSON Schema 2020-12 already) and without the
 * long regular expressions zod adds beside `format: date` and `format: date-time`: the format says
 * the same, and the patterns were most of the document's size.
 */
function withoutDialect(schema: JsonSchema): JsonSchema {
  const { $schema: _dialect, $id: _id, ...rest } = schema;
  return JSON.parse(JSON.stringify(rest), (_key, value: unknown) => {
    if (value && typeof value === 'object' && !Array.isArray(value)) {
      const node = value as JsonSchema;
      if ((node.format === 'date' || node.format === 'date-time') && typeof node.pattern === 'string') {
        const { pattern: _pattern, ...kept } = node;
        return kept;
      }
    }
    return value;
  }) as JsonSchema;
}

/** A request schema as the client must send it (defaults make fields optional: `io: 'input'`). */
function requestSchema(schema: core.$ZodType): JsonSchema {
  return withoutDialect(
    z.toJSONSchema(schema, { io: 'input', target: 'draft-2020-12', unrepresentable: 'any' }) as JsonSchema,
  );
}

/** The named response schemas (those with `.meta({ id })`), as components they reference by id. */
function responseComponents(): Record<string, JsonSchema> {
  const { schemas } = z.toJSONSchema(z.globalRegistry, {
    target: 'draft-2020-12',
    unrepresentable: 'any',
    uri: (id) => `${SCHEMA_REF}${id}`,
  }) as { schemas: Record<string, JsonSchema> };
  return Object.fromEntries(Object.entries(schemas).map(([id, schema]) => [id, withoutDialect(schema)]));
}

function refTo(schema: core.$ZodType): JsonSchema {
  const id = z.globalRegistry.get(schema)?.id;
  if (!id) throw new Error('response schemas need .meta({ id }) (infra/openapi/response-schemas.ts)');
  return { $ref: `${SCHEMA_REF}${id}` };
}

/** The problem types a route may answer with: those of every route of its kind, and its own. */
function problemTypesOf(route: Route, doc: RouteDoc): string[] {
  const types = new Set<string>(['internal-error', 'payload-too-large']);
  const add = (...names: string[]) => {
    for (const name of names) types.add(name);
  };
  if (!doc.noStorage) add('temporarily-unavailable');
  if (doc.body) add('validation-error', 'malformed-json', 'unsupported-media-type');
  if (
    (doc.query && doc.queryRefused !== false) ||
    route.path.includes('{') ||
    doc.ifMatch ||
    doc.idempotencyKey
  ) {
    add('validation-error');
  }
  if (route.access !== 'public') add('unauthenticated', 'forbidden');
  if (doc.ifMatch) add('precondition-required', 'precondition-failed');
  for (const type of doc.problems ?? []) types.add(type);
  for (const type of types) {
    if (!PROBLEM_TYPES[type]) throw new Error(`unknown problem type '${type}' for ${route.handler}`);
  }
  return [...types];
}

function problemResponses(types: string[]): Record<string, Json> {
  const byStatus = new Map<number, string[]>();
  for (const type of types) {
    const { status } = PROBLEM_TYPES[type] as { status: number };
    byStatus.set(status, [...(byStatus.get(status) ?? []), type]);
  }
  return Object.fromEntries(
    [...byStatus.entries()]
      .sort(([a], [b]) => a - b)
      .map(([status, names]) => [
        String(status),
        {
          // Each type's meaning is in info.description and x-problem-types, once.
          description: names.map((name) => PROBLEM_TYPES[name]?.title).join('; '),
          headers:
            status === 503 ? { 'Retry-After': { $ref: '#/components/headers/RetryAfter' } } : undefined,
          content: {
            // In AWS, API Gateway's JWT authorizer refuses a bad token itself, before the function,
            // with its own plain JSON body; the local server (and the functions) answer problem+json.
            ...(status === 401 || status === 403 ? { 'application/json': { schema: GATEWAY_REFUSAL } } : {}),
            'application/problem+json': {
              schema: {
                allOf: [
                  { $ref: `${SCHEMA_REF}Problem` },
                  {
                    properties: {
                      type: { enum: names.map((name) => `/problems/${name}`) },
                      status: { const: status },
                    },
                  },
                ],
              },
            },
          },
        },
      ]),
  );
}

const GATEWAY_REFUSAL = {
  type: 'object',
  description: 'API Gateway’s own refusal, e.g. {"message":"Unauthorized"}',
  properties: { message: { type: 'string' } },
  required: ['message'],
};

const HEADERS: Record<SuccessHeader, [name: string, header: Json]> = {
  etag: ['ETag', { $ref: '#/components/headers/ETag' }],
  location: ['Location', { $ref: '#/components/headers/Location' }],
  'cache-control': ['Cache-Control', { $ref: '#/components/headers/CacheControl' }],
  'content-disposition': ['Content-Disposition', { $ref: '#/components/headers/ContentDisposition' }],
  'access-control-allow-origin': [
    'Access-Control-Allow-Origin',
    { $ref: '#/components/headers/AccessControlAllowOrigin' },
  ],
  'idempotent-replayed': ['Idempotent-Replayed', { $ref: '#/components/headers/IdempotentReplayed' }],
};

const headersOf = (names: readonly SuccessHeader[]) => Object.fromEntries(names.map((name) => HEADERS[name]));

/** The success answer's content: its media type (JSON unless said), and any alternative. */
function successContent(doc: RouteDoc): Json {
  const { mediaType = 'application/json', schema, alternative } = doc.success;
  return {
    [mediaType]: { schema: refTo(schema) },
    ...(alternative ? { [alternative.mediaType]: { schema: refTo(alternative.schema) } } : {}),
  };
}

function queryParameters(schema: core.$ZodType): Json[] {
  const json = requestSchema(schema) as { properties?: Record<string, JsonSchema>; required?: string[] };
  return Object.entries(json.properties ?? {}).map(([name, property]) => ({
    name,
    in: 'query',
    required: json.required?.includes(name) ?? false,
    schema: property,
  }));
}

function operation(route: Route, doc: RouteDoc): Json {
  const parameters: Json[] = [];
  for (const [, name] of route.path.matchAll(/\{(\w+)\}/g)) {
    parameters.push({
      name,
      in: 'path',
      required: true,
      description: 'The id (for feedback, the reference the family quotes, with or without its hyphen)',
      schema: { type: 'string', minLength: 1, maxLength: 100 },
    });
  }
  if (doc.query) parameters.push(...queryParameters(doc.query));
  if (doc.ifMatch) parameters.push({ $ref: '#/components/parameters/IfMatch' });
  if (doc.idempotencyKey) parameters.push({ $ref: '#/components/parameters/IdempotencyKey' });
  if (doc.notModified) parameters.push({ $ref: '#/components/parameters/IfNoneMatch' });
  const successHeaders = headersOf(doc.success.headers ?? []);
  const security =
    route.access === 'public' ? [] : [{ officerOAuth: [OFFICER_SCOPE] }, { officerBearer: [OFFICER_SCOPE] }];
  return {
    operationId: route.handler,
    summary: doc.summary,
    ...(doc.description ? { description: doc.description } : {}),
    tags: [doc.tag],
    security,
    ...(route.access === 'public' ? {} : { 'x-officer-group': route.access }),
    ...(parameters.length ? { parameters } : {}),
    ...(doc.body
      ? {
          requestBody: {
            required: true,
            content: { 'application/json': { schema: requestSchema(doc.body) } },
          },
        }
      : {}),
    responses: {
      [String(doc.success.status)]: {
        description: doc.success.description,
        ...(Object.keys(successHeaders).length ? { headers: successHeaders } : {}),
        content: successContent(doc),
      },
      ...(doc.notModified
        ? {
            '304': {
              description: 'Not modified: the ETag sent in If-None-Match is current (no body).',
              headers: headersOf(['etag', 'cache-control', 'access-control-allow-origin']),
            },
          }
        : {}),
      ...problemResponses(problemTypesOf(route, doc)),
    },
  };
}

/** The handlers in the route table that have no entry in ROUTE_DOCS (should be none). */
export function undescribedRoutes(): string[] {
  const docs = ROUTE_DOCS as Partial<Record<string, RouteDoc>>;
  return ROUTES.filter((route) => !docs[route.handler]).map((route) => `${route.method} ${route.path}`);
}

export function buildOpenApiDocument(version: string): Json {
  const missing = undescribedRoutes();
  if (missing.length) {
    throw new Error(`routes without a description in infra/openapi/route-docs.ts: ${missing.join(', ')}`);
  }
  const paths: Record<string, Json> = {};
  for (const route of ROUTES) {
    const doc = ROUTE_DOCS[route.handler as RouteHandlerName];
    paths[route.path] = { ...paths[route.path], [route.method.toLowerCase()]: operation(route, doc) };
  }
  const problemTable = Object.entries(PROBLEM_TYPES)
    .map(([name, type]) => `| \`/problems/${name}\` | ${type.status} | ${type.when} |`)
    .join('\n');
  return {
    openapi: '3.1.1',
    info: {
      title: 'You said, we did',
      version,
      summary: 'Families’ feedback on SEND services in, “You said, we did” out.',
      description: [
        'Families send feedback, compliments and complaints; officers triage and answer them within',
        'working-day timeframes (England and Wales bank holidays excluded), record co-production events,',
        'and publish “You said, we did” updates that anyone can read as JSON Feed 1.1 or RSS 2.0.',
        '',
        `Every refusal is RFC 9457 \`application/problem+json\`, naming each failing field in \`errors\`.`,
        `Request bodies are at most ${MAX_BODY_BYTES / 1024} KiB. Problem types (relative to the API's address):`,
        '',
        '| type | status | when |',
        '| --- | --- | --- |',
        problemTable,
        '',
        'Generated by `npm run openapi` from the zod schemas the handlers validate with.',
      ].join('\n'),
      license: { name: 'UNLICENSED', identifier: 'UNLICENSED' },
    },
    tags: [
      { name: 'Public', description: 'No sign-in: the Local Offer website calls these.' },
      { name: 'Officer: feedback', description: 'Triage: officer group.' },
      { name: 'Officer: projects', description: 'Projects and their timeframes.' },
      { name: 'Officer: events', description: 'Co-production events.' },
      { name: 'Officer: updates', description: '“You said, we did” updates and the annual report.' },
      {
        name: 'Admin: families’ data',
        description: 'Subject access, erasure and the retention audit (UK GDPR): admin group.',
      },
      { name: 'API', description: 'About the API itself.' },
    ],
    paths,
    components: {
      schemas: responseComponents(),
      parameters: {
        IfMatch: {
          name: 'If-Match',
          in: 'header',
          required: false,
          description:
            'The ETag of your last read, e.g. "3" (strong comparison). Required to change an existing record: without it 428, stale 412.',
          schema: { type: 'string', pattern: '^"\\d+"$' },
        },
        IfNoneMatch: {
          name: 'If-None-Match',
          in: 'header',
          required: false,
          description: 'The ETag of the copy you hold: 304 with no body while it is current.',
          schema: { type: 'string' },
        },
        IdempotencyKey: {
          name: 'Idempotency-Key',
          in: 'header',
          required: false,
          description:
            '1-255 visible ASCII characters, e.g. a UUID. A retry with the same key and body gets the first answer for 24 hours.',
          schema: { type: 'string', pattern: '^[\\x21-\\x7E]{1,255}$' },
        },
      },
      headers: {
        ETag: { description: 'The version, e.g. "3": send it back as If-Match.', schema: { type: 'string' } },
        Location: { description: 'Where the new record is.', schema: { type: 'string' } },
        CacheControl: { description: 'How long the answer may be cached.', schema: { type: 'string' } },
        RetryAfter: { description: 'Seconds to wait before retrying.', schema: { type: 'string' } },
        ContentDisposition: {
          description: 'attachment, with a file name (the CSV download).',
          schema: { type: 'string' },
        },
        AccessControlAllowOrigin: {
          description: '`*`: any site may read this public answer (it carries no credentials).',
          schema: { type: 'string', const: '*' },
        },
        IdempotentReplayed: {
          description: '`true` when this is the stored answer to an earlier request with the same key.',
          schema: { type: 'string', const: 'true' },
        },
      },
      securitySchemes: {
        officerOAuth: {
          type: 'oauth2',
          description:
            'Officers sign in with Cognito (authorization code flow, MFA). The URLs are those of your deployment’s Cognito hosted domain (CDK context domainPrefix); the access token must carry the officer scope, and the cognito:groups claim the group a route names in x-officer-group (officer or admin).',
          flows: {
            authorizationCode: {
              authorizationUrl:
                'https://your-domain-prefix.auth.eu-west-2.amazoncognito.com/oauth2/authorize',
              tokenUrl: 'https://your-domain-prefix.auth.eu-west-2.amazoncognito.com/oauth2/token',
              scopes: { [OFFICER_SCOPE]: 'Use the officer API' },
            },
          },
        },
        officerBearer: {
          type: 'http',
          scheme: 'bearer',
          bearerFormat: 'JWT',
          description: `The same Cognito access token sent directly (locally: \`npm run token\`). Needs the ${OFFICER_SCOPE} scope.`,
        },
      },
    },
    'x-problem-types': PROBLEM_TYPES,
  };
}
