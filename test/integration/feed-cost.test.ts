import { BatchWriteCommand, DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NO_VOICES } from '../../shared/domain/public-counts';
import type { Update } from '../../shared/domain/update';
import { createUpdateRepository, updateRecord } from '../../shared/storage/update-repository';
import { createTestTable, type TestTable } from '../support/dynamo';
import { BASE_NOW } from '../support/you-said-we-did';

/**
 * A page's cost is that page: 5,000 published updates, and reading the first page, the fifth page
 * and a project's page each is one Query that reads at most a page and one more item.
 */
const TOTAL = 5_000;
const PROJECTS = ['send-transport', 'short-breaks', 'general', 'ehcp-reviews', 'preparing-for-adulthood'];

let table: TestTable;
interface Sent {
  command: string;
  index?: string;
  scanned: number;
  capacity: number;
}
let sent: Sent[] = [];
let counted: DynamoDBDocumentClient;

/** `i` in base 30, spelt in the update id alphabet, after a fixed prefix: unique and valid. */
function idOf(i: number): string {
  const alphabet = '23456789abcdefghjkmnpqrstvwxyz';
  let digits = '';
  for (let n = i, place = 0; place < 8; place++, n = Math.floor(n / 30)) digits = alphabet[n % 30] + digits;
  return `cstz${digits}`;
}

function seeded(i: number): Update {
  const at = new Date(BASE_NOW.getTime() - (TOTAL - i) * 60_000).toISOString();
  const actor = { sub: 'sub-sam', name: 'Sam Officer' };
  return {
    id: idOf(i),
    projectId: PROJECTS[i % PROJECTS.length] as string,
    projectTitle: 'A project',
    title: `Update ${i}`,
    youSaid: 'Families told us something that matters.',
    weDid: 'We changed how it works.',
    status: i % 2 ? 'done' : 'in_progress',
    feedbackIds: [],
    eventIds: [],
    voices: { ...NO_VOICES, parentsAndCarers: i % 9 },
    published: true,
    publishedAt: at,
    publishedBy: actor,
    modifiedAt: at,
    createdAt: at,
    createdBy: actor,
    updatedAt: at,
    updatedBy: actor,
    version: 2,
  };
}

beforeAll(async () => {
  table = await createTestTable({ stream: false });
  const records = Array.from({ length: TOTAL }, (_, i) => updateRecord(seeded(i)));
  const batches: (typeof records)[] = [];
  for (let i = 0; i < records.length; i += 25) batches.push(records.slice(i, i + 25));
  // Ten writers at a time: BatchWriteItem of the real records, no per-update transactions.
  for (let i = 0; i < batches.length; i += 10) {
    await Promise.all(
      batches.slice(i, i + 10).map(async (batch) => {
        let pending: Record<string, unknown>[] | undefined = batch.map((Item) => ({ PutRequest: { Item } }));
        while (pending?.length) {
          const result = await table.db.send(
            new BatchWriteCommand({ RequestItems: { [table.name]: pending as never } }),
          );
          pending = result.UnprocessedItems?.[table.name] as Record<string, unknown>[] | undefined;
        }
      }),
    );
  }
  // A client that records every request it sends and what it read.
  counted = DynamoDBDocumentClient.from(table.client);
  counted.middlewareStack.add(
    (next, context) => async (args) => {
      const input = args.input as { IndexName?: string; ReturnConsumedCapacity?: string };
      input.ReturnConsumedCapacity = 'TOTAL';
      const result = await next(args);
      const output = result.output as {
        ScannedCount?: number;
        ConsumedCapacity?: { CapacityUnits?: number };
      };
      sent.push({
        command: String(context.commandName),
        ...(input.IndexName ? { index: input.IndexName } : {}),
        scanned: output.ScannedCount ?? 0,
        capacity: output.ConsumedCapacity?.CapacityUnits ?? 0,
      });
      return result;
    },
    { step: 'initialize', name: 'countReads' },
  );
}, 240_000);

afterAll(async () => table.drop());

describe('the public feed over 5,000 published updates', () => {
  it('reads at most a page (and one more item) for the first page and the fifth, in one Query each', async () => {
    const feed = createUpdateRepository(counted, table.name);
    let cursor: string | undefined;
    const seen: string[] = [];
    for (let page = 1; page <= 5; page++) {
      sent = [];
      const result = await feed.feedPage({}, { limit: 20, ...(cursor ? { cursor } : {}) });
      expect(result.items).toHaveLength(20);
      seen.push(...result.items.map((item) => item.id));
      expect(sent.map((s) => s.command)).toEqual(['QueryCommand']);
      expect(sent[0]?.index).toBe('Feed');
      expect(sent[0]?.scanned).toBeLessThanOrEqual(25);
      cursor = result.cursor;
      expect(cursor).toBeDefined();
    }
    // Newest first, no repeats: page five ends at the 100th newest.
    expect(new Set(seen).size).toBe(100);
    expect(seen[0]).toBe(seeded(TOTAL - 1).id);
    expect(seen[99]).toBe(seeded(TOTAL - 100).id);
  });

  it('reads one project (and one status) with one Query of its own index, never the others', async () => {
    const feed = createUpdateRepository(counted, table.name);
    sent = [];
    const project = await feed.feedPage({ projectId: 'short-breaks' }, { limit: 20 });
    expect(project.items.every((item) => item.projectId === 'short-breaks')).toBe(true);
    expect(project.items).toHaveLength(20);
    expect(sent).toEqual([expect.objectContaining({ command: 'QueryCommand', index: 'FeedByProject' })]);
    expect(sent[0]?.scanned).toBeLessThanOrEqual(21);

    sent = [];
    const both = await feed.feedPage({ projectId: 'short-breaks', status: 'done' }, { limit: 100 });
    expect(both.items.every((item) => item.projectId === 'short-breaks' && item.status === 'done')).toBe(
      true,
    );
    expect(sent).toEqual([
      expect.objectContaining({ command: 'QueryCommand', index: 'FeedByProjectStatus' }),
    ]);
    expect(sent[0]?.scanned).toBeLessThanOrEqual(101);
  });
});
