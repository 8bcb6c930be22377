import { appendFile, mkdir, readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { DomainEventBus } from './bus';
import type { DomainEvent } from './schemas';

/**
 * Locally, with no AWS: each domain event appended as one JSON line to the events outbox
 * (`<DATA_DIR>/events.jsonl`, beside the alerts' outbox.jsonl), and a one-line summary printed.
 *
 * Exactly once, even across a crash between writing a line and the projector recording it: the
 * ids already in the file are read when the bus is made (this process is the file's only
 * writer), and an event whose id is there is not written again.
 */
export function outboxBus(
  path: string,
  print: (line: string) => void = (line) => console.log(line),
): DomainEventBus {
  let written: Promise<Set<string>> | undefined;
  const idsInFile = async () => {
    let text = '';
    try {
      text = await readFile(path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
    const ids = new Set<string>();
    for (const line of text.split('\n')) {
      if (!line.trim()) continue;
      try {
        const id = (JSON.parse(line) as { id?: unknown }).id;
        if (typeof id === 'string') ids.add(id);
      } catch {
        // A line cut short by a crash mid-write: its event was not recorded, and is written again.
      }
    }
    return ids;
  };
  return {
    maxBatch: 100,
    async publish(events) {
      written ??= idsInFile();
      const ids = await written;
      const fresh = events.filter((event) => !ids.has(event.id));
      if (fresh.length) {
        await mkdir(dirname(path), { recursive: true });
        // One append per batch: a line is whole or, cut short by a crash, unreadable and rewritten.
        await appendFile(path, fresh.map((event) => `${JSON.stringify(event)}\n`).join(''));
        for (const event of fresh) {
          ids.add(event.id);
          print(summaryOf(event));
        }
      }
      return { done: events.map((event) => event.id) };
    },
  };
}

/** What `npm start` prints for an event: its type, what it is about, and its id. */
export function summaryOf(event: DomainEvent): string {
  const about = (() => {
    switch (event.type) {
      case 'feedback.received':
      case 'feedback.closed':
        return `${event.kind} ${event.reference}`;
      case 'feedback.acknowledged':
      case 'feedback.responded':
        return `${event.kind} ${event.reference}, ${event.deadline.met ? 'on time' : `${event.deadline.workingDaysLate} working day(s) late`}`;
      case 'feedback.escalated':
        return `${event.kind} ${event.reference} to stage ${event.complaintStage}`;
      case 'feedback.extended':
        return `${event.kind} ${event.reference} stage ${event.complaintStage} to ${event.toDueBy}`;
      case 'feedback.anonymised':
        return `${event.kind} ${event.reference} (${event.reason})`;
      case 'alert.sent':
        return `${event.alertType} alert for ${event.reference} to team ${event.team}`;
      case 'event.recorded':
        return `event ${event.eventId} held on ${event.heldOn}`;
      case 'update.published':
      case 'update.unpublished':
        return `update ${event.updateId}, ${event.feedbackIds.length} linked feedback`;
    }
  })();
  return `event → ${event.type}: ${about}, project ${event.projectId} [${event.id}]`;
}
