/**
 * `npm run confirm-subscription -- '<the confirmation link from the email>'`
 *
 * Confirms a team's alert email subscription with AuthenticateOnUnsubscribe, so that only someone
 * signed in to the council's AWS account can unsubscribe it. (Clicking the link in the email
 * confirms it too, but then the "unsubscribe" link at the foot of every alert works for anyone who
 * clicks it, and one click in a shared team mailbox would silently stop that team's alerts.)
 * Run it with the council's AWS credentials in the environment, as for `cdk deploy`.
 */
import { pathToFileURL } from 'node:url';
import { ConfirmSubscriptionCommand, SNSClient } from '@aws-sdk/client-sns';

export interface Confirmation {
  topicArn: string;
  token: string;
  region: string;
}

/** The topic and token from a confirmation link (or `--topic-arn <arn> --token <token>`). */
export function parseConfirmation(args: string[]): Confirmation {
  let topicArn: string | undefined;
  let token: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string;
    if (arg === '--topic-arn') topicArn = args[++i];
    else if (arg === '--token') token = args[++i];
    else if (/^https:\/\//.test(arg)) {
      const url = new URL(arg);
      if (!/^sns\.[a-z0-9-]+\.amazonaws\.com(\.cn)?$/.test(url.hostname)) {
        throw new Error(`That is not an SNS confirmation link (host ${url.hostname}).`);
      }
      topicArn = url.searchParams.get('TopicArn') ?? undefined;
      token = url.searchParams.get('Token') ?? undefined;
    } else throw new Error(`Unexpected argument '${arg}'.`);
  }
  if (!topicArn || !token) {
    throw new Error(
      'Give the confirmation link from the email (in quotes), or --topic-arn <arn> --token <token>.',
    );
  }
  const region = topicArn.split(':')[3];
  if (!/^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:[\w-]+$/.test(topicArn) || !region) {
    throw new Error(`'${topicArn}' is not an SNS topic ARN.`);
  }
  return { topicArn, token, region };
}

/** Confirms with authentication; returns the subscription's ARN. */
export async function confirm(client: SNSClient, confirmation: Confirmation): Promise<string> {
  const { SubscriptionArn } = await client.send(
    new ConfirmSubscriptionCommand({
      TopicArn: confirmation.topicArn,
      Token: confirmation.token,
      AuthenticateOnUnsubscribe: 'true',
    }),
  );
  return SubscriptionArn ?? '';
}

async function main() {
  try {
    const confirmation = parseConfirmation(process.argv.slice(2));
    const arn = await confirm(new SNSClient({ region: confirmation.region }), confirmation);
    console.log(
      `Confirmed: ${arn}\nOnly someone signed in to the AWS account can unsubscribe it. Each sweep checks it stays so.`,
    );
  } catch (error) {
    console.error(`npm run confirm-subscription: ${(error as Error).message}`);
    process.exitCode = 1;
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) void main();
