import { randomUUID } from 'node:crypto';
import { appendFile, mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { AlertSender } from '../domain/sweep-overdue';
import { publishInputOf } from './publish-input';

/** What the outbox puts in TopicArn: the shape of a real ARN, in no account. */
export const LOCAL_TOPIC_ARN = 'arn:aws:sns:eu-west-2:000000000000:you-said-we-did-alerts-local';

/**
 * Locally, with no AWS: each Publish request, exactly as it would be sent, appended as one JSON line
 * to the outbox file (`<DATA_DIR>/outbox.jsonl`), and a one-line summary printed.
 */
export function outboxAlertSender(
  path: string,
  print: (line: string) => void = (line) => console.log(line),
): AlertSender {
  return {
    async send(message) {
      const input = publishInputOf(message, LOCAL_TOPIC_ARN);
      await mkdir(dirname(path), { recursive: true });
      await appendFile(path, `${JSON.stringify(input)}\n`);
      const a = message.attributes;
      print(
        `alert → team ${a.team}${a.escalation === 'true' ? ' (escalation)' : ''}: ${message.subject} [${a.alertId}]`,
      );
      return { messageId: `outbox-${randomUUID()}` };
    },
  };
}
