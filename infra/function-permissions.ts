import type { ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { Effect, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { HandlerName } from '../shared/http/routes';
import { PROJECTS_PARTITION, READINESS_KEY } from '../shared/storage/keys';
import { TABLE } from '../shared/storage/table';

const byCollection = TABLE.indexes.byCollection.indexName;
const byProject = TABLE.indexes.byProject.indexName;
/**
 * Every index officers' feedback and updates lists read: one per combination of their three filters
 * (shared/storage/keys.ts). They project summaries only (`listRow`, and events' dates and titles).
 */
const officerLists = [
  TABLE.indexes.byCollection,
  TABLE.indexes.byProject,
  TABLE.indexes.feedbackByKind,
  TABLE.indexes.feedbackByStatus,
  TABLE.indexes.feedbackByKindStatus,
  TABLE.indexes.feedbackByProjectKind,
  TABLE.indexes.feedbackByProjectStatus,
  TABLE.indexes.feedbackByProjectKindStatus,
].map((index) => index.indexName);
const feedIndexes = [
  TABLE.indexes.feed.indexName,
  TABLE.indexes.feedByProject.indexName,
  TABLE.indexes.feedByStatus.indexName,
  TABLE.indexes.feedByProjectStatus.indexName,
];

/**
 * Least privilege, per function: the DynamoDB actions each one uses, on the items it uses them on
 * (dynamodb:LeadingKeys limits the partition keys a request may touch). Typed by HandlerName, so a
 * new function cannot be deployed without deciding its permissions here. No function may Scan,
 * and none may delete or update anything in place, except to remove personal data: erasure here
 * and the retention job (infra/constructs/retention.ts).
 */
/**
 * `partitions`: on the table, limited by dynamodb:LeadingKeys. `indexes`: Query on those indexes
 * only; they project list summaries, never a family's message or contact details.
 */
export type Grant =
  | { actions: string[]; partitions: string[] }
  | { actions: ['dynamodb:Query']; indexes: string[] };

export const FUNCTION_PERMISSIONS: Record<HandlerName, Grant[]> = {
  // Serves the OpenAPI document bundled into it: no data at all.
  'get-openapi': [],
  // The readiness check (`?ready=true`) reads one key that is never stored.
  health: [{ actions: ['dynamodb:GetItem'], partitions: [READINESS_KEY.PK] }],
  'route-not-found': [],
  'list-projects': [{ actions: ['dynamodb:Query'], partitions: [PROJECTS_PARTITION] }],
  'submit-feedback': [
    { actions: ['dynamodb:Query'], partitions: [PROJECTS_PARTITION] },
    // The one conditional write, which is also the idempotency record (shared/domain/intake-key.ts);
    // a refused write returns the item holding the id with no read permission needed. With contact
    // details, their subject lookup entries in the same transaction (shared/retention/subject-keys.ts).
    { actions: ['dynamodb:PutItem'], partitions: ['FEEDBACK#*', 'SUBJECT#*'] },
  ],
  'list-feedback': [{ actions: ['dynamodb:Query'], indexes: officerLists }],
  // The item with its history, and the messages sent to the family (their own partition).
  'get-feedback': [{ actions: ['dynamodb:Query'], partitions: ['FEEDBACK#*', 'NOTICE#*'] }],
  // A new version and its history entry. No UpdateItem or DeleteItem: nothing is edited in place or
  // removed. IAM cannot tell a PutItem that creates from one that replaces, so the once-only rule for
  // history entries is the write's condition (shared/storage/versioned-records.ts), tested there.
  'acknowledge-feedback': [{ actions: ['dynamodb:GetItem', 'dynamodb:PutItem'], partitions: ['FEEDBACK#*'] }],
  'respond-to-feedback': [{ actions: ['dynamodb:GetItem', 'dynamodb:PutItem'], partitions: ['FEEDBACK#*'] }],
  'close-feedback': [{ actions: ['dynamodb:GetItem', 'dynamodb:PutItem'], partitions: ['FEEDBACK#*'] }],
  // A complaint's stages: the same read-then-conditional-write of a new version and its history.
  // Choosing a procedure also reads the project's corporate settings.
  'choose-complaint-procedure': [
    { actions: ['dynamodb:Query'], partitions: [PROJECTS_PARTITION] },
    { actions: ['dynamodb:GetItem', 'dynamodb:PutItem'], partitions: ['FEEDBACK#*'] },
  ],
  'extend-complaint-stage': [
    { actions: ['dynamodb:GetItem', 'dynamodb:PutItem'], partitions: ['FEEDBACK#*'] },
  ],
  'escalate-complaint': [{ actions: ['dynamodb:GetItem', 'dynamodb:PutItem'], partitions: ['FEEDBACK#*'] }],
  'record-review-panel': [{ actions: ['dynamodb:GetItem', 'dynamodb:PutItem'], partitions: ['FEEDBACK#*'] }],
  // Public, behind the signed family link: the one complaint the link names, read then written.
  'escalate-by-family-link': [
    { actions: ['dynamodb:GetItem', 'dynamodb:PutItem'], partitions: ['FEEDBACK#*'] },
  ],
  // "Tell me what happens" withdrawn: the one item read, then its new version and history entry.
  'stop-messages-by-family-link': [
    { actions: ['dynamodb:GetItem', 'dynamodb:PutItem'], partitions: ['FEEDBACK#*'] },
  ],
  'stop-messages-for-family': [
    { actions: ['dynamodb:GetItem', 'dynamodb:PutItem'], partitions: ['FEEDBACK#*'] },
  ],
  'list-all-projects': [{ actions: ['dynamodb:Query'], partitions: [PROJECTS_PARTITION] }],
  'save-project': [
    { actions: ['dynamodb:GetItem', 'dynamodb:PutItem'], partitions: [PROJECTS_PARTITION] },
    { actions: ['dynamodb:PutItem'], partitions: ['PROJECT#*'] },
  ],
  'record-event': [
    { actions: ['dynamodb:Query'], partitions: [PROJECTS_PARTITION] },
    { actions: ['dynamodb:PutItem'], partitions: ['EVENT#*'] },
  ],
  'list-events': [{ actions: ['dynamodb:Query'], indexes: [byCollection, byProject] }],
  'get-event': [{ actions: ['dynamodb:Query'], partitions: ['EVENT#*'] }],
  'update-event': [
    { actions: ['dynamodb:Query'], partitions: [PROJECTS_PARTITION] },
    { actions: ['dynamodb:GetItem', 'dynamodb:PutItem'], partitions: ['EVENT#*'] },
  ],
  // "You said, we did". Linked feedback and events are read (BatchGetItem, a few named attributes)
  // to check they exist, count voices and find submitters' details in public text; never written.
  'create-update': [
    { actions: ['dynamodb:Query'], partitions: [PROJECTS_PARTITION] },
    { actions: ['dynamodb:BatchGetItem'], partitions: ['FEEDBACK#*', 'EVENT#*'] },
    { actions: ['dynamodb:PutItem'], partitions: ['UPDATE#*'] },
  ],
  'list-updates': [{ actions: ['dynamodb:Query'], indexes: officerLists }],
  'get-update': [{ actions: ['dynamodb:Query'], partitions: ['UPDATE#*'] }],
  'edit-update': [
    { actions: ['dynamodb:Query'], partitions: [PROJECTS_PARTITION] },
    { actions: ['dynamodb:BatchGetItem'], partitions: ['FEEDBACK#*', 'EVENT#*'] },
    { actions: ['dynamodb:GetItem', 'dynamodb:PutItem'], partitions: ['UPDATE#*'] },
  ],
  'publish-update': [
    { actions: ['dynamodb:Query'], partitions: [PROJECTS_PARTITION] },
    { actions: ['dynamodb:BatchGetItem'], partitions: ['FEEDBACK#*', 'EVENT#*'] },
    { actions: ['dynamodb:GetItem', 'dynamodb:PutItem'], partitions: ['UPDATE#*'] },
  ],
  // Unpublishing reads no links: it only takes the update out of the feeds.
  'unpublish-update': [{ actions: ['dynamodb:GetItem', 'dynamodb:PutItem'], partitions: ['UPDATE#*'] }],
  // Published updates from the feed index, feedback counted by kind from its keys-and-kind index,
  // events listed, then their participant counts (BatchGetItem on events only).
  // and the year's scorecard counters.
  'annual-report': [
    { actions: ['dynamodb:Query'], partitions: [PROJECTS_PARTITION, 'SCORECARD#*'] },
    {
      actions: ['dynamodb:Query'],
      indexes: [TABLE.indexes.feed.indexName, TABLE.indexes.feedbackByReceived.indexName, byCollection],
    },
    { actions: ['dynamodb:BatchGetItem'], partitions: ['EVENT#*'] },
  ],
  // A family's rights (admins). The search reads the subject lookup, each item found with its
  // history and the messages sent about it, and writes its audit record.
  'find-subject-data': [
    { actions: ['dynamodb:Query'], partitions: ['SUBJECT#*', 'FEEDBACK#*', 'NOTICE#*'] },
    { actions: ['dynamodb:PutItem'], partitions: ['AUDIT#*'] },
  ],
  // Erasure anonymises as the retention job does (infra/constructs/retention.ts): the one route
  // that replaces history entries (to take personal data out of them) and deletes (the item's
  // subject lookup entries), in one transaction with the item and its audit record.
  'erase-subject-data': [
    { actions: ['dynamodb:Query'], partitions: ['FEEDBACK#*'] },
    { actions: ['dynamodb:PutItem', 'dynamodb:ConditionCheckItem'], partitions: ['FEEDBACK#*'] },
    { actions: ['dynamodb:PutItem'], partitions: ['AUDIT#*'] },
    { actions: ['dynamodb:DeleteItem'], partitions: ['SUBJECT#*'] },
  ],
  'list-retention-audit': [{ actions: ['dynamodb:Query'], partitions: ['AUDIT#*'] }],
  // Public: the feed indexes only, which hold published updates' public views and nothing else.
  'get-feed': [{ actions: ['dynamodb:Query'], indexes: feedIndexes }],
  'get-feed-rss': [{ actions: ['dynamodb:Query'], indexes: feedIndexes }],
  // Public: the scorecard's counters (no item's fields, only counts) and the projects' titles.
  'get-scorecard': [{ actions: ['dynamodb:Query'], partitions: [PROJECTS_PARTITION, 'SCORECARD#*'] }],
};

/**
 * Functions that give out or read list cursors (officers' lists and the public feed's next_url):
 * only these get the cursor signing key
 * (infra/constructs/cursor-signing-key.ts). A function added here must page with shared/storage/paged-query.ts.
 */
export const SIGNS_CURSORS: ReadonlySet<HandlerName> = new Set<HandlerName>([
  'list-feedback',
  'list-events',
  'list-updates',
  'get-feed',
  'get-feed-rss',
  // The annual report pages through the year's events with the events list.
  'annual-report',
]);

/**
 * Functions that make or read family links (shared/domain/family-links.ts): only these get the
 * family-link key (FAMILY_LINK_KEY_SECRET_ARN). The answer makes the escalation link; the family's
 * escalation reads it.
 */
export const USES_FAMILY_LINKS: ReadonlySet<HandlerName> = new Set<HandlerName>([
  'respond-to-feedback',
  'escalate-by-family-link',
  // The family's stop link (the projector makes it for every message: infra/constructs/domain-events.ts).
  'stop-messages-by-family-link',
]);

/**
 * Functions that hash families' contact details for the subject lookup (shared/retention/subject-keys.ts):
 * only these get the subject lookup key (SUBJECT_LOOKUP_KEY_SECRET_ARN). Intake hashes what a family
 * gives; the admins' search hashes what it is asked for.
 */
export const USES_SUBJECT_LOOKUP: ReadonlySet<HandlerName> = new Set<HandlerName>([
  'submit-feedback',
  'find-subject-data',
]);

/** Functions that read the retention periods (RETENTION_PERIODS): the export says how long each item is kept. */
export const READS_RETENTION_PERIODS: ReadonlySet<HandlerName> = new Set<HandlerName>([
  'find-subject-data',
  'list-retention-audit',
]);

export function statementsFor(handler: HandlerName, table: ITableV2): PolicyStatement[] {
  return FUNCTION_PERMISSIONS[handler].map((grant) =>
    'indexes' in grant
      ? new PolicyStatement({
          effect: Effect.ALLOW,
          actions: grant.actions,
          resources: grant.indexes.map((index) => `${table.tableArn}/index/${index}`),
        })
      : new PolicyStatement({
          effect: Effect.ALLOW,
          actions: grant.actions,
          resources: [table.tableArn],
          conditions: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': grant.partitions } },
        }),
  );
}
