import {
  CreateTableCommand,
  DeleteTableCommand,
  DescribeTableCommand,
  GetItemCommand,
  PutItemCommand,
} from '@aws-sdk/client-dynamodb';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureTable, LAYOUT_CHANGE_MARKER } from '../../infra/local/dynamodb-local';
import { DEFAULT_PROJECTS, DEFAULT_TIMEFRAMES } from '../../shared/config/default-projects';
import { newFeedback } from '../../shared/domain/feedback';
import type { FeedbackSubmission } from '../../shared/domain/feedback-submission';
import { listUpdates } from '../../shared/domain/manage-updates';
import { NO_VOICES } from '../../shared/domain/public-counts';
import { FeedbackIdTakenError } from '../../shared/domain/receive-feedback';
import type { Update } from '../../shared/domain/update';
import { createFeedbackRepository, feedbackRecord } from '../../shared/storage/feedback-repository';
import { projectKey } from '../../shared/storage/keys';
import { createProjectRepository } from '../../shared/storage/project-repository';
import { createTableInput, TABLE } from '../../shared/storage/table';
import { createUpdateRepository, updateRecord } from '../../shared/storage/update-repository';
import { TEST_NOW } from '../support/clock';
import { createTestTable, type TestTable } from '../support/dynamo';

let table: TestTable;
beforeAll(async () => {
  table = await createTestTable();
});
afterAll(async () => table.drop());

const submission: FeedbackSubmission = {
  kind: 'feedback',
  message: 'More after-school clubs with trained staff, please',
  submitterRole: 'parent_or_carer',
  projectId: 'general',
  channel: 'web',
};

describe('the feedback repository on DynamoDB Local', () => {
  it('stores feedback with its open-deadline index keys and reads it back whole', async () => {
    const repository = createFeedbackRepository(table.db, table.name);
    const feedback = newFeedback('RRRR-2345', submission, DEFAULT_TIMEFRAMES.feedback, TEST_NOW);

    await repository.create(feedback);

    expect(await repository.get('RRRR2345')).toEqual(feedback);
    const [record] = (await table.allItems()).filter((item) => item.PK === 'FEEDBACK#RRRR2345');
    expect(record?.GSI1PK).toMatch(/^OPEN#[0-3]$/);
    expect(record?.GSI1SK).toBe(`${feedback.acknowledgeDueAt}#FEEDBACK#RRRR2345`);
  });

  it('refuses to overwrite: a second item with the same id is a FeedbackIdTakenError and the first is intact', async () => {
    const repository = createFeedbackRepository(table.db, table.name);
    const first = newFeedback('TTTT-2345', submission, DEFAULT_TIMEFRAMES.feedback, TEST_NOW);
    await repository.create(first);

    const clash = newFeedback(
      'TTTT-2345',
      { ...submission, message: 'Other words' },
      DEFAULT_TIMEFRAMES.feedback,
      TEST_NOW,
    );
    await expect(repository.create(clash)).rejects.toBeInstanceOf(FeedbackIdTakenError);
    expect((await repository.get('TTTT2345'))?.message).toBe(submission.message);
  });

  it('answers an unknown id with undefined', async () => {
    expect(await createFeedbackRepository(table.db, table.name).get('NOPE2345')).toBeUndefined();
  });
});

describe('the project repository on DynamoDB Local', () => {
  it('lists the checked-in defaults when nothing is saved', async () => {
    const fresh = await createTestTable();
    try {
      const projects = await createProjectRepository(fresh.db, fresh.name, { cacheTtlMs: 0 }).list();
      expect(projects).toEqual([...DEFAULT_PROJECTS]);
    } finally {
      await fresh.drop();
    }
  });

  it('lets a saved project replace the default of the same id, and reads every page', async () => {
    const saved = { ...DEFAULT_PROJECTS[0], title: 'General (renamed)', alertTeam: 'send-duty' };
    await table.db.send(
      new PutCommand({
        TableName: table.name,
        Item: { ...projectKey('general'), entity: 'PROJECT', ...saved },
      }),
    );
    // Enough projects with long descriptions to take more than one 1 MB page.
    const padding = 'x'.repeat(60_000);
    for (let i = 0; i < 20; i++) {
      await table.db.send(
        new PutCommand({
          TableName: table.name,
          Item: {
            ...projectKey(`p-${i}`),
            ...saved,
            id: `p-${i}`,
            title: `Project ${i}`,
            description: padding,
          },
        }),
      );
    }

    const projects = await createProjectRepository(table.db, table.name, { cacheTtlMs: 0 }).list();

    expect(projects.find((project) => project.id === 'general')?.title).toBe('General (renamed)');
    expect(projects.filter((project) => project.id.startsWith('p-'))).toHaveLength(20);
  });

  it('reuses what it read within the cache time, and reads again after it', async () => {
    let clock = 0;
    const repository = createProjectRepository(table.db, table.name, { cacheTtlMs: 1000, now: () => clock });
    await repository.list();
    await table.db.send(
      new PutCommand({
        TableName: table.name,
        Item: { ...projectKey('late'), ...DEFAULT_PROJECTS[0], id: 'late', title: 'Late' },
      }),
    );

    expect(await repository.get('late')).toBeUndefined();
    clock = 1001;
    expect((await repository.get('late'))?.title).toBe('Late');
  });
});

/** A draft update in the general project, last changed at `at`. */
function listedUpdate(at: string): Update {
  const actor = { sub: 'sub-sam', name: 'Sam Officer' };
  return {
    id: 'rkey23456789',
    projectId: 'general',
    projectTitle: 'General',
    title: 'Clubs after school',
    youSaid: 'More clubs, please.',
    weDid: 'Two more clubs from spring.',
    status: 'planned',
    feedbackIds: [],
    eventIds: [],
    voices: { ...NO_VOICES },
    published: false,
    createdAt: at,
    createdBy: actor,
    updatedAt: at,
    updatedBy: actor,
    version: 1,
  };
}

/** Exactly the attributes the table's and these indexes' keys use, as DynamoDB wants them defined. */
function attributesFor(
  definition: ReturnType<typeof createTableInput>,
  indexes: ReturnType<typeof createTableInput>['GlobalSecondaryIndexes'],
) {
  const used = new Set(
    [...(definition.KeySchema ?? []), ...(indexes ?? []).flatMap((index) => index.KeySchema ?? [])].map(
      (key) => key.AttributeName,
    ),
  );
  return definition.AttributeDefinitions?.filter((attribute) => used.has(attribute.AttributeName));
}

describe('the local table set-up', () => {
  it('creates the table once and leaves an existing one alone', async () => {
    expect(await ensureTable(table.client, table.name)).toBe('existing');
  });

  it('adds the indexes an older table lacks, so a laptop’s data keeps up with the code', async () => {
    const name = `old-${crypto.randomUUID()}`;
    const current = createTableInput(name);
    // Two indexes missing, each keyed on attributes no other index uses, so the table does not
    // define them yet either (DynamoDB Local takes about a second per index it adds).
    const missing: string[] = [TABLE.indexes.feed.indexName, TABLE.indexes.feedbackByReceived.indexName];
    const older = current.GlobalSecondaryIndexes?.filter(
      (index) => !missing.includes(index.IndexName as string),
    );
    await table.client.send(
      new CreateTableCommand({
        ...current,
        AttributeDefinitions: attributesFor(current, older),
        GlobalSecondaryIndexes: older,
      }),
    );

    expect(await ensureTable(table.client, name)).toBe('updated');

    const { Table } = await table.client.send(new DescribeTableCommand({ TableName: name }));
    expect(Table?.GlobalSecondaryIndexes?.map((index) => index.IndexName).sort()).toEqual(
      Object.values(TABLE.indexes)
        .map((index) => index.indexName)
        .sort(),
    );
    await table.client.send(new DeleteTableCommand({ TableName: name }));
  });

  it('rebuilds indexes whose definition changed and re-keys stored items, so old data is listed', async () => {
    const name = `older-${crypto.randomUUID()}`;
    const current = createTableInput(name);
    // An older layout: GSI2 copied fewer attributes (so it is dropped and made again), and items
    // stored then carry no List* keys and no list row (so each is written again).
    const olderIndexes = current.GlobalSecondaryIndexes?.map((index) =>
      index.IndexName === 'GSI2' ? { ...index, Projection: { ProjectionType: 'KEYS_ONLY' as const } } : index,
    );
    await table.client.send(
      new CreateTableCommand({
        ...current,
        AttributeDefinitions: attributesFor(current, olderIndexes),
        GlobalSecondaryIndexes: olderIndexes,
      }),
    );
    const feedback = newFeedback('RRRR-2346', submission, DEFAULT_TIMEFRAMES.feedback, TEST_NOW);
    const {
      GSI2PK: _a,
      GSI3PK: _b,
      listRow: _c,
      ...older
    } = Object.fromEntries(
      Object.entries(feedbackRecord(feedback)).filter(([attribute]) => !attribute.startsWith('List')),
    );
    await table.db.send(
      new PutCommand({ TableName: name, Item: { ...older, GSI2PK: 'FEEDBACK#received#feedback' } }),
    );
    // An update as the old layout stored it: GSI2/GSI3 per status and state, no List* keys, no row.
    const update = listedUpdate(TEST_NOW.toISOString());
    const {
      GSI2PK: _d,
      GSI3PK: _e,
      listRow: _f,
      ...olderUpdate
    } = Object.fromEntries(
      Object.entries(updateRecord(update)).filter(([attribute]) => !attribute.startsWith('List')),
    );
    await table.db.send(
      new PutCommand({
        TableName: name,
        Item: { ...olderUpdate, GSI2PK: 'UPDATE#planned#draft', GSI3PK: 'UPDATE#general#planned#draft' },
      }),
    );

    expect(await ensureTable(table.client, name)).toBe('updated');

    const { Table } = await table.client.send(new DescribeTableCommand({ TableName: name }));
    expect(Table?.GlobalSecondaryIndexes?.find((index) => index.IndexName === 'GSI2')?.Projection).toEqual(
      current.GlobalSecondaryIndexes?.find((index) => index.IndexName === 'GSI2')?.Projection,
    );
    const repository = createFeedbackRepository(table.db, name);
    for (const filters of [
      {},
      { kind: 'feedback' as const },
      { projectId: 'general', kind: 'feedback' as const },
    ]) {
      const page = await repository.list({ statuses: ['received'], ...filters }, { limit: 5 });
      expect(page.items.map((item) => item.id)).toEqual([feedback.id]);
    }
    const updates = createUpdateRepository(table.db, name);
    for (const filters of [
      {},
      { status: 'planned' as const },
      { projectId: 'general', published: 'false' as const },
    ]) {
      const page = await listUpdates({ updates }, filters, { limit: 5 });
      expect(page.items.map((item) => item.id)).toEqual([update.id]);
    }
    expect(await ensureTable(table.client, name)).toBe('existing');
    await table.client.send(new DeleteTableCommand({ TableName: name }));
  });

  it('finishes a layout change a crash cut short: items stored before are listed after the next start', async () => {
    const name = `interrupted-${crypto.randomUUID()}`;
    await ensureTable(table.client, name);
    // What a stack killed mid-change leaves: the indexes already as the code wants them, an item
    // not yet given its new index keys, and the marker saying the change is not finished.
    const feedback = newFeedback('RRRR-2347', submission, DEFAULT_TIMEFRAMES.feedback, TEST_NOW);
    const notYetRekeyed = Object.fromEntries(
      Object.entries(feedbackRecord(feedback)).filter(
        ([attribute]) => !attribute.startsWith('List') && !attribute.startsWith('GSI2'),
      ),
    );
    await table.db.send(new PutCommand({ TableName: name, Item: notYetRekeyed }));
    await table.client.send(new PutItemCommand({ TableName: name, Item: LAYOUT_CHANGE_MARKER }));
    const repository = createFeedbackRepository(table.db, name);
    expect((await repository.list({ statuses: ['received'] }, { limit: 5 })).items).toEqual([]);

    expect(await ensureTable(table.client, name)).toBe('updated');

    for (const filters of [{}, { kind: 'feedback' as const }]) {
      const page = await repository.list({ statuses: ['received'], ...filters }, { limit: 5 });
      expect(page.items.map((item) => item.id)).toEqual([feedback.id]);
    }
    const marker = await table.client.send(
      new GetItemCommand({ TableName: name, Key: LAYOUT_CHANGE_MARKER }),
    );
    expect(marker.Item).toBeUndefined();
    expect(await ensureTable(table.client, name)).toBe('existing');
    await table.client.send(new DeleteTableCommand({ TableName: name }));
  });
});
