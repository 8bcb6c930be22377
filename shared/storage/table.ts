import type { CreateTableCommandInput } from '@aws-sdk/client-dynamodb';

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
  // Updates ("You said, we did"): officers' list shows whether and when each went public.
  'published',
  'publishedAt',
  'modifiedAt',
  'updatedAt',
];

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
  /** Epoch seconds; DynamoDB deletes expired items (idempotency records) at no cost. */
  timeToLiveAttribute: 'expiration',
  indexes: {
    /**
     * Sparse: only items awaiting action carry GSI1PK, so the overdue sweep reads exactly the open
     * items whose deadline has passed. Projects only what an alert needs: no message, no contact.
     */
    openByDeadline: {
      indexName: 'GSI1',
      partitionKey: 'GSI1PK',
      sortKey: 'GSI1SK',
      nonKeyAttributes: ['id', 'reference', 'kind', 'projectId', 'status', 'acknowledgeBy', 'respondBy'],
    },
    /** Officers' lists across projects: feedback by status, events in date order. */
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
  },
} as const;

export type IndexDefinition = (typeof TABLE.indexes)[keyof typeof TABLE.indexes];

/** The same definition as a CreateTable request, for DynamoDB Local. */
export function createTableInput(tableName: string): CreateTableCommandInput {
  const indexes: IndexDefinition[] = Object.values(TABLE.indexes);
  // An attribute may key several indexes (FeedSK does): define each once.
  const keyAttributes = [
    ...new Set([TABLE.partitionKey, TABLE.sortKey, ...indexes.flatMap((i) => [i.partitionKey, i.sortKey])]),
  ];
  return {
    TableName: tableName,
    BillingMode: 'PAY_PER_REQUEST',
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
      Projection: { ProjectionType: 'INCLUDE', NonKeyAttributes: [...index.nonKeyAttributes] },
    })),
  };
}
