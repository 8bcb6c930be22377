import { join } from 'node:path';
import { type CfnElement, Duration, Stack, Validations } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import type { ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { Effect, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { Schedule, ScheduleExpression } from 'aws-cdk-lib/aws-scheduler';
import { LambdaInvoke } from 'aws-cdk-lib/aws-scheduler-targets';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import {
  formatRetentionPeriods,
  parseRetentionPeriods,
  RETENTION_PERIODS_ENV,
  type RetentionPeriods,
} from '../../shared/retention/retention-periods';
import { TABLE } from '../../shared/storage/table';
import { ServiceFunction } from './service-function';

/**
 * The `retentionPeriods` context value: `complaint=P7Y,feedback=P2Y` (as the variable takes it) or
 * `{ "complaint": "P7Y" }` in cdk.json. A wrong value fails the synth, naming what is wrong.
 */
export function retentionPeriodsFrom(value: unknown): RetentionPeriods {
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    return parseRetentionPeriods(
      Object.entries(value as Record<string, unknown>)
        .map(([kind, period]) => `${kind}=${String(period)}`)
        .join(','),
    );
  }
  return parseRetentionPeriods(value === undefined || value === null ? undefined : String(value));
}

export interface RetentionProps {
  table: ITableV2;
  periods: RetentionPeriods;
  /** The hour (UTC) of the daily run: 2 by default, when no officer is working. */
  hourUtc?: number;
}

/**
 * The retention schedule: the job (functions/run-retention) on a daily EventBridge Scheduler
 * schedule with retries and a dead-letter queue, and alarms when it fails, dead-letters or stops.
 */
export class Retention extends Construct {
  readonly job: ServiceFunction;
  readonly deadLetters: Queue;
  readonly alarms: Alarm[] = [];

  constructor(scope: Construct, id: string, props: RetentionProps) {
    super(scope, id);
    const tableArn = props.table.tableArn;
    const index = TABLE.indexes.retentionByClosure.indexName;
    const onPartitions = (actions: string[], partitions: string[]) =>
      new PolicyStatement({
        effect: Effect.ALLOW,
        actions,
        resources: [tableArn],
        conditions: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': partitions } },
      });
    this.job = new ServiceFunction(this, 'Job', {
      entry: join(import.meta.dirname, '..', '..', 'functions', 'run-retention', 'handler.ts'),
      description: 'Retention: anonymises closed feedback whose retention period has passed',
      // 2,000 items a run at a few writes each take well under this; a backlog continues next day.
      timeout: Duration.minutes(10),
      environment: {
        TABLE_NAME: props.table.tableName,
        [RETENTION_PERIODS_ENV]: formatRetentionPeriods(props.periods),
      },
      statements: [
        // What is due: the keys-only index of closed feedback by closure.
        new PolicyStatement({
          effect: Effect.ALLOW,
          actions: ['dynamodb:Query'],
          resources: [`${tableArn}/index/${index}`],
        }),
        // Each due item with its history; then, in one transaction, the item and its history
        // without personal data (history entries are replaced: the one reason to), its audit
        // record, and the deletion of its subject lookup entries.
        onPartitions(['dynamodb:Query', 'dynamodb:PutItem', 'dynamodb:ConditionCheckItem'], ['FEEDBACK#*']),
        onPartitions(['dynamodb:PutItem'], ['AUDIT#*']),
        onPartitions(['dynamodb:DeleteItem'], ['SUBJECT#*']),
      ],
    });

    this.deadLetters = new Queue(this, 'DeadLetters', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    Validations.of(this.deadLetters).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason:
        'This queue is the dead-letter queue of the retention schedule (EventBridge Scheduler), not of another queue.',
    });
    const stack = Stack.of(this);
    const logicalId = (resource: Construct) =>
      stack.resolve(stack.getLogicalId(resource.node.defaultChild as CfnElement));
    Validations.of(stack).acknowledge({
      id: `AwsSolutions-IAM5[Resource::<${logicalId(this.job.fn)}.Arn>:*]`,
      reason:
        'The schedule’s role may invoke only the retention job (any of its versions), as CDK grants it.',
    });
    const hour = props.hourUtc ?? 2;
    new Schedule(this, 'Schedule', {
      description: `Retention job daily at ${String(hour).padStart(2, '0')}:30 UTC`,
      schedule: ScheduleExpression.cron({ minute: '30', hour: String(hour) }),
      target: new LambdaInvoke(this.job.fn, {
        // A failed run is retried: an item done is never done twice (it is anonymised already).
        retryAttempts: 2,
        maxEventAge: Duration.hours(6),
        deadLetterQueue: this.deadLetters,
      }),
    });

    // Day-long periods line up with UTC days, so each holds one scheduled run.
    const day = Duration.days(1);
    this.alarms.push(
      new Alarm(this, 'RetentionJobErrors', {
        alarmDescription:
          'The retention job failed (an item could not be anonymised, or storage failed): its personal data is kept beyond its period until a run succeeds. The log names the items.',
        metric: this.job.fn.metricErrors({ period: day, statistic: 'Sum' }),
        threshold: 1,
        evaluationPeriods: 1,
        comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: TreatMissingData.NOT_BREACHING,
      }),
    );
    this.alarms.push(
      new Alarm(this, 'RetentionDeadLettersNotEmpty', {
        alarmDescription:
          'A scheduled retention run could not be invoked even after retries: see the dead-letter queue, then run it by hand.',
        metric: this.deadLetters.metricApproximateNumberOfMessagesVisible({
          period: Duration.hours(1),
          statistic: 'Maximum',
        }),
        threshold: 1,
        evaluationPeriods: 1,
        comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: TreatMissingData.NOT_BREACHING,
      }),
    );
    // Silence is a failure too: a day without a run keeps personal data beyond its period.
    this.alarms.push(
      new Alarm(this, 'RetentionJobNotRunning', {
        alarmDescription: 'The retention job has not run for a day: personal data is kept beyond its period.',
        metric: this.job.fn.metricInvocations({ period: day, statistic: 'Sum' }),
        threshold: 1,
        evaluationPeriods: 1,
        comparisonOperator: ComparisonOperator.LESS_THAN_THRESHOLD,
        treatMissingData: TreatMissingData.BREACHING,
      }),
    );
  }
}
