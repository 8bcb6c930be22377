import { type SecretKeySource, secretKey } from './secret-key';

/**
 * The GOV.UK Notify API key families' messages are sent with: in AWS the Secrets Manager secret
 * named by `NOTIFY_API_KEY_SECRET_ARN`, which the stack creates holding a random placeholder and an
 * operator fills with the service's key (docs/operators.md); only the projector may read it, once
 * per cold start, on its first message. Locally, `NOTIFY_API_KEY_FILE`, or nothing at all: the
 * family outbox stands in for Notify (infra/local/stream-reader.ts).
 */
const key = secretKey({
  label: 'GOV.UK Notify API key',
  secretArnVariable: 'NOTIFY_API_KEY_SECRET_ARN',
  fileVariable: 'NOTIFY_API_KEY_FILE',
});

/** `<key name>-<service id>-<secret>`, both ids UUIDs: the shape of every Notify API key. */
const UUID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';
const NOTIFY_KEY_SHAPE = new RegExp(`^[A-Za-z0-9_-]+-${UUID}-${UUID}$`, 'i');

export const isNotifyApiKey = (value: string) => NOTIFY_KEY_SHAPE.test(value.trim());

export class NotifyKeyNotSetError extends Error {
  constructor() {
    super(
      'The GOV.UK Notify API key secret does not hold a Notify API key yet: put the service’s key in it (docs/operators.md, GOV.UK Notify)',
    );
    this.name = 'NotifyKeyNotSetError';
  }
}

/** Replaces where the key comes from (tests); clears the cached key. */
export const useNotifyApiKeySource = (source: SecretKeySource | undefined) => key.use(source);

/** The key, read once per process; the stack's placeholder is refused (the message is retried). */
export async function notifyApiKey(): Promise<string> {
  const text = (await key.read()).toString('utf8').trim();
  if (!isNotifyApiKey(text)) throw new NotifyKeyNotSetError();
  return text;
}
