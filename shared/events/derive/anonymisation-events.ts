import { FEEDBACK_KINDS } from '../../domain/project';
import { DOMAIN_EVENT_SOURCE, DOMAIN_EVENT_VERSIONS } from '../catalogue';
import { domainEventId } from '../event-id';
import type { ItemChange } from '../item-change';
import type { DomainEvent } from '../schemas';
import { ImageReader } from './image';

/**
 * `feedback.anonymised`, from feedback's META item: when `anonymised` first appears
 * (shared/retention/anonymise.ts). Ids, kind and why only. The anonymising write moves no stage,
 * so feedback's own rules (feedback-events.ts) give nothing for it; the write that finishes a long
 * history's scrubbing has `anonymised` before and after, so it gives nothing either.
 */
export function anonymisationEvents(change: ItemChange): DomainEvent[] {
  const { keys, newImage, oldImage } = change;
  if (!keys.PK.startsWith('FEEDBACK#') || keys.SK !== 'META' || !newImage) return [];
  if (oldImage?.anonymised !== undefined || newImage.anonymised === undefined) return [];
  const item = new ImageReader(keys.PK, newImage);
  const anonymised = item.requiredMap('anonymised');
  const complaintStage = item.optionalCount('complaintStage');
  const type = 'feedback.anonymised';
  return [
    {
      id: domainEventId(type, keys.PK, item.count('version')),
      type,
      version: DOMAIN_EVENT_VERSIONS[type],
      source: DOMAIN_EVENT_SOURCE,
      occurredAt: anonymised.text('at'),
      projectId: item.text('projectId'),
      feedbackId: item.text('id'),
      reference: item.text('reference'),
      kind: item.oneOf('kind', FEEDBACK_KINDS),
      ...(complaintStage === undefined ? {} : { complaintStage }),
      reason: anonymised.oneOf('reason', ['retention', 'erasure'] as const),
    },
  ];
}
