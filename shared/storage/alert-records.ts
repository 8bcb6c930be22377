import type { SentAlert } from '../domain/overdue';
import { ALERT_PREFIX } from './keys';

/**
 * Alert records as officers see them: only alerts that were sent (a claim still in flight, or
 * given back after a failed Publish, is the sweep's business). Oldest first.
 */
export function sentAlertsOf(records: Record<string, unknown>[]): SentAlert[] {
  return records
    .filter((record) => String(record.SK).startsWith(ALERT_PREFIX) && record.alertState === 'sent')
    .map((record) => ({
      alertId: String(record.alertId),
      stage: record.stage as SentAlert['stage'],
      ...complaintStageOf(String(record.alertId)),
      type: record.type as SentAlert['type'],
      sequence: Number(record.sequence),
      escalation: record.escalation === true,
      workingDaysOverdue: Number(record.workingDaysOverdue),
      team: String(record.team),
      sentAt: String(record.sentAt),
    }))
    .sort((a, b) => (a.sentAt < b.sentAt ? -1 : a.sentAt > b.sentAt ? 1 : 0));
}

/**
 * A complaint alert's stage, from its id (`<id>.stage2-respond.<dueBy>.<seq>`, shared/domain/overdue.ts
 * `stageKeyOf`): the alert record keeps only the attributes the sweep may write, and the id already
 * says it. Stage 1 ids carry no prefix, so they say nothing.
 */
function complaintStageOf(alertId: string): { complaintStage?: number } {
  const stage = /^[^.]+\.stage(\d+)-/.exec(alertId)?.[1];
  return stage ? { complaintStage: Number(stage) } : {};
}
