import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeHandler as listHandler } from '../../functions/list-feedback/handler';
import { makeHandler as submitHandler } from '../../functions/submit-feedback/handler';
import { familyLinkKey } from '../../shared/config/family-link-key';
import { answerFeedback } from '../../shared/domain/answer-feedback';
import { escalateByFamilyLink } from '../../shared/domain/family-escalation';
import { addDays } from '../../shared/domain/london-time';
import { changeFeedback } from '../../shared/domain/triage-feedback';
import { feedbackListPartition, openShardOf, openShardPartition } from '../../shared/storage/keys';
import { LIST_ROW, TABLE } from '../../shared/storage/table';
import { intakeDeps, officerDeps } from '../support/deps';
import { createTestTable, type TestTable } from '../support/dynamo';
import { invoke, officerClaims } from '../support/events';
import { addMs, BASE_NOW, DAY_MS, sweepAt, testOutbox } from '../support/sweep';

let table: TestTable;
beforeAll(async () => {
  table = await createTestTable();
});
afterAll(async () => table.drop());

const sam = { sub: 'sub-sam', name: 'Sam Officer' };
const FAMILY_WORDS = 'Our daughter Seren still has no place at the unit';

async function submitComplaint(receivedAt: Date) {
  const response = await invoke(submitHandler(intakeDeps(table, { now: () => receivedAt })), {
    method: 'POST',
    path: '/feedback',
    body: { kind: 'complaint', submitterRole: 'parent_or_carer', message: FAMILY_WORDS },
  });
  expect(response.status).toBe(201);
  return response.body as { id: string; reference: string; acknowledgeBy: string; respondBy: string };
}

const raw = async (id: string) =>
  (
    await table.db.send(
      new QueryCommand({
        TableName: table.name,
        KeyConditionExpression: 'PK = :pk AND SK = :meta',
        ExpressionAttributeValues: { ':pk': `FEEDBACK#${id}`, ':meta': 'META' },
      }),
    )
  ).Items?.[0] as Record<string, unknown>;

/** The ids in one officers' list partition, read straight from its index. */
async function partition(filters: { kind?: string; status?: string }) {
  const { index, partition: value } = feedbackListPartition(filters);
  const { Items = [] } = await table.db.send(
    new QueryCommand({
      TableName: table.name,
      IndexName: index.indexName,
      KeyConditionExpression: '#pk = :pk',
      ExpressionAttributeNames: { '#pk': index.partitionKey },
      ExpressionAttributeValues: { ':pk': value },
    }),
  );
  // The list indexes project the list row only (shared/storage/table.ts).
  return Items.map((item) => String((item[LIST_ROW] as { id: string }).id));
}

describe('an escalated complaint, on DynamoDB Local', () => {
  it('moves to the received partitions at stage 2, sits in GSI1 under its stage 2 deadline, and gets a fresh, stage 2 alert series', async () => {
    const outbox = testOutbox();
    const receipt = await submitComplaint(addMs(BASE_NOW, -60 * DAY_MS));
    const { id } = receipt;

    // Stage 1 goes unacknowledged past its deadline: a stage 1 alert.
    const stage1Overdue = new Date(`${addDays(receipt.acknowledgeBy, 1)}T12:00:00Z`);
    const stage1Alerts = await sweepAt(table, stage1Overdue, outbox.sender);
    expect(stage1Alerts.sent).toMatchObject([
      { stage: 'acknowledge', type: 'first', alertId: `${id}.acknowledge.${receipt.acknowledgeBy}.000` },
    ]);

    // Answered, then the family escalates with their link.
    const deps = officerDeps(table, () => addMs(stage1Overdue, DAY_MS));
    const answered = await answerFeedback(deps, id, 1, sam, { response: 'We are sorry.', outcome: 'upheld' });
    const token = answered.nextStep?.kind === 'next_stage' ? answered.nextStep.link?.token : undefined;
    if (!token) throw new Error('expected an escalation link');
    const askedAt = addMs(stage1Overdue, 2 * DAY_MS);
    const outcome = await escalateByFamilyLink(
      { feedback: deps.feedback, now: () => askedAt, linkKey: familyLinkKey },
      { token },
    );
    expect(outcome.stage).toBe(2);

    // The lists: in received (all kinds, and complaints), no longer in responded.
    expect(await partition({ status: 'received' })).toContain(id);
    expect(await partition({ kind: 'complaint', status: 'received' })).toContain(id);
    expect(await partition({ kind: 'complaint', status: 'responded' })).not.toContain(id);
    const list = await invoke(listHandler(officerDeps(table, () => askedAt)), {
      path: '/officer/feedback',
      query: { status: 'received', kind: 'complaint' },
      claims: officerClaims('officer'),
    });
    expect((list.body.items as Record<string, unknown>[]).find((row) => row.id === id)).toMatchObject({
      complaintStage: 2,
      complaintProcedure: 'corporate',
      acknowledgeBy: outcome.acknowledgeBy,
      respondBy: outcome.respondBy,
      overdue: false,
    });

    // GSI1: under the stage 2 acknowledgement deadline, with the stage in its one map.
    const stored = await raw(id);
    expect(stored.GSI1PK).toBe(openShardPartition(openShardOf(id)));
    expect(stored.GSI1SK).toBe(`${stored.acknowledgeDueAt}#FEEDBACK#${id}`);
    expect(stored.acknowledgeBy).toBe(outcome.acknowledgeBy);
    expect(stored.complaintAlert).toEqual({ procedure: 'corporate', stage: 2 });
    const { Items: open = [] } = await table.db.send(
      new QueryCommand({
        TableName: table.name,
        IndexName: TABLE.indexes.openByDeadline.indexName,
        KeyConditionExpression: 'GSI1PK = :pk AND GSI1SK = :sk',
        ExpressionAttributeValues: { ':pk': stored.GSI1PK, ':sk': stored.GSI1SK },
      }),
    );
    expect(open).toHaveLength(1);
    expect(JSON.stringify(open)).not.toContain('Seren');

    // Before the stage 2 deadline: nothing. After it: a first alert of a new series, named stage 2.
    const before = await sweepAt(table, new Date(`${outcome.acknowledgeBy}T11:00:00Z`), outbox.sender);
    expect(before.sent.filter((sent) => sent.reference === receipt.reference)).toEqual([]);
    const stage2Overdue = new Date(`${addDays(outcome.acknowledgeBy, 1)}T12:00:00Z`);
    const after = await sweepAt(table, stage2Overdue, outbox.sender);
    expect(after.sent).toMatchObject([
      {
        stage: 'acknowledge',
        complaintStage: 2,
        type: 'first',
        sequence: 0,
        alertId: `${id}.stage2-acknowledge.${outcome.acknowledgeBy}.000`,
      },
    ]);
    const published = outbox.lines().at(-1);
    expect(published?.Subject).toMatch(
      new RegExp(`^Overdue: complaint ${receipt.reference}, stage 2 acknowledgement due`),
    );
    expect(published?.MessageAttributes?.complaintStage?.StringValue).toBe('2');
    expect(JSON.stringify(outbox.lines())).not.toContain('Seren');

    // Officers see both alerts, told apart.
    const read = await officerDeps(table).feedback.getWithHistory(id);
    expect(read?.alerts.map((alert) => [alert.alertId.split('.')[1], alert.complaintStage])).toEqual([
      ['acknowledge', undefined],
      ['stage2-acknowledge', 2],
    ]);

    // Acknowledged at stage 2: out of the received partition, its answer deadline next in GSI1.
    await changeFeedback(
      officerDeps(table, () => stage2Overdue),
      id,
      3,
      sam,
      { action: 'acknowledge' },
    );
    expect(await partition({ status: 'received' })).not.toContain(id);
    expect(await partition({ kind: 'complaint', status: 'acknowledged' })).toContain(id);
    const acknowledged = await raw(id);
    expect(acknowledged.GSI1SK).toBe(`${acknowledged.respondDueAt}#FEEDBACK#${id}`);
  });
});
