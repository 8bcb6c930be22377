import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EventBridgeClient, PutEventsCommand, type PutEventsCommandInput } from '@aws-sdk/client-eventbridge';
import { GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { makeHandler } from '../../functions/project-stream/handler';
import { recordEvent } from '../../shared/domain/coproduction-events';
import { createUpdate, publishUpdate, unpublishUpdate } from '../../shared/domain/manage-updates';
import { receiveFeedback } from '../../shared/domain/receive-feedback';
import { changeFeedback } from '../../shared/domain/triage-feedback';
import { domainEventId } from '../../shared/events/event-id';
import { eventBridgeBus } from '../../shared/events/eventbridge-bus';
import { outboxBus } from '../../shared/events/outbox-bus';
import {
  type EventMarkers,
  MARKER_LIFETIME_SECONDS,
  type ProjectorDeps,
} from '../../shared/events/project-stream';
import type { Projection, Reaction } from '../../shared/events/projection';
import { publishToBus } from '../../shared/events/reactions/publish-to-bus';
import type { DomainEvent } from '../../shared/events/schemas';
import { passesStreamFilter } from '../../shared/events/stream-filter';
import { createEventMarkerStore } from '../../shared/storage/event-marker-repository';
import { domainEventMarkerKey, feedbackKey } from '../../shared/storage/keys';
import { DAY_MS, HOUR_MS, londonDateFromNow, TEST_NOW, testClock } from '../support/clock';
import { officerDeps } from '../support/deps';
import { schemaViolations } from '../support/domain-events';
import { createTestTable, type TestTable } from '../support/dynamo';
import { from, lambdaBatch, streamOf } from '../support/stream';
import { sweepAt } from '../support/sweep';
import { updateDeps } from '../support/you-said-we-did';

/**
 * The projector on DynamoDB Local's real stream: items written through the repositories and domain
 * functions, their stream records read back, and the projector (the Lambda handler) fed them as
 * Lambda would, with EventBridge mocked (aws-sdk-client-mock) to see and to break PutEvents.
 */

const FAMILY_WORDS = 'Our son Tobias has had no school transport since October';
const FAMILY_EMAIL = 'tobias.parent@example.com';
const OFFICER_ANSWER = 'Dear Mrs Okafor, the contract has been changed';
const EVENT_TITLE = 'Forum at Riverside with Mrs Okafor';

const eventBridge = mockClient(EventBridgeClient);
let table: TestTable;
let stream: ReturnType<typeof streamOf>;
const clock = testClock(TEST_NOW);
const sam = { sub: 'sub-sam', name: 'Sam Officer' };

/** A projection that counts events by type, in the marker's transaction: exactly once, or the test fails. */
const counting: Projection = {
  name: 'test-counts',
  partitions: ['TESTCOUNT#*'],
  itemsFor: (event, context) => [
    {
      Update: {
        TableName: context.tableName,
        Key: { PK: `TESTCOUNT#${event.type}`, SK: 'COUNT' },
        UpdateExpression: 'ADD n :one',
        ExpressionAttributeValues: { ':one': 1 },
      },
    },
  ],
};

function deps(overrides: Partial<ProjectorDeps> = {}): ProjectorDeps {
  return {
    markers: createEventMarkerStore(table.db, table.name),
    projections: [counting],
    reactions: [publishToBus(eventBridgeBus(new EventBridgeClient({ region: 'eu-west-2' }), 'test-bus'))],
    tableName: table.name,
    now: clock,
    log: () => undefined,
    ...overrides,
  };
}

/** Every event PutEvents was given, in order of the calls, with its entry checked. */
function published(): DomainEvent[] {
  return eventBridge.commandCalls(PutEventsCommand).flatMap(
    (call) =>
      (call.args[0].input as PutEventsCommandInput).Entries?.map((entry) => {
        const event = JSON.parse(String(entry.Detail)) as DomainEvent;
        expect(entry).toMatchObject({
          EventBusName: 'test-bus',
          Source: 'you-said-we-did',
          DetailType: event.type,
        });
        expect(entry.Time?.toISOString()).toBe(event.occurredAt);
        return event;
      }) ?? [],
  );
}

async function countOf(type: string): Promise<number> {
  const { Item } = await table.db.send(
    new GetCommand({
      TableName: table.name,
      Key: { PK: `TESTCOUNT#${type}`, SK: 'COUNT' },
      ConsistentRead: true,
    }),
  );
  return Number(Item?.n ?? 0);
}

const accepted = () =>
  eventBridge.on(PutEventsCommand).callsFake((input: PutEventsCommandInput) => ({
    FailedEntryCount: 0,
    Entries: (input.Entries ?? []).map((_, i) => ({ EventId: `eb-${i}` })),
  }));

const intake = () => ({ ...officerDeps(table, clock), now: clock });
async function submit(message = FAMILY_WORDS) {
  const { receipt } = await receiveFeedback(intake(), {
    kind: 'complaint',
    projectId: 'general',
    message,
    submitterRole: 'parent_or_carer',
    channel: 'web',
    contact: { name: 'Ada Okafor', email: FAMILY_EMAIL },
    consentToContact: true,
  });
  return receipt;
}

beforeAll(async () => {
  table = await createTestTable();
  stream = streamOf(table);
});
afterAll(async () => {
  stream.destroy();
  eventBridge.restore();
  await table.drop();
});
beforeEach(async () => {
  eventBridge.reset();
  accepted();
  // Each test starts from the stream's end: earlier tests' records are theirs.
  await stream.newRecords();
});

describe('the projector on the real stream', () => {
  it('turns a feedback lifecycle, an alert, an event and an update into each domain event once; a repeated batch changes nothing', async () => {
    // Prepare: through the repositories and domain functions, as the handlers do.
    const answered = await submit();
    const triage = { feedback: officerDeps(table).feedback, now: clock };
    clock.advance(HOUR_MS);
    await changeFeedback(triage, answered.id, 1, sam, { action: 'acknowledge' });
    await changeFeedback(triage, answered.id, 2, sam, {
      action: 'respond',
      response: OFFICER_ANSWER,
      outcome: 'upheld',
    });
    await changeFeedback(triage, answered.id, 3, sam, { action: 'close' });
    const ignored = await submit('Nobody answered my email about Tobias');
    await sweepAt(table, new Date(Date.parse(ignored.acknowledgeBy) + 2 * DAY_MS), {
      send: async () => ({ messageId: 'sns-1' }),
    });
    const event = await recordEvent(
      officerDeps(table, clock),
      {
        title: EVENT_TITLE,
        projectId: 'general',
        type: 'forum',
        heldOn: londonDateFromNow(7),
        participants: { childrenAndYoungPeople: 2, parentsAndCarers: 7, professionals: 1 },
        accessibility: [],
        status: 'planned',
      },
      sam,
    );
    const updates = updateDeps(table, clock);
    const update = await createUpdate(
      updates,
      {
        projectId: 'general',
        title: 'School transport',
        youSaid: 'Transport was missing.',
        weDid: 'We changed the contract.',
        status: 'done',
        feedbackIds: [answered.id],
        eventIds: [event.id],
      },
      sam,
    );
    await publishUpdate(updates, update.id, 1, sam);
    await unpublishUpdate(updates, update.id, 2, sam);

    // Act
    const records = await stream.newRecords();
    const batch = lambdaBatch(records);
    const response = await makeHandler(deps())(batch);

    // Assess
    expect(response).toEqual({ batchItemFailures: [] });
    const events = published();
    expect(events.map((e) => e.type).sort()).toEqual(
      [
        'feedback.received',
        'feedback.acknowledged',
        'feedback.responded',
        'feedback.closed',
        'feedback.received',
        'alert.sent',
        'event.recorded',
        'update.published',
        'update.unpublished',
      ].sort(),
    );
    expect(new Set(events.map((e) => e.id)).size).toBe(events.length);
    for (const e of events) expect(schemaViolations(e), e.type).toEqual([]);
    expect(events.find((e) => e.type === 'alert.sent')).toMatchObject({
      feedbackId: ignored.id,
      reference: ignored.reference,
      projectId: 'general',
      kind: 'complaint',
      stage: 'acknowledge',
      team: 'send-service',
    });
    expect(events.find((e) => e.type === 'update.published')).toMatchObject({
      updateId: update.id,
      feedbackIds: [answered.id],
      eventIds: [event.id],
    });
    expect(events.find((e) => e.type === 'feedback.responded')).toMatchObject({
      feedbackId: answered.id,
      outcome: 'upheld',
      deadline: { stage: 'respond', met: true, workingDaysLate: 0 },
    });
    const sent = JSON.stringify(eventBridge.commandCalls(PutEventsCommand).map((call) => call.args[0].input));
    for (const secret of [
      FAMILY_WORDS,
      'Tobias',
      FAMILY_EMAIL,
      'Okafor',
      OFFICER_ANSWER,
      EVENT_TITLE,
      'Sam Officer',
    ])
      expect(sent).not.toContain(secret);
    // Batched: at most 10 entries per PutEvents call.
    expect(eventBridge.commandCalls(PutEventsCommand)).toHaveLength(1);
    expect(await countOf('feedback.received')).toBe(2);
    expect(await countOf('alert.sent')).toBe(1);

    // The projector's own writes come back on the stream: the filter keeps them from it, and
    // even unfiltered they mean nothing.
    const own = await stream.newRecords();
    expect(own.length).toBeGreaterThanOrEqual(events.length);
    expect(own.filter(passesStreamFilter)).toEqual([]);
    const firstEvent = events.find((e) => e.type === 'feedback.received' && e.feedbackId === answered.id);
    const marker = own.find((r) => r.dynamodb?.Keys?.PK?.S === domainEventMarkerKey(firstEvent?.id ?? '').PK);
    expect(Number(marker?.dynamodb?.NewImage?.expiration?.N)).toBe(
      (records.find((r) => r.dynamodb?.Keys?.PK?.S === feedbackKey(answered.id).PK)?.dynamodb
        ?.ApproximateCreationDateTime ?? 0) + MARKER_LIFETIME_SECONDS,
    );

    // Redelivered: the same batch, and the projector's own records unfiltered.
    eventBridge.resetHistory();
    expect(await makeHandler(deps())(batch)).toEqual({ batchItemFailures: [] });
    expect(await makeHandler(deps())({ Records: own })).toEqual({ batchItemFailures: [] });
    expect(eventBridge.commandCalls(PutEventsCommand)).toHaveLength(0);
    expect(await countOf('feedback.received')).toBe(2);
    expect(await countOf('feedback.closed')).toBe(1);
    // Every marker says nothing is owed any more.
    const markers = await table
      .allItems()
      .then((items) => items.filter((item) => item.entity === 'DOMAINEVENT'));
    expect(markers).toHaveLength(events.length);
    for (const m of markers) expect(m.owed).toBeUndefined();
  });

  it('delivers every event exactly once across a crash mid-batch and a PutEvents that refuses some entries', async () => {
    const counted = await countOf('feedback.acknowledged');
    const receipts = [await submit(), await submit(), await submit()];
    const triage = { feedback: officerDeps(table).feedback, now: clock };
    for (const receipt of receipts)
      await changeFeedback(triage, receipt.id, 1, sam, { action: 'acknowledge' });
    const batch = lambdaBatch(await stream.newRecords());
    expect(batch.Records).toHaveLength(6);

    // A crash: the projector claims every event, then dies while PutEvents is in flight.
    let inFlight: () => void = () => undefined;
    const putEventsSent = new Promise<void>((resolve) => {
      inFlight = resolve;
    });
    eventBridge.on(PutEventsCommand).callsFake(() => {
      inFlight();
      return new Promise(() => undefined);
    });
    void makeHandler(deps())(batch);
    await putEventsSent;
    expect(await countOf('feedback.acknowledged')).toBe(counted + 3);

    // Lambda retries the whole batch; this time PutEvents takes all but the third entry.
    eventBridge.reset();
    eventBridge.on(PutEventsCommand).callsFake((input: PutEventsCommandInput) => ({
      FailedEntryCount: 1,
      Entries: (input.Entries ?? []).map((_, i) =>
        i === 2 ? { ErrorCode: 'InternalFailure', ErrorMessage: 'try again' } : { EventId: `eb-${i}` },
      ),
    }));
    const retry = await makeHandler(deps())(batch);
    // Entries follow the stream: three receipts (the third refused), then three acknowledgements.
    const refused = published()[2] as DomainEvent;
    expect(refused).toMatchObject({ type: 'feedback.received', feedbackId: receipts[2]?.id });
    const refusedRecord = batch.Records[2];
    expect(retry.batchItemFailures).toEqual([{ itemIdentifier: refusedRecord?.dynamodb?.SequenceNumber }]);

    // Lambda retries from the record it was told; PutEvents takes everything now.
    const delivered = published().filter((e) => e.id !== refused.id);
    eventBridge.reset();
    accepted();
    const last = await makeHandler(deps())({
      Records: from(batch.Records, String(refusedRecord?.dynamodb?.SequenceNumber)),
    });
    expect(last).toEqual({ batchItemFailures: [] });
    expect(published().map((e) => e.id)).toEqual([refused.id]);
    const all = [...delivered, ...published()];
    expect(all).toHaveLength(6);
    expect(new Set(all.map((e) => e.id)).size).toBe(6);
    // The projection counted each event once, crash and retries included.
    expect(await countOf('feedback.acknowledged')).toBe(counted + 3);
  });

  it('repeats an event only in the window between PutEvents and the marker, with the same id; the local outbox not even then', async () => {
    const receipt = await submit();
    const batch = lambdaBatch(await stream.newRecords());
    const outbox = join(mkdtempSync(join(tmpdir(), 'events-')), 'events.jsonl');
    const real = createEventMarkerStore(table.db, table.name);
    // The projector stops after the delivery, before recording it (as a timeout would).
    const forgetful: EventMarkers = {
      claim: (request) => real.claim(request),
      done: async () => Promise.reject(new Error('timed out')),
    };
    const reactions: Reaction[] = [
      publishToBus(eventBridgeBus(new EventBridgeClient({ region: 'eu-west-2' }), 'test-bus')),
      publishToBus(outboxBus(outbox, () => undefined)),
    ].map((reaction, i) => ({ ...reaction, name: i === 0 ? 'eventbridge' : 'outbox' }));

    const first = await makeHandler(deps({ markers: forgetful, reactions }))(batch);
    expect(first.batchItemFailures).toHaveLength(1);
    expect(await makeHandler(deps({ reactions }))(batch)).toEqual({ batchItemFailures: [] });

    const [once, again] = published();
    expect(once?.id).toBe(again?.id);
    expect(once).toMatchObject({ type: 'feedback.received', feedbackId: receipt.id });
    const lines = readFileSync(outbox, 'utf8').trim().split('\n');
    expect(lines.map((line) => (JSON.parse(line) as DomainEvent).id)).toEqual([once?.id]);
  });

  it('names a poison record in batchItemFailures, delivers what came before it and touches nothing after it', async () => {
    const before = await submit();
    // An item its key says is feedback, that cannot be read as feedback (no reference, no dates).
    await table.db.send(
      new PutCommand({
        TableName: table.name,
        Item: {
          ...feedbackKey('ZZZZ2222'),
          entity: 'FEEDBACK',
          id: 'ZZZZ2222',
          version: 1,
          message: FAMILY_WORDS,
        },
      }),
    );
    const after = await submit();
    const batch = lambdaBatch(await stream.newRecords());
    expect(batch.Records).toHaveLength(3);
    const warnings: string[] = [];

    const response = await makeHandler(
      deps({ log: (message, details) => warnings.push(`${message} ${JSON.stringify(details)}`) }),
    )(batch);

    const poison = batch.Records[1]?.dynamodb?.SequenceNumber;
    expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: poison }] });
    expect(published().map((e) => (e as { feedbackId?: string }).feedbackId)).toEqual([before.id]);
    const markerOf = async (id: string) =>
      (
        await table.db.send(
          new QueryCommand({
            TableName: table.name,
            KeyConditionExpression: 'PK = :pk',
            ExpressionAttributeValues: { ':pk': domainEventMarkerKey(id).PK },
          }),
        )
      ).Items ?? [];
    // Nothing of the record after it was claimed: no marker for its event.
    expect(await markerOf(domainEventId('feedback.received', feedbackKey(after.id).PK, 1))).toEqual([]);
    // The log names the record and the field, never the item's words.
    expect(warnings.join('\n')).toContain(String(poison));
    expect(warnings.join('\n')).toContain("field 'projectId'");
    expect(warnings.join('\n')).not.toContain('Tobias');
  });
});
