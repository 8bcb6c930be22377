import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeHandler as acknowledgeHandler } from '../../functions/acknowledge-feedback/handler';
import { makeHandler as getHandler } from '../../functions/get-feedback/handler';
import { makeHandler as respondHandler } from '../../functions/respond-to-feedback/handler';
import { makeHandler as submitHandler } from '../../functions/submit-feedback/handler';
import { addDays } from '../../shared/domain/london-time';
import { intakeDeps, officerDeps } from '../support/deps';
import { createTestTable, type TestTable } from '../support/dynamo';
import { invoke, officerClaims } from '../support/events';
import { addMs, BASE_NOW, DAY_MS, OFFICER_APP_URL, sweepAt, testOutbox } from '../support/sweep';

let table: TestTable;
beforeAll(async () => {
  table = await createTestTable();
});
afterAll(async () => table.drop());

const sam = officerClaims('officer', 'Sam Officer');
const FAMILY = {
  message: 'Our son Idris has had no speech therapy since March and the school ignores us',
  name: 'Bronwen Pryce-Atkins',
  email: 'bronwen.pryce@example.com',
  phone: '07700 900461',
};

async function submitComplaint(receivedAt: Date) {
  const response = await invoke(submitHandler(intakeDeps(table, { now: () => receivedAt })), {
    method: 'POST',
    path: '/feedback',
    body: {
      kind: 'complaint',
      submitterRole: 'parent_or_carer',
      message: FAMILY.message,
      contact: { name: FAMILY.name, email: FAMILY.email, phone: FAMILY.phone },
      consentToContact: true,
    },
  });
  expect(response.status).toBe(201);
  return response.body as { id: string; reference: string; acknowledgeBy: string; respondBy: string };
}

const get = (id: string, now: Date) =>
  invoke(getHandler(officerDeps(table, () => now)), {
    path: `/officer/feedback/${id}`,
    pathParameters: { id },
    claims: sam,
  });

function expectNoFamilyWords(text: string) {
  for (const secret of [
    FAMILY.message,
    'Idris',
    'speech therapy',
    FAMILY.name,
    'Bronwen',
    FAMILY.email,
    FAMILY.phone,
    '900461',
  ])
    expect(text).not.toContain(secret);
}

describe('a complaint nobody acknowledges (the issue’s walk-through)', () => {
  it('alerts once, reminds two weeks later, escalates two weeks after that, and stops once answered', async () => {
    const outbox = testOutbox();
    const receipt = await submitComplaint(BASE_NOW);
    // The day after its acknowledgeBy, 12:00 Z.
    const firstSweep = new Date(`${addDays(receipt.acknowledgeBy, 1)}T12:00:00Z`);

    const before = await sweepAt(
      table,
      addMs(new Date(`${receipt.acknowledgeBy}T12:00:00Z`), 0),
      outbox.sender,
    );
    expect(before.sent).toEqual([]);

    const first = await sweepAt(table, firstSweep, outbox.sender);
    expect(first.sent).toHaveLength(1);
    expect(outbox.lines()).toHaveLength(1);
    const [alert] = outbox.lines();
    expect(alert?.Subject).toContain(receipt.reference);
    expect(alert?.Subject?.length).toBeLessThan(100);
    expect(alert?.MessageStructure).toBe('json');
    const body = JSON.parse(String(alert?.Message)) as { default: string; email: string };
    expect(body.email).toContain(receipt.reference);
    expect(body.email).toContain(`${OFFICER_APP_URL}/feedback/${receipt.id}`);
    expect(JSON.parse(body.default)).toMatchObject({
      reference: receipt.reference,
      kind: 'complaint',
      stage: 'acknowledge',
      type: 'first',
      escalation: false,
      dueBy: receipt.acknowledgeBy,
    });
    expect(alert?.MessageAttributes).toMatchObject({
      team: { DataType: 'String', StringValue: 'send-service' },
      projectId: { StringValue: 'general' },
      kind: { StringValue: 'complaint' },
      stage: { StringValue: 'acknowledge' },
      escalation: { StringValue: 'false' },
      alertId: { StringValue: first.sent[0]?.alertId },
    });
    expectNoFamilyWords(JSON.stringify(outbox.lines()));
    expectNoFamilyWords(outbox.printed.join('\n'));
    expect(outbox.printed).toHaveLength(1);

    // The same command again, and a little later: nothing new.
    expect((await sweepAt(table, firstSweep, outbox.sender)).sent).toEqual([]);
    expect((await sweepAt(table, addMs(firstSweep, 3 * 3_600_000), outbox.sender)).sent).toEqual([]);
    expect(outbox.lines()).toHaveLength(1);

    const twoWeeks = addMs(firstSweep, 14 * DAY_MS);
    const reminder = await sweepAt(table, twoWeeks, outbox.sender);
    expect(reminder.sent).toMatchObject([{ type: 'reminder', sequence: 1, escalation: false }]);
    expect((await sweepAt(table, twoWeeks, outbox.sender)).sent).toEqual([]);

    const fourWeeks = addMs(twoWeeks, 14 * DAY_MS);
    const escalation = await sweepAt(table, fourWeeks, outbox.sender);
    expect(escalation.sent).toMatchObject([{ type: 'escalation', sequence: 2, escalation: true }]);
    const lines = outbox.lines();
    expect(lines).toHaveLength(3);
    expect(lines[2]?.MessageAttributes?.escalation?.StringValue).toBe('true');
    expect(lines[2]?.Subject).toMatch(/^Escalation: complaint /);
    expect(new Set(lines.map((line) => line.MessageAttributes?.alertId?.StringValue)).size).toBe(3);
    expectNoFamilyWords(JSON.stringify(lines));

    // Officers see what was sent, on the item and in its history.
    const read = await get(receipt.id, fourWeeks);
    expect(read.body.alerts).toMatchObject([
      { stage: 'acknowledge', type: 'first', sequence: 0, team: 'send-service' },
      { stage: 'acknowledge', type: 'reminder', sequence: 1 },
      { stage: 'acknowledge', type: 'escalation', sequence: 2, escalation: true },
    ]);
    const history = read.body.history as {
      action: string;
      actor: { sub: string };
      alert?: { alertId: string };
    }[];
    const alertEntries = history.filter((entry) => entry.action === 'overdue_alert');
    expect(alertEntries.map((entry) => entry.alert?.alertId)).toEqual(
      (read.body.alerts as { alertId: string }[]).map((a) => a.alertId),
    );
    expect(alertEntries.every((entry) => entry.actor.sub === 'system:overdue-sweep')).toBe(true);

    // Answered: no more alerts, however long we wait.
    const answer = await invoke(respondHandler(officerDeps(table, () => addMs(fourWeeks, 3_600_000))), {
      method: 'POST',
      path: `/officer/feedback/${receipt.id}/respond`,
      pathParameters: { id: receipt.id },
      headers: { 'if-match': read.headers.etag as string },
      body: { response: 'We have arranged a therapist from next week.', outcome: 'upheld' },
      claims: sam,
    });
    expect(answer.status).toBe(200);
    for (const weeks of [2, 4, 10]) {
      const later = await sweepAt(table, addMs(fourWeeks, weeks * 7 * DAY_MS), outbox.sender);
      expect(later.sent).toEqual([]);
      expect(later.read).toBe(0);
    }
    expect(outbox.lines()).toHaveLength(3);
  });

  it('starts a new series at the answer stage once acknowledged, and the alert says so', async () => {
    const outbox = testOutbox();
    const receipt = await submitComplaint(addMs(BASE_NOW, 1_000));
    const overdue = new Date(`${addDays(receipt.acknowledgeBy, 1)}T12:00:00Z`);
    await sweepAt(table, overdue, outbox.sender);
    const read = await get(receipt.id, overdue);
    const acknowledged = await invoke(acknowledgeHandler(officerDeps(table, () => addMs(overdue, 60_000))), {
      method: 'POST',
      path: `/officer/feedback/${receipt.id}/acknowledge`,
      pathParameters: { id: receipt.id },
      headers: { 'if-match': read.headers.etag as string },
      claims: sam,
    });
    expect(acknowledged.status).toBe(200);
    // Before the answer is due: nothing. After: a first alert at the respond stage.
    const beforeDue = await sweepAt(table, new Date(`${receipt.respondBy}T12:00:00Z`), outbox.sender);
    expect(beforeDue.sent.filter((sent) => sent.reference === receipt.reference)).toEqual([]);
    const afterDue = await sweepAt(
      table,
      new Date(`${addDays(receipt.respondBy, 1)}T12:00:00Z`),
      outbox.sender,
    );
    expect(afterDue.sent.filter((sent) => sent.reference === receipt.reference)).toMatchObject([
      { stage: 'respond', type: 'first', sequence: 0 },
    ]);
  });
});
