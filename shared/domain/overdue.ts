import type { Actor } from '../auth/officer';
import type { CoproductionEvent } from './event';
import type { Feedback } from './feedback';
import { addDays, endOfLondonDay, type IsoDate, londonDateOf } from './london-time';
import { addWorkingDays, isWorkingDay } from './working-days';

/**
 * What is overdue, and when an open item next needs the sweep's attention. Pure: the sweep
 * (shared/domain/sweep-overdue.ts) and storage (the GSI1 sort key) both use these rules, so an
 * officer's write and the sweep's write put an item at the same place in the index.
 */
export const ALERT_STAGES = ['acknowledge', 'respond', 'report_back'] as const;
export type AlertStage = (typeof ALERT_STAGES)[number];
export type AlertType = 'first' | 'reminder' | 'escalation';

/** Per-project settings (shared/domain/project.ts): how often to remind, and when reminders escalate. */
export interface AlertSettings {
  /** Working days between one alert and the next while the item stays overdue. */
  reminderWorkingDays: number;
  /** From this reminder on (1 = the first reminder) an alert is an escalation. */
  escalateAfterReminders: number;
}
export const DEFAULT_ALERT_SETTINGS: AlertSettings = { reminderWorkingDays: 5, escalateAfterReminders: 2 };

/** Who the history says sent an alert: no officer did. */
export const SWEEP_ACTOR: Actor = { sub: 'system:overdue-sweep', name: 'Overdue sweep' };

/**
 * Where an item is in its series of alerts, kept on the item itself (and projected into GSI1), so
 * the sweep learns it from the index without reading the item. A series is one stage with one
 * deadline: acknowledging starts the respond series; moving an event's date starts a new one.
 */
export interface AlertProgress {
  alertSeries?: string;
  alertsSent?: number;
  lastAlertAt?: string;
  nextAlertAt?: string;
}

/** What the sweep sees of an open item: GSI1's projection. No message, no name, no contact details. */
export type OpenItem = OpenFeedback | OpenEvent;
// Picked field by field from the stored types: the index projects these and nothing else, so a
// field added to Feedback or an event does not reach the sweep (or its alerts) unless named here.
export type OpenFeedback = AlertProgress & { entity: 'FEEDBACK' } & Pick<
    Feedback,
    | 'id'
    | 'reference'
    | 'kind'
    | 'projectId'
    | 'status'
    | 'receivedAt'
    | 'acknowledgeBy'
    | 'acknowledgeDueAt'
    | 'respondBy'
    | 'respondDueAt'
    | 'version'
    | 'complaintProcedure'
    | 'complaintStage'
    | 'reviewPanelOn'
  >;
export type OpenEvent = AlertProgress & { entity: 'EVENT' } & Pick<
    CoproductionEvent,
    'id' | 'title' | 'projectId' | 'status' | 'heldOn' | 'reportBackBy' | 'reportBackDueAt' | 'version'
  >;

export interface StageDeadline {
  stage: AlertStage;
  /** The London date the stage is due by. */
  dueBy: IsoDate;
  /** The end of that day, as an instant. */
  dueAt: string;
  /** A complaint's stage (shared/domain/complaint-stages.ts): each stage's alerts are a series of their own. */
  complaintStage?: number;
}

/** The deadline an item is working towards now, or undefined when it owes nothing (answered, reported back). */
export function stageOf(
  item:
    | Pick<
        OpenFeedback,
        | 'entity'
        | 'status'
        | 'acknowledgeBy'
        | 'acknowledgeDueAt'
        | 'respondBy'
        | 'respondDueAt'
        | 'complaintStage'
      >
    | Pick<OpenEvent, 'entity' | 'status' | 'reportBackBy' | 'reportBackDueAt'>,
): StageDeadline | undefined {
  if (item.entity === 'FEEDBACK') {
    const complaint = item.complaintStage ? { complaintStage: item.complaintStage } : {};
    if (item.status === 'received')
      return { stage: 'acknowledge', dueBy: item.acknowledgeBy, dueAt: item.acknowledgeDueAt, ...complaint };
    if (item.status === 'acknowledged')
      return { stage: 'respond', dueBy: item.respondBy, dueAt: item.respondDueAt, ...complaint };
    return undefined;
  }
  // Only a held event owes its participants a report-back; a planned one has not happened yet.
  if (item.status === 'held')
    return { stage: 'report_back', dueBy: item.reportBackBy, dueAt: item.reportBackDueAt };
  return undefined;
}

/**
 * What tells one stage's alerts from another's: the alert stage, prefixed from a complaint's stage 2
 * on (`stage2-respond`), so an escalation starts a fresh series and a stage 2 alert can never be
 * taken for a stage 1 one, even with the same due date. Stage 1 keeps the plain name it always had.
 */
export function stageKeyOf(deadline: StageDeadline): string {
  return deadline.complaintStage && deadline.complaintStage > 1
    ? `stage${deadline.complaintStage}-${deadline.stage}`
    : deadline.stage;
}

export const seriesOf = (deadline: StageDeadline) => `${stageKeyOf(deadline)}#${deadline.dueAt}`;

/** Alerts already sent in the item's current series (0 once the stage or its deadline changes). */
export function alertsSentAt(item: AlertProgress, deadline: StageDeadline): number {
  return item.alertSeries === seriesOf(deadline) ? (item.alertsSent ?? 0) : 0;
}

/**
 * When an open item next needs attention: its deadline, or once alerted in this series, its next
 * reminder. This is the GSI1 sort key, so a sweep never reads an item that needs nothing yet.
 */
export function attentionAt(item: Parameters<typeof stageOf>[0] & AlertProgress): string | undefined {
  const deadline = stageOf(item);
  if (!deadline) return undefined;
  return alertsSentAt(item, deadline) > 0 && item.nextAlertAt ? item.nextAlertAt : deadline.dueAt;
}

/** Working days from the day after the due date up to and including today (London): 0 on a weekend just after. */
export function workingDaysOverdue(dueBy: IsoDate, now: Date): number {
  const today = londonDateOf(now);
  let count = 0;
  for (let day = addDays(dueBy, 1); day <= today; day = addDays(day, 1)) if (isWorkingDay(day)) count++;
  return count;
}

/** The start (00:00 London) of a London date, as an instant. */
export function startOfLondonDay(date: IsoDate): Date {
  return new Date(endOfLondonDay(addDays(date, -1)).getTime() + 1);
}

/** The next reminder: the start of the London day `reminderWorkingDays` working days after this alert's day. */
export function nextReminderAt(sentAt: Date, settings: AlertSettings): string {
  return startOfLondonDay(addWorkingDays(londonDateOf(sentAt), settings.reminderWorkingDays)).toISOString();
}

/**
 * Stable for one alert (item, stage, deadline, place in the series): a retried publish of the same
 * alert carries the same id, so a consumer can drop a duplicate.
 */
export function alertIdOf(item: Pick<OpenItem, 'id'>, deadline: StageDeadline, sequence: number): string {
  return `${item.id}.${stageKeyOf(deadline)}.${deadline.dueBy}.${String(sequence).padStart(3, '0')}`;
}

export interface DueAlert {
  alertId: string;
  stage: AlertStage;
  complaintStage?: number;
  dueBy: IsoDate;
  dueAt: string;
  series: string;
  /** 0 for the first alert, then 1, 2, … for each reminder. */
  sequence: number;
  type: AlertType;
  escalation: boolean;
  workingDaysOverdue: number;
}

/** The alert an item needs now, if any: overdue, and either never alerted in this series or due a reminder. */
export function dueAlert(item: OpenItem, settings: AlertSettings, now: Date): DueAlert | undefined {
  const deadline = stageOf(item);
  if (!deadline || deadline.dueAt >= now.toISOString()) return undefined;
  const sequence = alertsSentAt(item, deadline);
  if (sequence > 0 && item.nextAlertAt && item.nextAlertAt > now.toISOString()) return undefined;
  const escalation = sequence > 0 && sequence >= settings.escalateAfterReminders;
  return {
    alertId: alertIdOf(item, deadline, sequence),
    ...deadline,
    series: seriesOf(deadline),
    sequence,
    type: sequence === 0 ? 'first' : escalation ? 'escalation' : 'reminder',
    escalation,
    workingDaysOverdue: workingDaysOverdue(deadline.dueBy, now),
  };
}

/** The item's alert bookkeeping once `alert` has been sent at `sentAt`. */
export function progressAfter(
  alert: DueAlert,
  sentAt: Date,
  settings: AlertSettings,
): Required<AlertProgress> {
  return {
    alertSeries: alert.series,
    alertsSent: alert.sequence + 1,
    lastAlertAt: sentAt.toISOString(),
    nextAlertAt: nextReminderAt(sentAt, settings),
  };
}

/** An alert as officers see it on the item, and as its history entry records it. */
export interface SentAlert {
  alertId: string;
  stage: AlertStage;
  /** A complaint's stage, from stage 2 on (the stage its alertId names: `stage2-respond`). */
  complaintStage?: number;
  type: AlertType;
  sequence: number;
  escalation: boolean;
  workingDaysOverdue: number;
  team: string;
  sentAt: string;
}
