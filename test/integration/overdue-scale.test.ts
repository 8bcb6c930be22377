import { BatchWriteCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, londonDateOf } from '../../shared/domain/london-time';
import type { AlertSender } from '../../shared/domain/sweep-overdue';
import { deadlineAfter } from '../../shared/domain/working-days';
import { createSweepStore } from '../../shared/storage/alert-repository';
import { feedbackKey, openByDeadlineKey } from '../../shared/storage/keys';
import { createTestTable, type TestTable } from '../support/dynamo';
import { addMs, BASE_NOW, DAY_MS, sweepAt } from '../support/sweep';

/**
 * Cost follows the alerts, not the backlog: 50,000 open items, 2,000 of them overdue and already
 * alerted (no reminder due), 100 newly overdue. One sweep reads at most 150 index items and
 * publishes exactly 100 alerts. The figures printed here are the docs' (docs/developers.md, docs/operators.md).
 */
const OPEN = 50_000;
const ALERTED = 2_000;
const NEWLY_OVERDUE = 100;

let table: TestTable;
beforeAll(async () => {
  table = await createTestTable({ stream: false });
});
afterAll(async () => table.drop());

/** An id in the reference alphabet, unique per n. */
function idOf(n: number): string {
  const alphabet = '23456789ABCDEFGHJKMNPQRSTVWXYZ';
  let id = '';
  for (let i = 0, rest = n; i < 8; i++, rest = Math.floor(rest / alphabet.length))
    id += alphabet[rest % alphabet.length];
  return id;
}

/** A stored feedback record, as the repository writes it, with only what the sweep's index needs. */
function record(n: number, receivedAt: Date, progress: Record<string, unknown> = {}) {
  const id = idOf(n);
  const acknowledge = deadlineAfter(receivedAt, 5);
  const respond = deadlineAfter(receivedAt, 20);
  const attention = (progress.nextAlertAt as string | undefined) ?? acknowledge.dueAt;
  return {
    ...feedbackKey(id),
    entity: 'FEEDBACK',
    id,
    reference: `${id.slice(0, 4)}-${id.slice(4)}`,
    kind: 'feedback',
    projectId: 'general',
    status: 'received',
    receivedAt: receivedAt.toISOString(),
    acknowledgeBy: acknowledge.date,
    acknowledgeDueAt: acknowledge.dueAt,
    respondBy: respond.date,
    respondDueAt: respond.dueAt,
    version: 1,
    ...progress,
    ...openByDeadlineKey(id, 'FEEDBACK', attention),
  };
}

async function seed(items: Record<string, unknown>[]) {
  const batches: Record<string, unknown>[][] = [];
  for (let i = 0; i < items.length; i += 25) batches.push(items.slice(i, i + 25));
  // Parallel BatchWriteItem; unprocessed items (DynamoDB Local rarely returns any) are sent again.
  const worker = async () => {
    for (let batch = batches.shift(); batch; batch = batches.shift()) {
      let requests = batch.map((Item) => ({ PutRequest: { Item } }));
      while (requests.length) {
        const { UnprocessedItems } = await table.db.send(
          new BatchWriteCommand({ RequestItems: { [table.name]: requests } }),
        );
        requests = (UnprocessedItems?.[table.name] ?? []) as typeof requests;
      }
    }
  };
  await Promise.all(Array.from({ length: Number(process.env.SEED_WORKERS ?? 8) }, worker));
}

describe('a council with a large backlog', () => {
  it('reads only the items that need an alert now, and sends exactly those', {
    timeout: 120_000,
  }, async () => {
    const now = BASE_NOW;
    // Not yet due: received today, deadlines a week or more ahead. The sweep never reads these, so
    // they carry only their keys (smaller items seed faster; what they hold cannot matter).
    const dueLater = deadlineAfter(now, 5).dueAt;
    const fresh = Array.from({ length: OPEN - ALERTED - NEWLY_OVERDUE }, (_, n) => ({
      ...feedbackKey(idOf(n)),
      entity: 'FEEDBACK',
      ...openByDeadlineKey(idOf(n), 'FEEDBACK', dueLater),
    }));
    // Overdue for months and already alerted: next reminder in the future.
    const alerted = Array.from({ length: ALERTED }, (_, n) => {
      const receivedAt = addMs(now, -(60 + (n % 60)) * DAY_MS);
      const item = record(OPEN + n, receivedAt);
      const nextAlertAt = `${addDays(londonDateOf(now), 2 + (n % 5))}T00:00:00.000Z`;
      return record(OPEN + n, receivedAt, {
        alertSeries: `acknowledge#${item.acknowledgeDueAt}`,
        alertsSent: 1 + (n % 4),
        lastAlertAt: addMs(now, -DAY_MS).toISOString(),
        nextAlertAt,
      });
    });
    // Newly overdue: received three weeks ago, never alerted.
    const newlyOverdue = Array.from({ length: NEWLY_OVERDUE }, (_, n) =>
      record(2 * OPEN + n, addMs(now, -21 * DAY_MS - n * 60_000)),
    );
    const started = performance.now();
    await seed([...fresh, ...alerted, ...newlyOverdue]);
    const seededMs = performance.now() - started;

    const reads: { items: number; capacityUnits: number }[] = [];
    const sent: string[] = [];
    const sender: AlertSender = {
      async send(message) {
        sent.push(message.attributes.alertId);
        return { messageId: `m-${sent.length}` };
      },
    };
    const sweepStarted = performance.now();
    const report = await sweepAt(table, now, sender, {
      store: createSweepStore(table.db, table.name, { onRead: (read) => reads.push(read) }),
    });
    const sweepMs = performance.now() - sweepStarted;

    const itemsRead = reads.reduce((sum, read) => sum + read.items, 0);
    const capacity = reads.reduce((sum, read) => sum + read.capacityUnits, 0);
    expect(itemsRead).toBeLessThanOrEqual(150);
    expect(report.read).toBe(itemsRead);
    expect(report.sent).toHaveLength(NEWLY_OVERDUE);
    expect(new Set(sent).size).toBe(NEWLY_OVERDUE);
    expect(sent.every((alertId) => newlyOverdue.some((item) => alertId.startsWith(`${item.id}.`)))).toBe(
      true,
    );

    // And the next sweep, a quarter of an hour later, reads nothing and sends nothing.
    const next = await sweepAt(table, addMs(now, 15 * 60_000), sender);
    expect(next.read).toBe(0);
    expect(next.sent).toEqual([]);
    console.log(
      `scale: ${OPEN} open items seeded in ${(seededMs / 1000).toFixed(1)} s; one sweep read ${itemsRead} index items (${capacity} read capacity units reported by DynamoDB Local), sent ${report.sent.length} alerts in ${(sweepMs / 1000).toFixed(1)} s; the next sweep read ${next.read}`,
    );
  });
});
