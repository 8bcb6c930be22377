import { DeleteCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import fc from 'fast-check';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { makeHandler } from '../../functions/project-stream/handler';
import { createUpdate, publishUpdate, unpublishUpdate } from '../../shared/domain/manage-updates';
import type { EventMarkers, ProjectorDeps } from '../../shared/events/project-stream';
import { PROJECTIONS } from '../../shared/events/registry';
import { rebuildScorecard } from '../../shared/scorecard/rebuild';
import { createEventMarkerStore } from '../../shared/storage/event-marker-repository';
import { createFeedbackRepository } from '../../shared/storage/feedback-repository';
import {
  createScorecardRepository,
  type ScorecardStore,
  scorecardAdditions,
} from '../../shared/storage/scorecard-repository';
import { DAY_MS, TEST_NOW } from '../support/clock';
import { createTestTable, type TestTable } from '../support/dynamo';
import { life, walk } from '../support/scorecard-walks';
import { from, lambdaBatch, streamOf } from '../support/stream';
import { updateDeps } from '../support/you-said-we-did';

/**
 * The scorecard on DynamoDB Local's real stream: lives of feedback and updates (fast-check)
 * written through the repositories and domain functions, their stream records given to the
 * projector as Lambda would (in batches, crashed mid-batch, redelivered), then the live counters
 * held to a rebuild from the table: equal, every time.
 */
let table: TestTable;
let stream: ReturnType<typeof streamOf>;
let store: ScorecardStore;
const sam = { sub: 'sub-sam', name: 'Sam Officer' };

const projector = (markers?: EventMarkers): ProjectorDeps => ({
  markers: markers ?? createEventMarkerStore(table.db, table.name),
  projections: PROJECTIONS,
  reactions: [],
  tableName: table.name,
  now: () => TEST_NOW,
  log: () => undefined,
});

/** The real marker store, until `after` claims have been made: then every claim hangs, as in a crash. */
function crashingAfter(after: number) {
  const real = createEventMarkerStore(table.db, table.name);
  let claims = 0;
  let crashed: () => void = () => undefined;
  const reached = new Promise<void>((resolve) => {
    crashed = resolve;
  });
  const markers: EventMarkers = {
    claim: (request) => {
      if (claims++ < after) return real.claim(request);
      crashed();
      return new Promise(() => undefined);
    },
    done: (id, reaction) => real.done(id, reaction),
  };
  return { markers, reached };
}

async function expectLiveEqualsRebuild() {
  const report = await rebuildScorecard(store);
  expect(report.differences).toEqual([]);
  return report;
}

beforeAll(async () => {
  table = await createTestTable();
  stream = streamOf(table);
  store = createScorecardRepository(table.db, table.name);
});
afterAll(async () => {
  stream.destroy();
  await table.drop();
});
beforeEach(async () => {
  await stream.newRecords();
});

const updateStep = fc.constantFrom('publish', 'unpublish', 'publish-again' as const);

describe('the scorecard from the real stream', () => {
  it('equals a rebuild from the table after any lives, however the records come: in batches, crashed mid-batch, redelivered', async () => {
    const feedback = createFeedbackRepository(table.db, table.name);
    let published = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(life, { minLength: 1, maxLength: 4 }),
        fc.array(updateStep, { maxLength: 3 }),
        fc.integer({ min: 1, max: 7 }),
        fc.nat(),
        async (lives, updateSteps, batchSize, crashAt) => {
          // Prepare: what the handlers would write, item by item.
          for (const one of lives) {
            const { received, changes } = walk(one, TEST_NOW);
            await feedback.create(received);
            for (const change of changes) await feedback.update(change, change.feedback.version - 1);
          }
          let clock = TEST_NOW.getTime() - 50 * DAY_MS;
          const deps = updateDeps(table, () => new Date(clock));
          let update = await createUpdate(
            deps,
            {
              projectId: 'general',
              title: 'Quieter rooms',
              youSaid: 'Loud.',
              weDid: 'Quieter.',
              status: 'done',
              feedbackIds: [],
              eventIds: [],
            },
            sam,
          );
          for (const step of updateSteps) {
            clock += 20 * DAY_MS;
            if (!update.published) update = await publishUpdate(deps, update.id, update.version, sam);
            else if (step === 'unpublish')
              update = await unpublishUpdate(deps, update.id, update.version, sam);
          }
          if (update.published) published++;
          const batch = lambdaBatch(await stream.newRecords());

          // Act: a crash part-way through the first batch, then Lambda's retries and the rest.
          const crash = crashingAfter(crashAt % 8);
          const first = batch.Records.slice(0, batchSize);
          // Either it stops at the crash, or the batch had fewer events than that and it finished.
          await Promise.race([crash.reached, makeHandler(projector(crash.markers))({ Records: first })]);
          for (let start = 0; start < batch.Records.length; start += batchSize) {
            const records = batch.Records.slice(start, start + batchSize);
            expect(await makeHandler(projector())({ Records: records })).toEqual({ batchItemFailures: [] });
          }
          // Redelivered whole: nothing moves twice.
          expect(await makeHandler(projector())(batch)).toEqual({ batchItemFailures: [] });

          // Assess
          await expectLiveEqualsRebuild();
        },
      ),
      { numRuns: 5 },
    );
    // Something was counted: at least the lives' receipts and the published updates.
    const report = await expectLiveEqualsRebuild();
    expect(report.monthsRebuilt).toBeGreaterThan(0);
    const all = await store.everyMonth('all');
    const total = (name: string) => all.reduce((sum, row) => sum + (row.counts[name] ?? 0), 0);
    expect(total('updatesPublished')).toBe(published);
    expect(
      ['feedback', 'compliment', 'complaint-1'].reduce((sum, group) => sum + total(`started:${group}`), 0),
    ).toBeGreaterThan(0);
  });

  it('resumes from a record that failed, and counts it once', async () => {
    const feedback = createFeedbackRepository(table.db, table.name);
    const one = walk(
      {
        kind: 'complaint',
        satisfaction: 1,
        procedure: 'corporate',
        projectId: 'general',
        receivedHoursBefore: 24 * 30,
        steps: [
          { do: 'acknowledge', afterHours: 2 },
          { do: 'respond', afterHours: 24 * 30, outcome: 'upheld' },
          { do: 'escalate', afterHours: 24 },
        ],
      },
      TEST_NOW,
    );
    await feedback.create(one.received);
    for (const change of one.changes) await feedback.update(change, change.feedback.version - 1);
    const batch = lambdaBatch(await stream.newRecords());
    expect(batch.Records).toHaveLength(4);
    // The third record's claim fails (DynamoDB refused it): the answer names it.
    const real = createEventMarkerStore(table.db, table.name);
    let claims = 0;
    const failing: EventMarkers = {
      claim: (request) => (claims++ === 2 ? Promise.reject(new Error('throttled')) : real.claim(request)),
      done: real.done,
    };
    const response = await makeHandler(projector(failing))(batch);
    const third = String(batch.Records[2]?.dynamodb?.SequenceNumber);
    expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: third }] });
    expect(await makeHandler(projector())({ Records: from(batch.Records, third) })).toEqual({
      batchItemFailures: [],
    });
    await expectLiveEqualsRebuild();
    const month = await store.months({
      projectId: 'general',
      from: '2000-01',
      to: '2200-12',
    });
    const counted = (name: string) => month.reduce((sum, row) => sum + (row.counts[name] ?? 0), 0);
    expect(counted('answerLate:complaint-1')).toBeGreaterThanOrEqual(1);
    expect(counted('started:complaint-2')).toBeGreaterThanOrEqual(1);
  });
});

describe('a change that moves a count without an event', () => {
  it('stops the projector at its record when the item is still there (a gap in the derivers), and lets a deletion pass with a warning', async () => {
    const feedback = createFeedbackRepository(table.db, table.name);
    const { received } = walk(
      {
        kind: 'feedback',
        satisfaction: 2,
        procedure: 'corporate',
        projectId: 'general',
        receivedHoursBefore: 1,
        steps: [],
      },
      TEST_NOW,
    );
    await feedback.create(received);
    await makeHandler(projector())(lambdaBatch(await stream.newRecords()));
    // Nothing the service does changes a score without an event; written by hand, it has none.
    await table.db.send(
      new UpdateCommand({
        TableName: table.name,
        Key: { PK: `FEEDBACK#${received.id}`, SK: 'META' },
        UpdateExpression: 'SET satisfaction = :five',
        ExpressionAttributeValues: { ':five': 5 },
      }),
    );
    const changed = lambdaBatch(await stream.newRecords());
    const warnings: string[] = [];
    const deps = {
      ...projector(),
      log: (message: string, details: Record<string, unknown>) =>
        warnings.push(`${message} ${JSON.stringify(details)}`),
    };
    expect(await makeHandler(deps)(changed)).toEqual({
      batchItemFailures: [{ itemIdentifier: changed.Records[0]?.dynamodb?.SequenceNumber }],
    });
    expect(warnings.join('\n')).toContain('UncountedChangeError');
    // Deleted: its counts cannot be taken off once-only, so the projector says so and goes on.
    await table.db.send(
      new DeleteCommand({ TableName: table.name, Key: { PK: `FEEDBACK#${received.id}`, SK: 'META' } }),
    );
    const deleted = lambdaBatch(await stream.newRecords());
    expect(await makeHandler(deps)({ Records: deleted.Records })).toEqual({ batchItemFailures: [] });
    expect(warnings.join('\n')).toContain('deleted item not taken off projections');
    // The rebuild sees both and puts the counters right.
    expect((await rebuildScorecard(store)).differences.length).toBeGreaterThan(0);
    await rebuildScorecard(store, { write: true });
    await expectLiveEqualsRebuild();
  });
});

describe('the rebuild', () => {
  it('shows a drifted counter in a dry run, writes it back with --write, and then finds nothing', async () => {
    await expectLiveEqualsRebuild();
    // Drift: a count the table does not hold (as a bug, or items stored before the stream, would leave).
    await table.db.send(
      new TransactWriteCommand({
        TransactItems: scorecardAdditions(table.name, [
          { projectId: 'drift', month: '2026-01', counts: { 'started:feedback': 3 } },
        ]),
      }),
    );
    const dry = await rebuildScorecard(store);
    expect(dry.differences).toEqual([
      { copy: 'all', projectId: 'drift', month: '2026-01', counter: 'started:feedback', live: 3, rebuilt: 0 },
      {
        copy: 'project',
        projectId: 'drift',
        month: '2026-01',
        counter: 'started:feedback',
        live: 3,
        rebuilt: 0,
      },
    ]);
    expect(dry.written).toBe(0);
    expect((await store.everyMonth('project', 'drift')).length).toBe(1);

    const written = await rebuildScorecard(store, { write: true });
    expect(written).toMatchObject({ written: 2 });
    expect(written.refused).toBeUndefined();
    expect(await store.everyMonth('project', 'drift')).toEqual([]);
    await expectLiveEqualsRebuild();
  });

  it('writes nothing when the projector changes the scorecard while it rebuilds', async () => {
    await table.db.send(
      new TransactWriteCommand({
        TransactItems: scorecardAdditions(table.name, [
          { projectId: 'drift', month: '2026-02', counts: { 'started:compliment': 1 } },
        ]),
      }),
    );
    const report = await rebuildScorecard(store, {
      write: true,
      // The projector applies a change during the settle time.
      settle: () =>
        table.db
          .send(
            new TransactWriteCommand({
              TransactItems: scorecardAdditions(table.name, [
                { projectId: 'drift', month: '2026-02', counts: { 'started:compliment': 1 } },
              ]),
            }),
          )
          .then(() => undefined),
    });
    expect(report.written).toBe(0);
    expect(report.refused).toMatch(/changed the scorecard while it was being rebuilt/);
    const [row] = await store.everyMonth('project', 'drift');
    expect(row?.counts).toEqual({ 'started:compliment': 2 });
    // Once still, it puts it right.
    expect(await rebuildScorecard(store, { write: true })).toMatchObject({ written: 2 });
    await expectLiveEqualsRebuild();
  });

  it('reads only the scored fields of items (never a message), by Query and BatchGetItem', async () => {
    const fields = new Set<string>();
    for await (const { image } of store.scoredItems())
      for (const field of Object.keys(image)) fields.add(field);
    expect([...fields].sort()).toEqual(
      expect.arrayContaining(['kind', 'projectId', 'receivedAt', 'complaintStages', 'published']),
    );
    for (const secret of ['message', 'contact', 'response', 'youSaid', 'weDid', 'title'])
      expect(fields.has(secret), secret).toBe(false);
    for await (const { image } of store.scoredItems()) {
      for (const record of (image.complaintStages as Record<string, unknown>[] | undefined) ?? [])
        expect(
          Object.keys(record).every((f) =>
            ['stage', 'startedAt', 'acknowledgeDueAt', 'acknowledgedAt', 'dueAt', 'answeredAt'].includes(f),
          ),
        ).toBe(true);
    }
  });
});
