import { inject } from 'vitest';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '../../infra/local/dynamodb-local';
import { useFamilyLinkKeySource } from '../../shared/config/family-link-key';
import { useSigningKeySource } from '../../shared/config/signing-key';
import { useSubjectLookupKeySource } from '../../shared/config/subject-lookup-key';
import { startSystemClockAt } from '../../shared/domain/clock';
import { TEST_CURSOR_KEY, TEST_FAMILY_LINK_KEY, TEST_SUBJECT_LOOKUP_KEY } from './signing';

// The environment the functions expect, pointed at the run's DynamoDB Local. Set before any test
// file imports a handler module, since those build their clients when they load.
Object.assign(process.env, {
  DYNAMODB_ENDPOINT: inject('dynamoDbEndpoint'),
  AWS_REGION: LOCAL_REGION,
  AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId,
  AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
  AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  POWERTOOLS_METRICS_DISABLED: 'true',
  POWERTOOLS_LOG_LEVEL: process.env.POWERTOOLS_LOG_LEVEL ?? 'WARN',
  TABLE_NAME: process.env.TABLE_NAME ?? 'unset-use-a-test-table',
});

// Handler modules wired as in production (and the local server with its dev tokens) read
// systemClock: start it at the run's test instant, so no test runs on the real date.
startSystemClockAt(new Date(inject('testNow')));
// Cursors in tests are signed with a fixed key, so a test can also sign a forged payload on purpose.
useSigningKeySource(() => TEST_CURSOR_KEY);
// Family links likewise, so a test can make a link, edit it, or sign one with another key.
useFamilyLinkKeySource(() => TEST_FAMILY_LINK_KEY);
// And the subject lookup's keyed hashes, so a test can hash an address the way intake did.
useSubjectLookupKeySource(() => TEST_SUBJECT_LOOKUP_KEY);
