import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_TIMEFRAMES } from '../../shared/config/default-projects';
import { newFeedback } from '../../shared/domain/feedback';
import { addDays, londonDateOf } from '../../shared/domain/london-time';
import {
  attentionAt,
  DEFAULT_ALERT_SETTINGS,
  dueAlert,
  nextReminderAt,
  type OpenFeedback,
  type OpenItem,
  progressAfter,
  startOfLondonDay,
  workingDaysOverdue,
} from '../../shared/domain/overdue';
import { alertMessage, MAX_SUBJECT } from '../../shared/domain/overdue-alert';
import { isWorkingDay } from '../../shared/domain/working-days';
import { publishInputOf } from '../../shared/notify/publish-input';
import { BASE_NOW, DAY_MS } from '../support/sweep';

const PROJECT = { id: 'general', title: 'General feedback about SEND services', alertTeam: 'send-service' };

function complaintAt(receivedAt: Date, extra: Partial<Parameters<typeof newFeedback>[1]> = {}): OpenItem {
  const feedback = newFeedback(
    'K7QM-92PD',
    {
      kind: 'complaint',
      projectId: 'general',
      submitterRole: 'parent_or_carer',
      channel: 'web',
      message: 'x',
      ...extra,
    } as Parameters<typeof newFeedback>[1],
    DEFAULT_TIMEFRAMES.complaint,
    receivedAt,
  );
  return { entity: 'FEEDBACK', ...feedback };
}

/** Any instant within about six months of the base (the bank-holiday table bounds the calendar). */
const instant = fc
  .integer({ min: -180, max: 180 })
  .chain((days) =>
    fc
      .integer({ min: 0, max: 1439 })
      .map((minute) => new Date(BASE_NOW.getTime() + days * DAY_MS + minute * 60_000)),
  );

describe('what is overdue', () => {
  it('nothing before the deadline; a first alert after it; nothing again until the next reminder', () => {
    fc.assert(
      fc.property(instant, fc.integer({ min: 1, max: 20 }), (received, reminderWorkingDays) => {
        const item = complaintAt(received);
        const settings = { reminderWorkingDays, escalateAfterReminders: 2 };
        const due = new Date(item.entity === 'FEEDBACK' ? item.acknowledgeDueAt : '');
        expect(dueAlert(item, settings, new Date(due.getTime() - 1))).toBeUndefined();
        const at = new Date(due.getTime() + 1);
        const first = dueAlert(item, settings, at);
        expect(first).toMatchObject({ type: 'first', sequence: 0, stage: 'acknowledge', escalation: false });
        if (!first) return;
        const after = { ...item, ...progressAfter(first, at, settings) };
        // The index moves the item to its next reminder: it is not due again before then.
        expect(attentionAt(after)).toBe(after.nextAlertAt);
        expect(after.nextAlertAt > at.toISOString()).toBe(true);
        expect(dueAlert(after, settings, new Date(Date.parse(after.nextAlertAt) - 1))).toBeUndefined();
        const reminder = dueAlert(after, settings, new Date(after.nextAlertAt));
        expect(reminder).toMatchObject({ type: 'reminder', sequence: 1 });
        expect(reminder?.alertId).not.toBe(first.alertId);
      }),
      { numRuns: 200 },
    );
  });

  it('escalates from the escalateAfterReminders-th reminder on', () => {
    fc.assert(
      fc.property(instant, fc.integer({ min: 1, max: 6 }), (received, escalateAfterReminders) => {
        const settings = { reminderWorkingDays: 5, escalateAfterReminders };
        let item = complaintAt(received);
        let now = new Date(Date.parse(item.entity === 'FEEDBACK' ? item.acknowledgeDueAt : '') + 1);
        for (let sequence = 0; sequence <= escalateAfterReminders + 1; sequence++) {
          const alert = dueAlert(item, settings, now);
          expect(alert?.sequence).toBe(sequence);
          expect(alert?.escalation).toBe(sequence >= escalateAfterReminders);
          if (!alert) return;
          item = { ...item, ...progressAfter(alert, now, settings) };
          now = new Date(item.nextAlertAt as string);
        }
      }),
    );
  });

  it('reminds on the start of the London day N working days after the last alert', () => {
    fc.assert(
      fc.property(instant, fc.integer({ min: 1, max: 15 }), (sentAt, reminderWorkingDays) => {
        const next = new Date(nextReminderAt(sentAt, { ...DEFAULT_ALERT_SETTINGS, reminderWorkingDays }));
        const day = londonDateOf(next);
        expect(isWorkingDay(day)).toBe(true);
        expect(next.getTime()).toBe(startOfLondonDay(day).getTime());
        expect(workingDaysOverdue(londonDateOf(sentAt), next)).toBe(reminderWorkingDays);
      }),
    );
  });

  it('leaves answered feedback and events not yet held out of the index', () => {
    const item = complaintAt(BASE_NOW);
    for (const status of ['responded', 'closed'] as const)
      expect(attentionAt({ ...(item as OpenFeedback), status })).toBeUndefined();
    expect(
      attentionAt({ entity: 'EVENT', status: 'planned', reportBackBy: '2030-01-01', reportBackDueAt: 'x' }),
    ).toBeUndefined();
    expect(
      attentionAt({ entity: 'EVENT', status: 'held', reportBackBy: '2030-01-01', reportBackDueAt: 'x' }),
    ).toBe('x');
  });

  it('counts working days overdue from the day after the due date', () => {
    const dueBy = londonDateOf(BASE_NOW);
    expect(workingDaysOverdue(dueBy, startOfLondonDay(dueBy))).toBe(0);
    let expected = 0;
    for (let day = 1; day <= 20; day++) {
      if (isWorkingDay(addDays(dueBy, day))) expected++;
      expect(
        workingDaysOverdue(dueBy, new Date(startOfLondonDay(addDays(dueBy, day)).getTime() + 3_600_000)),
      ).toBe(expected);
    }
  });
});

describe('the alert', () => {
  const words = fc.string({ minLength: 6, maxLength: 40 }).map((text) => `${text}§`);

  it('never carries the family’s message, name, email or phone, however the item is passed in', () => {
    fc.assert(
      fc.property(
        words,
        words,
        fc.emailAddress(),
        fc.stringMatching(/^07\d{9}$/),
        instant,
        (message, name, email, phone, received) => {
          // The whole stored item, personal data and all, as if someone passed it straight in.
          const item = complaintAt(received, {
            message,
            contact: { name, email, phone },
            consentToContact: true,
          } as never);
          const alert = dueAlert(
            item,
            DEFAULT_ALERT_SETTINGS,
            new Date(Date.parse(item.entity === 'FEEDBACK' ? item.respondDueAt : '') + DAY_MS),
          );
          if (!alert) throw new Error('expected an alert');
          const text = JSON.stringify(
            publishInputOf(alertMessage(item, alert, PROJECT, 'https://officers.example/app'), 'arn:x'),
          );
          for (const secret of [message, name, email, phone]) expect(text).not.toContain(secret);
          // Personal data keys do not appear at all.
          for (const key of ['"message"', 'contact', '"name"', '"email":"', 'phone'])
            expect(text.includes(key)).toBe(false);
        },
      ),
    );
  });

  it('has a subject under 100 characters naming the reference, and every field the issue lists', () => {
    const item = complaintAt(BASE_NOW);
    const alert = dueAlert(
      item,
      DEFAULT_ALERT_SETTINGS,
      new Date(Date.parse(item.entity === 'FEEDBACK' ? item.acknowledgeDueAt : '') + 4 * DAY_MS),
    );
    if (!alert) throw new Error('expected an alert');
    const message = alertMessage(item, alert, PROJECT, 'https://officers.example/app/');
    expect(message.subject.length).toBeLessThanOrEqual(MAX_SUBJECT);
    expect(message.subject).toMatch(
      /^Overdue: complaint K7QM-92PD, acknowledgement due \d+ working days? ago$|^Overdue: complaint K7QM-92PD, acknowledgement due by the end/,
    );
    for (const expected of [
      'K7QM-92PD',
      PROJECT.title,
      'complaint',
      'acknowledgement',
      londonDateOf(BASE_NOW),
      alert.dueBy,
      'Escalation:           no',
      'https://officers.example/app/feedback/K7QM92PD',
    ])
      expect(message.email).toContain(expected);
    expect(message.attributes).toEqual({
      team: 'send-service',
      projectId: 'general',
      kind: 'complaint',
      stage: 'acknowledge',
      escalation: 'false',
      alertId: alert.alertId,
    });
  });
});
