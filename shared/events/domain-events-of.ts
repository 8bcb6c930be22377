import { alertEvents } from './derive/alert-events';
import { anonymisationEvents } from './derive/anonymisation-events';
import { coproductionEventEvents } from './derive/coproduction-event-events';
import { feedbackEvents } from './derive/feedback-events';
import { updateEvents } from './derive/update-events';
import type { ItemChange } from './item-change';
import type { DomainEvent } from './schemas';

/** One rule per kind of item; each looks at the key and returns nothing for items not its own. */
export type Deriver = (change: ItemChange) => DomainEvent[];

export const DERIVERS: readonly Deriver[] = [
  feedbackEvents,
  anonymisationEvents,
  alertEvents,
  coproductionEventEvents,
  updateEvents,
];

/**
 * The domain events one item change means, in the order they happened; none for items that are
 * bookkeeping (history entries, projects, alert claims, the projector's own markers and whatever a
 * projection writes). Pure: the same change always gives the same events, ids included.
 * Throws UnreadableItemError for an item its key says is feedback (say) that cannot be read as such.
 */
export function domainEventsOf(change: ItemChange): DomainEvent[] {
  return DERIVERS.flatMap((derive) => derive(change));
}
