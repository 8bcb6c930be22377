import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { teamAddressesFrom } from './constructs/alerts';
import { feedEnvironmentFromContext } from './feed-environment';
import { YouSaidWeDidStack } from './stack';

/** Context values may arrive as JSON (cdk.json) or as a comma-separated string (`-c allowedOrigins=…`). */
export function listFromContext(value: unknown): string[] {
  if (Array.isArray(value)) return value.map(String);
  if (typeof value === 'string' && value.trim()) return value.split(',').map((origin) => origin.trim());
  return [];
}

export function buildApp(app = new App()): { app: App; stack: YouSaidWeDidStack } {
  // cdk-nag 3 runs as a synth-time validation: any unacknowledged finding fails the synth.
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  const stack = new YouSaidWeDidStack(app, 'YouSaidWeDid', {
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
    feedEnvironment: feedEnvironmentFromContext((key) => app.node.tryGetContext(key)),
    ...(app.node.tryGetContext('cognitoDomainPrefix')
      ? { cognitoDomainPrefix: String(app.node.tryGetContext('cognitoDomainPrefix')) }
      : {}),
  });
  return { app, stack };
}
