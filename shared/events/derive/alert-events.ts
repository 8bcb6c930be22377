import { FEEDBACK_KINDS } from '../../domain/project';
import { DOMAIN_EVENT_SOURCE, DOMAIN_EVENT_VERSIONS } from '../catalogue';
import { domainEventId } from '../event-id';
import type { ItemChange } from '../item-change';
import type { DomainEvent } from '../schemas';
import { ImageReader, referenceOfId } from './image';

const ALERT_STAGES = ['acknowledge', 'respond', 'report_back'] as const;
const ALERT_TYPES = ['first', 'reminder', 'escalation'] as const;

/**
 * `alert.sent` when an overdue alert's record (FEEDBACK#/EVENT#<id>, ALERT#<alertId>) turns from
 * claimed to sent: the sweep published it. A claim, a claim given back or taken over, gives none.
 *
 * The record carries the item's project and kind from the claim on (shared/storage/alert-repository.ts).
 * A claim made by a sweep older than that carries neither and gives no event: the alert itself was
 * still sent, and its history entry still says so.
 */
export function alertEvents(change: ItemChange): DomainEvent[] {
  const { keys, newImage, oldImage } = change;
  const entity = keys.PK.startsWith('FEEDBACK#')
    ? 'feedback'
    : keys.PK.startsWith('EVENT#')
      ? 'event'
      : undefined;
  if (!entity || !keys.SK.startsWith('ALERT#') || !newImage) return [];
  if (newImage.alertState !== 'sent' || oldImage?.alertState === 'sent') return [];
  if (newImage.projectId === undefined) return [];
  const alert = new ImageReader(keys.PK, newImage);
  const alertId = alert.text('alertId');
  const itemId = keys.PK.slice(keys.PK.indexOf('#') + 1);
  const type = 'alert.sent';
  return [
    {
      id: domainEventId(type, keys.PK, alertId),
      type,
      version: DOMAIN_EVENT_VERSIONS[type],
      source: DOMAIN_EVENT_SOURCE,
      occurredAt: alert.text('sentAt'),
      projectId: alert.text('projectId'),
      alertId,
      entity,
      ...(entity === 'feedback' ? { feedbackId: itemId } : { eventId: itemId }),
      reference: referenceOfId(itemId),
      kind: alert.oneOf('kind', [...FEEDBACK_KINDS, 'event'] as const),
      stage: alert.oneOf('stage', ALERT_STAGES),
      alertType: alert.oneOf('type', ALERT_TYPES),
      sequence: alert.count('sequence'),
      escalation: alert.flag('escalation'),
      workingDaysOverdue: alert.count('workingDaysOverdue'),
      team: alert.text('team'),
    },
  ];
}
