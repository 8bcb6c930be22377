import { type SecretKeySource, secretKey } from './secret-key';

/**
 * The key that signs family links (shared/domain/family-links.ts): in AWS the secret named by
 * `FAMILY_LINK_KEY_SECRET_ARN` (infra/constructs/signing-secret.ts), which only the functions that
 * make or read family links may read; locally `FAMILY_LINK_KEY_FILE` in `DATA_DIR`
 * (`npm start` makes it, mode 0600); in tests a fixed key set with `useFamilyLinkKeySource`. A
 * separate key from the cursors': a family link is a credential a family holds for months, and
 * neither key should open what the other signs.
 */
const key = secretKey({
  label: 'family link key',
  secretArnVariable: 'FAMILY_LINK_KEY_SECRET_ARN',
  fileVariable: 'FAMILY_LINK_KEY_FILE',
});

/** Replaces where the key comes from (tests); clears the cached key. */
export const useFamilyLinkKeySource = (source: SecretKeySource | undefined) => key.use(source);

/** The key, read once per process and then reused; a failed read is retried next time. */
export const familyLinkKey = () => key.read();
