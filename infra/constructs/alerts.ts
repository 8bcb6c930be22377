import { join } from 'node:path';
import { type CfnElement, Duration, Stack, Validations } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, Metric, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import type { ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { Effect, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import { Schedule, ScheduleExpression } from 'aws-cdk-lib/aws-scheduler';
import { LambdaInvoke } from 'aws-cdk-lib/aws-scheduler-targets';
import { Subscription, SubscriptionFilter, SubscriptionProtocol, Topic } from 'aws-cdk-lib/aws-sns';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { ALERT_SUBSCRIPTIONS_ENV, type ExpectedSubscription } from '../../shared/notify/subscription-check';
import { SWEEP_WRITTEN_ATTRIBUTES } from '../../shared/storage/alert-repository';
import { PROJECTS_PARTITION } from '../../shared/storage/keys';
import { TABLE } from '../../shared/storage/table';
import { SERVICE_NAME } from '../function-defaults';
import { ServiceFunction } from './service-function';

/** Per team: the addresses that get its alerts, and those that also get its escalations. */
export interface TeamAddresses {
  emails: string[];
  escalationEmails: string[];
}

/**
 * The `alertEmails` context value, in any of the forms a council may write it:
 * `{ "send-service": "send@council.gov.uk" }`, `{ "send-service": ["a@…", "b@…"] }`, or
 * `{ "send-service": { "emails": ["a@…"], "escalationEmails": ["manager@…"] } }`.
 */
export function teamAddressesFrom(value: unknown): Record<string, TeamAddresses> {
  const parsed = typeof value === 'string' && value.trim() ? (JSON.parse(value) as unknown) : value;
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) return {};
  const list = (entry: unknown): string[] =>
    (Array.isArray(entry) ? entry : typeof entry === 'string' ? [entry] : []).map(String).filter(Boolean);
  return Object.fromEntries(
    Object.entries(parsed as Record<string, unknown>).map(([team, entry]) => {
      if (entry && typeof entry === 'object' && !Array.isArray(entry)) {
        const { emails, escalationEmails } = entry as Record<string, unknown>;
        return [team, { emails: list(emails), escalationEmails: list(escalationEmails) }];
      }
      return [team, { emails: list(entry), escalationEmails: [] }];
    }),
  );
}

export interface AlertsProps {
  table: ITableV2;
  /** Team name (a project's alertTeam) → addresses. */
  teams: Record<string, TeamAddresses>;
  /** Minutes between sweeps; 15 by default. */
  sweepRateMinutes?: number;
  /** Where an alert's link points: the officer app, `<url>/feedback/<id>`. */
  officerAppUrl: string;
}

/** The custom metric each sweep emits: team subscriptions missing, unconfirmed or not authenticated. */
export const SUBSCRIPTION_PROBLEMS_METRIC = 'AlertSubscriptionProblems';
const METRICS_NAMESPACE = 'YouSaidWeDid';

/**
 * Overdue alerts: an encrypted SNS topic with an email subscription per team address (filtered to
 * that team, and to escalations for escalation addresses), the sweep function on an EventBridge
 * Scheduler schedule with retries and a dead-letter queue, and alarms when the sweep fails, stops,
 * dead-letters, or finds a team that would not hear.
 */
export class Alerts extends Construct {
  readonly topic: Topic;
  readonly sweep: ServiceFunction;
  readonly deadLetters: Queue;
  readonly alarms: Alarm[] = [];

  constructor(scope: Construct, id: string, props: AlertsProps) {
    super(scope, id);
    const rate = props.sweepRateMinutes ?? 15;

    const key = new Key(this, 'TopicKey', {
      description: 'Encrypts overdue alerts at rest in SNS',
      enableKeyRotation: true,
    });
    this.topic = new Topic(this, 'Topic', {
      displayName: 'SEND feedback overdue alerts',
      masterKey: key,
      enforceSSL: true,
    });

    const expected: ExpectedSubscription[] = [];
    for (const [team, addresses] of Object.entries(props.teams)) {
      for (const [role, endpoints] of [
        ['team', addresses.emails],
        ['escalation', addresses.escalationEmails],
      ] as const) {
        for (const endpoint of endpoints) {
          expected.push({ team, role, endpoint });
          new Subscription(this, `${role}:${team}:${endpoint}`, {
            topic: this.topic,
            protocol: SubscriptionProtocol.EMAIL,
            endpoint,
            filterPolicy: {
              team: SubscriptionFilter.stringFilter({ allowlist: [team] }),
              ...(role === 'escalation'
                ? { escalation: SubscriptionFilter.stringFilter({ allowlist: ['true'] }) }
                : {}),
            },
          });
        }
      }
    }

    const tableArn = props.table.tableArn;
    const openIndex = TABLE.indexes.openByDeadline.indexName;
    this.sweep = new ServiceFunction(this, 'Sweep', {
      entry: join(import.meta.dirname, '..', '..', 'functions', 'sweep-overdue', 'handler.ts'),
      description: 'Overdue sweep: alerts each team by email when feedback or a report-back runs late',
      timeout: Duration.minutes(2),
      environment: {
        TABLE_NAME: props.table.tableName,
        ALERT_TOPIC_ARN: this.topic.topicArn,
        [ALERT_SUBSCRIPTIONS_ENV]: JSON.stringify(expected),
        OFFICER_APP_URL: props.officerAppUrl,
      },
      statements: [
        // The open-items index: it projects no message, name or contact details.
        new PolicyStatement({
          effect: Effect.ALLOW,
          actions: ['dynamodb:Query'],
          resources: [`${tableArn}/index/${openIndex}`],
        }),
        // Projects: each one's alert team and reminder settings.
        new PolicyStatement({
          effect: Effect.ALLOW,
          actions: ['dynamodb:Query'],
          resources: [tableArn],
          conditions: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': [PROJECTS_PARTITION] } },
        }),
        // The conditional writes (claim, release, record, reschedule), on feedback and events only,
        // and only the alert attributes: the sweep can neither read nor write a family's words.
        new PolicyStatement({
          effect: Effect.ALLOW,
          actions: ['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:ConditionCheckItem'],
          resources: [tableArn],
          conditions: {
            'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['FEEDBACK#*', 'EVENT#*'] },
            'ForAllValues:StringEquals': {
              'dynamodb:Attributes': [...SWEEP_WRITTEN_ATTRIBUTES, TABLE.indexes.openByDeadline.partitionKey],
            },
          },
        }),
        new PolicyStatement({
          effect: Effect.ALLOW,
          actions: ['sns:Publish', 'sns:ListSubscriptionsByTopic'],
          resources: [this.topic.topicArn],
        }),
        // Subscription ARNs are the topic's ARN and a suffix SNS chooses at confirmation.
        new PolicyStatement({
          effect: Effect.ALLOW,
          actions: ['sns:GetSubscriptionAttributes'],
          resources: [`${this.topic.topicArn}:*`],
        }),
        // Publishing to an encrypted topic.
        new PolicyStatement({
          effect: Effect.ALLOW,
          actions: ['kms:GenerateDataKey', 'kms:Decrypt'],
          resources: [key.keyArn],
        }),
      ],
    });
    const stack = Stack.of(this);
    const logicalId = (resource: Construct) =>
      stack.resolve(stack.getLogicalId(resource.node.defaultChild as CfnElement));
    Validations.of(this.sweep).acknowledge({
      id: `AwsSolutions-IAM5[Resource::<${logicalId(this.topic)}>:*]`,
      reason:
        'sns:GetSubscriptionAttributes on this topic’s own subscriptions only: their ARNs are the topic ARN and a suffix SNS chooses on confirmation.',
    });

    this.deadLetters = new Queue(this, 'SweepDeadLetters', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    Validations.of(this.deadLetters).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason:
        'This queue is the dead-letter queue of the sweep schedule (EventBridge Scheduler), not of another queue.',
    });

    // The scheduler's role may invoke the sweep function and its versions (`<arn>:*`), nothing else.
    Validations.of(stack).acknowledge({
      id: `AwsSolutions-IAM5[Resource::<${logicalId(this.sweep.fn)}.Arn>:*]`,
      reason:
        'The schedule’s role may invoke only the sweep function (any of its versions), as CDK grants it.',
    });
    new Schedule(this, 'Schedule', {
      description: `Overdue sweep every ${rate} minutes`,
      schedule: ScheduleExpression.rate(Duration.minutes(rate)),
      target: new LambdaInvoke(this.sweep.fn, {
        // A failed sweep is retried; every alert is claimed before it is sent, so a retry sends
        // nothing twice. Older than one interval, the next scheduled sweep does the same work.
        retryAttempts: 2,
        maxEventAge: Duration.minutes(rate),
        deadLetterQueue: this.deadLetters,
      }),
    });

    const alarm = (
      id: string,
      description: string,
      metric: Metric,
      treatMissingData = TreatMissingData.NOT_BREACHING,
    ) => {
      const created = new Alarm(this, id, {
        alarmDescription: description,
        metric,
        threshold: 1,
        evaluationPeriods: 1,
        comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData,
      });
      this.alarms.push(created);
      return created;
    };
    const period = Duration.minutes(Math.max(rate, 5));
    alarm(
      'SweepErrors',
      'The overdue sweep failed (an alert could not be published, or storage failed): alerts wait for the next sweep.',
      this.sweep.fn.metricErrors({ period, statistic: 'Sum' }),
    );
    alarm(
      'DeadLettersNotEmpty',
      'A scheduled overdue sweep could not be invoked even after retries: see the dead-letter queue.',
      this.deadLetters.metricApproximateNumberOfMessagesVisible({ period, statistic: 'Maximum' }),
    );
    alarm(
      'SubscriptionProblems',
      'A team’s alert email subscription is missing, unconfirmed, or confirmed without AuthenticateOnUnsubscribe: that team may hear nothing. The sweep logs which team.',
      new Metric({
        namespace: METRICS_NAMESPACE,
        metricName: SUBSCRIPTION_PROBLEMS_METRIC,
        dimensionsMap: { service: SERVICE_NAME },
        period,
        statistic: 'Maximum',
      }),
    );
    // Silence is a failure too: no invocations for an hour means no alerts.
    new Alarm(this, 'SweepNotRunning', {
      alarmDescription: 'The overdue sweep has not run for an hour: no alerts are being sent.',
      metric: this.sweep.fn.metricInvocations({ period: Duration.hours(1), statistic: 'Sum' }),
      threshold: 1,
      evaluationPeriods: 1,
      comparisonOperator: ComparisonOperator.LESS_THAN_THRESHOLD,
      treatMissingData: TreatMissingData.BREACHING,
    });
  }
}
