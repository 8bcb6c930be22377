import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../infra/build-app';
import { SUBSCRIPTION_PROBLEMS_METRIC, teamAddressesFrom } from '../../infra/constructs/alerts';
import { SWEEP_WRITTEN_ATTRIBUTES } from '../../shared/storage/alert-repository';

const ALERT_EMAILS = {
  'send-service': {
    emails: ['send-team@council.example.gov.uk'],
    escalationEmails: ['send-manager@council.example.gov.uk'],
  },
  'short-breaks': 'short-breaks@council.example.gov.uk',
};

function synth(context: Record<string, unknown> = {}) {
  const { stack } = buildApp(
    new App({ context: { 'aws:cdk:bundling-stacks': [], alertEmails: ALERT_EMAILS, ...context } }),
  );
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
  template = synth();
});

function sweepStatements(): Statement[] {
  const policies = Object.entries(template.findResources('AWS::IAM::Policy')).filter(([id]) =>
    id.startsWith('AlertsSweepRole'),
  );
  expect(policies).toHaveLength(1);
  const document = policies[0]?.[1].Properties.PolicyDocument as { Statement: Statement[] } | undefined;
  return document?.Statement ?? [];
}

describe('the overdue alerts', () => {
  it('go to one SNS topic encrypted with a rotating KMS key, SSL only', () => {
    template.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: Match.anyValue() });
    template.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true });
    template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: Match.objectLike({
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        ]),
      }),
    });
  });

  it('subscribe each team address with a filter policy on its team, and escalation addresses to escalations only', () => {
    const subscriptions = Object.values(template.findResources('AWS::SNS::Subscription')).map(
      (resource) => resource.Properties as { Protocol: string; Endpoint: string; FilterPolicy: unknown },
    );
    expect(subscriptions).toHaveLength(3);
    expect(subscriptions).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          Protocol: 'email',
          Endpoint: 'send-team@council.example.gov.uk',
          FilterPolicy: { team: ['send-service'] },
        }),
        expect.objectContaining({
          Protocol: 'email',
          Endpoint: 'send-manager@council.example.gov.uk',
          FilterPolicy: { team: ['send-service'], escalation: ['true'] },
        }),
        expect.objectContaining({
          Protocol: 'email',
          Endpoint: 'short-breaks@council.example.gov.uk',
          FilterPolicy: { team: ['short-breaks'] },
        }),
      ]),
    );
    // The sweep is told which subscriptions to check on every run.
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: {
        Variables: Match.objectLike({
          ALERT_SUBSCRIPTIONS: JSON.stringify([
            { team: 'send-service', role: 'team', endpoint: 'send-team@council.example.gov.uk' },
            { team: 'send-service', role: 'escalation', endpoint: 'send-manager@council.example.gov.uk' },
            { team: 'short-breaks', role: 'team', endpoint: 'short-breaks@council.example.gov.uk' },
          ]),
        }),
      },
    });
  });

  it('are swept on an EventBridge Scheduler schedule, every 15 minutes by default, with retries and an encrypted dead-letter queue', () => {
    template.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: 'rate(15 minutes)',
      State: 'ENABLED',
      Target: Match.objectLike({
        RetryPolicy: { MaximumRetryAttempts: 2, MaximumEventAgeInSeconds: 900 },
        DeadLetterConfig: { Arn: Match.anyValue() },
      }),
    });
    template.hasResourceProperties('AWS::SQS::Queue', { SqsManagedSseEnabled: true });
    const configured = synth({ alertSweepMinutes: 5 });
    configured.hasResourceProperties('AWS::Scheduler::Schedule', { ScheduleExpression: 'rate(5 minutes)' });
  });

  it('raise alarms when the sweep fails, stops, dead-letters, or finds a team subscription missing or unconfirmed', () => {
    const alarms = Object.values(template.findResources('AWS::CloudWatch::Alarm')).map(
      (resource) => resource.Properties as Record<string, unknown>,
    );
    const names = alarms.map((alarm) => alarm.MetricName);
    expect(names).toEqual(
      expect.arrayContaining([
        'Errors',
        'ApproximateNumberOfMessagesVisible',
        SUBSCRIPTION_PROBLEMS_METRIC,
        'Invocations',
      ]),
    );
    expect(alarms.find((alarm) => alarm.MetricName === SUBSCRIPTION_PROBLEMS_METRIC)).toMatchObject({
      Namespace: 'YouSaidWeDid',
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
    });
  });

  it('let the sweep do only what it needs: Query the open-items index and the projects, conditional writes of alert attributes, Publish to this topic', () => {
    const statements = sweepStatements();
    const byAction = (action: string) => statements.filter((s) => [s.Action].flat().includes(action));
    const actions = statements.flatMap((s) => [s.Action].flat()).sort();
    expect(actions).toEqual(
      [
        'logs:CreateLogStream',
        'logs:PutLogEvents',
        'dynamodb:Query',
        'dynamodb:Query',
        'dynamodb:PutItem',
        'dynamodb:UpdateItem',
        'dynamodb:ConditionCheckItem',
        'sns:Publish',
        'sns:ListSubscriptionsByTopic',
        'sns:GetSubscriptionAttributes',
        'kms:GenerateDataKey',
        'kms:Decrypt',
      ].sort(),
    );
    // No reads of whole items (GetItem, Query on the table's feedback partitions), no Scan, no delete.
    expect(actions).not.toContain('dynamodb:GetItem');
    const [write] = byAction('dynamodb:UpdateItem');
    expect(write?.Condition?.['ForAllValues:StringLike']?.['dynamodb:LeadingKeys']).toEqual([
      'FEEDBACK#*',
      'EVENT#*',
    ]);
    const writable = write?.Condition?.['ForAllValues:StringEquals']?.['dynamodb:Attributes'] ?? [];
    expect(writable).toEqual(expect.arrayContaining([...SWEEP_WRITTEN_ATTRIBUTES]));
    for (const personal of ['message', 'contact', 'response', 'status'])
      expect(writable).not.toContain(personal);
    const queries = byAction('dynamodb:Query');
    expect(JSON.stringify(queries)).toContain('/index/GSI1');
    expect(
      queries.find((q) => q.Condition)?.Condition?.['ForAllValues:StringLike']?.['dynamodb:LeadingKeys'],
    ).toEqual(['PROJECTS']);
    const [publish] = byAction('sns:Publish');
    expect(JSON.stringify(publish?.Resource)).toContain('AlertsTopic');
  });

  it('read the alertEmails context in each form a council may write it', () => {
    expect(teamAddressesFrom(ALERT_EMAILS)).toEqual({
      'send-service': {
        emails: ['send-team@council.example.gov.uk'],
        escalationEmails: ['send-manager@council.example.gov.uk'],
      },
      'short-breaks': { emails: ['short-breaks@council.example.gov.uk'], escalationEmails: [] },
    });
    expect(teamAddressesFrom(JSON.stringify({ a: ['x@y.z'] }))).toEqual({
      a: { emails: ['x@y.z'], escalationEmails: [] },
    });
    expect(teamAddressesFrom({})).toEqual({});
    expect(teamAddressesFrom(undefined)).toEqual({});
  });
});
