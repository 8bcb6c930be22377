import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Validator } from '@seriousme/openapi-schema-validator';
import { describe, expect, it } from 'vitest';
import { undescribedRoutes } from '../../infra/openapi/document';
import { PROBLEM_TYPES } from '../../infra/openapi/problem-types';
import { ROUTE_DOCS } from '../../infra/openapi/route-docs';
import { openApiText } from '../../scripts/openapi';
import { OFFICER_SCOPE } from '../../shared/auth/auth-config';
import { type AnnualReport, annualReportCsv } from '../../shared/domain/annual-report';
import { feedConfigFromEnv, jsonFeed, rssFeed } from '../../shared/domain/feed-formats';
import { publicCounts } from '../../shared/domain/public-counts';
import type { PublicView } from '../../shared/domain/update';
import { ROUTES } from '../../shared/http/routes';
import { scorecardOf } from '../../shared/scorecard/figures';
import { contractViolations, openApiDocument } from '../support/openapi-contract';

type Operation = {
  operationId: string;
  security: Record<string, string[]>[];
  responses: Record<string, unknown>;
  requestBody?: unknown;
  parameters?: { name?: string; in?: string; $ref?: string }[];
};
const operationOf = (method: string, path: string) =>
  openApiDocument.paths[path]?.[method.toLowerCase()] as Operation | undefined;

describe('the OpenAPI document (openapi.json)', () => {
  it('describes every route in the route table (add an entry to infra/openapi/route-docs.ts)', () => {
    expect(undescribedRoutes()).toEqual([]);
    for (const route of ROUTES) {
      expect(operationOf(route.method, route.path), `${route.method} ${route.path}`).toMatchObject({
        operationId: route.handler,
      });
    }
    // And nothing else: no description of a route that no longer exists.
    const described = Object.entries(openApiDocument.paths).flatMap(([path, item]) =>
      Object.keys(item).map((method) => `${method.toUpperCase()} ${path}`),
    );
    expect(described.sort()).toEqual(ROUTES.map((route) => `${route.method} ${route.path}`).sort());
    expect(Object.keys(ROUTE_DOCS).sort()).toEqual([...new Set(ROUTES.map((r) => r.handler))].sort());
  });

  it('is what `npm run openapi` writes now (run it after changing a route or a schema)', () => {
    expect(readFileSync(new URL('../../openapi.json', import.meta.url), 'utf8')).toBe(openApiText());
  });

  it('is a valid OpenAPI 3.1 document', async () => {
    const result = await new Validator().validate(structuredClone(openApiDocument));
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    expect(openApiDocument.openapi).toMatch(/^3\.1\./);
  });

  it('asks officer routes for the officer scope, and public routes for nothing', () => {
    for (const route of ROUTES) {
      const operation = operationOf(route.method, route.path) as Operation;
      if (route.access === 'public') expect(operation.security, route.path).toEqual([]);
      else {
        expect(operation.security).toContainEqual({ officerOAuth: [OFFICER_SCOPE] });
        expect(operation.responses).toHaveProperty('401');
        expect(operation.responses).toHaveProperty('403');
      }
    }
  });

  it('documents a request body for every route whose handler parses one, and If-Match where it is needed', () => {
    for (const route of ROUTES) {
      const operation = operationOf(route.method, route.path) as Operation;
      const doc = ROUTE_DOCS[route.handler];
      expect(Boolean(operation.requestBody), route.handler).toBe(Boolean(doc.body));
      if (doc.ifMatch) {
        expect(operation.parameters).toContainEqual({ $ref: '#/components/parameters/IfMatch' });
        expect(operation.responses).toHaveProperty('428');
        expect(operation.responses).toHaveProperty('412');
      }
    }
    // The body schema is the handler's own: the submission's fields, with its limits.
    const submit = operationOf('POST', '/feedback') as {
      requestBody: {
        content: Record<string, { schema: { required: string[]; additionalProperties: boolean } }>;
      };
    };
    expect(submit.requestBody.content['application/json']?.schema).toMatchObject({
      required: ['kind', 'message', 'submitterRole'],
      additionalProperties: false,
    });
  });

  it('lists every problem type the code can answer with', () => {
    const source = (dir: string): string[] =>
      readdirSync(dir).flatMap((name) => {
        const path = join(dir, name);
        return statSync(path).isDirectory() ? source(path) : path.endsWith('.ts') ? [path] : [];
      });
    const used = new Set<string>();
    for (const file of [...source('shared'), ...source('functions'), ...source('infra/local')]) {
      const text = readFileSync(file, 'utf8');
      for (const [, name] of text.matchAll(/problemType\('([a-z-]+)'\)/g)) used.add(name as string);
      // The domain error kinds' types, in problem.ts's table.
      for (const [, name] of text.matchAll(/type: '([a-z-]+)', title:/g)) used.add(name as string);
      for (const [, name] of text.matchAll(/\n\s+type: '([a-z-]+)',\n\s+title:/g)) used.add(name as string);
      // Domain errors that name a type of their own (readonly problemType = 'personal-data').
      for (const [, name] of text.matchAll(/problemType = '([a-z-]+)'/g)) used.add(name as string);
    }
    expect(used.size).toBeGreaterThan(10);
    for (const name of used) expect(PROBLEM_TYPES, `problem type ${name}`).toHaveProperty(name);
    // And none the code no longer answers with.
    expect(Object.keys(PROBLEM_TYPES).sort()).toEqual([...used].sort());
    expect(openApiDocument['x-problem-types']).toEqual(PROBLEM_TYPES);
  });
});

describe('the contract check the end-to-end tests use', () => {
  const receipt = {
    id: 'ABCD2345',
    reference: 'ABCD-2345',
    kind: 'complaint',
    projectId: 'general',
    status: 'received',
    receivedAt: '2030-01-02T10:00:00.000Z',
    acknowledgeBy: '2030-01-09',
    respondBy: '2030-01-23',
  };
  const answer = (status: number, body: unknown, contentType = 'application/json') => ({
    method: 'POST',
    path: '/feedback',
    status,
    contentType,
    body: JSON.stringify(body),
  });

  it('accepts a receipt as documented', () => {
    expect(contractViolations(answer(201, receipt))).toEqual([]);
  });

  it('refuses a receipt carrying anything more (such as the family’s message) or missing a date', () => {
    expect(contractViolations(answer(201, { ...receipt, message: 'private' }))).not.toEqual([]);
    const { respondBy: _missing, ...partial } = receipt;
    expect(contractViolations(answer(201, partial))).not.toEqual([]);
    expect(contractViolations(answer(201, { ...receipt, acknowledgeBy: 'soon' }))).not.toEqual([]);
  });

  it('refuses an undocumented status, content type or problem type', () => {
    expect(contractViolations(answer(418, {}))).not.toEqual([]);
    expect(contractViolations(answer(201, receipt, 'text/plain'))).not.toEqual([]);
    const problem = { title: 'x', status: 404, detail: 'x', type: '/problems/not-found' };
    expect(
      contractViolations(answer(400, { ...problem, status: 400 }, 'application/problem+json')),
    ).not.toEqual([]);
    expect(
      contractViolations(
        answer(
          400,
          { ...problem, status: 400, type: '/problems/validation-error' },
          'application/problem+json',
        ),
      ),
    ).toEqual([]);
  });

  describe('the feeds and the report', () => {
    const config = { ...feedConfigFromEnv({}), smallCountThreshold: 5 };
    const view: PublicView = {
      id: 'k7qm92pdx4rt',
      projectId: 'general',
      projectTitle: 'General',
      title: 'School taxis',
      youSaid: 'Taxis were late.',
      weDid: 'Firms now tell families a week ahead.',
      status: 'planned',
      expectedBy: '2030-09-01',
      voices: { childrenAndYoungPeople: 0, parentsAndCarers: 7, professionals: 2, other: 0, events: 1 },
      publishedAt: '2030-01-02T10:00:00.000Z',
      modifiedAt: '2030-01-03T10:00:00.000Z',
    };
    const get = (path: string, status: number, contentType: string | null, body: string) => ({
      method: 'GET',
      path,
      status,
      contentType,
      body,
    });
    const feedJson = 'application/feed+json; charset=utf-8';

    it('accepts the JSON Feed the builder makes, and refuses one carrying anything more', () => {
      const feed = jsonFeed(config, [view], {}, 'next-cursor');
      expect(contractViolations(get('/feed', 200, feedJson, JSON.stringify(feed)))).toEqual([]);
      const [item] = feed.items;
      const leaky = { ...feed, items: [{ ...item, contact: { email: 'jo@example.com' } }] };
      expect(contractViolations(get('/feed', 200, feedJson, JSON.stringify(leaky)))).not.toEqual([]);
      // Served as plain JSON, it is not what the document promises.
      expect(contractViolations(get('/feed', 200, 'application/json', JSON.stringify(feed)))).not.toEqual([]);
    });

    it('accepts RSS as text, and a 304 only without a body', () => {
      const rss = rssFeed(config, [view], {});
      expect(contractViolations(get('/feed.xml', 200, 'application/rss+xml; charset=utf-8', rss))).toEqual(
        [],
      );
      expect(contractViolations(get('/feed.xml', 304, null, ''))).toEqual([]);
      expect(contractViolations(get('/feed', 304, null, ''))).toEqual([]);
      expect(contractViolations(get('/feed', 304, feedJson, '{}'))).not.toEqual([]);
    });

    it('accepts the annual report as JSON and as CSV', () => {
      const report = {
        year: 2030,
        smallCountThreshold: 5,
        updates: [
          {
            id: view.id,
            title: view.title,
            project: { id: 'general', title: 'General' },
            status: view.status,
            publishedAt: view.publishedAt,
            modifiedAt: view.modifiedAt,
            expectedBy: null,
            counts: publicCounts(view.voices, 5),
          },
        ],
        projects: [],
        scorecard: scorecardOf({
          from: '2030-01',
          to: '2030-12',
          rows: [{ projectId: 'general', month: '2030-02', counts: { 'started:complaint-1': 6 } }],
          titles: new Map([['general', 'General']]),
          threshold: 5,
        }),
      } satisfies AnnualReport;
      const path = '/officer/reports/annual';
      expect(contractViolations(get(path, 200, 'application/json', JSON.stringify(report)))).toEqual([]);
      expect(contractViolations(get(path, 200, 'text/csv; charset=utf-8', annualReportCsv(report)))).toEqual(
        [],
      );
      const counted = {
        ...report,
        updates: [{ ...report.updates[0], counts: { ...view.voices, other: 'a few' } }],
      };
      expect(contractViolations(get(path, 200, 'application/json', JSON.stringify(counted)))).not.toEqual([]);
    });
  });
});
