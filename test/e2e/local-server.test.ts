import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROUTES } from '../../shared/http/routes';
import { createTestTable, type TestTable } from '../support/dynamo';
import { startLocalServer } from '../support/local-server';
import { contractFetch, openApiDocument } from '../support/openapi-contract';

let table: TestTable;
let server: Awaited<ReturnType<typeof startLocalServer>>;
let base: string;

beforeAll(async () => {
  table = await createTestTable();
  // The handler modules read this when they first load, as a Lambda reads its environment.
  process.env.TABLE_NAME = table.name;
  server = await startLocalServer({ allowedOrigins: ['https://localoffer.example.gov.uk'] });
  base = server.base;
});

afterAll(async () => {
  await server.close();
  await table.drop();
});

const json = (body: unknown, headers: Record<string, string> = {}) => ({
  method: 'POST',
  headers: { 'content-type': 'application/json', ...headers },
  body: JSON.stringify(body),
});

const complaint = {
  kind: 'complaint',
  message: 'Nobody replied to my email about the annual review 😞',
  submitterRole: 'parent_or_carer',
  contact: { name: 'Alex Carer', email: 'alex.carer@example.com' },
  consentToContact: true,
};

// Every answer below goes through contractFetch: it must match openapi.json (status, content type,
// body), or the test fails. CORS preflights are API Gateway's own answer, not in the document.
describe('the local server, as the Local Offer site calls it', () => {
  it('GET /openapi.json serves the committed OpenAPI 3.1 document, describing every route', async () => {
    const response = await contractFetch(`${base}/openapi.json`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/json');
    const served = (await response.json()) as { openapi: string; paths: Record<string, unknown> };
    expect(served).toEqual(openApiDocument);
    expect(served.openapi).toMatch(/^3\.1\./);
    for (const route of ROUTES) {
      expect(served.paths[route.path], route.path).toHaveProperty(route.method.toLowerCase());
    }
  });

  it('GET /health answers 200', async () => {
    const response = await contractFetch(`${base}/health`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok' });
  });

  it('GET /health?ready=true answers 200 ready once the table answers', async () => {
    const response = await contractFetch(`${base}/health?ready=true`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ready' });
  });

  it('GET /projects lists the general project with its timeframes', async () => {
    const response = await contractFetch(`${base}/projects`);
    expect(response.status).toBe(200);
    const { projects } = (await response.json()) as { projects: Record<string, unknown>[] };
    expect(projects).toContainEqual(
      expect.objectContaining({
        id: 'general',
        timeframes: {
          complaint: { acknowledgeWorkingDays: 5, respondWorkingDays: 15 },
          feedback: { acknowledgeWorkingDays: 5, respondWorkingDays: 20 },
          compliment: { acknowledgeWorkingDays: 5, respondWorkingDays: 10 },
        },
      }),
    );
    for (const project of projects) expect(Object.keys(project)).not.toContain('alertTeam');
  });

  it('POST /feedback stores the feedback and answers 201 with a receipt that holds no personal data', async () => {
    const response = await contractFetch(`${base}/feedback`, json(complaint));
    expect(response.status).toBe(201);
    const receipt = (await response.json()) as Record<string, string>;
    expect(receipt).toMatchObject({ kind: 'complaint', projectId: 'general', status: 'received' });
    expect(receipt.acknowledgeBy).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(JSON.stringify(receipt)).not.toMatch(/Alex|alex\.carer|annual review/);
    const stored = (await table.allItems()).find((item) => item.id === receipt.id);
    expect(stored?.message).toBe(complaint.message);
  });

  it('answers bad input with problem+json, never a 5xx', async () => {
    const cases: [RequestInit, number][] = [
      [json({ kind: 'complaint' }), 400],
      [{ method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"kind":' }, 400],
      [{ method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'hello' }, 415],
      [json({ ...complaint, message: 'x'.repeat(40_000) }), 413],
      [json({ ...complaint, projectId: 'nope' }), 422],
    ];
    for (const [init, status] of cases) {
      const response = await contractFetch(`${base}/feedback`, init);
      expect(response.status).toBe(status);
      expect(response.headers.get('content-type')).toBe('application/problem+json');
      expect(response.headers.get('x-correlation-id')).toBeTruthy();
    }
  });

  it('answers an unknown route with 404 and a wrong method with 405 and Allow', async () => {
    const missing = await contractFetch(`${base}/nothing-here`);
    expect(missing.status).toBe(404);
    expect(missing.headers.get('content-type')).toBe('application/problem+json');

    const wrongMethod = await contractFetch(`${base}/feedback`, { method: 'GET' });
    expect(wrongMethod.status).toBe(405);
    expect(wrongMethod.headers.get('allow')).toBe('POST');
    expect(((await wrongMethod.json()) as { status: number }).status).toBe(405);
  });

  it('routes every entry of the route table to a handler (none falls through to 404)', async () => {
    for (const route of ROUTES) {
      const response = await contractFetch(`${base}${route.path}`, {
        method: route.method,
        ...(route.method === 'GET' ? {} : { headers: { 'content-type': 'application/json' }, body: '{}' }),
      });
      expect(response.status, `${route.method} ${route.path}`).not.toBe(404);
      expect(response.status).toBeLessThan(500);
    }
  });

  it('answers a CORS preflight from an allowed origin, and ignores others', async () => {
    const preflight = (origin: string) =>
      fetch(`${base}/feedback`, {
        method: 'OPTIONS',
        headers: {
          origin,
          'access-control-request-method': 'POST',
          'access-control-request-headers': 'content-type',
        },
      });
    const allowed = await preflight('https://localoffer.example.gov.uk');
    expect(allowed.status).toBe(204);
    expect(allowed.headers.get('access-control-allow-origin')).toBe('https://localoffer.example.gov.uk');
    expect(allowed.headers.get('access-control-allow-headers')).toContain('idempotency-key');

    const other = await preflight('https://evil.example');
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('makes retries with the same Idempotency-Key safe over HTTP', async () => {
    const key = crypto.randomUUID();
    const first = await contractFetch(`${base}/feedback`, json(complaint, { 'idempotency-key': key }));
    const second = await contractFetch(`${base}/feedback`, json(complaint, { 'idempotency-key': key }));
    expect(second.status).toBe(201);
    expect(await second.json()).toEqual(await first.json());
  });
});
