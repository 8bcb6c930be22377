import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../infra/build-app';
import { retentionPeriodsFrom } from '../../infra/constructs/retention';
import { DEFAULT_RETENTION_PERIODS } from '../../shared/retention/retention-periods';

function synth(context: Record<string, unknown> = {}) {
  const { stack } = buildApp(new App({ context: { 'aws:cdk:bundling-stacks': [], ...context } }));
  // Template.fromStack runs cdk-nag: any unacknowledged finding throws.
  return Template.fromStack(stack);
}

type Statement = {
  Action: string | string[];
  Resource: unknown;
  Condition?: Record<string, Record<string, string[]>>;
};

let template: Template;
beforeAll(() => {
  template = synth({ retentionPeriods: { complaint: 'P7Y' } });
});

function jobStatements(): Statement[] {
  const policies = Object.entries(template.findResources('AWS::IAM::Policy')).filter(([id]) =>
    id.startsWith('RetentionJobRole'),
  );
  expect(policies).toHaveLength(1);
  const document = policies[0]?.[1].Properties.PolicyDocument as { Statement: Statement[] } | undefined;
  return document?.Statement ?? [];
}

describe('the retention job', () => {
  it('runs daily on an EventBridge Scheduler schedule, with retries and an encrypted dead-letter queue', () => {
    template.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: 'cron(30 2 * * ? *)',
      Target: Match.objectLike({
        RetryPolicy: { MaximumRetryAttempts: 2, MaximumEventAgeInSeconds: 21_600 },
        DeadLetterConfig: Match.objectLike({ Arn: Match.anyValue() }),
      }),
    });
    template.hasResourceProperties('AWS::SQS::Queue', { SqsManagedSseEnabled: true });
  });

  it('gets the retention periods from the context, as the variable takes them', () => {
    template.hasResourceProperties('AWS::Lambda::Function', {
      Description: Match.stringLikeRegexp('^Retention'),
      Environment: {
        Variables: Match.objectLike({ RETENTION_PERIODS: 'feedback=P2Y,compliment=P1Y,complaint=P7Y' }),
      },
    });
    expect(retentionPeriodsFrom(undefined)).toEqual(DEFAULT_RETENTION_PERIODS);
    expect(retentionPeriodsFrom('compliment=P6M').compliment).toEqual({ years: 0, months: 6, days: 0 });
    expect(() => synth({ retentionPeriods: 'complaint=P1D' })).toThrow(/shorter than 30 days/);
    expect(() => synth({ retentionPeriods: { complaints: 'P6Y' } })).toThrow(/'complaints' is not a kind/);
  });

  it('raises alarms when it fails, dead-letters, or has not run for a day', () => {
    const alarms = Object.values(template.findResources('AWS::CloudWatch::Alarm')).map(
      (alarm) => alarm.Properties as { AlarmDescription: string; TreatMissingData: string; Period: number },
    );
    const about = (words: string) => alarms.filter((alarm) => alarm.AlarmDescription.includes(words));
    expect(about('The retention job failed')).toHaveLength(1);
    expect(about('retention run could not be invoked')).toHaveLength(1);
    expect(about('The retention job has not run for a day')).toMatchObject([
      { TreatMissingData: 'breaching', Period: 86_400 },
    ]);
  });

  it('may read only what may be due and each item, and write only to remove personal data', () => {
    const statements = jobStatements().filter((statement) =>
      [statement.Action].flat().some((action) => action.startsWith('dynamodb:')),
    );
    const summary = statements.map((statement) => ({
      actions: [statement.Action].flat().sort(),
      partitions: statement.Condition?.['ForAllValues:StringLike']?.['dynamodb:LeadingKeys'],
      index: statement.Condition ? undefined : JSON.stringify(statement.Resource).match(/index\/(\w+)/)?.[1],
    }));
    expect(summary).toEqual([
      { actions: ['dynamodb:Query'], index: 'RetentionByClosure', partitions: undefined },
      {
        actions: ['dynamodb:ConditionCheckItem', 'dynamodb:PutItem', 'dynamodb:Query'],
        partitions: ['FEEDBACK#*'],
        index: undefined,
      },
      { actions: ['dynamodb:PutItem'], partitions: ['AUDIT#*'], index: undefined },
      { actions: ['dynamodb:DeleteItem'], partitions: ['SUBJECT#*'], index: undefined },
    ]);
    const actions = statements.flatMap((statement) => [statement.Action].flat());
    expect(actions).not.toContain('dynamodb:Scan');
    expect(actions).not.toContain('dynamodb:UpdateItem');
  });
});
