import { Validations } from 'aws-cdk-lib';
import { Effect, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';

/**
 * The key of the subject lookup (shared/retention/subject-keys.ts): the HMAC that turns a family's
 * email address or phone number into the key an admin's subject access search finds their feedback
 * by. 64 random letters and digits made by Secrets Manager at deploy time, never in the template
 * or the code, apart from the cursor and family-link keys. Only the functions in
 * USES_SUBJECT_LOOKUP (infra/function-permissions.ts) may read it (GetSecretValue), once per cold
 * start. Costs $0.40 a month plus $0.05 per 10,000 reads.
 */
export class SubjectLookupKey extends Construct {
  readonly secret: Secret;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.secret = new Secret(this, 'Secret', {
      description:
        'you-said-we-did: HMAC key of the subject lookup (finding a family’s feedback by email or phone)',
      generateSecretString: { passwordLength: 64, excludePunctuation: true, includeSpace: false },
    });
    Validations.of(this.secret).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason:
        'Every stored lookup entry is keyed with it: a new key finds nothing until every entry is rewritten (npm run retention:backfill rehashes from the stored contact details). Rotate by hand, with that backfill, if the key may have leaked.',
    });
  }

  /** Environment and permission for a function that hashes contact details for the lookup. */
  forFunction(): { environment: Record<string, string>; statement: PolicyStatement } {
    return {
      environment: { SUBJECT_LOOKUP_KEY_SECRET_ARN: this.secret.secretArn },
      statement: new PolicyStatement({
        effect: Effect.ALLOW,
        actions: ['secretsmanager:GetSecretValue'],
        resources: [this.secret.secretArn],
      }),
    };
  }
}
