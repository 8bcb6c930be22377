import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../infra/build-app';
import { notifyTemplatesFromContext, notifyTemplateWarnings } from '../../infra/notify-context';

/**
 * Families' messages in AWS: the Notify key's secret (no value in the template), read by the
 * projector alone; the template ids from context; the projector reading feedback but writing only
 * its notices; cdk-nag clean (Template.fromStack throws on any finding).
 */
const TEMPLATES = {
  answered: { email: '5c1b0e2a-1d7f-4c33-9d0a-7b6f5e4d3c21', sms: '6c1b0e2a-1d7f-4c33-9d0a-7b6f5e4d3c21' },
  update_published: {
    email: '7c1b0e2a-1d7f-4c33-9d0a-7b6f5e4d3c21',
    sms: '8c1b0e2a-1d7f-4c33-9d0a-7b6f5e4d3c21',
  },
};

type Statement = {
  Action: string | string[];
  Resource: unknown;
  Condition?: Record<string, Record<string, string[]>>;
};
let template: Template;
beforeAll(() => {
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
  template = Template.fromStack(stack);
});

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
