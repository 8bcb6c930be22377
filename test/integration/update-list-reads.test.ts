import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listUpdates, type UpdateSummary } from '../../shared/domain/manage-updates';
import { NO_VOICES } from '../../shared/domain/public-counts';
import { UPDATE_STATUSES, type Update, type UpdateStatus } from '../../shared/domain/update';
import { createUpdateRepository, updateRecord } from '../../shared/storage/update-repository';
import { createTestTable, type TestTable } from '../support/dynamo';
import { countReads, type ReadCounter } from '../support/read-counter';
import { BASE_NOW } from '../support/you-said-we-did';

/**
 * "A list page reads a page", for officers' updates list: every combination of its filters
 * (project, status, published), paged to the end, is one Query per page reading at most
 * 2 × limit + 1 items (counted from DynamoDB's own ScannedCount; in fact limit + 1), and returns
 * exactly the matching updates, newest change first, as the list showed them before.
 */
let table: TestTable;
let reads: ReadCounter;
const PROJECTS = ['general', 'transport'];
const seeded: Update[] = [];

/** `i` spelt in the update id alphabet after a fixed prefix: unique and valid. */
function idOf(i: number): string {
  const alphabet = '23456789abcdefghjkmnpqrstvwxyz';
  return `list${alphabet[Math.floor(i / 30) % 30]}${alphabet[i % 30]}234567`;
}

beforeAll(async () => {
  table = await createTestTable();
  reads = countReads(table.client);
  const actor = { sub: 'sub-sam', name: 'Sam Officer' };
  // 64 updates: every project × status × published state, four times; changes spread over days
  // before "now", two sharing an instant (so the id breaks the tie).
  for (let n = 0; n < 64; n++) {
    const published = n % 2 === 0;
    // Hours ago, in a shuffled order (37 is prime to 64); the last shares the first's instant.
    const at = new Date(BASE_NOW.getTime() - (((n % 63) * 37) % 64) * 3_600_000).toISOString();
    const update: Update = {
      id: idOf(n),
      projectId: PROJECTS[Math.floor(n / 8) % 2] as string,
      projectTitle: 'A project',
      title: `Update ${n}`,
      youSaid: 'Families told us something that matters.',
      weDid: 'We changed how it works.',
      status: UPDATE_STATUSES[Math.floor(n / 2) % 4] as UpdateStatus,
      ...(UPDATE_STATUSES[Math.floor(n / 2) % 4] === 'not_possible'
        ? { reason: 'No budget this year.' }
        : {}),
      feedbackIds: [],
      eventIds: [],
      voices: { ...NO_VOICES },
      published,
      ...(published ? { publishedAt: at, publishedBy: actor, modifiedAt: at } : {}),
      createdAt: at,
      createdBy: actor,
      updatedAt: at,
      updatedBy: actor,
      version: published ? 2 : 1,
    };
    seeded.push(update);
    await table.db.send(new PutCommand({ TableName: table.name, Item: updateRecord(update) }));
  }
  // Two updates changed at the same instant: the greater id comes first.
  expect(new Set(seeded.map((update) => update.updatedAt)).size).toBe(seeded.length - 1);
});
afterAll(async () => table.drop());

type Filters = Parameters<typeof listUpdates>[1];

function expected(filters: Filters): UpdateSummary[] {
  return seeded
    .filter(
      (update) =>
        (!filters.status || update.status === filters.status) &&
        (!filters.projectId || update.projectId === filters.projectId) &&
        (!filters.published || String(update.published) === filters.published),
    )
    .sort((a, b) => (`${a.updatedAt}#${a.id}` < `${b.updatedAt}#${b.id}` ? 1 : -1))
    .map(({ id, projectId, title, status, published, publishedAt, modifiedAt, updatedAt, version }) => ({
      id,
      projectId,
      title,
      status,
      published,
      ...(publishedAt ? { publishedAt } : {}),
      ...(modifiedAt ? { modifiedAt } : {}),
      updatedAt,
      version,
    }));
}

const combinations: Filters[] = [undefined, ...UPDATE_STATUSES].flatMap((status) =>
  [undefined, 'true' as const, 'false' as const].flatMap((published) =>
    [undefined, 'transport'].map((projectId) => ({
      ...(status ? { status } : {}),
      ...(published ? { published } : {}),
      ...(projectId ? { projectId } : {}),
    })),
  ),
);

describe('officers’ updates list on DynamoDB Local', () => {
  it.each([2, 7, 25])(
    'reads at most 2 × limit + 1 items in one Query per page, for every filter combination (limit %i)',
    async (limit) => {
      const deps = { updates: createUpdateRepository(reads.db, table.name) };
      expect(combinations).toHaveLength(30);
      for (const filters of combinations) {
        const seen: UpdateSummary[] = [];
        let cursor: string | undefined;
        do {
          reads.reset();
          const page = await listUpdates(deps, filters, { limit, ...(cursor ? { cursor } : {}) });
          expect(reads.scanned, JSON.stringify(filters)).toBeLessThanOrEqual(2 * limit + 1);
          expect(reads.queries, JSON.stringify(filters)).toBe(1);
          seen.push(...page.items);
          cursor = page.cursor;
          if (cursor) expect(page.items).toHaveLength(limit);
        } while (cursor);
        expect(seen, JSON.stringify(filters)).toEqual(expected(filters));
      }
    },
    120_000,
  );

  it('reads one page of 20 with no filters in one Query of 21 items (was 8 Queries of 21)', async () => {
    const deps = { updates: createUpdateRepository(reads.db, table.name) };
    reads.reset();
    const page = await listUpdates(deps, {}, { limit: 20 });
    expect(page.items).toHaveLength(20);
    expect(reads.queries).toBe(1);
    expect(reads.scanned).toBe(21);
    expect(page.cursor).toBeDefined();
  });

  it('moves an update between partitions when it is published: listed once, under its new state', async () => {
    const repository = createUpdateRepository(table.db, table.name);
    const draft = seeded.find((update) => !update.published && update.projectId === 'transport') as Update;
    const at = new Date(BASE_NOW.getTime() + 60_000).toISOString();
    const published: Update = { ...draft, published: true, publishedAt: at, modifiedAt: at, updatedAt: at };
    await table.db.send(new PutCommand({ TableName: table.name, Item: updateRecord(published) }));
    try {
      const ids = async (filters: Filters) =>
        (await listUpdates({ updates: repository }, filters, { limit: 100 })).items.map((item) => item.id);
      for (const filters of [{}, { projectId: 'transport' }, { status: draft.status }]) {
        expect((await ids(filters)).filter((id) => id === draft.id)).toHaveLength(1);
        expect((await ids(filters))[0]).toBe(draft.id);
      }
      expect(await ids({ published: 'false', projectId: 'transport' })).not.toContain(draft.id);
      expect((await ids({ published: 'true', projectId: 'transport', status: draft.status }))[0]).toBe(
        draft.id,
      );
    } finally {
      await table.db.send(new PutCommand({ TableName: table.name, Item: updateRecord(draft) }));
    }
  });
});
