import { Annotations, App, Stack, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { teamAddressesFrom } from './constructs/alerts';
import { EdgeWaf } from './constructs/edge-waf';
import { retentionPeriodsFrom } from './constructs/retention';
import { feedContextWarnings, feedEnvironmentFromContext } from './feed-environment';
import { notifyTemplatesFromContext, notifyTemplateWarnings } from './notify-context';
import { YouSaidWeDidStack } from './stack';

/** Where the service runs unless told otherwise (`-c region=…` or the CLI's default region). */
export const DEFAULT_REGION = 'eu-west-2';
/** POST /feedback requests per client IP per five minutes before WAF blocks (`-c feedbackRateLimit=…`). */
export const DEFAULT_FEEDBACK_RATE_LIMIT = 100;

/** Context values may arrive as JSON (cdk.json) or as a comma-separated string (`-c allowedOrigins=…`). */
export function listFromContext(value: unknown): string[] {
  if (Array.isArray(value)) return value.map(String);
  if (typeof value === 'string' && value.trim()) return value.split(',').map((origin) => origin.trim());
  return [];
}

export function buildApp(app = new App()): { app: App; stack: YouSaidWeDidStack; edgeWaf: Stack } {
  // cdk-nag 3 runs as a synth-time validation: any unacknowledged finding fails the synth.
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  const account = process.env.CDK_DEFAULT_ACCOUNT;
  const region = String(app.node.tryGetContext('region') ?? process.env.CDK_DEFAULT_REGION ?? DEFAULT_REGION);
  // A CloudFront web ACL can only be made in us-east-1, so it has a small stack of its own there;
  // CDK's cross-region references carry its ARN to the main stack (through SSM parameters).
  // That needs explicit regions, hence the region above; the account may stay unresolved.
  const edgeWaf = new Stack(app, 'YouSaidWeDidEdgeWaf', {
    description: 'you-said-we-did: WAF web ACL for the CloudFront distribution (must be in us-east-1)',
    env: { account, region: 'us-east-1' },
    crossRegionReferences: true,
  });
  const waf = new EdgeWaf(edgeWaf, 'EdgeWaf', {
    feedbackRateLimit: Number(app.node.tryGetContext('feedbackRateLimit') ?? DEFAULT_FEEDBACK_RATE_LIMIT),
  });
  const feedEnvironment = feedEnvironmentFromContext((key) => app.node.tryGetContext(key));
  const notifyTemplates = notifyTemplatesFromContext(app.node.tryGetContext('notifyTemplates'));
  const stack = new YouSaidWeDidStack(app, 'YouSaidWeDid', {
    env: { account, region },
    crossRegionReferences: true,
    webAclArn: waf.webAcl.attrArn,
    description: 'you-said-we-did: SEND feedback and You said, we did (co-production) backend',
    allowedOrigins: listFromContext(app.node.tryGetContext('allowedOrigins')),
    officerCallbackUrls: listFromContext(app.node.tryGetContext('officerCallbackUrls')),
    alertTeams: teamAddressesFrom(app.node.tryGetContext('alertEmails')),
    ...(app.node.tryGetContext('alertSweepMinutes')
      ? { alertSweepMinutes: Number(app.node.tryGetContext('alertSweepMinutes')) }
      : {}),
    ...(app.node.tryGetContext('officerAppUrl')
      ? { officerAppUrl: String(app.node.tryGetContext('officerAppUrl')) }
      : {}),
    feedEnvironment,
    ...(app.node.tryGetContext('consoleOrigin')
      ? { consoleOrigin: String(app.node.tryGetContext('consoleOrigin')).replace(/\/+$/, '') }
      : {}),
    ...(app.node.tryGetContext('familyPageUrl')
      ? { familyPageUrl: String(app.node.tryGetContext('familyPageUrl')) }
      : {}),
    // A wrong value fails the synth here, naming it (shared/retention/retention-periods.ts).
    retentionPeriods: retentionPeriodsFrom(app.node.tryGetContext('retentionPeriods')),
    ...(app.node.tryGetContext('familyStopPageUrl')
      ? { familyStopPageUrl: String(app.node.tryGetContext('familyStopPageUrl')) }
      : {}),
    notifyTemplates,
    ...(app.node.tryGetContext('cognitoDomainPrefix')
      ? { cognitoDomainPrefix: String(app.node.tryGetContext('cognitoDomainPrefix')) }
      : {}),
  });
  for (const warning of feedContextWarnings(feedEnvironment)) {
    Annotations.of(stack).addWarningV2('you-said-we-did:feed-page-urls', warning);
  }
  for (const warning of notifyTemplateWarnings(notifyTemplates)) {
    Annotations.of(stack).addWarningV2('you-said-we-did:notify-templates', warning);
  }
  return { app, stack, edgeWaf };
}
