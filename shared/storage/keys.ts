import { createHash } from 'node:crypto';
import { type IndexDefinition, TABLE } from './table';

/**
 * Key vocabulary of the one table. Access patterns first; no request or sweep uses Scan.
 *
 * | entity           | PK               | SK                 | GSI1 (open items by next attention)    |
 * | ---------------- | ---------------- | ------------------ | -------------------------------------- |
 * | Feedback         | FEEDBACK#<id>    | META               | OPEN#<shard> / <attentionAt>#FEEDBACK#<id> |
 * | Feedback history | FEEDBACK#<id>    | HISTORY#<version>  |                                        |
 * | Event            | EVENT#<id>       | META               | OPEN#<shard> / <attentionAt>#EVENT#<id> |
 * | Event history    | EVENT#<id>       | HISTORY#<version>  |                                        |
 * | Overdue alert    | FEEDBACK#/EVENT#<id> | ALERT#<alertId> | (claim, then sent: shared/storage/alert-repository.ts) |
 * | Alert history    | FEEDBACK#/EVENT#<id> | HISTORY#<version>#ALERT#<alertId> | (after the version it was sent at) |
 * | Project          | PROJECTS         | PROJECT#<id>       |                                        |
 * | Project history  | PROJECT#<id>     | HISTORY#<version>  |                                        |
 * | Update           | UPDATE#<id>      | META               |                                        |
 * | Update history   | UPDATE#<id>      | HISTORY#<version>  |                                        |
 * | Domain event marker | DOMAINEVENT#<eventId> | MARKER      | (the projector's once-only claim; expires: shared/storage/event-marker-repository.ts) |
 * | Family message   | NOTICE#<feedbackId> | NOTICE#<noticeId> | (claim, then sent: shared/storage/notice-repository.ts) |
 * | Scorecard, all projects | SCORECARD#ALL | MONTH#<yyyy-mm>#PROJECT#<id> | (counters of one project in one London month: shared/scorecard/counters.ts) |
 * | Scorecard, one project  | SCORECARD#PROJECT#<id> | MONTH#<yyyy-mm> | (the same counters again, written in the same transaction) |
 *
 * | entity   | GSI2 (lists across projects)            | GSI3 (lists within a project)                       |
 * | -------- | --------------------------------------- | --------------------------------------------------- |
 * | Feedback | FEEDBACK / <nextDueAt>#<id>             | FEEDBACK#<projectId> / <nextDueAt>#<id>             |
 * | Event    | EVENT / <heldOn>#<id>                   | EVENT#<projectId> / <heldOn>#<id>                   |
 * | Update   | UPDATE / <updatedAt>#<id>               | UPDATE#<projectId> / <updatedAt>#<id>               |
 *
 * Officers' lists filtered by more than a project: one index per combination of filters, sort key
 * ListSK (the same value as GSI2SK/GSI3SK), partition = the entity, then the filters given. Updates
 * put their published state (`published`/`draft`) where feedback puts its kind.
 * | index                 | Feedback                                  | Update                                        |
 * | --------------------- | ----------------------------------------- | --------------------------------------------- |
 * | ListKind              | FEEDBACK#<kind>                           | UPDATE#<published\|draft>                     |
 * | ListStatus            | FEEDBACK#<status>                         | UPDATE#<status>                               |
 * | ListKindStatus        | FEEDBACK#<kind>#<status>                  | UPDATE#<published\|draft>#<status>            |
 * | ListProjectKind       | FEEDBACK#<projectId>#<kind>               | UPDATE#<projectId>#<published\|draft>         |
 * | ListProjectStatus     | FEEDBACK#<projectId>#<status>             | UPDATE#<projectId>#<status>                   |
 * | ListProjectKindStatus | FEEDBACK#<projectId>#<kind>#<status>      | UPDATE#<projectId>#<published\|draft>#<status> |
 * Feedback's ListSK is <nextDueAt>#<id>, an update's <updatedAt>#<id>; the List* indexes project one
 * map, listRow (the row a list shows).
 *
 * Readiness: PK HEALTH / SK READY, never stored.
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
 * Closed feedback still holding personal data, for the retention job (keys only; sparse):
 * | RetentionByClosure  | RetainPK = RETAIN#<kind> / RetainSK = <closedAt>#<id>              |
 *
 * Retention and subject access (shared/retention/):
 * | entity              | PK                        | SK                     |
 * | ------------------- | ------------------------- | ---------------------- |
 * | Subject lookup      | SUBJECT#<email\|phone>.<keyed hash> | FEEDBACK#<id> | (written with the feedback; deleted when it is anonymised) |
 * | Audit record        | AUDIT#<yyyy-mm>           | <at>#<action>#<subject> | (anonymisations, subject-access exports: ids only) |
 *
 * - a submission with an Idempotency-Key: its id derives from the key (shared/domain/intake-key.ts),
 *   so the one conditional PutItem is also the idempotency record; no separate partition
 * - feedback by id, or by the reference a parent reads out (the id is the reference without its
 *   hyphen, so one conditional PutItem keeps references unique): GetItem FEEDBACK#<id> / META
 * - every saved project: Query PROJECTS (a few dozen at most, so one small partition)
 * - an item with its history, in order: Query PK = FEEDBACK#<id> (META sorts after HISTORY#…)
 * - open items that need the overdue sweep now: Query GSI1 per shard with GSI1SK < now. The sort
 *   key is when the item next needs attention (its deadline; once alerted, its next reminder), so
 *   an item already alerted and not yet due a reminder is never read (shared/domain/overdue.ts).
 * - officers' feedback list: one Query of the one partition holding exactly the filters asked for
 *   (`overdue` across statuses: received and acknowledged, merged by deadline); `overdue` is
 *   ListSK < now. Filters are in the key, not a filter expression, so a page reads about a page.
 * - events in a date range: Query GSI2 (or GSI3) with GSI2SK between the dates
 * - officers' updates list, newest change first: one Query of the one partition holding exactly the
 *   project, published state and status asked for (the feedback list's indexes), limit + 1 items
 * - the public feed, newest change first, all or filtered: one Query of one Feed* index, from the
 *   cursor, `since` as a lower bound on FeedSK; a page reads that page (and one more item)
 * - feedback received by a project in a year: Query FeedbackByReceived with ReceivedSK between
 * - the public scorecard for some months: Query SCORECARD#ALL with SK between the months (every
 *   project's rows, which the answer shows per project and in total), or, for one project, Query
 *   SCORECARD#PROJECT#<id> between them. Two copies, so each read returns what it reads; the
 *   projector writes both in one transaction and the rebuild checks both.
 * - closed feedback due for anonymisation: Query RetentionByClosure per kind with RetainSK below
 *   now minus the kind's retention period; one partition per kind, as closures are a few a day
 * - one family's feedback by the email or phone they gave: Query SUBJECT#<keyed hash>, then each
 *   item with its history (Query FEEDBACK#<id>); the lookup holds no address in the clear
 * - a month's anonymisations and subject-access exports, in order: Query AUDIT#<yyyy-mm>
 */
export const feedbackKey = (id: string) => ({ PK: `FEEDBACK#${id}`, SK: 'META' });

export const PROJECTS_PARTITION = 'PROJECTS';

/** The one key the readiness check (`GET /health?ready=true`) reads: never stored; IAM allows only it. */
export const READINESS_KEY = { PK: 'HEALTH', SK: 'READY' };
export const projectKey = (id: string) => ({ PK: PROJECTS_PARTITION, SK: `PROJECT#${id}` });

/** Spreads open items over a few partitions so no one partition takes every write. */
export const OPEN_SHARDS = 4;
export function openShardOf(id: string): number {
  return createHash('sha256').update(id).digest().readUInt8(0) % OPEN_SHARDS;
}
export const openByDeadlineKey = (id: string, type: string, attentionAt: string) => ({
  GSI1PK: `OPEN#${openShardOf(id)}`,
  GSI1SK: `${attentionAt}#${type}#${id}`,
});
export const openShardPartition = (shard: number) => `OPEN#${shard}`;

/** An overdue alert's claim-then-sent record, under its item; the alertId makes it once-only. */
export const alertKey = (pk: string, alertId: string) => ({ PK: pk, SK: `${ALERT_PREFIX}${alertId}` });
export const ALERT_PREFIX = 'ALERT#';
/** An alert's history entry sorts after the version it was sent at; never collides with an officer's. */
export const alertHistoryKey = (pk: string, version: number, alertId: string) => ({
  PK: pk,
  SK: `${historyKey(pk, version).SK}#ALERT#${alertId}`,
});

/** History entries sort by version under their item; the conditional write makes each one once-only. */
export const historyKey = (pk: string, version: number) => ({
  PK: pk,
  SK: `HISTORY#${String(version).padStart(8, '0')}`,
});
export const HISTORY_PREFIX = 'HISTORY#';

export const eventKey = (id: string) => ({ PK: `EVENT#${id}`, SK: 'META' });

/**
 * The projector's marker of one domain event, by the event's deterministic id: the conditional
 * write that claims it makes the event (and its projections' writes) once-only. Its own partition
 * family, which the projector's stream filter lets through no record of.
 */
export const DOMAIN_EVENT_MARKER_PREFIX = 'DOMAINEVENT#';
export const domainEventMarkerKey = (eventId: string) => ({
  PK: `${DOMAIN_EVENT_MARKER_PREFIX}${eventId}`,
  SK: 'MARKER',
});
/**
 * A message to a family about their feedback ("tell me what happens"), once-only by its notice id
 * (shared/domain/family-messages.ts). A partition of its own beside the item, not under
 * FEEDBACK#: the projector, which writes these, may then write nothing of the feedback itself (IAM
 * by partition), and its writes never come back to it on the stream.
 */
export const NOTICE_PREFIX = 'NOTICE#';
export const noticePartition = (feedbackId: string) => `${NOTICE_PREFIX}${feedbackId}`;
export const noticeKey = (feedbackId: string, noticeId: string) => ({
  PK: noticePartition(feedbackId),
  SK: `${NOTICE_PREFIX}${noticeId}`,
});
export const projectHistoryPartition = (id: string) => `PROJECT#${id}`;

/**
 * The three filters an officers' list page combines, generically: feedback uses them as project,
 * kind, status; updates as project, published state (`published`/`draft`), status. Both share the
 * same eight list indexes, told apart by the partition's first word (`FEEDBACK`, `UPDATE`).
 */
interface ListFilters {
  projectId?: string | undefined;
  kind?: string | undefined;
  status?: string | undefined;
}

/** Every list index key of an item: one partition per combination of filters it matches. */
function listKeys(entity: ListedEntity, values: Required<ListFilters>, sortKey: string) {
  const keys: Record<string, string> = { ListSK: sortKey };
  for (const filters of FILTER_COMBINATIONS) {
    const { index, partition } = listPartition(entity, {
      ...(filters.projectId ? { projectId: values.projectId } : {}),
      ...(filters.kind ? { kind: values.kind } : {}),
      ...(filters.status ? { status: values.status } : {}),
    });
    keys[index.partitionKey] = partition;
    if (index.sortKey !== 'ListSK') keys[index.sortKey] = sortKey;
  }
  return keys;
}

type ListedEntity = 'FEEDBACK' | 'UPDATE';

/** Every list index key of a feedback item, in deadline order. */
export const feedbackListKeys = (
  feedback: { id: string; projectId: string; status: string; kind: string },
  nextDueAt: string,
) => listKeys('FEEDBACK', feedback, `${nextDueAt}#${feedback.id}`);

const FILTER_COMBINATIONS = [false, true].flatMap((projectId) =>
  [false, true].flatMap((kind) => [false, true].map((status) => ({ projectId, kind, status }))),
);

/**
 * The index and partition holding exactly the items of one entity that match these filters, in
 * list order. Partition values start with the entity, then the filters given, in the order
 * project, kind, status: `FEEDBACK`, `FEEDBACK#<projectId>#complaint#received`, `UPDATE#draft`, …
 */
function listPartition(
  entity: ListedEntity,
  filters: ListFilters,
): {
  index: IndexDefinition;
  partition: string;
} {
  const { projectId, kind, status } = filters;
  const partition = [entity, projectId, kind, status].filter((part) => part !== undefined).join('#');
  const i = TABLE.indexes;
  const index = projectId
    ? kind
      ? status
        ? i.feedbackByProjectKindStatus
        : i.feedbackByProjectKind
      : status
        ? i.feedbackByProjectStatus
        : i.byProject
    : kind
      ? status
        ? i.feedbackByKindStatus
        : i.feedbackByKind
      : status
        ? i.feedbackByStatus
        : i.byCollection;
  return { index, partition };
}

/** The feedback matching these filters, in deadline order: `FEEDBACK#<projectId>#<kind>#<status>`. */
export const feedbackListPartition = (filters: ListFilters) => listPartition('FEEDBACK', filters);

export const eventListKeys = (event: { id: string; projectId: string; heldOn: string }) => ({
  GSI2PK: EVENTS_PARTITION,
  GSI2SK: `${event.heldOn}#${event.id}`,
  GSI3PK: eventsByProjectPartition(event.projectId),
  GSI3SK: `${event.heldOn}#${event.id}`,
});
export const EVENTS_PARTITION = 'EVENT';
export const eventsByProjectPartition = (projectId: string) => `EVENT#${projectId}`;

export const updateKey = (id: string) => ({ PK: `UPDATE#${id}`, SK: 'META' });
const publishedState = (published: boolean) => (published ? 'published' : 'draft');
/**
 * The updates matching these filters, newest change first: `UPDATE[#<projectId>][#published|draft][#<status>]`,
 * on the same index as feedback with the same filters given (the published state in kind's place).
 */
export const updateListPartition = (filters: { projectId?: string; published?: boolean; status?: string }) =>
  listPartition('UPDATE', {
    projectId: filters.projectId,
    kind: filters.published === undefined ? undefined : publishedState(filters.published),
    status: filters.status,
  });
/** Every list index key of an update, sorted by its last change (`<updatedAt>#<id>`). */
export const updateListKeys = (update: {
  id: string;
  projectId: string;
  status: string;
  published: boolean;
  updatedAt: string;
}) =>
  listKeys(
    'UPDATE',
    { projectId: update.projectId, kind: publishedState(update.published), status: update.status },
    `${update.updatedAt}#${update.id}`,
  );

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

/** The scorecard's two copies of one project's month (shared/storage/scorecard-repository.ts). */
export const SCORECARD_PREFIX = 'SCORECARD#';
export const SCORECARD_ALL_PARTITION = `${SCORECARD_PREFIX}ALL`;
export const scorecardProjectPartition = (projectId: string) => `${SCORECARD_PREFIX}PROJECT#${projectId}`;
export const scorecardKeys = (projectId: string, month: string) => [
  { PK: SCORECARD_ALL_PARTITION, SK: `MONTH#${month}#PROJECT#${projectId}` },
  { PK: scorecardProjectPartition(projectId), SK: `MONTH#${month}` },
];
/** Sort key bounds of the months from..to (inclusive) in either copy: `~` sorts after `#PROJECT#…`. */
export const scorecardMonthRange = (from: string, to: string) => ({
  from: `MONTH#${from}`,
  to: `MONTH#${to}~`,
});

export const feedbackReceivedPartition = (projectId: string) => `FEEDBACK#${projectId}`;
export const feedbackReceivedKeys = (feedback: { id: string; projectId: string; receivedAt: string }) => ({
  ReceivedPK: feedbackReceivedPartition(feedback.projectId),
  ReceivedSK: `${feedback.receivedAt}#${feedback.id}`,
});

/** Closed feedback still holding personal data, by kind and closure (RetentionByClosure). */
export const retentionPartition = (kind: string) => `RETAIN#${kind}`;
export const retentionKeys = (feedback: { id: string; kind: string; closedAt: string }) => ({
  RetainPK: retentionPartition(feedback.kind),
  RetainSK: `${feedback.closedAt}#${feedback.id}`,
});

/**
 * One lookup entry per contact detail a family gave (shared/retention/subject-keys.ts): under the
 * detail's keyed hash, naming the item. Its own partition family, which the stream filter lets
 * through no record of.
 */
export const SUBJECT_PREFIX = 'SUBJECT#';
export const subjectLookupPartition = (subjectKey: string) => `${SUBJECT_PREFIX}${subjectKey}`;
export const subjectLookupKey = (subjectKey: string, feedbackId: string) => ({
  PK: subjectLookupPartition(subjectKey),
  SK: `FEEDBACK#${feedbackId}`,
});

/** Audit records of anonymisations and subject-access exports, a month to a partition, in time order. */
export const AUDIT_PREFIX = 'AUDIT#';
export const auditPartition = (month: string) => `${AUDIT_PREFIX}${month}`;
export const auditKey = (at: string, action: string, subject: string) => ({
  PK: auditPartition(at.slice(0, 7)),
  SK: `${at}#${action}#${subject}`,
});
