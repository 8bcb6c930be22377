import { Validations } from 'aws-cdk-lib';
import { Effect, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';

/**
 * The GOV.UK Notify API key families' messages are sent with. The stack makes the secret holding a
 * random placeholder (no value in the template or the code); an operator puts the service's key in
 * it (docs/operators.md: `aws secretsmanager put-secret-value`). Until then every message waits:
 * the projector refuses the placeholder, the stream retries, the dead-letter queue alarms. Only the
 * projector may read it (GetSecretValue), once per cold start, on its first message.
 * Costs $0.40 a month plus $0.05 per 10,000 reads.
 */
export class NotifyApiKey extends Construct {
  readonly secret: Secret;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.secret = new Secret(this, 'Secret', {
      description:
        'you-said-we-did: GOV.UK Notify API key for families’ messages. Replace the placeholder with the service’s live key.',
      generateSecretString: { passwordLength: 32, excludePunctuation: true, includeSpace: false },
    });
    Validations.of(this.secret).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason:
        'A Notify API key is made and revoked in GOV.UK Notify’s own admin pages, not by Secrets Manager: it cannot be rotated by a Lambda here. Operators make a new key in Notify, put it in this secret, then revoke the old one (docs/operators.md).',
    });
  }

  forFunction(): { environment: Record<string, string>; statement: PolicyStatement } {
    return {
      environment: { NOTIFY_API_KEY_SECRET_ARN: this.secret.secretArn },
      statement: new PolicyStatement({
        effect: Effect.ALLOW,
        actions: ['secretsmanager:GetSecretValue'],
        resources: [this.secret.secretArn],
      }),
    };
  }
}
