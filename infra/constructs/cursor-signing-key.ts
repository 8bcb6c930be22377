import { Validations } from 'aws-cdk-lib';
import { Effect, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';

/**
 * The key that signs officers' list cursors (shared/storage/cursor.ts): 64 random letters and
 * digits made by Secrets Manager at deploy time, never in the template or the code. Only the list
 * functions may read it (GetSecretValue, nothing else), once per cold start. Costs $0.40 a month
 * plus $0.05 per 10,000 reads.
 */
export class CursorSigningKey extends Construct {
  readonly secret: Secret;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.secret = new Secret(this, 'Secret', {
      description: 'you-said-we-did: HMAC key that signs officers’ list cursors',
      generateSecretString: { passwordLength: 64, excludePunctuation: true, includeSpace: false },
    });
    Validations.of(this.secret).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason:
        'The key only signs pagination positions of officers’ lists, which reveal nothing a signed-in officer cannot read. Rotating it just makes open cursors answer 400 (the officer reloads the list); rotate by hand if it may have leaked.',
    });
  }

  /** Environment and permission for a function that signs or reads cursors. */
  forFunction(): { environment: Record<string, string>; statement: PolicyStatement } {
    return {
      environment: { CURSOR_KEY_SECRET_ARN: this.secret.secretArn },
      statement: new PolicyStatement({
        effect: Effect.ALLOW,
        actions: ['secretsmanager:GetSecretValue'],
        resources: [this.secret.secretArn],
      }),
    };
  }
}
