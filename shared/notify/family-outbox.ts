import { randomUUID } from 'node:crypto';
import { appendFile, mkdir, readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { FamilyMessage } from '../domain/family-messages';
import type { FamilyMessenger } from './family-messenger';

/**
 * Locally, with no Notify key: each family message appended as one JSON line to the family outbox
 * (`<DATA_DIR>/family-outbox.jsonl`), as the body Notify's API would be sent (`email_address` or
 * `phone_number`, `template_id`, `personalisation`, `reference`) with its type and the id Notify
 * would have answered; and a one-line summary printed, without the address.
 *
 * `find` answers from the file (this process is its only writer), as Notify answers a look-up by
 * reference: a message written before a crash is found, not written again.
 */
export interface FamilyOutboxLine {
  id: string;
  notification_type: 'email' | 'sms';
  email_address?: string;
  phone_number?: string;
  template_id: string;
  personalisation: Record<string, string>;
  reference: string;
}

export function notifyRequestBody(message: FamilyMessage) {
  return {
    ...(message.channel === 'email' ? { email_address: message.to } : { phone_number: message.to }),
    template_id: message.templateId,
    personalisation: message.personalisation,
    reference: message.reference,
  };
}

export function familyOutbox(
  path: string,
  print: (line: string) => void = (line) => console.log(line),
): FamilyMessenger {
  let byReference: Promise<Map<string, string>> | undefined;
  const written = async () => {
    let text = '';
    try {
      text = await readFile(path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
    const found = new Map<string, string>();
    for (const line of text.split('\n')) {
      if (!line.trim()) continue;
      try {
        const { id, reference } = JSON.parse(line) as Partial<FamilyOutboxLine>;
        if (typeof id === 'string' && typeof reference === 'string') found.set(reference, id);
      } catch {
        // A line cut short by a crash mid-write: that message was not sent, and is written again.
      }
    }
    return found;
  };
  return {
    async send(message) {
      byReference ??= written();
      const references = await byReference;
      const id = randomUUID();
      const line: FamilyOutboxLine = {
        id,
        notification_type: message.channel,
        ...notifyRequestBody(message),
      };
      await mkdir(dirname(path), { recursive: true });
      await appendFile(path, `${JSON.stringify(line)}\n`);
      references.set(message.reference, id);
      print(
        `family message → ${message.channel === 'email' ? 'email' : 'text'} for ${message.personalisation.reference} [${message.reference}]`,
      );
      return { notificationId: id };
    },
    async find(reference) {
      byReference ??= written();
      const id = (await byReference).get(reference);
      return id === undefined ? undefined : { notificationId: id };
    },
  };
}
