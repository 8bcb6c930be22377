import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeHandler as submitHandler } from '../../functions/submit-feedback/handler';
import { addDays } from '../../shared/domain/london-time';
import { DEFAULT_ALERT_SETTINGS, dueAlert } from '../../shared/domain/overdue';
import { DEFAULT_LEASE_MS } from '../../shared/domain/sweep-overdue';
import { snsAlertSender } from '../../shared/notify/sns-sender';
import { createSweepStore } from '../../shared/storage/alert-repository';
import { intakeDeps } from '../support/deps';
import { createTestTable, type TestTable } from '../support/dynamo';
import { invoke } from '../support/events';
import { addMs, BASE_NOW, sweepAt } from '../support/sweep';

/**
 * Nothing lost, nothing sent twice: Publish failing, timing out and succeeding (aws-sdk-client-mock
 * on SNS only), two sweeps racing and a sweep that dies after its claim, all on DynamoDB Local.
 */
const TOPIC = 'arn:aws:sns:eu-west-2:123456789012:alerts';
const sns = mockClient(SNSClient);

// A table per test: each test's overdue items are all there is.
let table: TestTable;
beforeEach(async () => {
  table = await createTestTable();
});
afterEach(async () => {
  sns.reset();
  await table.drop();
});

async function submit(count: number, receivedAt: Date) {
  const refs: { id: string; reference: string; acknowledgeBy: string }[] = [];
  for (let i = 0; i < count; i++) {
    const response = await invoke(submitHandler(intakeDeps(table, { now: () => receivedAt })), {
      method: 'POST',
      path: '/feedback',
      body: {
        kind: 'feedback',
        submitterRole: 'parent_or_carer',
        message: `Please open the library on Saturdays ${i}`,
      },
    });
    refs.push(response.body as { id: string; reference: string; acknowledgeBy: string });
  }
  return refs;
}

/** Feedback received now, and the instant (the day after its acknowledgeBy, 12:00 Z) it is overdue. */
async function overdueItems(count: number) {
  const items = await submit(count, BASE_NOW);
  const overdue = new Date(`${addDays(items[0]?.acknowledgeBy as string, 1)}T12:00:00Z`);
  return { items, overdue };
}

const publishedIds = () =>
  sns.commandCalls(PublishCommand).map((call) => call.args[0].input.MessageAttributes?.alertId?.StringValue);

describe('Publish', () => {
  it('succeeds: the alert is published once with its attributes and recorded as sent', async () => {
    const { items, overdue } = await overdueItems(1);
    sns.on(PublishCommand).resolves({ MessageId: 'm-1' });
    const report = await sweepAt(table, overdue, snsAlertSender(TOPIC, new SNSClient({})));
    expect(report.sent.map((sent) => sent.reference)).toEqual([items[0]?.reference]);
    expect(sns.commandCalls(PublishCommand)).toHaveLength(1);
    const input = sns.commandCalls(PublishCommand)[0]?.args[0].input;
    expect(input).toMatchObject({ TopicArn: TOPIC, MessageStructure: 'json' });
    expect(Object.keys(input?.MessageAttributes ?? {}).sort()).toEqual(
      ['alertId', 'escalation', 'kind', 'projectId', 'stage', 'team'].sort(),
    );
    expect(
      (await sweepAt(table, addMs(overdue, 60_000), snsAlertSender(TOPIC, new SNSClient({})))).sent,
    ).toEqual([]);
    expect(sns.commandCalls(PublishCommand)).toHaveLength(1);
  });

  it('fails: nothing is lost, the next sweep publishes the same alert (same alertId) once', async () => {
    const { overdue } = await overdueItems(2);
    sns
      .on(PublishCommand)
      .rejects(Object.assign(new Error('Service unavailable'), { name: 'InternalErrorException' }));
    const failed = await sweepAt(table, overdue, snsAlertSender(TOPIC, new SNSClient({})));
    expect(failed.sent).toEqual([]);
    expect(failed.failed).toHaveLength(2);
    const attempted = publishedIds();

    sns.reset();
    sns.on(PublishCommand).resolves({ MessageId: 'm-2' });
    const retried = await sweepAt(
      table,
      addMs(overdue, 15 * 60_000),
      snsAlertSender(TOPIC, new SNSClient({})),
    );
    expect(retried.sent).toHaveLength(2);
    expect(publishedIds().sort()).toEqual(attempted.sort());
    expect(
      (await sweepAt(table, addMs(overdue, 30 * 60_000), snsAlertSender(TOPIC, new SNSClient({})))).sent,
    ).toEqual([]);
    expect(sns.commandCalls(PublishCommand)).toHaveLength(2);
  });

  it('times out: the claim is given back, and the alert goes out on the next sweep with the same alertId', async () => {
    const { overdue } = await overdueItems(1);
    sns
      .on(PublishCommand)
      .callsFake(
        () =>
          new Promise((_, reject) =>
            setTimeout(
              () => reject(Object.assign(new Error('socket hang up'), { name: 'TimeoutError' })),
              50,
            ),
          ),
      );
    const timedOut = await sweepAt(table, overdue, snsAlertSender(TOPIC, new SNSClient({})));
    expect(timedOut.failed).toMatchObject([{ error: expect.stringContaining('TimeoutError') }]);
    const [attempt] = publishedIds();

    sns.reset();
    sns.on(PublishCommand).resolves({ MessageId: 'm-3' });
    const next = await sweepAt(table, addMs(overdue, 15 * 60_000), snsAlertSender(TOPIC, new SNSClient({})));
    expect(next.sent.map((sent) => sent.alertId)).toEqual([attempt]);
  });

  it('fails for one alert only: the others are still sent', async () => {
    const { overdue } = await overdueItems(3);
    let calls = 0;
    sns.on(PublishCommand).callsFake(async () => {
      calls++;
      if (calls === 2) throw new Error('throttled');
      return { MessageId: `m-${calls}` };
    });
    const report = await sweepAt(table, overdue, snsAlertSender(TOPIC, new SNSClient({})), {
      concurrency: 1,
    });
    expect(report.sent).toHaveLength(2);
    expect(report.failed).toHaveLength(1);
    const retry = await sweepAt(table, addMs(overdue, 60_000), snsAlertSender(TOPIC, new SNSClient({})));
    expect(retry.sent.map((sent) => sent.alertId)).toEqual(report.failed.map((failure) => failure.alertId));
  });
});

describe('sweeps at the same time', () => {
  it('publish each alert once when two sweeps race over the same overdue items, and a retried sweep adds nothing', async () => {
    const { items, overdue } = await overdueItems(12);
    // Every Publish is held until a fifth is under way: one sweep has at most four in flight, so by
    // then both sweeps are mid-flight together, whatever the machine's speed.
    let calls = 0;
    let release: () => void = () => undefined;
    const bothInFlight = new Promise<void>((resolve) => {
      release = resolve;
    });
    sns.on(PublishCommand).callsFake(async () => {
      if (++calls >= 5) release();
      await bothInFlight;
      return { MessageId: 'm' };
    });
    const [a, b] = await Promise.all([
      sweepAt(table, overdue, snsAlertSender(TOPIC, new SNSClient({})), { concurrency: 4 }),
      sweepAt(table, overdue, snsAlertSender(TOPIC, new SNSClient({})), { concurrency: 4 }),
    ]);
    expect(a.sent.length + b.sent.length).toBe(items.length);
    // Both really raced: each sent some of them.
    expect(a.sent.length).toBeGreaterThan(0);
    expect(b.sent.length).toBeGreaterThan(0);
    // Every item either sweep read was sent by it or left to the other (claimed or moved).
    expect(a.skipped + b.skipped).toBe(a.read + b.read - items.length);
    const ids = publishedIds();
    expect(ids).toHaveLength(items.length);
    expect(new Set(ids).size).toBe(items.length);
    // The scheduler retrying the same invocation:
    const retried = await sweepAt(table, overdue, snsAlertSender(TOPIC, new SNSClient({})));
    expect(retried.sent).toEqual([]);
    expect(publishedIds()).toHaveLength(items.length);
  });
});

describe('a sweep killed between claim and publish', () => {
  it('holds the alert until the claim’s lease runs out; then one later sweep publishes it, same alertId', async () => {
    const { items, overdue } = await overdueItems(1);
    // The dying sweep: it reads and claims, and never gets to Publish.
    const dying = createSweepStore(table.db, table.name);
    const { items: due } = await dying.dueItems(overdue, 100);
    const item = due.find((candidate) => candidate.id === items[0]?.id);
    if (!item) throw new Error('the overdue item was not read');
    const alert = dueAlert(item, DEFAULT_ALERT_SETTINGS, overdue);
    if (!alert) throw new Error('no alert due');
    expect((await dying.claim(item, alert, overdue, DEFAULT_LEASE_MS)).outcome).toBe('claimed');

    sns.on(PublishCommand).resolves({ MessageId: 'm-4' });
    const during = await sweepAt(
      table,
      addMs(overdue, DEFAULT_LEASE_MS / 2),
      snsAlertSender(TOPIC, new SNSClient({})),
    );
    expect(during.sent).toEqual([]);
    expect(sns.commandCalls(PublishCommand)).toHaveLength(0);

    const after = addMs(overdue, DEFAULT_LEASE_MS + 60_000);
    const [x, y] = await Promise.all([
      sweepAt(table, after, snsAlertSender(TOPIC, new SNSClient({}))),
      sweepAt(table, after, snsAlertSender(TOPIC, new SNSClient({}))),
    ]);
    expect([...x.sent, ...y.sent].map((sent) => sent.alertId)).toEqual([alert.alertId]);
    expect(publishedIds()).toEqual([alert.alertId]);
  });
});
