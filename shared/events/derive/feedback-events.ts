import { CHANNELS } from '../../domain/channels';
import { OUTCOMES } from '../../domain/feedback';
import { FEEDBACK_KINDS } from '../../domain/project';
import { DOMAIN_EVENT_SOURCE, DOMAIN_EVENT_VERSIONS } from '../catalogue';
import { deadlineOutcome } from '../deadline';
import { domainEventId } from '../event-id';
import type { ItemChange } from '../item-change';
import type { DomainEvent } from '../schemas';
import { changed, ImageReader } from './image';

/**
 * Feedback's events, from its META item: received when it is created, then one event for each
 * stage whose time appears or moves (acknowledgedAt, respondedAt, closedAt), so answering
 * unacknowledged feedback gives acknowledged and responded, in that order. An officer's change that
 * moves no stage (and the sweep's alert bookkeeping) gives none.
 *
 * New stages (escalation, extension, anonymisation) are one more rule here each: a field whose
 * appearance marks the stage, and the fields the event names.
 */
export function feedbackEvents(change: ItemChange): DomainEvent[] {
  const { keys, newImage } = change;
  if (!keys.PK.startsWith('FEEDBACK#') || keys.SK !== 'META' || !newImage) return [];
  const item = new ImageReader(keys.PK, newImage);
  const version = item.count('version');
  const subject = {
    projectId: item.text('projectId'),
    feedbackId: item.text('id'),
    reference: item.text('reference'),
    kind: item.oneOf('kind', FEEDBACK_KINDS),
  };
  const envelope = <const T extends DomainEvent['type']>(type: T, occurredAt: string) => ({
    id: domainEventId(type, keys.PK, version),
    type,
    version: DOMAIN_EVENT_VERSIONS[type],
    source: DOMAIN_EVENT_SOURCE,
    occurredAt,
  });

  const events: DomainEvent[] = [];
  if (!change.oldImage) {
    events.push({
      ...envelope('feedback.received', item.text('receivedAt')),
      ...subject,
      channel: item.oneOf('channel', CHANNELS),
      acknowledgeBy: item.text('acknowledgeBy'),
      respondBy: item.text('respondBy'),
    });
  }
  if (changed(change, 'acknowledgedAt')) {
    const at = item.text('acknowledgedAt');
    events.push({
      ...envelope('feedback.acknowledged', at),
      ...subject,
      deadline: deadlineOutcome('acknowledge', item.text('acknowledgeBy'), item.text('acknowledgeDueAt'), at),
    });
  }
  if (changed(change, 'respondedAt')) {
    const at = item.text('respondedAt');
    events.push({
      ...envelope('feedback.responded', at),
      ...subject,
      outcome: item.oneOf('outcome', OUTCOMES),
      deadline: deadlineOutcome('respond', item.text('respondBy'), item.text('respondDueAt'), at),
    });
  }
  if (changed(change, 'closedAt')) {
    const outcome = item.optionalText('outcome');
    events.push({
      ...envelope('feedback.closed', item.text('closedAt')),
      ...subject,
      ...(outcome === undefined ? {} : { outcome: item.oneOf('outcome', OUTCOMES) }),
    });
  }
  return events;
}
