import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { startSystemClockAt } from '../../shared/domain/clock';
import { FAMILY_MESSAGE_TYPES } from '../../shared/domain/family-messages';
import { LOCAL_TEMPLATE_IDS, TEMPLATE_VARIABLES } from '../../shared/notify/family-message-config';
import { SERVICE_NAME } from '../function-defaults';
import { ensureCursorKeyFile, ensureFamilyLinkKeyFile, ensureSubjectLookupKeyFile } from './data-dir';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from './dynamodb-local';

export interface LocalConfig {
  port: number;
  host: string;
  dynamoDbPort: number;
  dataDir: string;
  tableName: string;
  allowedOrigins: string[];
}

function portFrom(name: string, fallback: number): number {
  const raw = process.env[name];
  const port = raw === undefined || raw === '' ? fallback : Number(raw);
  if (!Number.isInteger(port) || port < 1 || port > 65_535) {
    throw new Error(`${name} must be a port number (1-65535), got '${raw}'`);
  }
  return port;
}

/** The local runtime's settings, from the environment docs/operators.md documents. */
export function localConfig(): LocalConfig {
  return {
    port: portFrom('PORT', 3000),
    host: process.env.HOST || '127.0.0.1',
    dynamoDbPort: portFrom('DYNAMODB_LOCAL_PORT', 8000),
    dataDir: resolve(process.env.DATA_DIR || '.data'),
    tableName: process.env.TABLE_NAME || SERVICE_NAME,
    allowedOrigins: (process.env.ALLOWED_ORIGINS ?? '')
      .split(',')
      .map((origin) => origin.trim())
      .filter(Boolean),
  };
}

/**
 * The environment each Lambda gets from the CDK stack, pointed at DynamoDB Local. Credentials are
 * replaced with the local ones so nothing can reach a real AWS account by accident.
 */
export function applyFunctionEnvironment(config: {
  tableName: string;
  dynamoDbEndpoint: string;
  /** The development key that signs list cursors (in AWS: a Secrets Manager secret). */
  cursorKeyFile?: string;
  /** The development key that signs family links (in AWS: a Secrets Manager secret). */
  familyLinkKeyFile?: string;
  /** The development key of the subject lookup (in AWS: a Secrets Manager secret). */
  subjectLookupKeyFile?: string;
}): void {
  // Callers without a DATA_DIR (the benchmark) get throw-away keys for this run.
  const throwAway = () => mkdtempSync(join(tmpdir(), 'ysdw-keys-'));
  Object.assign(process.env, {
    CURSOR_KEY_FILE: config.cursorKeyFile ?? ensureCursorKeyFile(throwAway()),
    FAMILY_LINK_KEY_FILE: config.familyLinkKeyFile ?? ensureFamilyLinkKeyFile(throwAway()),
    SUBJECT_LOOKUP_KEY_FILE: config.subjectLookupKeyFile ?? ensureSubjectLookupKeyFile(throwAway()),
    TABLE_NAME: config.tableName,
    DYNAMODB_ENDPOINT: config.dynamoDbEndpoint,
    AWS_REGION: LOCAL_REGION,
    AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    POWERTOOLS_SERVICE_NAME: SERVICE_NAME,
    POWERTOOLS_METRICS_DISABLED: 'true',
  });
  delete process.env.AWS_SESSION_TOKEN;
  delete process.env.AWS_PROFILE;
}

/**
 * The feed's links default to http://localhost:3000 (the port the docs use); a stack started on another
 * PORT must not publish links to a port nothing serves. Values set in the environment win.
 */
export function applyLocalFeedUrls(
  port: number,
  env: Record<string, string | undefined> = process.env,
): void {
  const origin = `http://localhost:${port}`;
  env.FEED_BASE_URL ||= origin;
  env.FEED_HOME_PAGE_URL ||= `${origin}/`;
  env.FEED_ITEM_URL_TEMPLATE ||= `${origin}/#update-{id}`;
}

/**
 * The family page an answer's escalation link opens: this stack's own `/family/escalate.html`
 * (in AWS, the CloudFront address or the `familyPageUrl` context). A value set in the environment wins.
 */
export function applyLocalFamilyPageUrl(
  port: number,
  env: Record<string, string | undefined> = process.env,
): void {
  env.FAMILY_PAGE_URL ||= `http://localhost:${port}/family/escalate.html`;
}

/**
 * Families' messages locally: the stop page beside the escalation page, and template ids that read
 * plainly in the family outbox. Values set in the environment win (a council's real ids with
 * NOTIFY_API_KEY).
 */
export function applyLocalFamilyMessages(
  port: number,
  env: Record<string, string | undefined> = process.env,
): void {
  env.FAMILY_STOP_PAGE_URL ||= `http://localhost:${port}/family/stop-messages.html`;
  for (const type of FAMILY_MESSAGE_TYPES) {
    for (const channel of ['email', 'sms'] as const) {
      env[TEMPLATE_VARIABLES[type][channel]] ||= LOCAL_TEMPLATE_IDS[type][channel];
    }
  }
}

/**
 * CLOCK_NOW (an ISO instant, e.g. 2027-12-24T23:30:00Z): run the local API as if it were then, with
 * time moving on from there. For trying deadlines across a bank holiday or a clock change, and for
 * the end-to-end tests under TEST_NOW. Only the local runtime reads it; Lambda code never does.
 */
export function applyLocalClock(value = process.env.CLOCK_NOW): Date | undefined {
  if (value === undefined || value === '') return undefined;
  const instant = new Date(value);
  if (Number.isNaN(instant.getTime()) || !/^\d{4}-\d{2}-\d{2}T/.test(value)) {
    throw new Error(`CLOCK_NOW must be an ISO instant like 2027-12-24T23:30:00Z, got '${value}'`);
  }
  startSystemClockAt(instant);
  return instant;
}
