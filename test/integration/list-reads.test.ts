import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_TIMEFRAMES } from '../../shared/config/default-projects';
import {
  FEEDBACK_STATUSES,
  type Feedback,
  type FeedbackStatus,
  isOverdue,
  nextDueAt,
} from '../../shared/domain/feedback';
import { FEEDBACK_KINDS, type FeedbackKind } from '../../shared/domain/project';
import { newReference } from '../../shared/domain/reference';
import { type FeedbackListQuery, listFeedback } from '../../shared/domain/triage-feedback';
import { createFeedbackRepository } from '../../shared/storage/feedback-repository';
import { TEST_NOW } from '../support/clock';
import { createTestTable, type TestTable } from '../support/dynamo';
import { countReads, type ReadCounter } from '../support/read-counter';

/**
 * "A list page reads a page": every combination of the officers' filters, paged to the end, reads
 * at most 2 × limit + 1 items per page (counted from DynamoDB's own ScannedCount), in one Query
 * (overdue across statuses: two, and a one-item probe), and returns exactly the matching items in deadline order.
 */
let table: TestTable;
let reads: ReadCounter;
// The clock every outcome is measured against; seeded deadlines are hours either side of it.
const now = TEST_NOW;
const hours = (n: number) => new Date(now.getTime() + n * 3_600_000).toISOString();
const PROJECTS = ['general', 'transport'];
const seeded: Feedback[] = [];

beforeAll(async () => {
  table = await createTestTable();
  reads = countReads(table.client);
  const repository = createFeedbackRepository(table.db, table.name);
  // 60 items: every project × kind × status, deadlines spread from 30 hours ago to 29 hours ahead.
  for (let n = 0; n < 60; n++) {
    const status = FEEDBACK_STATUSES[n % 4] as FeedbackStatus;
    const kind = FEEDBACK_KINDS[Math.floor(n / 4) % 3] as FeedbackKind;
    const reference = newReference();
    const base = {
      id: reference.replace('-', ''),
      reference,
      kind,
      projectId: PROJECTS[Math.floor(n / 12) % 2] as string,
      status,
      message: 'A family’s words, never in a list',
      submitterRole: 'parent_or_carer',
      channel: 'web',
      consentToContact: false,
      receivedAt: hours(-200),
      timeframe: DEFAULT_TIMEFRAMES[kind],
      acknowledgeBy: hours(((n * 7) % 60) - 30).slice(0, 10),
      acknowledgeDueAt: hours(((n * 7) % 60) - 30),
      respondBy: hours(((n * 11) % 60) - 29).slice(0, 10),
      respondDueAt: hours(((n * 11) % 60) - 29),
      version: 1,
    } satisfies Feedback;
    seeded.push(base);
    await repository.create(base);
  }
});
afterAll(async () => table.drop());

function expected(query: FeedbackListQuery): string[] {
  return seeded
    .filter(
      (item) =>
        (!query.status || item.status === query.status) &&
        (!query.kind || item.kind === query.kind) &&
        (!query.projectId || item.projectId === query.projectId) &&
        (!query.overdue || isOverdue(item, now)),
    )
    .map((item) => `${nextDueAt(item)}#${item.id}`)
    .sort()
    .map((key) => key.split('#')[1] as string);
}

const combinations: FeedbackListQuery[] = [undefined, ...FEEDBACK_STATUSES].flatMap((status) =>
  [undefined, ...FEEDBACK_KINDS].flatMap((kind) =>
    [undefined, 'transport'].flatMap((projectId) =>
      [false, true].map((overdue) => ({
        ...(status ? { status } : {}),
        ...(kind ? { kind } : {}),
        ...(projectId ? { projectId } : {}),
        overdue,
      })),
    ),
  ),
);

describe('officers’ feedback list on DynamoDB Local', () => {
  it.each([2, 7, 25])(
    'reads at most 2 × limit + 1 items and three Queries per page, for every filter combination (limit %i)',
    async (limit) => {
      const deps = { feedback: createFeedbackRepository(reads.db, table.name), now: () => now };
      expect(combinations).toHaveLength(80);
      for (const query of combinations) {
        const seen: string[] = [];
        let cursor: string | undefined;
        do {
          reads.reset();
          const page = await listFeedback(deps, query, { limit, ...(cursor ? { cursor } : {}) });
          expect(reads.scanned, JSON.stringify(query)).toBeLessThanOrEqual(2 * limit + 1);
          // Two partitions (overdue: received and acknowledged) and, at most, one single-item probe.
          expect(reads.queries, JSON.stringify(query)).toBeLessThanOrEqual(
            query.overdue && !query.status ? 3 : 1,
          );
          seen.push(...page.items.map((item) => item.id));
          cursor = page.cursor;
          if (cursor) expect(page.items).toHaveLength(limit);
        } while (cursor);
        expect(seen, JSON.stringify(query)).toEqual(expected(query));
      }
    },
    120_000,
  );

  it('reads one page of 50 with no filters in one Query of at most 51 items (was 12 Queries, 612 items)', async () => {
    const deps = { feedback: createFeedbackRepository(reads.db, table.name), now: () => now };
    reads.reset();
    const page = await listFeedback(deps, {}, { limit: 50 });
    expect(page.items).toHaveLength(50);
    expect(reads.queries).toBe(1);
    expect(reads.scanned).toBe(51);
    expect(page.cursor).toBeDefined();
  });
});
