import { MIN_SECRET_KEY_BYTES, type SecretKeySource, secretKey } from './secret-key';

/**
 * The key that signs officers' list cursors (HMAC-SHA256, shared/storage/cursor.ts): in AWS the
 * secret named by `CURSOR_KEY_SECRET_ARN`, which only the list functions may read; locally
 * `CURSOR_KEY_FILE` in `DATA_DIR`; in tests a fixed key set with `useSigningKeySource`. How it is
 * read, cached and refused: shared/config/secret-key.ts.
 */
export type SigningKeySource = SecretKeySource;

export const MIN_SIGNING_KEY_BYTES = MIN_SECRET_KEY_BYTES;

const key = secretKey({
  label: 'cursor signing key',
  secretArnVariable: 'CURSOR_KEY_SECRET_ARN',
  fileVariable: 'CURSOR_KEY_FILE',
});

/** Replaces where the key comes from (tests); clears the cached key. */
export const useSigningKeySource = (source: SigningKeySource | undefined) => key.use(source);

/** The key, read once per process and then reused; a failed read is retried next time. */
export const cursorSigningKey = () => key.read();
