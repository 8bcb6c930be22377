import { Validations } from 'aws-cdk-lib';
import { Effect, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';

/**
 * The key that signs family links (shared/domain/family-links.ts): 64 random letters and digits
 * made by Secrets Manager at deploy time, never in the template or the code, and apart from the
 * cursor key. Only the functions in USES_FAMILY_LINKS (infra/function-permissions.ts) may read it
 * (GetSecretValue, nothing else), once per cold start. Costs $0.40 a month plus $0.05 per 10,000 reads.
 */
export class FamilyLinkKey extends Construct {
  readonly secret: Secret;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.secret = new Secret(this, 'Secret', {
      description: 'you-said-we-did: HMAC key that signs families’ links (escalating a complaint)',
      generateSecretString: { passwordLength: 64, excludePunctuation: true, includeSpace: false },
    });
    Validations.of(this.secret).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason:
        'Rotating the key would break every link already sent to families in letters and emails, which they may use for weeks. A link only lets its holder ask for the next stage of one complaint within its window (checked against the stored complaint); rotate by hand if the key may have leaked, and families then ask by phone or letter.',
    });
  }

  /** Environment and permission for a function that makes or reads family links. */
  forFunction(): { environment: Record<string, string>; statement: PolicyStatement } {
    return {
      environment: { FAMILY_LINK_KEY_SECRET_ARN: this.secret.secretArn },
      statement: new PolicyStatement({
        effect: Effect.ALLOW,
        actions: ['secretsmanager:GetSecretValue'],
        resources: [this.secret.secretArn],
      }),
    };
  }
}
