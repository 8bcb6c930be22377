import type { ReactionResult } from './projection';
import type { DomainEvent } from './schemas';

/**
 * Where domain events go for others to subscribe: an EventBridge custom bus in AWS
 * (eventbridge-bus.ts), `DATA_DIR/events.jsonl` locally (outbox-bus.ts).
 */
export interface DomainEventBus {
  /** Events per call. */
  readonly maxBatch: number;
  /** Puts events on the bus; the ids it took are `done`, the others failed and are retried. */
  publish(events: readonly DomainEvent[]): Promise<ReactionResult>;
}
