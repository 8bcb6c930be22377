import type { DomainEventBus } from '../bus';
import type { Reaction } from '../projection';

/**
 * The domain events outbox: every event onto the bus, exactly once as far as the projector can
 * make it (a crash between PutEvents and the marker's update repeats an event, with its id). It is
 * a reaction like any other, so the seam the others use is the one this proves.
 */
export const PUBLISH_REACTION = 'publish';

export function publishToBus(bus: DomainEventBus): Reaction {
  return {
    name: PUBLISH_REACTION,
    wants: () => true,
    maxBatch: bus.maxBatch,
    react: (events) => bus.publish(events),
  };
}
