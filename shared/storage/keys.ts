import { createHash } from 'node:crypto';

/**
 * Key vocabulary of the one table. Access patterns first; no request or sweep uses Scan.
 *
 * | entity           | PK               | SK                 | GSI1 (open items by deadline)          |
 * | ---------------- | ---------------- | ------------------ | -------------------------------------- |
 * | Feedback         | FEEDBACK#<id>    | META               | OPEN#<shard> / <dueAt>#FEEDBACK#<id>   |
 * | Feedback history | FEEDBACK#<id>    | HISTORY#<version>  |                                        |
 * | Event            | EVENT#<id>       | META               | OPEN#<shard> / <reportBackDueAt>#EVENT#<id> |
 * | Event history    | EVENT#<id>       | HISTORY#<version>  |                                        |
 * | Project          | PROJECTS         | PROJECT#<id>       |                                        |
 * | Project history  | PROJECT#<id>     | HISTORY#<version>  |                                        |
 * | Idempotency      | IDEMPOTENCY      | <op>#<hash of key> |  (Powertools record, expires by TTL)   |
 * | Update           | UPDATE#<id>      | META               |                                        |
 * | Update history   | UPDATE#<id>      | HISTORY#<version>  |                                        |
 *
 * | entity   | GSI2 (lists across projects)            | GSI3 (lists within a project)                       |
 * | -------- | --------------------------------------- | --------------------------------------------------- |
 * | Feedback | FEEDBACK#<status>#<kind> / <nextDueAt>#<id> | FEEDBACK#<projectId>#<status>#<kind> / <nextDueAt>#<id> |
 * | Event    | EVENT / <heldOn>#<id>                   | EVENT#<projectId> / <heldOn>#<id>                   |
 * | Update   | UPDATE#<status>#<published> / <updatedAt>#<id> | UPDATE#<projectId>#<status>#<published> / <updatedAt>#<id> |
 *
 * "You said, we did" public feed: sparse indexes, on an update only while it is published (so
 * unpublishing takes it out of every feed in the same write). Sort key FeedSK = <modifiedAt>#<id>.
 * | index               | partition key                                       |
 * | ------------------- | --------------------------------------------------- |
 * | Feed                | FeedPK = FEED                                       |
 * | FeedByProject       | FeedProjectPK = FEED#<projectId>                    |
 * | FeedByStatus        | FeedStatusPK = FEED#<status>                        |
 * | FeedByProjectStatus | FeedProjectStatusPK = FEED#<projectId>#<status>     |
 * Feedback by arrival, for the annual report (keys and kind only):
 * | FeedbackByReceived  | ReceivedPK = FEEDBACK#<projectId> / ReceivedSK = <receivedAt>#<id> |
 *
 * - feedback by id, or by the reference a parent reads out (the id is the reference without its
 *   hyphen, so one conditional PutItem keeps references unique): GetItem FEEDBACK#<id> / META
 * - every saved project: Query PROJECTS (a few dozen at most, so one small partition)
 * - an item with its history, in order: Query PK = FEEDBACK#<id> (META sorts after HISTORY#…)
 * - open items past their deadline: Query GSI1 per shard with GSI1SK < now
 * - officers' feedback list: Query GSI2 (or GSI3 for a project) per status and kind asked for
 *   (all when not), merged by deadline; `overdue` is GSI2SK < now on the open statuses. Status and
 *   kind are in the key, not a filter, so a page reads at most (limit + 1) items per partition.
 * - events in a date range: Query GSI2 (or GSI3) with GSI2SK between the dates
 * - officers' updates list: Query GSI2 (or GSI3) per status and published state asked for, merged
 * - the public feed, newest change first, all or filtered: one Query of one Feed* index, from the
 *   cursor, `since` as a lower bound on FeedSK; a page reads that page (and one more item)
 * - feedback received by a project in a year: Query FeedbackByReceived with ReceivedSK between
 */
export const feedbackKey = (id: string) => ({ PK: `FEEDBACK#${id}`, SK: 'META' });

/** Powertools idempotency records; IAM lets public functions delete only in this partition. */
export const IDEMPOTENCY_PARTITION = 'IDEMPOTENCY';

export const PROJECTS_PARTITION = 'PROJECTS';
export const projectKey = (id: string) => ({ PK: PROJECTS_PARTITION, SK: `PROJECT#${id}` });

/** Spreads open items over a few partitions so no one partition takes every write. */
export const OPEN_SHARDS = 4;
export function openShardOf(id: string): number {
  return createHash('sha256').update(id).digest().readUInt8(0) % OPEN_SHARDS;
}
export const openByDeadlineKey = (id: string, type: string, dueAt: string) => ({
  GSI1PK: `OPEN#${openShardOf(id)}`,
  GSI1SK: `${dueAt}#${type}#${id}`,
});

/** History entries sort by version under their item; the conditional write makes each one once-only. */
export const historyKey = (pk: string, version: number) => ({
  PK: pk,
  SK: `HISTORY#${String(version).padStart(8, '0')}`,
});
export const HISTORY_PREFIX = 'HISTORY#';

export const eventKey = (id: string) => ({ PK: `EVENT#${id}`, SK: 'META' });
export const projectHistoryPartition = (id: string) => `PROJECT#${id}`;

export const feedbackListKeys = (
  feedback: { id: string; projectId: string; status: string; kind: string },
  nextDueAt: string,
) => ({
  GSI2PK: feedbackByStatusPartition(feedback.status, feedback.kind),
  GSI2SK: `${nextDueAt}#${feedback.id}`,
  GSI3PK: feedbackByProjectPartition(feedback.projectId, feedback.status, feedback.kind),
  GSI3SK: `${nextDueAt}#${feedback.id}`,
});
export const feedbackByStatusPartition = (status: string, kind: string) => `FEEDBACK#${status}#${kind}`;
export const feedbackByProjectPartition = (projectId: string, status: string, kind: string) =>
  `FEEDBACK#${projectId}#${status}#${kind}`;

export const eventListKeys = (event: { id: string; projectId: string; heldOn: string }) => ({
  GSI2PK: EVENTS_PARTITION,
  GSI2SK: `${event.heldOn}#${event.id}`,
  GSI3PK: eventsByProjectPartition(event.projectId),
  GSI3SK: `${event.heldOn}#${event.id}`,
});
export const EVENTS_PARTITION = 'EVENT';
export const eventsByProjectPartition = (projectId: string) => `EVENT#${projectId}`;

export const updateKey = (id: string) => ({ PK: `UPDATE#${id}`, SK: 'META' });
export const updateByStatusPartition = (status: string, published: boolean) =>
  `UPDATE#${status}#${published ? 'published' : 'draft'}`;
export const updateByProjectPartition = (projectId: string, status: string, published: boolean) =>
  `UPDATE#${projectId}#${status}#${published ? 'published' : 'draft'}`;
export const updateListKeys = (update: {
  id: string;
  projectId: string;
  status: string;
  published: boolean;
  updatedAt: string;
}) => ({
  GSI2PK: updateByStatusPartition(update.status, update.published),
  GSI2SK: `${update.updatedAt}#${update.id}`,
  GSI3PK: updateByProjectPartition(update.projectId, update.status, update.published),
  GSI3SK: `${update.updatedAt}#${update.id}`,
});

export const FEED_PARTITION = 'FEED';
export const feedByProjectPartition = (projectId: string) => `FEED#${projectId}`;
export const feedByStatusPartition = (status: string) => `FEED#${status}`;
export const feedByProjectStatusPartition = (projectId: string, status: string) =>
  `FEED#${projectId}#${status}`;
/** Present only on a published update: one item in each public feed index. */
export const feedKeys = (update: { id: string; projectId: string; status: string; modifiedAt: string }) => ({
  FeedPK: FEED_PARTITION,
  FeedProjectPK: feedByProjectPartition(update.projectId),
  FeedStatusPK: feedByStatusPartition(update.status),
  FeedProjectStatusPK: feedByProjectStatusPartition(update.projectId, update.status),
  FeedSK: `${update.modifiedAt}#${update.id}`,
});

export const feedbackReceivedPartition = (projectId: string) => `FEEDBACK#${projectId}`;
export const feedbackReceivedKeys = (feedback: { id: string; projectId: string; receivedAt: string }) => ({
  ReceivedPK: feedbackReceivedPartition(feedback.projectId),
  ReceivedSK: `${feedback.receivedAt}#${feedback.id}`,
});
