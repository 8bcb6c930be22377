import {
  DeleteCommand,
  type DynamoDBDocumentClient,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
} from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeRetention, runLocalRetention } from '../../infra/local/local-retention';
import { backfillRetention } from '../../infra/retention-backfill';
import { TemporarilyUnavailableError } from '../../shared/domain/errors';
import type { Feedback } from '../../shared/domain/feedback';
import { changeComplaint } from '../../shared/domain/manage-complaints';
import { createUpdate, publishUpdate } from '../../shared/domain/manage-updates';
import { REMOVED, RETENTION_ACTOR } from '../../shared/retention/anonymise';
import { anonymiseFeedback } from '../../shared/retention/anonymise-feedback';
import type { AnonymisationStore } from '../../shared/retention/ports';
import {
  addPeriod,
  DEFAULT_RETENTION_PERIODS,
  parseRetentionPeriods,
} from '../../shared/retention/retention-periods';
import { type RetentionDeps, retentionDecision, runRetention } from '../../shared/retention/run-retention';
import { subjectKeysOf } from '../../shared/retention/subject-keys';
import { createAnonymisationStore } from '../../shared/storage/anonymisation-store';
import { feedbackRecord } from '../../shared/storage/feedback-repository';
import { auditPartition, retentionPartition, subjectLookupKey } from '../../shared/storage/keys';
import { TABLE } from '../../shared/storage/table';
import { createUpdateRepository } from '../../shared/storage/update-repository';
import { DAY_MS, fromNow } from '../support/clock';
import { officerDeps } from '../support/deps';
import { createTestTable, type TestTable } from '../support/dynamo';
import {
  anonymisationStore,
  closedFeedback,
  detailsIn,
  type FamilyDetails,
  familyDetails,
  lookupEntries,
  partitionOf,
  sam,
} from '../support/retention';
import { TEST_SUBJECT_LOOKUP_KEY } from '../support/signing';
import { updateDeps } from '../support/you-said-we-did';

let table: TestTable;
beforeAll(async () => {
  table = await createTestTable();
});
afterAll(async () => table.drop());

const periods = DEFAULT_RETENTION_PERIODS;
const run = (now: Date, overrides: Partial<RetentionDeps> = {}) =>
  runRetention({ store: anonymisationStore(table), now: () => now, periods, ...overrides });

/** The ids in one kind's partition of RetentionByClosure. */
async function retained(kind: string): Promise<string[]> {
  const index = TABLE.indexes.retentionByClosure;
  const { Items = [] } = await table.db.send(
    new QueryCommand({
      TableName: table.name,
      IndexName: index.indexName,
      KeyConditionExpression: '#pk = :pk',
      ExpressionAttributeNames: { '#pk': index.partitionKey },
      ExpressionAttributeValues: { ':pk': retentionPartition(kind) },
    }),
  );
  return Items.map((item) => String(item.RetainSK).split('#')[1] ?? '');
}

async function auditRecords(at: Date) {
  const { Items = [] } = await table.db.send(
    new QueryCommand({
      TableName: table.name,
      KeyConditionExpression: 'PK = :pk',
      ExpressionAttributeValues: { ':pk': auditPartition(at.toISOString().slice(0, 7)) },
    }),
  );
  return Items;
}

/** What the scorecard, the annual report and the published updates' counts read of an item. */
const statistics = (item: Feedback) => {
  const { id, reference, kind, projectId, status, submitterRole, channel, satisfaction, receivedAt } = item;
  const { acknowledgedAt, respondedAt, closedAt, outcome, acknowledgeBy, respondBy, complaintStage } = item;
  return {
    ...{ id, reference, kind, projectId, status, submitterRole, channel, satisfaction, receivedAt },
    ...{ acknowledgedAt, respondedAt, closedAt, outcome, acknowledgeBy, respondBy, complaintStage },
    stages: item.complaintStages?.map(({ stage, startedAt, dueBy, answeredAt, answeredOnTime, outcome }) => ({
      ...{ stage, startedAt, dueBy, answeredAt, answeredOnTime, outcome },
    })),
  };
};

describe('the retention job, on DynamoDB Local', () => {
  // One family per kind, all closed at the same instant, so each kind's period alone decides.
  const closedAt = fromNow(-DAY_MS);
  const families: Record<string, FamilyDetails> = {};
  const items: Record<string, Feedback> = {};
  beforeAll(async () => {
    for (const kind of ['compliment', 'feedback', 'complaint'] as const) {
      families[kind] = familyDetails(kind);
      items[kind] = await closedFeedback(table, kind, closedAt, families[kind] as FamilyDetails, {
        satisfaction: 4,
      });
    }
  });
  const id = (kind: string) => (items[kind] as Feedback).id;

  it('stores closed feedback in its kind’s retention partition, and the family’s contact details in the subject lookup', async () => {
    for (const kind of ['compliment', 'feedback', 'complaint'])
      expect(await retained(kind)).toContain(id(kind));
    const family = families.complaint as FamilyDetails;
    for (const key of subjectKeysOf({ email: family.email, phone: family.phone }, TEST_SUBJECT_LOOKUP_KEY)) {
      expect((await lookupEntries(table, key)).map((entry) => entry.feedbackId)).toEqual([id('complaint')]);
    }
  });

  it('anonymises each kind once its period has passed since closure, and not a day before', async () => {
    const ids = Object.values(items).map((item) => item.id);
    const anonymisedBy = async (now: Date) =>
      (await run(now)).anonymised.map((done) => done.id).filter((done) => ids.includes(done));

    const year = addPeriod(closedAt, DEFAULT_RETENTION_PERIODS.compliment);
    expect(await anonymisedBy(new Date(year.getTime() - DAY_MS))).toEqual([]);
    expect(await anonymisedBy(year)).toEqual([id('compliment')]);
    const twoYears = addPeriod(closedAt, DEFAULT_RETENTION_PERIODS.feedback);
    expect(await anonymisedBy(new Date(twoYears.getTime() - DAY_MS))).toEqual([]);
    expect(await anonymisedBy(twoYears)).toEqual([id('feedback')]);
    const sixYears = addPeriod(closedAt, DEFAULT_RETENTION_PERIODS.complaint);
    expect(await anonymisedBy(new Date(sixYears.getTime() - DAY_MS))).toEqual([]);
    expect(await anonymisedBy(sixYears)).toEqual([id('complaint')]);
    for (const kind of ['compliment', 'feedback', 'complaint'])
      expect(await retained(kind)).not.toContain(id(kind));
  });

  it('leaves none of the family’s details in the item, its history or the subject lookup, and keeps every statistic', async () => {
    for (const kind of ['compliment', 'feedback', 'complaint']) {
      const records = await partitionOf(table, id(kind));
      expect(detailsIn(records, families[kind] as FamilyDetails)).toEqual([]);
      const meta = records.find((record) => record.SK === 'META') as unknown as Feedback;
      expect(statistics(meta)).toEqual(statistics(items[kind] as Feedback));
      expect(meta).toMatchObject({ message: '', anonymised: { reason: 'retention', by: RETENTION_ACTOR } });
      expect(items[kind]).toHaveProperty('keepInformed');
      for (const gone of ['contact', 'response', 'subjectKeys', 'keepInformed'])
        expect(meta).not.toHaveProperty(gone);
      // The history still says who did what and when; the anonymisation is its last entry.
      const history = records.filter((record) => String(record.SK).startsWith('HISTORY#'));
      expect(history.map((entry) => entry.action)).toEqual([
        ...(kind === 'complaint' ? ['extend', 'respond', 'escalate', 'respond'] : ['respond']),
        'close',
        'anonymise',
      ]);
      expect(history.at(-1)?.changes).toMatchObject({ contact: { from: REMOVED, to: null } });
    }
    const complaint = (await partitionOf(table, id('complaint'))).find((r) => r.SK === 'META') as Feedback;
    expect(complaint.anonymised?.rule).toEqual({
      kind: 'complaint',
      period: 'P6Y',
      closedAt: closedAt.toISOString(),
      dueAt: addPeriod(closedAt, DEFAULT_RETENTION_PERIODS.complaint).toISOString(),
    });
    const family = families.complaint as FamilyDetails;
    for (const key of subjectKeysOf({ email: family.email, phone: family.phone }, TEST_SUBJECT_LOOKUP_KEY)) {
      expect(await lookupEntries(table, key)).toEqual([]);
    }
  });

  it('writes one audit record per item, naming the rule, with no personal data', async () => {
    const at = addPeriod(closedAt, DEFAULT_RETENTION_PERIODS.complaint);
    const records = (await auditRecords(at)).filter((record) =>
      (record.feedbackIds as string[]).includes(id('complaint')),
    );
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({
      action: 'anonymise',
      at: at.toISOString(),
      by: RETENTION_ACTOR,
      anonymisation: { reason: 'retention', rule: { kind: 'complaint', period: 'P6Y' } },
    });
    expect(detailsIn(records, families.complaint as FamilyDetails)).toEqual([]);
  });

  it('changes nothing when run again, even much later', async () => {
    const before = await table.allItems();
    const report = await run(addPeriod(closedAt, { years: 20, months: 0, days: 0 }));
    expect(report.anonymised).toEqual([]);
    expect(await table.allItems()).toEqual(before);
  });
});

describe('a published update and the annual totals', () => {
  it('keep their links, counts and public text when the feedback they answer is anonymised', async () => {
    const closedAt = fromNow(-2 * DAY_MS);
    const family = familyDetails('update');
    const feedback = await closedFeedback(table, 'feedback', closedAt, family);
    const deps = updateDeps(table, () => closedAt);
    const draft = await createUpdate(
      deps,
      {
        projectId: 'general',
        title: 'Speech therapy waiting times',
        youSaid: 'Families told us the wait for speech therapy was too long',
        weDid: 'We funded two more therapists',
        status: 'done',
        feedbackIds: [feedback.id],
        eventIds: [],
      },
      sam,
    );
    await publishUpdate(deps, draft.id, draft.version, sam);
    const reports = createUpdateRepository(table.db, table.name);
    const year = { from: fromNow(-400 * DAY_MS).toISOString(), to: fromNow(DAY_MS).toISOString() };
    const totalsBefore = await reports.feedbackReceived('general', year.from, year.to);
    const updateRecords = async () =>
      (await table.allItems()).filter((item) => String(item.PK) === `UPDATE#${draft.id}`);
    const before = await updateRecords();

    await run(addPeriod(closedAt, periods.feedback));

    expect(await updateRecords()).toEqual(before);
    expect(await reports.feedbackReceived('general', year.from, year.to)).toEqual(totalsBefore);
    const meta = (await partitionOf(table, feedback.id)).find((record) => record.SK === 'META');
    expect(meta?.anonymised).toBeDefined();
  });
});

/** A store whose `anonymise` fails for the items named: before its write, or after it succeeded (a lost answer). */
function faultyStore(real: AnonymisationStore, faults: Map<string, 'before' | 'after'>): AnonymisationStore {
  return {
    ...real,
    async anonymise(write) {
      const fault = faults.get(write.before.id);
      faults.delete(write.before.id);
      if (fault === 'before') throw Object.assign(new Error('connection reset'), { name: 'TimeoutError' });
      await real.anonymise(write);
      if (fault === 'after') throw Object.assign(new Error('socket hang up'), { name: 'TimeoutError' });
    },
  };
}

describe('a run that fails part-way', () => {
  it('anonymises every due item exactly once across the failed run and the next', async () => {
    const closedAt = fromNow(-3 * DAY_MS);
    const due = [];
    for (let i = 0; i < 5; i++)
      due.push(await closedFeedback(table, 'compliment', closedAt, familyDetails('crash')));
    const at = addPeriod(closedAt, periods.compliment);
    const faults = new Map<string, 'before' | 'after'>([
      [(due[1] as Feedback).id, 'before'],
      [(due[3] as Feedback).id, 'after'],
    ]);

    const first = await run(at, { store: faultyStore(anonymisationStore(table), faults) });
    expect(first.failed.map((failure) => failure.id).sort()).toEqual(
      [(due[1] as Feedback).id, (due[3] as Feedback).id].sort(),
    );
    const second = await run(at);

    const ids = due.map((item) => item.id);
    // The item whose answer was lost was done by the first run: the second finds it anonymised.
    expect(second.anonymised.map((done) => done.id).filter((done) => ids.includes(done))).toEqual([
      (due[1] as Feedback).id,
    ]);
    const audits = (await auditRecords(at)).filter((record) =>
      ids.includes((record.feedbackIds as string[])[0] as string),
    );
    expect(audits.map((record) => (record.feedbackIds as string[])[0]).sort()).toEqual([...ids].sort());
    for (const item of due) {
      const history = (await partitionOf(table, item.id)).filter((r) => String(r.SK).startsWith('HISTORY#'));
      expect(history.filter((entry) => entry.action === 'anonymise')).toHaveLength(1);
    }
  });

  it('stops taking items when its time runs out, and says there is more', async () => {
    const closedAt = fromNow(-4.5 * DAY_MS);
    for (let i = 0; i < 2; i++) await closedFeedback(table, 'feedback', closedAt, familyDetails('time'));
    const at = addPeriod(closedAt, periods.feedback);
    let asked = 0;
    const first = await run(at, { concurrency: 1, outOfTime: () => ++asked > 1 });
    expect(first).toMatchObject({ more: true });
    expect(first.anonymised).toHaveLength(1);
    expect((await run(at)).anonymised).toHaveLength(1);
  });

  it('stops at its limit and says there is more; the next run does the rest', async () => {
    const closedAt = fromNow(-4 * DAY_MS);
    for (let i = 0; i < 3; i++) await closedFeedback(table, 'feedback', closedAt, familyDetails('limit'));
    const at = addPeriod(closedAt, periods.feedback);
    const first = await run(at, { maxItems: 2 });
    expect(first).toMatchObject({ more: true });
    expect(first.anonymised).toHaveLength(2);
    const second = await run(at);
    expect(second.more).toBe(false);
    expect(second.anonymised.length).toBeGreaterThanOrEqual(1);
    expect(await retained('feedback')).toEqual([]);
  });
});

describe('an officer changing the item while the job runs', () => {
  it('wins: an escalation recorded between the job’s read and its write is kept, and the complaint is not anonymised', async () => {
    const closedAt = fromNow(-5 * DAY_MS);
    const family = familyDetails('race');
    // Closed at stage 1, so the family can still ask for stage 2 (late, by letter, years on).
    const complaint = await closedFeedback(table, 'complaint', closedAt, family, { stages: 1 });
    const at = addPeriod(closedAt, periods.complaint);
    const real = anonymisationStore(table);
    let escalated: Feedback | undefined;
    const racing: AnonymisationStore = {
      ...real,
      async anonymise(write) {
        if (write.before.id === complaint.id && !escalated) {
          // The officer records the family's letter just before the job writes.
          escalated = await changeComplaint(
            officerDeps(table, () => at),
            complaint.id,
            complaint.version,
            sam,
            {
              action: 'escalate',
              requestedAt: new Date(at.getTime() - 60_000),
              via: 'letter',
            },
          );
        }
        await real.anonymise(write);
      },
    };

    const result = await anonymiseFeedback({ store: racing }, complaint.id, retentionDecision(periods, at));

    // The job's write was refused (the version moved); it read again, and the complaint is open.
    expect(result).toMatchObject({ outcome: 'skipped', why: 'not_closed' });
    const meta = (await partitionOf(table, complaint.id)).find((r) => r.SK === 'META') as Feedback;
    expect(meta).toMatchObject({ status: 'received', complaintStage: 2, version: complaint.version + 1 });
    expect(meta.message).toBe(family.message);
    expect(meta.anonymised).toBeUndefined();
    expect(await retained('complaint')).not.toContain(complaint.id);
    expect(escalated?.version).toBe(meta.version);
  });
});

/** The test table's client, failing the `n`th TransactWrite (1-based) with a timeout. */
function failingNthTransaction(db: DynamoDBDocumentClient, n: number): DynamoDBDocumentClient {
  let seen = 0;
  return {
    send: (command: unknown) => {
      if (command instanceof TransactWriteCommand && ++seen === n) {
        return Promise.reject(Object.assign(new Error('socket timed out'), { name: 'TimeoutError' }));
      }
      return db.send(command as never);
    },
  } as DynamoDBDocumentClient;
}

describe('an item whose history does not fit one transaction', () => {
  it('is finished by the next attempt after a failure between its writes, and leaves the retention index only then', async () => {
    const closedAt = fromNow(-7 * DAY_MS);
    const family = familyDetails('long');
    const complaint = await closedFeedback(table, 'complaint', closedAt, family);
    const decide = retentionDecision(periods, addPeriod(closedAt, periods.complaint));
    // Five items per transaction: the item, its entry, the audit record and the two lookup
    // deletions fill the first, so the history rewrites follow in a second, which fails.
    const small = createAnonymisationStore(failingNthTransaction(table.db, 2), table.name, {
      maxTransactionItems: 5,
    });
    await expect(anonymiseFeedback({ store: small }, complaint.id, decide)).rejects.toThrow(
      TemporarilyUnavailableError,
    );
    const pending = (await partitionOf(table, complaint.id)).find((r) => r.SK === 'META') as Feedback;
    expect(pending.anonymised?.historyPending).toBe(true);
    expect(pending.message).toBe('');
    expect(await retained('complaint')).toContain(complaint.id);
    expect(detailsIn(await partitionOf(table, complaint.id), family)).not.toEqual([]);

    const finished = await anonymiseFeedback({ store: anonymisationStore(table, 5) }, complaint.id, decide);
    expect(finished.outcome).toBe('anonymised');
    const records = await partitionOf(table, complaint.id);
    expect(detailsIn(records, family)).toEqual([]);
    const meta = records.find((r) => r.SK === 'META') as Feedback;
    expect(meta.anonymised).not.toHaveProperty('historyPending');
    expect(await retained('complaint')).not.toContain(complaint.id);
    expect(records.filter((r) => r.action === 'anonymise')).toHaveLength(1);
  });
});

describe('settings', () => {
  it('anonymise on the council’s own schedule', async () => {
    const closedAt = fromNow(-8 * DAY_MS);
    const family = familyDetails('schedule');
    const item = await closedFeedback(table, 'compliment', closedAt, family);
    const sixMonths = parseRetentionPeriods('compliment=P6M');
    const at = addPeriod(closedAt, sixMonths.compliment);
    expect((await run(new Date(at.getTime() - 1), { periods: sixMonths })).anonymised).toEqual([]);
    const report = await run(at, { periods: sixMonths });
    expect(report.anonymised.map((done) => done.id)).toContain(item.id);
  });
});

describe('the job as npm start and npm run retention run it', () => {
  it('anonymises what is due on DynamoDB Local and says so in a line naming the references', async () => {
    const closedAt = fromNow(-9 * DAY_MS);
    const item = await closedFeedback(table, 'compliment', closedAt, familyDetails('local'));
    const at = addPeriod(closedAt, periods.compliment);
    const report = await runLocalRetention({
      dynamoDbPort: Number(new URL(String(process.env.DYNAMODB_ENDPOINT)).port),
      tableName: table.name,
      periods,
      now: at,
    });
    expect(report.anonymised.map((done) => done.id)).toContain(item.id);
    expect(describeRetention(report)).toContain(`${item.reference} (compliment)`);
    expect(describeRetention({ ...report, anonymised: [], more: true })).toMatch(
      /anonymised 0\n {2}More are due/,
    );
  });
});

describe('the backfill (npm run retention:backfill)', () => {
  it('gives feedback stored before retention its retention keys and lookup entries, then changes nothing; a new key rehashes', async () => {
    const closedAt = fromNow(-10 * DAY_MS);
    const family = familyDetails('old');
    const item = await closedFeedback(table, 'feedback', closedAt, family);
    // As stored before retention existed: no subject keys, no retention keys, no lookup entries.
    const { subjectKeys: keys = [], ...old } = item;
    const { RetainPK: _pk, RetainSK: _sk, ...record } = feedbackRecord(old);
    await table.db.send(new PutCommand({ TableName: table.name, Item: record }));
    for (const key of keys)
      await table.db.send(new DeleteCommand({ TableName: table.name, Key: subjectLookupKey(key, item.id) }));
    expect(await retained('feedback')).not.toContain(item.id);

    const first = await backfillRetention(table.db, table.name, TEST_SUBJECT_LOOKUP_KEY);
    expect(first.updated).toBeGreaterThanOrEqual(1);
    expect(await retained('feedback')).toContain(item.id);
    for (const key of keys)
      expect((await lookupEntries(table, key)).map((entry) => entry.feedbackId)).toEqual([item.id]);
    expect((await backfillRetention(table.db, table.name, TEST_SUBJECT_LOOKUP_KEY)).updated).toBe(0);

    const rotated = Buffer.from('a rotated subject lookup key, 32+ bytes long');
    await backfillRetention(table.db, table.name, rotated);
    for (const key of keys) expect(await lookupEntries(table, key)).toEqual([]);
    for (const key of subjectKeysOf({ email: family.email, phone: family.phone }, rotated)) {
      expect((await lookupEntries(table, key)).map((entry) => entry.feedbackId)).toEqual([item.id]);
    }
    // Back to the tests' key, for the rest of the file.
    await backfillRetention(table.db, table.name, TEST_SUBJECT_LOOKUP_KEY);
  });
});
