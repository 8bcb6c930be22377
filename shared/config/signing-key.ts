import { readFileSync } from 'node:fs';
import { TemporarilyUnavailableError } from '../domain/errors';

/**
 * The key that signs officers' list cursors (HMAC-SHA256, shared/storage/cursor.ts). Where it comes
 * from depends on where the code runs:
 * - in AWS, `CURSOR_KEY_SECRET_ARN`: a secret the stack creates; only the list functions may read
 *   it, once per cold start (the SDK client is imported only then, so other functions never load it);
 * - locally, `CURSOR_KEY_FILE`: a development key in `DATA_DIR`, made by `npm start` (mode 0600);
 * - in tests, a fixed key set with `useSigningKeySource`.
 * A missing or short key is a configuration fault (500); Secrets Manager failing is a 503.
 */
export type SigningKeySource = () => Promise<Uint8Array> | Uint8Array;

/** 256 bits, the HMAC-SHA256 block of security: anything shorter is refused rather than used. */
export const MIN_SIGNING_KEY_BYTES = 32;

let injected: SigningKeySource | undefined;
let loading: Promise<Buffer> | undefined;

/** Replaces where the key comes from (tests); clears the cached key. */
export function useSigningKeySource(source: SigningKeySource | undefined): void {
  injected = source;
  loading = undefined;
}

/** The key, read once per process and then reused; a failed read is retried next time. */
export function cursorSigningKey(): Promise<Buffer> {
  loading ??= load().catch((error: unknown) => {
    loading = undefined;
    throw error;
  });
  return loading;
}

async function load(): Promise<Buffer> {
  const key = injected
    ? Buffer.from(await injected())
    : process.env.CURSOR_KEY_SECRET_ARN
      ? await fromSecretsManager(process.env.CURSOR_KEY_SECRET_ARN)
      : process.env.CURSOR_KEY_FILE
        ? Buffer.from(readFileSync(process.env.CURSOR_KEY_FILE, 'utf8').trim(), 'utf8')
        : undefined;
  if (!key)
    throw new Error('No cursor signing key: set CURSOR_KEY_SECRET_ARN (AWS) or CURSOR_KEY_FILE (local)');
  if (key.length < MIN_SIGNING_KEY_BYTES)
    throw new Error(`The cursor signing key is shorter than ${MIN_SIGNING_KEY_BYTES} bytes`);
  return key;
}

async function fromSecretsManager(secretId: string): Promise<Buffer> {
  // Imported here, not at the top, and left out of the bundles (infra/bundling.ts): the Lambda
  // runtime's own SDK provides it, so only a list function, once per cold start, ever loads it.
  const { GetSecretValueCommand, SecretsManagerClient } = await import('@aws-sdk/client-secrets-manager');
  const client = new SecretsManagerClient({
    maxAttempts: 2,
    requestHandler: { connectionTimeout: 1_000, requestTimeout: 2_000 },
  });
  try {
    const { SecretString } = await client.send(new GetSecretValueCommand({ SecretId: secretId }));
    if (!SecretString) throw new Error('The cursor signing secret has no string value');
    return Buffer.from(SecretString, 'utf8');
  } catch (error) {
    // Throttled, timed out or unreachable: the caller may retry. Anything else is our fault.
    const name = (error as Error).name;
    if (
      /Throttl|Timeout|InternalServiceError|NetworkingError|ECONN/.test(`${name} ${(error as Error).message}`)
    )
      throw new TemporarilyUnavailableError(error);
    throw error;
  } finally {
    client.destroy();
  }
}
