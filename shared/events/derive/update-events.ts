import { UPDATE_STATUSES } from '../../domain/update';
import { DOMAIN_EVENT_SOURCE, DOMAIN_EVENT_VERSIONS } from '../catalogue';
import { domainEventId } from '../event-id';
import type { ItemChange } from '../item-change';
import type { DomainEvent } from '../schemas';
import { ImageReader } from './image';

/**
 * `update.published` / `update.unpublished` when a "You said, we did" update's published flag
 * changes, with the ids of the feedback and events it links (whose families a later step tells),
 * never its words. Edits that leave the flag as it was give none.
 */
export function updateEvents(change: ItemChange): DomainEvent[] {
  const { keys, newImage } = change;
  if (!keys.PK.startsWith('UPDATE#') || keys.SK !== 'META' || !newImage) return [];
  const was = change.oldImage?.published === true;
  const is = newImage.published === true;
  if (was === is) return [];
  const update = new ImageReader(keys.PK, newImage);
  const type = is ? 'update.published' : 'update.unpublished';
  return [
    {
      id: domainEventId(type, keys.PK, update.count('version')),
      type,
      version: DOMAIN_EVENT_VERSIONS[type],
      source: DOMAIN_EVENT_SOURCE,
      occurredAt: update.text(is ? 'publishedAt' : 'unpublishedAt'),
      projectId: update.text('projectId'),
      updateId: update.text('id'),
      status: update.oneOf('status', UPDATE_STATUSES),
      feedbackIds: update.texts('feedbackIds'),
      eventIds: update.texts('eventIds'),
    },
  ];
}
