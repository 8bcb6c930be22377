import type { PublishCommandInput } from '@aws-sdk/client-sns';
import type { AlertMessage } from '../domain/overdue-alert';

/**
 * The one SNS Publish request for an alert, used by both senders, so the local outbox holds exactly
 * what AWS would be sent. `MessageStructure: json`: email subscribers get the `email` text; any other
 * protocol (a queue, an HTTPS ticketing hook) gets `default`, a JSON document.
 */
export function publishInputOf(message: AlertMessage, topicArn: string): PublishCommandInput {
  return {
    TopicArn: topicArn,
    Subject: message.subject,
    MessageStructure: 'json',
    Message: JSON.stringify({ default: JSON.stringify(message.document), email: message.email }),
    MessageAttributes: Object.fromEntries(
      Object.entries(message.attributes).map(([name, value]) => [
        name,
        { DataType: 'String', StringValue: value },
      ]),
    ),
  };
}
