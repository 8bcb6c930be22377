import { type EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import type { DomainEventBus } from './bus';
import { DOMAIN_EVENT_SOURCE } from './catalogue';
import { errorName } from './projection';

/** PutEvents takes at most 10 entries per call. */
export const PUT_EVENTS_MAX_ENTRIES = 10;

/**
 * The EventBridge custom bus: one entry per event, `Source` you-said-we-did, `DetailType` the
 * event's type, `Detail` the event, `Time` when it happened. PutEvents can take some entries and
 * refuse others (FailedEntryCount): those are reported failed, by id, and retried.
 */
export function eventBridgeBus(
  client: EventBridgeClient,
  busName: string,
  options: { onCall?: (entries: number) => void } = {},
): DomainEventBus {
  return {
    maxBatch: PUT_EVENTS_MAX_ENTRIES,
    async publish(events) {
      if (!busName) throw new Error('EVENT_BUS_NAME is not set');
      const done: string[] = [];
      const failures: { id: string; reason: string }[] = [];
      for (let start = 0; start < events.length; start += PUT_EVENTS_MAX_ENTRIES) {
        const batch = events.slice(start, start + PUT_EVENTS_MAX_ENTRIES);
        options.onCall?.(batch.length);
        try {
          const result = await client.send(
            new PutEventsCommand({
              Entries: batch.map((event) => ({
                EventBusName: busName,
                Source: DOMAIN_EVENT_SOURCE,
                DetailType: event.type,
                Detail: JSON.stringify(event),
                Time: new Date(event.occurredAt),
              })),
            }),
          );
          batch.forEach((event, i) => {
            const entry = result.Entries?.[i];
            if (entry?.EventId && !entry.ErrorCode) done.push(event.id);
            else
              failures.push({
                id: event.id,
                reason: `${entry?.ErrorCode ?? 'NoEntry'}: ${entry?.ErrorMessage ?? ''}`,
              });
          });
        } catch (error) {
          for (const event of batch) failures.push({ id: event.id, reason: errorName(error) });
        }
      }
      return { done, failures };
    },
  };
}
