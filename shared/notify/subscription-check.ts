import {
  GetSubscriptionAttributesCommand,
  ListSubscriptionsByTopicCommand,
  type SNSClient,
  type Subscription,
} from '@aws-sdk/client-sns';

/** A team address the deployment subscribed (from the `alertEmails` context, via the environment). */
export interface ExpectedSubscription {
  team: string;
  /** `team` gets the team's alerts; `escalation` gets only its escalations. */
  role: 'team' | 'escalation';
  endpoint: string;
}

export interface SubscriptionProblem {
  team: string;
  role: ExpectedSubscription['role'];
  /**
   * missing: no subscription (someone unsubscribed it, or it was never made); unconfirmed: nobody
   * has confirmed it, so nothing is delivered; unauthenticated: confirmed by clicking the link, so
   * anyone holding an alert email can unsubscribe the whole team with one click.
   */
  problem: 'missing' | 'unconfirmed' | 'unauthenticated';
}

/** Environment variable carrying the expected subscriptions as JSON (set by infra/constructs/alerts.ts). */
export const ALERT_SUBSCRIPTIONS_ENV = 'ALERT_SUBSCRIPTIONS';

export function expectedSubscriptionsFrom(raw: string | undefined): ExpectedSubscription[] {
  if (!raw) return [];
  return (JSON.parse(raw) as ExpectedSubscription[]).filter((entry) => entry.team && entry.endpoint);
}

/**
 * Each sweep asks SNS (one ListSubscriptionsByTopic page per 100 subscriptions, and one
 * GetSubscriptionAttributes per confirmed one: a handful of cheap calls) whether every configured
 * team address is still subscribed, confirmed, and confirmed with AuthenticateOnUnsubscribe.
 */
export async function checkSubscriptions(
  client: SNSClient,
  topicArn: string,
  expected: ExpectedSubscription[],
): Promise<SubscriptionProblem[]> {
  const found: Subscription[] = [];
  let NextToken: string | undefined;
  do {
    const page = await client.send(new ListSubscriptionsByTopicCommand({ TopicArn: topicArn, NextToken }));
    found.push(...(page.Subscriptions ?? []));
    NextToken = page.NextToken;
  } while (NextToken);

  const problems: SubscriptionProblem[] = [];
  for (const want of expected) {
    const match = found.find(
      (sub) => sub.Protocol === 'email' && sub.Endpoint?.toLowerCase() === want.endpoint.toLowerCase(),
    );
    const problem: SubscriptionProblem['problem'] | undefined = !match?.SubscriptionArn
      ? 'missing'
      : !match.SubscriptionArn.startsWith('arn:')
        ? 'unconfirmed'
        : (
              await client.send(
                new GetSubscriptionAttributesCommand({ SubscriptionArn: match.SubscriptionArn }),
              )
            ).Attributes?.ConfirmationWasAuthenticated !== 'true'
          ? 'unauthenticated'
          : undefined;
    if (problem) problems.push({ team: want.team, role: want.role, problem });
  }
  return problems;
}
