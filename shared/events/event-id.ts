import { createHash } from 'node:crypto';
import type { DomainEventType } from './catalogue';

/**
 * An event's id, from what the event is about, never from when it was read: the same change read
 * twice (a redelivered stream record, a retried batch, a re-read after a lost checkpoint) gives the
 * same id, which is what the projector's once-only marker and every consumer deduplicate on.
 *
 * `occurrence` tells apart repeats of one type on one subject: the item's version for feedback,
 * events and updates (an update published, unpublished and published again is three versions),
 * the alert id for alerts. The id is a UUID in form (version 8, "custom"), the first 122 bits of
 * SHA-256 over type, subject and occurrence, so systems that expect UUIDs take it as it is.
 */
export function domainEventId(type: DomainEventType, subject: string, occurrence: string | number): string {
  const hex = createHash('sha256').update(`${type}\n${subject}\n${occurrence}`).digest('hex');
  const variant = ((Number.parseInt(hex.charAt(16), 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-8${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}
