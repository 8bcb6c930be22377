import { DEFAULT_PROJECTS } from '../config/default-projects';
import {
  type AlertSettings,
  attentionAt,
  DEFAULT_ALERT_SETTINGS,
  type DueAlert,
  dueAlert,
  type OpenItem,
  progressAfter,
  type SentAlert,
} from './overdue';
import { type AlertMessage, type AlertProject, alertMessage } from './overdue-alert';
import type { Project, ProjectRepository } from './project';

/**
 * The overdue sweep: read the items that need attention now (GSI1, sorted by that time), and for
 * each, claim its alert, publish it, record it. The claim is a conditional write with a lease, so:
 * - a failed Publish releases the claim: the next sweep sends it (nothing lost);
 * - two sweeps at once (or a retried one) cannot both hold a claim: each alert is published once;
 * - a sweep that dies after claiming leaves a claim that expires: a later sweep publishes the
 *   same alert, with the same alertId;
 * - the one duplicate: a crash (or a timed-out Publish that did get through) between Publish and
 *   the write that records it. The duplicate carries the same alertId.
 */
export type ClaimOutcome =
  | { outcome: 'claimed'; token: string }
  /** Another sweep holds a live claim on this alert. */
  | { outcome: 'taken' }
  /** The item changed since the index was read (answered, acknowledged, moved): nothing to send. */
  | { outcome: 'moved' }
  /** Already sent; the item's index entry was behind (its progress is repaired). */
  | { outcome: 'sent'; sentAt: string };

export interface SweepStore {
  /** Open items whose next-attention time is before `now`, and how many index items were read. */
  dueItems(now: Date, limit: number): Promise<{ items: OpenItem[]; read: number }>;
  claim(item: OpenItem, alert: DueAlert, now: Date, leaseMs: number): Promise<ClaimOutcome>;
  /** Gives a claim back after a failed Publish, so the next sweep retries at once. */
  release(item: OpenItem, alert: DueAlert, token: string): Promise<void>;
  /** Marks the alert sent (with its history entry), then moves the item to its next reminder. */
  recordSent(
    item: OpenItem,
    alert: DueAlert,
    sent: SentAlert & { messageId: string; token: string },
    progress: ReturnType<typeof progressAfter>,
  ): Promise<void>;
  /** Moves an item's index entry to when it next needs attention (no alert sent). */
  reschedule(item: OpenItem, progress: Partial<ReturnType<typeof progressAfter>>): Promise<void>;
}

/** Where alerts go: SNS in AWS, the outbox locally (shared/notify). */
export interface AlertSender {
  send(message: AlertMessage): Promise<{ messageId: string }>;
}

export interface SweepDeps {
  store: SweepStore;
  projects: Pick<ProjectRepository, 'list'>;
  sender: AlertSender;
  now: () => Date;
  officerAppUrl: string;
  /** How long a claim keeps other sweeps off an alert: well beyond one claim-publish-record. */
  leaseMs?: number;
  /** Publishes in flight at once. */
  concurrency?: number;
  /** The most alerts one sweep sends; the rest wait for the next sweep (they stay due in the index). */
  maxAlerts?: number;
  /** One line per event worth knowing; never a family's words (there are none to give). */
  log?: (event: string, details: Record<string, unknown>) => void;
}

export interface SweepReport {
  at: string;
  /** Index items the sweep read. */
  read: number;
  sent: (SentAlert & { messageId: string; reference: string; subject: string })[];
  failed: { alertId: string; error: string }[];
  /** Claimed by another sweep, moved by an officer, or already sent. */
  skipped: number;
}

export const DEFAULT_LEASE_MS = 10 * 60_000;

export function settingsOf(project: Partial<AlertSettings> | undefined): AlertSettings {
  return {
    reminderWorkingDays: project?.reminderWorkingDays ?? DEFAULT_ALERT_SETTINGS.reminderWorkingDays,
    escalateAfterReminders: project?.escalateAfterReminders ?? DEFAULT_ALERT_SETTINGS.escalateAfterReminders,
  };
}

/** One sweep as of `deps.now()`. */
export async function sweepOverdue(deps: SweepDeps): Promise<SweepReport> {
  const now = deps.now();
  const leaseMs = deps.leaseMs ?? DEFAULT_LEASE_MS;
  const log = deps.log ?? (() => {});
  const projects = new Map<string, Project>((await deps.projects.list()).map((p) => [p.id, p]));
  const fallback = DEFAULT_PROJECTS[0] as Project;
  const { items, read } = await deps.store.dueItems(now, deps.maxAlerts ?? 1_000);
  const report: SweepReport = { at: now.toISOString(), read, sent: [], failed: [], skipped: 0 };

  const handle = async (item: OpenItem) => {
    const project = projects.get(item.projectId);
    const settings = settingsOf(project);
    const alert = dueAlert(item, settings, now);
    if (!alert) {
      // In the index as due, but nothing is (an officer's write raced the last sweep's): move it on.
      const next = attentionAt(item);
      if (next && next > now.toISOString()) await deps.store.reschedule(item, {});
      report.skipped++;
      return;
    }
    const claim = await deps.store.claim(item, alert, now, leaseMs);
    if (claim.outcome === 'sent') {
      await deps.store.reschedule(item, progressAfter(alert, new Date(claim.sentAt), settings));
      report.skipped++;
      return;
    }
    if (claim.outcome !== 'claimed') {
      report.skipped++;
      return;
    }
    const target: AlertProject = project ?? { ...fallback, id: item.projectId };
    const message = alertMessage(item, alert, target, deps.officerAppUrl);
    let messageId: string;
    try {
      ({ messageId } = await deps.sender.send(message));
    } catch (error) {
      const reason = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
      report.failed.push({ alertId: alert.alertId, error: reason });
      log('alert-publish-failed', { alertId: alert.alertId, error: reason });
      await deps.store.release(item, alert, claim.token).catch(() => {
        // The lease runs out on its own: the alert is still not lost, only later.
      });
      return;
    }
    const sentAt = deps.now();
    const sent: SentAlert = {
      alertId: alert.alertId,
      stage: alert.stage,
      ...(alert.complaintStage && alert.complaintStage > 1 ? { complaintStage: alert.complaintStage } : {}),
      type: alert.type,
      sequence: alert.sequence,
      escalation: alert.escalation,
      workingDaysOverdue: alert.workingDaysOverdue,
      team: target.alertTeam,
      sentAt: sentAt.toISOString(),
    };
    await deps.store.recordSent(
      item,
      alert,
      { ...sent, messageId, token: claim.token },
      progressAfter(alert, sentAt, settings),
    );
    report.sent.push({
      ...sent,
      messageId,
      reference: message.document.reference,
      subject: message.subject,
    });
    log('alert-sent', { alertId: alert.alertId, team: target.alertTeam, type: alert.type });
  };

  // A small pool: publishes overlap, but a backlog does not open hundreds of connections at once.
  const queue = [...items];
  const errors: unknown[] = [];
  const worker = async () => {
    for (let item = queue.shift(); item; item = queue.shift()) {
      try {
        await handle(item);
      } catch (error) {
        errors.push(error);
      }
    }
  };
  await Promise.all(Array.from({ length: deps.concurrency ?? 8 }, worker));
  if (errors.length) {
    // Storage failed mid-sweep: what was sent is recorded; claims left behind expire. Fail loudly.
    throw new AggregateError(errors, `${errors.length} alert(s) could not be processed`);
  }
  return report;
}
