import { join } from 'node:path';
import { Duration, Validations } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, type Metric, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import type { ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { EventBus } from 'aws-cdk-lib/aws-events';
import { Effect, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { FilterCriteria, StartingPosition } from 'aws-cdk-lib/aws-lambda';
import { DynamoEventSource, SqsDlq } from 'aws-cdk-lib/aws-lambda-event-sources';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { FAMILY_MESSAGE_TYPES, type FamilyTemplates } from '../../shared/domain/family-messages';
import { DOMAIN_EVENT_SOURCE } from '../../shared/events/catalogue';
import { PROJECTIONS } from '../../shared/events/registry';
import { STREAM_FILTER_PATTERNS } from '../../shared/events/stream-filter';
import { TEMPLATE_VARIABLES } from '../../shared/notify/family-message-config';
import { DOMAIN_EVENT_MARKER_PREFIX, NOTICE_PREFIX } from '../../shared/storage/keys';
import type { FamilyLinkKey } from './family-link-key';
import type { NotifyApiKey } from './notify-api-key';
import { ServiceFunction } from './service-function';

/** Records per invocation: a batch of 100 changes is at most a few hundred small writes. */
export const PROJECTOR_BATCH_SIZE = 100;
/** Retries of a failing record before it is given up to the dead-letter queue. */
export const PROJECTOR_RETRY_ATTEMPTS = 10;
/**
 * A record older than this is given up to the dead-letter queue: half the stream's 24-hour
 * retention, so the other half is left to redrive it from the stream (docs: how to redrive).
 */
export const PROJECTOR_MAX_RECORD_AGE = Duration.hours(12);
/** The partitions the projector may write: its markers, and whatever its projections declare. */
export const PROJECTOR_PARTITIONS = [
  `${DOMAIN_EVENT_MARKER_PREFIX}*`,
  ...PROJECTIONS.flatMap((projection) => projection.partitions),
];

export interface DomainEventsProps {
  table: ITableV2;
  /** Families' messages (shared/events/reactions/tell-families.ts): the Notify key, read by the projector alone. */
  notifyApiKey: NotifyApiKey;
  /** Signs the stop and escalation links in families' messages. */
  familyLinkKey: FamilyLinkKey;
  /** Notify template ids, by message type and channel (context `notifyTemplates`). */
  notifyTemplates?: Partial<FamilyTemplates>;
  /** The public feed's settings (its update pages are what update messages link to). */
  feedEnvironment?: Record<string, string>;
  /** The escalation page, when known now (else set later with useFamilyPage). */
  familyPageUrl?: string;
  /** The stop page, if not beside the escalation page (context `familyStopPageUrl`). */
  familyStopPageUrl?: string;
}

/** The template ids as the projector's environment (shared/notify/family-message-config.ts). */
export function templateEnvironment(templates: Partial<FamilyTemplates> = {}): Record<string, string> {
  const environment: Record<string, string> = {};
  for (const type of FAMILY_MESSAGE_TYPES) {
    for (const channel of ['email', 'sms'] as const) {
      const id = templates[type]?.[channel];
      if (id) environment[TEMPLATE_VARIABLES[type][channel]] = id;
    }
  }
  return environment;
}

/**
 * Domain events: the table's stream (new and old images, turned on in data.ts) feeds one projector
 * function, which publishes versioned domain events to an EventBridge custom bus, where a council's
 * CRM or dashboard subscribes with a rule. Failed records are retried (partial batch responses,
 * bisected on error), then given up to an encrypted SQS dead-letter queue with an alarm; the
 * projector's errors and a growing iterator age alarm too.
 */
export class DomainEvents extends Construct {
  readonly bus: EventBus;
  readonly projector: ServiceFunction;
  readonly deadLetters: Queue;
  readonly alarms: Alarm[] = [];

  constructor(scope: Construct, id: string, props: DomainEventsProps) {
    super(scope, id);

    // Rules in this account need no resource policy; another account's bus or rule would (docs).
    this.bus = new EventBus(this, 'Bus', {
      description: 'you-said-we-did domain events (asyncapi.json): feedback, alerts, events, updates',
    });
    // A year of events, to replay to a subscriber that was down or is new. Events are small and
    // hold nothing personal, so keeping them costs cents.
    this.bus.archive('Archive', {
      description: 'Every domain event, a year, for replay',
      eventPattern: { source: [DOMAIN_EVENT_SOURCE] },
      retention: Duration.days(365),
    });

    this.deadLetters = new Queue(this, 'ProjectorDeadLetters', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    Validations.of(this.deadLetters).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason:
        'This queue is the on-failure destination of the projector’s stream event source, not the source of another queue.',
    });

    const tableArn = props.table.tableArn;
    const notifyKey = props.notifyApiKey.forFunction();
    const links = props.familyLinkKey.forFunction();
    const feed = props.feedEnvironment ?? {};
    this.projector = new ServiceFunction(this, 'Projector', {
      entry: join(import.meta.dirname, '..', '..', 'functions', 'project-stream', 'handler.ts'),
      description: 'Projector: the table’s stream into domain events on the EventBridge bus',
      // A batch is claimed event by event; the default 10 s is for requests.
      timeout: Duration.seconds(60),
      environment: {
        TABLE_NAME: props.table.tableName,
        EVENT_BUS_NAME: this.bus.eventBusName,
        ...notifyKey.environment,
        ...links.environment,
        ...templateEnvironment(props.notifyTemplates),
        ...(props.familyPageUrl ? { FAMILY_PAGE_URL: props.familyPageUrl } : {}),
        ...(props.familyStopPageUrl ? { FAMILY_STOP_PAGE_URL: props.familyStopPageUrl } : {}),
        // What an update's message links to, and an answer that is not a complaint's.
        ...(feed.FEED_ITEM_URL_TEMPLATE ? { FEED_ITEM_URL_TEMPLATE: feed.FEED_ITEM_URL_TEMPLATE } : {}),
        ...(feed.FEED_HOME_PAGE_URL ? { FEED_HOME_PAGE_URL: feed.FEED_HOME_PAGE_URL } : {}),
      },
      statements: [
        // Its markers (and its projections' partitions): claim, record reactions done. It reads
        // nothing from the table itself; what it reads comes on the stream.
        new PolicyStatement({
          effect: Effect.ALLOW,
          actions: ['dynamodb:PutItem', 'dynamodb:UpdateItem'],
          resources: [tableArn],
          conditions: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': PROJECTOR_PARTITIONS } },
        }),
        new PolicyStatement({
          effect: Effect.ALLOW,
          actions: ['events:PutEvents'],
          resources: [this.bus.eventBusArn],
        }),
        // Families' messages: the feedback read for its consent and contact details (no event
        // carries them), never written; each message's once-only record in its own partition.
        new PolicyStatement({
          effect: Effect.ALLOW,
          actions: ['dynamodb:GetItem'],
          resources: [tableArn],
          conditions: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['FEEDBACK#*'] } },
        }),
        new PolicyStatement({
          effect: Effect.ALLOW,
          actions: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem'],
          resources: [tableArn],
          conditions: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': [`${NOTICE_PREFIX}*`] } },
        }),
        notifyKey.statement,
        links.statement,
      ],
    });

    this.projector.fn.addEventSource(
      new DynamoEventSource(props.table, {
        // TRIM_HORIZON: from the oldest record the stream keeps, so nothing written between the
        // stream's start and the mapping's is missed (LATEST would skip it); the markers make
        // anything read twice harmless.
        startingPosition: StartingPosition.TRIM_HORIZON,
        batchSize: PROJECTOR_BATCH_SIZE,
        maxBatchingWindow: Duration.seconds(1),
        // One batch at a time per shard: an item's changes are projected in the order they were made.
        parallelizationFactor: 1,
        reportBatchItemFailures: true,
        bisectBatchOnError: true,
        retryAttempts: PROJECTOR_RETRY_ATTEMPTS,
        maxRecordAge: PROJECTOR_MAX_RECORD_AGE,
        // Not even invoked for its own markers, projections' writes, history entries, projects
        // and alert claims (shared/events/stream-filter.ts; npm start's reader applies the same).
        filters: STREAM_FILTER_PATTERNS.map((pattern) => FilterCriteria.filter(pattern)),
        onFailure: new SqsDlq(this.deadLetters),
      }),
    );

    const alarm = (id: string, description: string, metric: Metric, threshold = 1) => {
      const created = new Alarm(this, id, {
        alarmDescription: description,
        metric,
        threshold,
        evaluationPeriods: 1,
        comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: TreatMissingData.NOT_BREACHING,
      });
      this.alarms.push(created);
      return created;
    };
    const period = Duration.minutes(5);
    alarm(
      'ProjectorDeadLettersNotEmpty',
      'Stream records were given up after retries: their domain events are not published. See the dead-letter queue and the docs (redrive).',
      this.deadLetters.metricApproximateNumberOfMessagesVisible({ period, statistic: 'Maximum' }),
    );
    alarm(
      'ProjectorErrors',
      'The projector crashed or timed out: its batch is retried, and nothing is lost or repeated, but events wait.',
      this.projector.fn.metricErrors({ period, statistic: 'Sum' }),
    );
    alarm(
      'ProjectorIteratorAge',
      'Domain events are more than 10 minutes behind the table: a record keeps failing (see the logs) or the bus refuses events.',
      this.projector.fn.metric('IteratorAge', { period, statistic: 'Maximum' }),
      10 * 60_000,
    );
  }

  /** The escalation page, once known (the CloudFront address is made after this construct). */
  useFamilyPage(url: string): void {
    this.projector.fn.addEnvironment('FAMILY_PAGE_URL', url);
  }
}
