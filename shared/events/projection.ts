import type { TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import type { DomainEvent } from './schemas';

/**
 * The seam between the projector and what is built from domain events. Two kinds, registered in
 * one list (shared/events/registry.ts) that the projector runs for every event:
 *
 * - A Projection keeps a read model in the table (the scorecard's counts). Its writes go in the
 *   SAME DynamoDB transaction as the event's once-only marker: both commit or neither does, so a
 *   count moves exactly once per event however often a record is redelivered.
 * - A Reaction does something outside the table (put the event on the bus, send a family a
 *   message). The projector records per event which reactions are still owed it, on the marker,
 *   and offers each event to each reaction until it says it is done.
 */

/** A write in DynamoDB's TransactWriteItems, in the document client's form (plain values). */
export type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

export interface ProjectionContext {
  /** The table every write goes to (`TableName` of each item). */
  tableName: string;
  /** The projector's clock, for `updatedAt` fields; an event's own time is `event.occurredAt`. */
  now: Date;
}

export interface Projection {
  /** Stable and unique: it names the projection in logs. */
  readonly name: string;
  /**
   * The partitions it writes, as IAM `dynamodb:LeadingKeys` patterns (`SCORECARD#*`): the
   * projector's role may write these and its own markers, nothing else (infra/constructs/domain-events.ts).
   * Never a FEEDBACK#, EVENT# or UPDATE# partition: the projector's stream filter lets only those
   * through, and its own writes must not come back to it.
   */
  readonly partitions: readonly string[];
  /**
   * The writes one event means: none for events it ignores. Pure (no reads: a transaction cannot
   * depend on what was read outside it); counters as `ADD`, which needs no read. With the marker,
   * one transaction holds at most 100 items, each item once. A condition that fails cancels the
   * whole transaction, marker included, and the record is retried: only use conditions that a
   * retry can pass.
   */
  itemsFor(event: DomainEvent, context: ProjectionContext): TransactItem[];
}

export interface ReactionResult {
  /** Ids of the events it has done: the projector records each on its marker. */
  done: readonly string[];
  /** Why the others were not done (ids and reasons only: logged). They are offered again. */
  failures?: readonly { id: string; reason: string }[];
}

export interface Reaction {
  /** Stable and unique: stored on markers as owed, so renaming one re-offers what it was owed. */
  readonly name: string;
  /** The events it acts on; the others are never offered to it and never recorded as owed. */
  wants(event: DomainEvent): boolean;
  /** At most this many events per call (EventBridge's PutEvents takes 10). */
  readonly maxBatch: number;
  /**
   * Acts on events, in stream order. Throwing means none were done. An event can be offered
   * again after it was done, when the projector stopped between the two (a crash, a timeout, a
   * failed marker write): act idempotently on `event.id`, or claim each event yourself first (as
   * the overdue alerts claim each alert before publishing it).
   */
  react(events: readonly DomainEvent[]): Promise<ReactionResult>;
}

/**
 * A reaction that handles one event at a time, in order, stopping at the first that fails (so a
 * failure never lets a later event overtake it within the batch).
 */
export function eachEvent(options: {
  name: string;
  wants: (event: DomainEvent) => boolean;
  handle: (event: DomainEvent) => Promise<void>;
}): Reaction {
  return {
    name: options.name,
    wants: options.wants,
    maxBatch: 10,
    async react(events) {
      const done: string[] = [];
      for (const event of events) {
        try {
          await options.handle(event);
        } catch (error) {
          return { done, failures: [{ id: event.id, reason: errorName(error) }] };
        }
        done.push(event.id);
      }
      return { done };
    },
  };
}

/** An error's name and message, for logs: errors from these paths name ids, never people. */
export function errorName(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
