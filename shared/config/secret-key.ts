import { readFileSync } from 'node:fs';
import { TemporarilyUnavailableError } from '../domain/errors';

/**
 * A secret HMAC key, read once per process from wherever the code runs:
 * - in AWS, a Secrets Manager secret the stack creates, named by `<secretArnVariable>`; only the
 *   functions that need the key may read it (the SDK client is imported only then, so other
 *   functions never load it);
 * - locally, a development key file in `DATA_DIR`, named by `<fileVariable>`, made by `npm start`
 *   (mode 0600, infra/local/data-dir.ts);
 * - in tests, a fixed key set with `use(source)`.
 * A missing or short key is a configuration fault (500); Secrets Manager failing is a 503.
 * The cursor signing key (shared/config/signing-key.ts) and the family-link key
 * (shared/config/family-link-key.ts) are two of these.
 */
export type SecretKeySource = () => Promise<Uint8Array> | Uint8Array;

/** 256 bits, the HMAC-SHA256 block of security: anything shorter is refused rather than used. */
export const MIN_SECRET_KEY_BYTES = 32;

export interface SecretKeyOptions {
  /** What the key is, for error messages: `cursor signing key`. */
  label: string;
  secretArnVariable: string;
  fileVariable: string;
}

export interface SecretKey {
  /** The key, read once per process and then reused; a failed read is retried next time. */
  read(): Promise<Buffer>;
  /** Replaces where the key comes from (tests); clears the cached key. */
  use(source: SecretKeySource | undefined): void;
}

export function secretKey(options: SecretKeyOptions): SecretKey {
  let injected: SecretKeySource | undefined;
  let loading: Promise<Buffer> | undefined;

  async function load(): Promise<Buffer> {
    const arn = process.env[options.secretArnVariable];
    const file = process.env[options.fileVariable];
    const key = injected
      ? Buffer.from(await injected())
      : arn
        ? await fromSecretsManager(arn, options.label)
        : file
          ? Buffer.from(readFileSync(file, 'utf8').trim(), 'utf8')
          : undefined;
    if (!key) {
      throw new Error(
        `No ${options.label}: set ${options.secretArnVariable} (AWS) or ${options.fileVariable} (local)`,
      );
    }
    if (key.length < MIN_SECRET_KEY_BYTES)
      throw new Error(`The ${options.label} is shorter than ${MIN_SECRET_KEY_BYTES} bytes`);
    return key;
  }

  return {
    read() {
      loading ??= load().catch((error: unknown) => {
        loading = undefined;
        throw error;
      });
      return loading;
    },
    use(source) {
      injected = source;
      loading = undefined;
    },
  };
}

async function fromSecretsManager(secretId: string, label: string): Promise<Buffer> {
  // Imported here, not at the top, and left out of the bundles (infra/bundling.ts): the Lambda
  // runtime's own SDK provides it, so only a function that needs a key, once per cold start, loads it.
  const { GetSecretValueCommand, SecretsManagerClient } = await import('@aws-sdk/client-secrets-manager');
  const client = new SecretsManagerClient({
    maxAttempts: 2,
    requestHandler: { connectionTimeout: 1_000, requestTimeout: 2_000 },
  });
  try {
    const { SecretString } = await client.send(new GetSecretValueCommand({ SecretId: secretId }));
    if (!SecretString) throw new Error(`The ${label} secret has no string value`);
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
