import { EVENT_STATUSES, EVENT_TYPES } from '../../domain/event';
import { DOMAIN_EVENT_SOURCE, DOMAIN_EVENT_VERSIONS } from '../catalogue';
import { domainEventId } from '../event-id';
import type { ItemChange } from '../item-change';
import type { DomainEvent } from '../schemas';
import { ImageReader } from './image';

/** `event.recorded` when a co-production event's META item is created. Its title and notes stay out. */
export function coproductionEventEvents(change: ItemChange): DomainEvent[] {
  const { keys, newImage } = change;
  if (!keys.PK.startsWith('EVENT#') || keys.SK !== 'META' || !newImage || change.oldImage) return [];
  const event = new ImageReader(keys.PK, newImage);
  const type = 'event.recorded';
  return [
    {
      id: domainEventId(type, keys.PK, event.count('version')),
      type,
      version: DOMAIN_EVENT_VERSIONS[type],
      source: DOMAIN_EVENT_SOURCE,
      occurredAt: event.text('createdAt'),
      projectId: event.text('projectId'),
      eventId: event.text('id'),
      eventType: event.oneOf('type', EVENT_TYPES),
      status: event.oneOf('status', EVENT_STATUSES),
      heldOn: event.text('heldOn'),
      reportBackBy: event.text('reportBackBy'),
      participants: event.counts('participants', [
        'childrenAndYoungPeople',
        'parentsAndCarers',
        'professionals',
      ]),
    },
  ];
}
