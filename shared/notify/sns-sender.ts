import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import type { AlertSender } from '../domain/sweep-overdue';
import { publishInputOf } from './publish-input';

/**
 * Alerts to the SNS topic. Short timeouts and no SDK retries of its own: a Publish that fails or
 * hangs gives its claim back and the next sweep (minutes later) tries again, rather than holding the
 * sweep. A timed-out Publish may still have been delivered: that is the duplicate window
 * docs/developers.md names ("Overdue alerts: delivery"), and the duplicate carries the same alertId.
 */
export function snsAlertSender(topicArn: string, client: SNSClient = defaultClient()): AlertSender {
  return {
    async send(message) {
      const { MessageId } = await client.send(new PublishCommand(publishInputOf(message, topicArn)));
      return { messageId: MessageId ?? 'unknown' };
    },
  };
}

let shared: SNSClient | undefined;
export function defaultClient(): SNSClient {
  shared ??= new SNSClient({
    maxAttempts: 1,
    requestHandler: { connectionTimeout: 1_000, requestTimeout: 3_000 },
  });
  return shared;
}
