import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../infra/build-app';
import { STREAM_FILTER_PATTERNS } from '../../shared/events/stream-filter';
import { TABLE } from '../../shared/storage/table';

type Statement = {
  Action: string | string[];
  Resource: unknown;
  Condition?: Record<string, Record<string, string[]>>;
};

let template: Template;
beforeAll(() => {
  const { stack } = buildApp(new App({ context: { 'aws:cdk:bundling-stacks': [] } }));
  // Template.fromStack runs cdk-nag: any unacknowledged finding throws.
  template = Template.fromStack(stack);
});

function projectorStatements(): Statement[] {
  const policies = Object.entries(template.findResources('AWS::IAM::Policy')).filter(([id]) =>
    id.startsWith('DomainEventsProjectorRole'),
  );
  expect(policies).toHaveLength(1);
  const document = policies[0]?.[1].Properties.PolicyDocument as { Statement: Statement[] } | undefined;
  return document?.Statement ?? [];
}

describe('domain events in AWS', () => {
  it('turn on the table’s stream with new and old images, as DynamoDB Local has it', () => {
    expect(TABLE.stream).toBe('NEW_AND_OLD_IMAGES');
    template.hasResourceProperties('AWS::DynamoDB::GlobalTable', {
      StreamSpecification: { StreamViewType: 'NEW_AND_OLD_IMAGES' },
    });
  });

  it('feed the projector from the stream: from the oldest record, partial batch responses, bisected, bounded retries, a dead-letter queue, and filtered', () => {
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      EventSourceArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^DataTable'), 'StreamArn'] },
      StartingPosition: 'TRIM_HORIZON',
      BatchSize: 100,
      ParallelizationFactor: 1,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      BisectBatchOnFunctionError: true,
      MaximumRetryAttempts: 10,
      MaximumRecordAgeInSeconds: 12 * 3600,
      DestinationConfig: {
        OnFailure: { Destination: { 'Fn::GetAtt': [Match.stringLikeRegexp('ProjectorDeadLetters'), 'Arn'] } },
      },
      FilterCriteria: {
        Filters: STREAM_FILTER_PATTERNS.map((pattern) => ({ Pattern: JSON.stringify(pattern) })),
      },
    });
    template.hasResourceProperties('AWS::Lambda::Function', {
      Description: Match.stringLikeRegexp('^Projector'),
      Runtime: 'nodejs24.x',
      Timeout: 60,
      Environment: {
        Variables: Match.objectLike({ EVENT_BUS_NAME: Match.anyValue(), TABLE_NAME: Match.anyValue() }),
      },
    });
  });

  it('publish to an EventBridge custom bus, archived for replay', () => {
    template.resourceCountIs('AWS::Events::EventBus', 1);
    template.hasResourceProperties('AWS::Events::Archive', {
      EventPattern: { source: ['you-said-we-did'] },
      RetentionDays: 365,
    });
  });

  it('let the projector write only its own markers, put events only on its bus, and read only the stream (and what families’ messages need: test/infra/family-messages.test.ts)', () => {
    const statements = projectorStatements();
    const actions = statements.flatMap((s) => [s.Action].flat()).sort();
    expect(actions).toEqual(
      [
        'logs:CreateLogStream',
        'logs:PutLogEvents',
        'dynamodb:PutItem',
        'dynamodb:UpdateItem',
        // Families' messages: the feedback read; their notices claimed, read, recorded.
        'dynamodb:GetItem',
        'dynamodb:GetItem',
        'dynamodb:PutItem',
        'dynamodb:UpdateItem',
        // The Notify key and the family-link key.
        'secretsmanager:GetSecretValue',
        'secretsmanager:GetSecretValue',
        'events:PutEvents',
        'sqs:SendMessage',
        'sqs:GetQueueAttributes',
        'sqs:GetQueueUrl',
        'dynamodb:ListStreams',
        'dynamodb:DescribeStream',
        'dynamodb:GetRecords',
        'dynamodb:GetShardIterator',
      ].sort(),
    );
    const write = statements.find((s) => [s.Action].flat().includes('dynamodb:PutItem'));
    expect(write?.Condition?.['ForAllValues:StringLike']?.['dynamodb:LeadingKeys']).toEqual([
      'DOMAINEVENT#*',
    ]);
    const put = statements.find((s) => [s.Action].flat().includes('events:PutEvents'));
    expect(put?.Resource).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/^DomainEventsBus/), 'Arn'] });
    const streamReads = [
      'dynamodb:ListStreams',
      'dynamodb:DescribeStream',
      'dynamodb:GetRecords',
      'dynamodb:GetShardIterator',
    ];
    const reads = statements.filter((s) => [s.Action].flat().some((action) => streamReads.includes(action)));
    expect(reads.length).toBeGreaterThan(0);
    for (const statement of reads)
      expect(statement.Resource).toEqual({
        'Fn::GetAtt': [expect.stringMatching(/^DataTable/), 'StreamArn'],
      });
  });

  it('give up failed records to an encrypted, SSL-only queue, and alarm on it, on errors and on a growing iterator age', () => {
    template.hasResourceProperties('AWS::SQS::QueuePolicy', {
      PolicyDocument: Match.objectLike({
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        ]),
      }),
    });
    const alarms = Object.entries(template.findResources('AWS::CloudWatch::Alarm'))
      .filter(([id]) => id.startsWith('DomainEvents'))
      .map(([, alarm]) => alarm.Properties as Record<string, unknown>);
    expect(alarms.map((alarm) => alarm.MetricName).sort()).toEqual(
      ['ApproximateNumberOfMessagesVisible', 'Errors', 'IteratorAge'].sort(),
    );
    expect(alarms.find((alarm) => alarm.MetricName === 'IteratorAge')).toMatchObject({
      Threshold: 600_000,
      Statistic: 'Maximum',
    });
  });
});
