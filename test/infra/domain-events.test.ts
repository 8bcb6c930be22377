import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../infra/build-app';
import { notifyTemplatesFromContext, notifyTemplateWarnings } from '../../infra/notify-context';
import { STREAM_FILTER_PATTERNS } from '../../shared/events/stream-filter';
import { TABLE } from '../../shared/storage/table';

type Statement = {
  Action: string | string[];
  Resource: unknown;
  Condition?: Record<string, Record<string, string[]>>;
};

const TEMPLATES = {
  answered: { email: '5c1b0e2a-1d7f-4c33-9d0a-7b6f5e4d3c21', sms: '6c1b0e2a-1d7f-4c33-9d0a-7b6f5e4d3c21' },
  update_published: {
    email: '7c1b0e2a-1d7f-4c33-9d0a-7b6f5e4d3c21',
    sms: '8c1b0e2a-1d7f-4c33-9d0a-7b6f5e4d3c21',
  },
};

let template: Template;
beforeAll(() => {
  // With families' messages configured (test/infra: the Notify template ids and the feed's pages).
  const { stack } = buildApp(
    new App({
      context: {
        'aws:cdk:bundling-stacks': [],
        notifyTemplates: JSON.stringify(TEMPLATES),
        feedItemUrlTemplate: 'https://localoffer.example.gov.uk/ysdw/{id}',
        feedHomePageUrl: 'https://localoffer.example.gov.uk/ysdw',
      },
    }),
  );
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

  it('let the projector write only its own markers, put events only on its bus, and read only the stream (and what families’ messages need: below)', () => {
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

/**
 * Families' messages in AWS: the Notify key's secret (no value in the template), read by the
 * projector alone; the template ids from context; the projector reading feedback but writing only
 * its notices; cdk-nag clean (Template.fromStack throws on any finding).
 */
const resources = (type: string) => Object.entries(template.findResources(type));
const notifySecret = () =>
  resources('AWS::SecretsManager::Secret').find(([, secret]) =>
    String(secret.Properties.Description).includes('GOV.UK Notify'),
  );

describe('families’ messages in AWS', () => {
  it('make the Notify key’s secret with a generated placeholder, never a value in the template', () => {
    const [, secret] = notifySecret() ?? [];
    expect(secret?.Properties.SecretString).toBeUndefined();
    expect(secret?.Properties.GenerateSecretString).toBeDefined();
    expect(template.findOutputs('NotifyApiKeySecretArn')).not.toEqual({});
  });

  it('let only the projector read the Notify key, and give it the template ids and the pages its links open', () => {
    const [secretId] = notifySecret() ?? [];
    const readers = resources('AWS::IAM::Policy').filter(([, policy]) =>
      JSON.stringify(policy.Properties.PolicyDocument).includes(JSON.stringify({ Ref: secretId })),
    );
    expect(readers.map(([id]) => id.replace(/Role.*$/, ''))).toEqual(['DomainEventsProjector']);
    const [, projector] =
      resources('AWS::Lambda::Function').find(([id]) => id.startsWith('DomainEventsProjector')) ?? [];
    const variables =
      (projector?.Properties.Environment as { Variables: Record<string, unknown> } | undefined)?.Variables ??
      {};
    expect(variables).toMatchObject({
      NOTIFY_API_KEY_SECRET_ARN: { Ref: secretId },
      NOTIFY_TEMPLATE_ANSWERED_EMAIL: TEMPLATES.answered.email,
      NOTIFY_TEMPLATE_ANSWERED_SMS: TEMPLATES.answered.sms,
      NOTIFY_TEMPLATE_UPDATE_PUBLISHED_EMAIL: TEMPLATES.update_published.email,
      NOTIFY_TEMPLATE_UPDATE_PUBLISHED_SMS: TEMPLATES.update_published.sms,
      FEED_ITEM_URL_TEMPLATE: 'https://localoffer.example.gov.uk/ysdw/{id}',
      FEED_HOME_PAGE_URL: 'https://localoffer.example.gov.uk/ysdw',
    });
    expect(JSON.stringify(variables.FAMILY_PAGE_URL)).toContain('/family/escalate.html');
    expect(variables.FAMILY_LINK_KEY_SECRET_ARN).toBeDefined();
  });

  it('let the projector read feedback but never write it: its notices have a partition of their own', () => {
    const [, policy] =
      resources('AWS::IAM::Policy').find(([id]) => id.startsWith('DomainEventsProjectorRole')) ?? [];
    const statements =
      (policy?.Properties.PolicyDocument as { Statement: Statement[] } | undefined)?.Statement ?? [];
    const keysFor = (action: string) =>
      statements
        .filter((s) => [s.Action].flat().includes(action))
        .flatMap((s) => s.Condition?.['ForAllValues:StringLike']?.['dynamodb:LeadingKeys'] ?? ['(any)'])
        .sort();
    expect(keysFor('dynamodb:GetItem')).toEqual(['FEEDBACK#*', 'NOTICE#*']);
    expect(keysFor('dynamodb:PutItem')).toEqual(['DOMAINEVENT#*', 'NOTICE#*']);
    expect(keysFor('dynamodb:UpdateItem')).toEqual(['DOMAINEVENT#*', 'NOTICE#*']);
  });

  it('read template ids from context strictly, and warn at synth of every one missing', () => {
    expect(notifyTemplatesFromContext(JSON.stringify(TEMPLATES))).toEqual(TEMPLATES);
    expect(notifyTemplatesFromContext(undefined)).toEqual({});
    expect(() => notifyTemplatesFromContext({ answered: { email: 'not-a-uuid' } })).toThrow(/UUID/);
    expect(() => notifyTemplatesFromContext({ answred: {} })).toThrow(/unknown message type/);
    expect(() => notifyTemplatesFromContext({ answered: { letter: TEMPLATES.answered.email } })).toThrow(
      /unknown channel/,
    );
    expect(notifyTemplateWarnings(TEMPLATES)).toEqual([]);
    expect(notifyTemplateWarnings({ answered: TEMPLATES.answered })[0]).toContain(
      'update_published.email, update_published.sms',
    );
  });
});
