import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { makeHandler as getEventHandler } from '../../functions/get-event/handler';
import { makeHandler as getFeedbackHandler } from '../../functions/get-feedback/handler';
import { makeHandler as listAllProjectsHandler } from '../../functions/list-all-projects/handler';
import { makeHandler as recordEventHandler } from '../../functions/record-event/handler';
import { makeHandler as saveProjectHandler } from '../../functions/save-project/handler';
import { makeHandler as submitHandler } from '../../functions/submit-feedback/handler';
import { makeHandler as sweepHandler } from '../../functions/sweep-overdue/handler';
import { DEFAULT_TIMEFRAMES } from '../../shared/config/default-projects';
import { updateEvent } from '../../shared/domain/coproduction-events';
import { addDays, londonDateOf } from '../../shared/domain/london-time';
import { addWorkingDays } from '../../shared/domain/working-days';
import { snsAlertSender } from '../../shared/notify/sns-sender';
import { logger } from '../../shared/observability/logger';
import { createSweepStore } from '../../shared/storage/alert-repository';
import { createProjectRepository } from '../../shared/storage/project-repository';
import { intakeDeps, officerDeps } from '../support/deps';
import { createTestTable, type TestTable } from '../support/dynamo';
import { invoke, officerClaims } from '../support/events';
import { invokedViolations } from '../support/openapi-contract';
import { addMs, BASE_NOW, DAY_MS, OFFICER_APP_URL, sweepAt, testOutbox } from '../support/sweep';

const TOPIC = 'arn:aws:sns:eu-west-2:123456789012:alerts';
const sns = mockClient(SNSClient);
afterEach(() => {
  sns.reset();
  vi.restoreAllMocks();
});

let table: TestTable;
beforeAll(async () => {
  table = await createTestTable();
});
afterAll(async () => table.drop());

const admin = officerClaims('admin');
const officer = officerClaims('officer');
/** Kept on the stored item for intake and the sweep; never in an officer's answer. */
const INTERNAL_FIELDS = [
  'intake',
  'alertSeries',
  'alertsSent',
  'lastAlertAt',
  'nextAlertAt',
  'listRow',
  'GSI1PK',
];

const handlerAt = (now: Date, problems: { team: string; role: string; problem: string }[] = []) =>
  sweepHandler({
    store: createSweepStore(table.db, table.name),
    projects: createProjectRepository(table.db, table.name, { cacheTtlMs: 0 }),
    sender: snsAlertSender(TOPIC, new SNSClient({})),
    now: () => now,
    officerAppUrl: OFFICER_APP_URL,
    checkSubscriptions: async () => problems,
  });

const saveProject = (id: string, body: Record<string, unknown>, ifMatch?: string) =>
  invoke(saveProjectHandler(officerDeps(table, () => BASE_NOW)), {
    method: 'PUT',
    path: `/officer/projects/${id}`,
    pathParameters: { id },
    body: {
      title: 'Transport to school',
      serviceArea: 'SEND transport',
      timeframes: DEFAULT_TIMEFRAMES,
      alertTeam: 'transport',
      active: true,
      ...body,
    },
    headers: ifMatch ? { 'if-match': ifMatch } : {},
    claims: admin,
  });

describe('project alert settings', () => {
  it('default to a reminder every 5 working days, escalating from the 2nd, and are shown to officers', async () => {
    const created = await saveProject('transport', {});
    expect(created.status).toBe(200);
    expect(created.body).toMatchObject({ reminderWorkingDays: 5, escalateAfterReminders: 2 });
    const listed = await invoke(listAllProjectsHandler(officerDeps(table)), {
      path: '/officer/projects',
      claims: officer,
    });
    const projects = listed.body.projects as Record<string, unknown>[];
    expect(projects.find((p) => p.id === 'general')).toMatchObject({
      reminderWorkingDays: 5,
      escalateAfterReminders: 2,
    });
  });

  it('are validated like the timeframes, naming each failing field, and changes are in the project’s history', async () => {
    const bad = await saveProject('bad-settings', { reminderWorkingDays: 0, escalateAfterReminders: 1.5 });
    expect(bad.status).toBe(400);
    expect((bad.body.errors as { path: string }[]).map((e) => e.path).sort()).toEqual([
      'escalateAfterReminders',
      'reminderWorkingDays',
    ]);
    const changed = await saveProject(
      'transport',
      { reminderWorkingDays: 2, escalateAfterReminders: 1 },
      '"1"',
    );
    expect(changed.status).toBe(200);
    expect(changed.body).toMatchObject({ reminderWorkingDays: 2, escalateAfterReminders: 1, version: 2 });
  });
});

describe('the sweep function', () => {
  it('follows the project’s settings, and reports subscription problems without holding back alerts', async () => {
    const response = await invoke(submitHandler(intakeDeps(table, { now: () => BASE_NOW })), {
      method: 'POST',
      path: '/feedback',
      headers: { 'idempotency-key': crypto.randomUUID() },
      body: {
        kind: 'feedback',
        projectId: 'transport',
        submitterRole: 'parent_or_carer',
        message: 'The bus is late every day',
      },
    });
    const receipt = response.body as { reference: string; acknowledgeBy: string };
    sns.on(PublishCommand).resolves({ MessageId: 'm' });
    const errors = vi.spyOn(logger, 'error').mockImplementation(() => {});
    const first = new Date(`${addDays(receipt.acknowledgeBy, 1)}T12:00:00Z`);
    const result = await handlerAt(first, [{ team: 'transport', role: 'team', problem: 'unconfirmed' }])();
    expect(result).toMatchObject({ sent: 1 });
    expect(errors).toHaveBeenCalledWith('alert subscription needs attention', {
      team: 'transport',
      role: 'team',
      problem: 'unconfirmed',
    });
    // reminderWorkingDays 2: due at the start of the 2nd working day after the first alert; escalateAfterReminders 1.
    const reminderDay = addWorkingDays(londonDateOf(first), 2);
    expect((await handlerAt(new Date(`${addDays(reminderDay, -1)}T12:00:00Z`))()).sent).toBe(0);
    expect((await handlerAt(new Date(`${reminderDay}T12:00:00Z`))()).sent).toBe(1);
    const published = sns.commandCalls(PublishCommand).map((call) => call.args[0].input.MessageAttributes);
    expect(published.map((attributes) => attributes?.escalation?.StringValue)).toEqual(['false', 'true']);
    expect(published.map((attributes) => attributes?.team?.StringValue)).toEqual(['transport', 'transport']);

    // Officers see both alerts on the feedback, as the OpenAPI document describes them.
    const request = { path: `/officer/feedback/${receipt.reference}` };
    const read = await invoke(getFeedbackHandler(officerDeps(table)), {
      ...request,
      pathParameters: { id: receipt.reference },
      claims: officer,
    });
    expect(read.body.alerts).toMatchObject([{ type: 'first' }, { type: 'escalation', escalation: true }]);
    expect(invokedViolations(request, read)).toEqual([]);
    // The alerts, not the sweep's bookkeeping nor intake's fingerprints, which the stored item keeps.
    for (const internal of INTERNAL_FIELDS) expect(read.body).not.toHaveProperty(internal);
    const stored = (await table.allItems()).find(
      (item) => item.PK === `FEEDBACK#${read.body.id}` && item.SK === 'META',
    );
    expect(stored).toMatchObject({ alertsSent: 2, intake: { keyHash: expect.any(String) } });
  });

  it('fails the invocation when an alert could not be published, so the scheduler retries and the alarm sees it', async () => {
    await invoke(submitHandler(intakeDeps(table, { now: () => addMs(BASE_NOW, 60 * DAY_MS) })), {
      method: 'POST',
      path: '/feedback',
      body: { kind: 'complaint', submitterRole: 'parent_or_carer', message: 'No reply to my letters' },
    });
    sns.on(PublishCommand).rejects(new Error('KMS key disabled'));
    await expect(handlerAt(addMs(BASE_NOW, 90 * DAY_MS))()).rejects.toThrow(/could not be published/);
  });
});

describe('co-production events', () => {
  it('alert when a held event is not reported back in time, and list the alert on the event', async () => {
    const outbox = testOutbox();
    const heldOn = addDays(londonDateOf(BASE_NOW), -1);
    const recorded = await invoke(recordEventHandler(officerDeps(table, () => BASE_NOW)), {
      method: 'POST',
      path: '/officer/events',
      body: {
        title: 'Short breaks workshop',
        projectId: 'general',
        type: 'workshop',
        heldOn,
        status: 'held',
        participants: { childrenAndYoungPeople: 3, parentsAndCarers: 8, professionals: 2 },
        accessibility: [],
      },
      claims: officer,
    });
    expect(recorded.status).toBe(201);
    const event = recorded.body as { id: string; reportBackBy: string; version: number };
    const late = new Date(`${addDays(event.reportBackBy, 1)}T12:00:00Z`);
    const report = await sweepAt(table, late, outbox.sender);
    expect(report.sent.filter((sent) => sent.stage === 'report_back')).toHaveLength(1);
    const line = outbox
      .lines()
      .find((input) => input.MessageAttributes?.stage?.StringValue === 'report_back');
    expect(line?.Subject).toMatch(/^Overdue: event /);
    expect(line?.MessageAttributes?.kind?.StringValue).toBe('event');

    const read = await invoke(getEventHandler(officerDeps(table)), {
      path: `/officer/events/${event.id}`,
      pathParameters: { id: event.id },
      claims: officer,
    });
    expect(read.body.alerts).toMatchObject([{ stage: 'report_back', type: 'first' }]);
    expect(invokedViolations({ path: `/officer/events/${event.id}` }, read)).toEqual([]);
    for (const internal of INTERNAL_FIELDS) expect(read.body).not.toHaveProperty(internal);
    const stored = (await table.allItems()).find(
      (item) => item.PK === `EVENT#${event.id}` && item.SK === 'META',
    );
    expect(stored).toMatchObject({ alertsSent: 1, nextAlertAt: expect.any(String) });

    // Reported back: out of the index, no more alerts.
    await updateEvent(
      officerDeps(table, () => late),
      event.id,
      event.version,
      { status: 'reported_back' },
      { sub: 'x', name: 'Sam' },
    );
    const after = await sweepAt(table, addMs(late, 30 * DAY_MS), outbox.sender);
    expect(after.sent.filter((sent) => sent.stage === 'report_back')).toEqual([]);
  });
});
