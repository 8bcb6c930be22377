import type { CreateTableCommandInput } from '@aws-sdk/client-dynamodb';

/**
 * A feedback item's list row (id, reference, kind, project, status, dates, version) as one map
 * attribute, `listRow`, written beside the item: the feedback-only list indexes project just that.
 * DynamoDB counts every projected attribute of every index against a limit of 100 per table, so
 * six indexes copying eleven attributes each would not fit; one map each does.
 */
export const LIST_ROW = 'listRow';

/**
 * A complaint's procedure, stage and (Children Act stage 3) review panel date as one map attribute,
 * `complaintAlert`, written beside the item for GSI1: the overdue alert names the stage, and each
 * stage's alerts are a series of their own. One map, because an index projects at most 20
 * attributes and GSI1 had 20 (shared/storage/alert-repository.ts unpacks it into the plain fields).
 */
export const COMPLAINT_ALERT = 'complaintAlert';

/**
 * What officers' list pages show, and all the list indexes copy: summaries, never a family's
 * message or contact details (those are read from the item itself, one at a time).
 */
const LIST_ATTRIBUTES = [
  'id',
  'reference',
  'kind',
  'projectId',
  'status',
  'receivedAt',
  'acknowledgeBy',
  'acknowledgeDueAt',
  'respondBy',
  'respondDueAt',
  'version',
  'title',
  'type',
  'heldOn',
  'reportBackBy',
  'reportBackDueAt',
  // Feedback's and updates' list rows (updates keep no other list attributes: their row says
  // whether and when each went public).
  LIST_ROW,
];

/**
 * One index per combination of officers' feedback filters (project, kind, status), so any list
 * page is one Query (two for `overdue`: received and acknowledged) on a partition holding exactly
 * the matching items in deadline order. No filter expression, so a page reads about a page. All
 * share the sort key `ListSK` (`<nextDueAt>#<id>`, the same value as GSI2SK and GSI3SK). Feedback
 * with no filter and with only `projectId` uses GSI2 and GSI3, beside events. Officers' updates
 * list uses the same indexes (project, published state, status; sort key `<updatedAt>#<id>`, read
 * newest first): partitions start `UPDATE`, so the two never share one (shared/storage/keys.ts).
 */
const feedbackList = <Name extends string>(indexName: Name) =>
  ({
    indexName,
    partitionKey: `${indexName}PK`,
    sortKey: 'ListSK',
    nonKeyAttributes: [LIST_ROW],
  }) as const;

/**
 * The public feed indexes copy one attribute: `feed`, the update's public view (title, the two
 * texts, status, counts, dates), built when it is published or edited. Never feedback ids,
 * families' words or contact details, nor officers' names: a feed page is answered from the index
 * alone, and the index holds nothing that may not be public. One attribute, not a dozen, keeps
 * well inside DynamoDB's 100 projected attributes per table.
 */
const FEED_ATTRIBUTES = ['feed'];

/**
 * The one table, defined once: the CDK stack (infra/constructs/data.ts) and the local runtime
 * (infra/local/dynamodb-local.ts) both build it from this, so they cannot drift apart.
 * Key layout and access patterns: shared/storage/keys.ts.
 */
export const TABLE = {
  partitionKey: 'PK',
  sortKey: 'SK',
  /**
   * Epoch seconds; DynamoDB deletes expired items at no cost. Only the projector's domain-event
   * markers carry it (shared/storage/event-marker-repository.ts): they expire after the stream's
   * 24-hour retention, once no record that could repeat their event is left to read.
   */
  timeToLiveAttribute: 'expiration',
  /**
   * Every change, with the item before and after, on the table's stream: the projector
   * (functions/project-stream) turns them into domain events. Both images, since an event says
   * what changed (a status, the published flag), which needs the old and the new item. DynamoDB
   * Local keeps the same stream, and `npm start` reads it with the same projector code.
   */
  stream: 'NEW_AND_OLD_IMAGES',
  indexes: {
    /**
     * Sparse: only items awaiting action carry GSI1PK, sorted by when they next need attention (the
     * deadline, then the next reminder), so the overdue sweep reads only items that need an alert
     * now. Projects only what an alert needs: no message, no name, no contact details.
     */
    openByDeadline: {
      indexName: 'GSI1',
      partitionKey: 'GSI1PK',
      sortKey: 'GSI1SK',
      nonKeyAttributes: [
        'entity',
        'id',
        'reference',
        'kind',
        'projectId',
        'status',
        'receivedAt',
        'acknowledgeBy',
        'acknowledgeDueAt',
        'respondBy',
        'respondDueAt',
        'title',
        'heldOn',
        'reportBackBy',
        'reportBackDueAt',
        'version',
        COMPLAINT_ALERT,
        // Not `lastAlertAt`: the sweep never reads it from the index (it stays on the item), and
        // an index projects at most 20 attributes.
        'alertSeries',
        'alertsSent',
        'nextAlertAt',
      ],
    },
    /** Officers' lists across projects: all feedback by deadline, events in date order. */
    byCollection: {
      indexName: 'GSI2',
      partitionKey: 'GSI2PK',
      sortKey: 'GSI2SK',
      nonKeyAttributes: LIST_ATTRIBUTES,
    },
    /** The same lists within one project. */
    byProject: {
      indexName: 'GSI3',
      partitionKey: 'GSI3PK',
      sortKey: 'GSI3SK',
      nonKeyAttributes: LIST_ATTRIBUTES,
    },
    feedbackByKind: feedbackList('ListKind'),
    feedbackByStatus: feedbackList('ListStatus'),
    feedbackByKindStatus: feedbackList('ListKindStatus'),
    feedbackByProjectKind: feedbackList('ListProjectKind'),
    feedbackByProjectStatus: feedbackList('ListProjectStatus'),
    feedbackByProjectKindStatus: feedbackList('ListProjectKindStatus'),
    /** Sparse: published updates only, newest change first (shared/storage/keys.ts). */
    feed: { indexName: 'Feed', partitionKey: 'FeedPK', sortKey: 'FeedSK', nonKeyAttributes: FEED_ATTRIBUTES },
    feedByProject: {
      indexName: 'FeedByProject',
      partitionKey: 'FeedProjectPK',
      sortKey: 'FeedSK',
      nonKeyAttributes: FEED_ATTRIBUTES,
    },
    feedByStatus: {
      indexName: 'FeedByStatus',
      partitionKey: 'FeedStatusPK',
      sortKey: 'FeedSK',
      nonKeyAttributes: FEED_ATTRIBUTES,
    },
    feedByProjectStatus: {
      indexName: 'FeedByProjectStatus',
      partitionKey: 'FeedProjectStatusPK',
      sortKey: 'FeedSK',
      nonKeyAttributes: FEED_ATTRIBUTES,
    },
    /**
     * Feedback by project and arrival time, for the annual report's totals. Projects the kind only:
     * counting a year's feedback reads small index entries, never a message or contact details.
     */
    feedbackByReceived: {
      indexName: 'FeedbackByReceived',
      partitionKey: 'ReceivedPK',
      sortKey: 'ReceivedSK',
      nonKeyAttributes: ['kind'],
    },
    /**
     * Sparse: closed feedback that still holds personal data, by kind and closure time, so the
     * retention job reads only closures old enough to be due (shared/retention/run-retention.ts).
     * Keys only: the job reads each item itself before it decides, and a key says kind, closure
     * and id. An escalation that re-opens a complaint takes it out in the same write.
     */
    retentionByClosure: {
      indexName: 'RetentionByClosure',
      partitionKey: 'RetainPK',
      sortKey: 'RetainSK',
      nonKeyAttributes: [],
    },
  },
} as const;

export interface IndexDefinition {
  readonly indexName: string;
  readonly partitionKey: string;
  readonly sortKey: string;
  readonly nonKeyAttributes: readonly string[];
}

/** The same definition as a CreateTable request, for DynamoDB Local. */
export function createTableInput(tableName: string): CreateTableCommandInput {
  const indexes: IndexDefinition[] = Object.values(TABLE.indexes);
  // Several indexes share a sort key attribute; DynamoDB wants each attribute defined once.
  const keyAttributes = [
    ...new Set([TABLE.partitionKey, TABLE.sortKey, ...indexes.flatMap((i) => [i.partitionKey, i.sortKey])]),
  ];
  return {
    TableName: tableName,
    BillingMode: 'PAY_PER_REQUEST',
    StreamSpecification: { StreamEnabled: true, StreamViewType: TABLE.stream },
    AttributeDefinitions: keyAttributes.map((name) => ({ AttributeName: name, AttributeType: 'S' })),
    KeySchema: [
      { AttributeName: TABLE.partitionKey, KeyType: 'HASH' },
      { AttributeName: TABLE.sortKey, KeyType: 'RANGE' },
    ],
    GlobalSecondaryIndexes: indexes.map((index) => ({
      IndexName: index.indexName,
      KeySchema: [
        { AttributeName: index.partitionKey, KeyType: 'HASH' },
        { AttributeName: index.sortKey, KeyType: 'RANGE' },
      ],
      // No attributes named: the index holds its keys alone.
      Projection: index.nonKeyAttributes.length
        ? { ProjectionType: 'INCLUDE', NonKeyAttributes: [...index.nonKeyAttributes] }
        : { ProjectionType: 'KEYS_ONLY' },
    })),
  };
}
