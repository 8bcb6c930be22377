/** The fixed cursor signing key of every test (shared/config/signing-key.ts); not a secret. */
export const TEST_CURSOR_KEY = Buffer.from('test-only cursor signing key, 32+ bytes long, not secret');

/** The fixed family-link key of every test (shared/config/family-link-key.ts); not a secret. */
export const TEST_FAMILY_LINK_KEY = Buffer.from('test-only family link key, 32+ bytes long, not secret');

/** The fixed subject lookup key of every test (shared/config/subject-lookup-key.ts); not a secret. */
export const TEST_SUBJECT_LOOKUP_KEY = Buffer.from('test-only subject lookup key, 32+ bytes, not secret');
