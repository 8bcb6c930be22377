import { type FamilyMessenger, UndeliverableMessageError } from './family-messenger';
import { NotifyHttpError, notifyRestClient } from './notify-rest-client';

/**
 * Families' messages through GOV.UK Notify (https://www.notifications.service.gov.uk), with its own
 * Node.js client, notifications-node-client, loaded on the first message only (a cold start that
 * sends nothing never parses it), and the key read once, lazily (shared/config/notify-api-key.ts).
 *
 * Each message carries its notice id as Notify's `reference`; `find` lists notifications by that
 * reference, which is how a retry after a crash learns that a message went (Notify keeps
 * notifications for 7 days, far longer than the stream retries a record).
 *
 * Notify's answers, sorted:
 * - 400 ValidationError on the recipient (`email_address`, `phone_number`), or a recipient a team
 *   or trial-mode key may not send to: UndeliverableMessageError, recorded as not sent;
 * - anything else (403 a bad key, 400 a wrong template id or a missing placeholder, 429 rate
 *   limit, 5xx, no answer): thrown as it is, so the stream retries it, then gives it up to the
 *   dead-letter queue, which alarms.
 */
export interface GovukNotifyOptions {
  apiKey: () => Promise<string>;
  /** Notify's API (default: the library's, https://api.notifications.service.gov.uk); tests use a fake. */
  baseUrl?: string | undefined;
  timeoutMs?: number;
}

interface NotifyClientLike {
  sendEmail(templateId: string, to: string, options: object): Promise<{ data: { id: string } }>;
  sendSms(templateId: string, to: string, options: object): Promise<{ data: { id: string } }>;
  getNotifications(
    type?: string,
    status?: string,
    reference?: string,
  ): Promise<{ data: { notifications?: { id: string; reference?: string | null }[] } }>;
  setClient(client: unknown): void;
}

export function govukNotifyMessenger(options: GovukNotifyOptions): FamilyMessenger {
  let client: Promise<NotifyClientLike> | undefined;
  const clientOf = () => {
    client ??= (async () => {
      const [{ NotifyClient }, key] = await Promise.all([
        import('notifications-node-client'),
        options.apiKey(),
      ]);
      const made = (options.baseUrl
        ? new NotifyClient(options.baseUrl, key)
        : new NotifyClient(key)) as unknown as NotifyClientLike;
      made.setClient(notifyRestClient({ timeoutMs: options.timeoutMs ?? 10_000 }));
      return made;
    })().catch((error: unknown) => {
      client = undefined;
      throw error;
    });
    return client;
  };

  return {
    async send(message) {
      const notify = await clientOf();
      const request = { personalisation: message.personalisation, reference: message.reference };
      try {
        const { data } =
          message.channel === 'email'
            ? await notify.sendEmail(message.templateId, message.to, request)
            : await notify.sendSms(message.templateId, message.to, request);
        return { notificationId: data.id };
      } catch (error) {
        throw refusalOf(error) ?? error;
      }
    },
    async find(reference) {
      const notify = await clientOf();
      const { data } = await notify.getNotifications(undefined, undefined, reference);
      const found = (data.notifications ?? []).find((notification) => notification.reference === reference);
      return found ? { notificationId: found.id } : undefined;
    },
  };
}

interface NotifyErrorBody {
  errors?: { error?: string; message?: string }[];
}

const RECIPIENT_FIELDS = /^(email_address|phone_number)\b/;
const RECIPIENT_NOT_ALLOWED = /team-only API key|trial mode|international/i;

/** Notify's refusal of this recipient for good, or undefined for anything a retry could fix. */
export function refusalOf(error: unknown): UndeliverableMessageError | undefined {
  if (!(error instanceof NotifyHttpError) || error.response.status !== 400) return undefined;
  const errors = (error.response.data as NotifyErrorBody | undefined)?.errors ?? [];
  for (const { error: type = '', message = '' } of errors) {
    const field = RECIPIENT_FIELDS.exec(message)?.[1];
    // The field and error type only: Notify's message text could one day quote the address.
    if (type === 'ValidationError' && field) return new UndeliverableMessageError(`${type} ${field}`);
    if (type === 'BadRequestError' && RECIPIENT_NOT_ALLOWED.test(message))
      return new UndeliverableMessageError(`${type} recipient not allowed`);
  }
  return undefined;
}
