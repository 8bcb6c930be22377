import { TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeHandler } from '../../functions/get-scorecard/handler';
import { londonDateOf } from '../../shared/domain/london-time';
import type { MonthCounts } from '../../shared/scorecard/counters';
import { monthsBefore } from '../../shared/scorecard/figures';
import { createProjectRepository } from '../../shared/storage/project-repository';
import { createScorecardRepository, scorecardAdditions } from '../../shared/storage/scorecard-repository';
import { TEST_NOW } from '../support/clock';
import { createTestTable, type TestTable } from '../support/dynamo';
import { countReads } from '../support/read-counter';
import { invokeRaw } from '../support/you-said-we-did';

/** GET /scorecard through its middy chain, on counters stored in DynamoDB Local. */
let table: TestTable;
const thisMonth = londonDateOf(TEST_NOW).slice(0, 7);
const lastMonth = monthsBefore(thisMonth, 1);
const longAgo = monthsBefore(thisMonth, 30);

beforeAll(async () => {
  table = await createTestTable();
  // Counters as the projector writes them, for two projects over three months.
  const rows: MonthCounts[] = [
    { projectId: 'general', month: thisMonth, counts: { 'started:feedback': 7, 'ackOnTime:feedback': 6 } },
    { projectId: 'general', month: lastMonth, counts: { 'started:complaint-1': 3, 'satisfaction:5': 12 } },
    { projectId: 'short-breaks', month: thisMonth, counts: { 'started:feedback': 2 } },
    { projectId: 'general', month: longAgo, counts: { 'started:feedback': 40 } },
  ];
  await table.db.send(new TransactWriteCommand({ TransactItems: scorecardAdditions(table.name, rows) }));
});
afterAll(async () => table.drop());

function handler(db = table.db) {
  return makeHandler({
    scorecard: createScorecardRepository(db, table.name),
    projects: createProjectRepository(table.db, table.name, { cacheTtlMs: 0 }),
    smallCountThreshold: 5,
    now: () => TEST_NOW,
  });
}
const get = (query: Record<string, string> = {}, headers: Record<string, string> = {}, h = handler()) =>
  invokeRaw(h, { method: 'GET', path: '/scorecard', query, headers });

describe('GET /scorecard', () => {
  it('answers the last 12 London months for anyone: JSON, CORS *, a strong ETag and a five-minute cache', async () => {
    const response = await get();
    expect(response.status).toBe(200);
    expect(response.headers).toMatchObject({
      'content-type': 'application/json; charset=utf-8',
      'access-control-allow-origin': '*',
      'cache-control': 'public, max-age=300, stale-while-revalidate=86400',
    });
    expect(response.headers.etag).toMatch(/^"[\w-]{32}"$/);
    const body = JSON.parse(response.text);
    expect(body).toMatchObject({ from: monthsBefore(thisMonth, 11), to: thisMonth, projectId: null });
    expect(body.months).toHaveLength(12);
    expect(body.months.at(-1)).toMatchObject({ month: thisMonth, received: { feedback: 5 } });
    expect(body.months.at(-2).satisfaction).toMatchObject({ responses: 10, byScore: { '5': 10 } });
    expect(body.projects.map((p: { project: { id: string } }) => p.project)).toEqual([
      { id: 'general', title: 'General feedback about SEND services' },
      { id: 'short-breaks', title: 'short-breaks' },
    ]);
    // 2 and 7 this month: 9, shown as the bottom of its band; 30 months ago is outside.
    expect(body.total.received).toEqual({ feedback: 5, compliment: 0, complaint: 'fewer than 5' });

    const again = await get({}, { 'if-none-match': String(response.headers.etag) });
    expect(again.status).toBe(304);
    expect(again.text).toBe('');
    expect(again.headers.etag).toBe(response.headers.etag);
  });

  it('answers one project over chosen months by one Query of that project’s months', async () => {
    const reads = countReads(table.client);
    const response = await get({ projectId: 'general', from: longAgo, to: thisMonth }, {}, handler(reads.db));
    expect(response.status).toBe(200);
    const body = JSON.parse(response.text);
    expect(body.months).toHaveLength(31);
    expect(body.total.received.feedback).toBe(45);
    expect(body.projects).toHaveLength(1);
    // Three months of general hold counts: three items read, in one Query; the other is the
    // projects' titles (none saved in this table: the checked-in defaults).
    expect(reads.queries).toBe(2);
    expect(reads.scanned).toBe(3);
  });

  it('answers CSV for a spreadsheet, as a download with its own ETag', async () => {
    const json = await get({ projectId: 'general' });
    const csv = await get({ projectId: 'general', format: 'csv' });
    expect(csv.status).toBe(200);
    expect(csv.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(csv.headers['content-disposition']).toBe(
      `attachment; filename="scorecard-general-${monthsBefore(thisMonth, 11)}-to-${thisMonth}.csv"`,
    );
    expect(csv.headers.etag).not.toBe(json.headers.etag);
    const lines = csv.text.split('\r\n');
    expect(lines[0]).toMatch(/^section,month,project_id,project_title,feedback_received,/);
    expect(lines.filter((line) => line.startsWith('month,'))).toHaveLength(12);
    expect(csv.text).toContain('fewer than 5');
    expect(
      (await get({ projectId: 'general', format: 'csv' }, { 'if-none-match': String(csv.headers.etag) }))
        .status,
    ).toBe(304);
  });

  it('refuses bad filters with 400 naming each, CORS included; ignores parameters it does not know', async () => {
    const response = await get({ projectId: 'NOT_A_SLUG', from: '2026-13', to: 'soon', format: 'pdf' });
    expect(response.status).toBe(400);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.headers['access-control-allow-origin']).toBe('*');
    const problem = JSON.parse(response.text);
    expect(problem.errors.map((e: { path: string }) => e.path)).toEqual([
      'projectId',
      'from',
      'to',
      'format',
    ]);
    const unknown = await get({ projectId: 'no-such-project' });
    expect(unknown.status).toBe(400);
    expect(JSON.parse(unknown.text).errors).toEqual([
      { path: 'projectId', message: "No project has the id 'no-such-project'" },
    ]);
    expect((await get({ utm_source: 'newsletter' })).status).toBe(200);
  });
});
