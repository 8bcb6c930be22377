import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { HttpUserPoolAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import {
  AccountRecovery,
  CfnUserPoolGroup,
  FeaturePlan,
  Mfa,
  OAuthScope,
  ResourceServerScope,
  StandardThreatProtectionMode,
  UserPool,
  type UserPoolClient,
} from 'aws-cdk-lib/aws-cognito';
import { Construct } from 'constructs';
import { API_RESOURCE_SERVER, OFFICER_GROUPS } from '../../shared/auth/auth-config';

export interface OfficerAuthProps {
  /** Where the officer app's sign-in returns to (OAuth callback URLs). */
  callbackUrls: string[];
  /** Prefix of the Cognito hosted sign-in domain; none means no hosted domain (add your own). */
  domainPrefix?: string;
}

/**
 * Sign-in for officers: a Cognito user pool (no self sign-up, MFA required, threat protection),
 * groups `officer` and `admin`, an API scope that only access tokens for the officer app carry,
 * and the authorizer API Gateway uses to check them.
 */
export class OfficerAuth extends Construct {
  readonly userPool: UserPool;
  readonly client: UserPoolClient;
  readonly authorizer: HttpUserPoolAuthorizer;

  constructor(scope: Construct, id: string, props: OfficerAuthProps) {
    super(scope, id);
    this.userPool = new UserPool(this, 'Officers', {
      selfSignUpEnabled: false,
      // Usernames (e.g. sam.officer) as well as email: Cognito access tokens carry the username,
      // not the email, and history records it as who made each change.
      signInAliases: { username: true, email: true },
      mfa: Mfa.REQUIRED,
      mfaSecondFactor: { otp: true, sms: false },
      passwordPolicy: {
        minLength: 12,
        requireDigits: true,
        requireLowercase: true,
        requireUppercase: true,
        requireSymbols: true,
        tempPasswordValidity: Duration.days(3),
      },
      featurePlan: FeaturePlan.PLUS,
      standardThreatProtectionMode: StandardThreatProtectionMode.FULL_FUNCTION,
      accountRecovery: AccountRecovery.EMAIL_ONLY,
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    for (const group of OFFICER_GROUPS) {
      new CfnUserPoolGroup(this, `${group}-group`, {
        userPoolId: this.userPool.userPoolId,
        groupName: group,
        description:
          group === 'admin'
            ? 'Can also change projects and their timeframes'
            : 'Triage and answer feedback; record events',
      });
    }
    const api = this.userPool.addResourceServer('Api', {
      identifier: API_RESOURCE_SERVER,
      scopes: [new ResourceServerScope({ scopeName: 'officer', scopeDescription: 'Use the officer API' })],
    });
    this.client = this.userPool.addClient('OfficerApp', {
      generateSecret: false,
      preventUserExistenceErrors: true,
      accessTokenValidity: Duration.hours(1),
      idTokenValidity: Duration.hours(1),
      refreshTokenValidity: Duration.hours(12),
      oAuth: {
        flows: { authorizationCodeGrant: true },
        scopes: [
          OAuthScope.OPENID,
          OAuthScope.EMAIL,
          OAuthScope.PROFILE,
          OAuthScope.resourceServer(
            api,
            new ResourceServerScope({ scopeName: 'officer', scopeDescription: 'Use the officer API' }),
          ),
        ],
        callbackUrls: props.callbackUrls.length ? props.callbackUrls : ['http://localhost:8080/callback'],
      },
    });
    if (props.domainPrefix)
      this.userPool.addDomain('SignIn', { cognitoDomain: { domainPrefix: props.domainPrefix } });
    // API Gateway checks signature, issuer, expiry and that the token is for this client.
    this.authorizer = new HttpUserPoolAuthorizer('OfficerAuthorizer', this.userPool, {
      userPoolClients: [this.client],
    });
  }
}
