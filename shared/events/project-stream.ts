import { domainEventsOf } from './domain-events-of';
import type { ItemChange } from './item-change';
import {
  errorName,
  type Projection,
  type Reaction,
  type TransactItem,
  UncountedChangeError,
} from './projection';
import type { DomainEvent } from './schemas';

/**
 * The projector: stream records in, domain events out, each exactly once as far as anything
 * downstream can tell. Pure orchestration; storage is the markers port, delivery the reactions.
 *
 * 1. For each record, in order: derive its events (shared/events/domain-events-of.ts), and claim
 *    each one with a conditional write of its marker, keyed by the event's deterministic id, in one
 *    transaction with every projection's writes for it (and, with the first, the projections'
 *    writes for the item change itself). A marker already there means the event was
 *    seen before (a redelivered record, a retried batch): nothing is written again, and the marker
 *    says which reactions are still owed it. The first record that fails stops this step.
 * 2. For each reaction, the events still owed it, in stream order, in batches; each one done is
 *    recorded on its marker. The first that fails stops that reaction for this invocation.
 * 3. The answer names the first record with anything left undone (Lambda's partial batch
 *    response): Lambda retries from it, and the records before it are finished.
 *
 * The one repeat left is a reaction's: done, then the projector stops before recording it (a
 * crash, a timeout). The retry offers it again, with the same event id.
 */
export interface StreamRecord {
  /** The record's sequence number: what a partial batch failure names. */
  sequenceNumber: string;
  /** When DynamoDB made the change (epoch seconds, as the stream reports it); 0 when unknown. */
  changedAt: number;
  /** The change, unmarshalled; throws when the record cannot be read (a poison record). */
  read(): ItemChange;
}

export interface ClaimRequest {
  event: DomainEvent;
  /** The reactions that want it, owed it from now on. */
  reactions: readonly string[];
  /** The projections' writes, committed with the marker or not at all. */
  items: readonly TransactItem[];
  /** When the marker may go (epoch seconds): after any record that could repeat the event has. */
  expiresAt: number;
  now: Date;
}

export interface EventMarkers {
  /** Claims the event; when it was claimed before, writes nothing and says what is still owed. */
  claim(request: ClaimRequest): Promise<{ firstTime: boolean; owed: readonly string[] }>;
  /** The reaction is done with the event. */
  done(eventId: string, reaction: string): Promise<void>;
}

export interface ProjectorDeps {
  markers: EventMarkers;
  projections: readonly Projection[];
  reactions: readonly Reaction[];
  tableName: string;
  now: () => Date;
  /** Ids, types, counts and error names only: never an image. */
  log?: (message: string, details: Record<string, unknown>) => void;
}

export interface ProjectorReport {
  records: number;
  /** Events claimed for the first time in this invocation. */
  claimed: number;
  /** Events seen before (a redelivery or a retry). */
  repeated: number;
  /** Event deliveries each reaction finished in this invocation, by reaction. */
  reacted: Record<string, number>;
  /** The sequence number of the first record with work left, when there is one. */
  failedSequenceNumber?: string;
}

/**
 * Markers outlive the stream's 24-hour retention by a day: as long as a record can be read again,
 * its events' markers are there to say they were seen.
 */
export const MARKER_LIFETIME_SECONDS = 48 * 60 * 60;

interface Owed {
  index: number;
  event: DomainEvent;
  reactions: Set<string>;
}

export async function projectStream(
  deps: ProjectorDeps,
  records: readonly StreamRecord[],
): Promise<ProjectorReport> {
  const log = deps.log ?? (() => undefined);
  const report: ProjectorReport = { records: records.length, claimed: 0, repeated: 0, reacted: {} };
  let failedAt = records.length;
  const owed: Owed[] = [];

  for (let index = 0; index < records.length; index++) {
    const record = records[index] as StreamRecord;
    try {
      const change = record.read();
      const events = domainEventsOf(change);
      const now = deps.now();
      const context = { tableName: deps.tableName, now };
      // What the change itself means to projections, applied with its first event's marker.
      const changeItems = deps.projections.flatMap(
        (projection) => projection.itemsForChange?.(change, context) ?? [],
      );
      if (changeItems.length > 0 && events.length === 0) {
        // An item that is still there changed a projection without an event: a gap in the
        // derivers, so stop here (the record retries, then goes to the dead-letter queue). An
        // item deleted (never by the service: anonymisation keeps what projections read) cannot be
        // counted off once-only either; say so and go on rather than hold up the shard.
        if (change.newImage) throw new UncountedChangeError(change.keys.PK);
        log('deleted item not taken off projections', {
          sequenceNumber: record.sequenceNumber,
          pk: change.keys.PK,
          projections: deps.projections.filter((p) => p.itemsForChange).map((p) => p.name),
        });
      }
      for (const [position, event] of events.entries()) {
        const { firstTime, owed: still } = await deps.markers.claim({
          event,
          reactions: deps.reactions.filter((reaction) => reaction.wants(event)).map((r) => r.name),
          items: [
            ...(position === 0 ? changeItems : []),
            ...deps.projections.flatMap((projection) => projection.itemsFor?.(event, context) ?? []),
          ],
          expiresAt:
            (record.changedAt > 0 ? record.changedAt : Math.floor(now.getTime() / 1000)) +
            MARKER_LIFETIME_SECONDS,
          now,
        });
        if (firstTime) report.claimed++;
        else report.repeated++;
        if (still.length) owed.push({ index, event, reactions: new Set(still) });
      }
    } catch (error) {
      failedAt = index;
      log('record not projected', { sequenceNumber: record.sequenceNumber, error: errorName(error) });
      break;
    }
  }

  for (const reaction of deps.reactions) {
    // Only events of records before the first failure: the retry starts at that record.
    const queue = owed.filter((entry) => entry.index < failedAt && entry.reactions.has(reaction.name));
    let reacted = 0;
    for (let start = 0; start < queue.length; start += Math.max(1, reaction.maxBatch)) {
      const batch = queue.slice(start, start + Math.max(1, reaction.maxBatch));
      let done = new Set<string>();
      try {
        const result = await reaction.react(batch.map((entry) => entry.event));
        done = new Set(result.done);
        for (const failure of result.failures ?? [])
          log('reaction failed', { reaction: reaction.name, eventId: failure.id, error: failure.reason });
      } catch (error) {
        log('reaction failed', { reaction: reaction.name, events: batch.length, error: errorName(error) });
      }
      const recorded = await Promise.allSettled(
        batch
          .filter((entry) => done.has(entry.event.id))
          .map((entry) => deps.markers.done(entry.event.id, reaction.name).then(() => entry)),
      );
      const finished = new Set<Owed>();
      for (const outcome of recorded) {
        if (outcome.status === 'fulfilled') finished.add(outcome.value);
        else log('reaction not recorded', { reaction: reaction.name, error: errorName(outcome.reason) });
      }
      reacted += finished.size;
      const unfinished = batch.find((entry) => !finished.has(entry));
      if (unfinished) {
        failedAt = Math.min(failedAt, unfinished.index);
        break;
      }
    }
    report.reacted[reaction.name] = reacted;
  }

  if (failedAt < records.length) report.failedSequenceNumber = records[failedAt]?.sequenceNumber;
  return report;
}
