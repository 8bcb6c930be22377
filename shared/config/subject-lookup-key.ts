import { type SecretKeySource, secretKey } from './secret-key';

/**
 * The key of the subject lookup (shared/retention/subject-keys.ts): the HMAC that turns a family's
 * email address or phone number into the key an admin's subject access request finds their
 * feedback by, so the lookup holds no address in the clear. In AWS the secret named by
 * `SUBJECT_LOOKUP_KEY_SECRET_ARN` (infra/constructs/subject-lookup-key.ts), which only intake and
 * the subject-access search may read; locally `SUBJECT_LOOKUP_KEY_FILE` in `DATA_DIR` (`npm start`
 * makes it, mode 0600); in tests a fixed key set with `useSubjectLookupKeySource`. Apart from the
 * cursor and family-link keys: none of the three should open what another signs.
 */
const key = secretKey({
  label: 'subject lookup key',
  secretArnVariable: 'SUBJECT_LOOKUP_KEY_SECRET_ARN',
  fileVariable: 'SUBJECT_LOOKUP_KEY_FILE',
});

/** Replaces where the key comes from (tests); clears the cached key. */
export const useSubjectLookupKeySource = (source: SecretKeySource | undefined) => key.use(source);

/** The key, read once per process and then reused; a failed read is retried next time. */
export const subjectLookupKey = () => key.read();
