import {
  ConfirmSubscriptionCommand,
  GetSubscriptionAttributesCommand,
  ListSubscriptionsByTopicCommand,
  SNSClient,
} from '@aws-sdk/client-sns';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { confirm, parseConfirmation } from '../../scripts/confirm-subscription';
import { checkSubscriptions, expectedSubscriptionsFrom } from '../../shared/notify/subscription-check';

const sns = mockClient(SNSClient);
afterEach(() => sns.reset());
const TOPIC = 'arn:aws:sns:eu-west-2:123456789012:YouSaidWeDid-AlertsTopic-ABC';

describe('confirming a team subscription', () => {
  it('takes the link from the email and confirms with AuthenticateOnUnsubscribe', async () => {
    const link = `https://sns.eu-west-2.amazonaws.com/confirmation.html?TopicArn=${encodeURIComponent(TOPIC)}&Token=2336412f37fb687f5d51e6e2425ba1f2&Endpoint=send-team%40council.example.gov.uk`;
    const parsed = parseConfirmation([link]);
    expect(parsed).toEqual({
      topicArn: TOPIC,
      token: '2336412f37fb687f5d51e6e2425ba1f2',
      region: 'eu-west-2',
    });
    sns.on(ConfirmSubscriptionCommand).resolves({ SubscriptionArn: `${TOPIC}:1111` });
    expect(await confirm(new SNSClient({ region: 'eu-west-2' }), parsed)).toBe(`${TOPIC}:1111`);
    expect(sns.commandCalls(ConfirmSubscriptionCommand)[0]?.args[0].input).toEqual({
      TopicArn: TOPIC,
      Token: '2336412f37fb687f5d51e6e2425ba1f2',
      AuthenticateOnUnsubscribe: 'true',
    });
    expect(parseConfirmation(['--topic-arn', TOPIC, '--token', 'abc'])).toMatchObject({ token: 'abc' });
  });

  it('refuses anything that is not an SNS confirmation link', () => {
    expect(() => parseConfirmation(['https://evil.example.com/?TopicArn=x&Token=y'])).toThrow(/not an SNS/);
    expect(() => parseConfirmation([])).toThrow(/confirmation link/);
    expect(() => parseConfirmation(['--topic-arn', 'nonsense', '--token', 'y'])).toThrow(/topic ARN/);
  });
});

describe('each sweep’s subscription check', () => {
  const expected = expectedSubscriptionsFrom(
    JSON.stringify([
      { team: 'send-service', role: 'team', endpoint: 'send-team@council.example.gov.uk' },
      { team: 'send-service', role: 'escalation', endpoint: 'manager@council.example.gov.uk' },
      { team: 'short-breaks', role: 'team', endpoint: 'short-breaks@council.example.gov.uk' },
      { team: 'transport', role: 'team', endpoint: 'transport@council.example.gov.uk' },
    ]),
  );

  it('names each team whose subscription is missing, unconfirmed, or confirmed without authentication', async () => {
    sns
      .on(ListSubscriptionsByTopicCommand)
      .resolvesOnce({
        Subscriptions: [
          { Protocol: 'email', Endpoint: 'Send-Team@council.example.gov.uk', SubscriptionArn: `${TOPIC}:1` },
          {
            Protocol: 'email',
            Endpoint: 'manager@council.example.gov.uk',
            SubscriptionArn: 'PendingConfirmation',
          },
        ],
        NextToken: 'page-2',
      })
      .resolvesOnce({
        Subscriptions: [
          {
            Protocol: 'email',
            Endpoint: 'short-breaks@council.example.gov.uk',
            SubscriptionArn: `${TOPIC}:3`,
          },
        ],
      });
    sns
      .on(GetSubscriptionAttributesCommand, { SubscriptionArn: `${TOPIC}:1` })
      .resolves({ Attributes: { ConfirmationWasAuthenticated: 'true' } })
      .on(GetSubscriptionAttributesCommand, { SubscriptionArn: `${TOPIC}:3` })
      .resolves({ Attributes: { ConfirmationWasAuthenticated: 'false' } });

    const problems = await checkSubscriptions(new SNSClient({}), TOPIC, expected);
    expect(problems).toEqual([
      { team: 'send-service', role: 'escalation', problem: 'unconfirmed' },
      { team: 'short-breaks', role: 'team', problem: 'unauthenticated' },
      { team: 'transport', role: 'team', problem: 'missing' },
    ]);
    expect(sns.commandCalls(ListSubscriptionsByTopicCommand)[1]?.args[0].input.NextToken).toBe('page-2');
  });

  it('finds nothing to report when every team is subscribed and confirmed with authentication', async () => {
    sns.on(ListSubscriptionsByTopicCommand).resolves({
      Subscriptions: expected.map((want, i) => ({
        Protocol: 'email',
        Endpoint: want.endpoint,
        SubscriptionArn: `${TOPIC}:${i}`,
      })),
    });
    sns
      .on(GetSubscriptionAttributesCommand)
      .resolves({ Attributes: { ConfirmationWasAuthenticated: 'true' } });
    expect(await checkSubscriptions(new SNSClient({}), TOPIC, expected)).toEqual([]);
  });
});
