import { Duration, Lazy, RemovalPolicy } from 'aws-cdk-lib';
import { HttpUserPoolAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import {
  AccountRecovery,
  CfnManagedLoginBranding,
  CfnUserPoolGroup,
  FeaturePlan,
  ManagedLoginVersion,
  Mfa,
  OAuthScope,
  ResourceServerScope,
  StandardThreatProtectionMode,
  UserPool,
  type UserPoolClient,
  UserPoolClientIdentityProvider,
  type UserPoolDomain,
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
  /** The hosted sign-in (managed login), when a domain prefix was given. */
  readonly signInDomain: UserPoolDomain | undefined;
  /** Scopes the officer console asks for: the API's scope is what the JWT authorizer requires. */
  readonly consoleScope: string;
  private readonly callbackUrls: string[];
  private readonly logoutUrls: string[] = [];

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
    this.callbackUrls = [...props.callbackUrls];
    this.consoleScope = ['openid', 'email', 'profile', `${API_RESOURCE_SERVER}/officer`].join(' ');
    // The officer console is a public client (a browser app keeps no secret): authorization code
    // with PKCE, which the console always sends (S256). Cognito has no switch to require PKCE of a
    // client; with no secret and only the code flow, a code is redeemed by the client it was
    // issued to, at the callback URLs listed here.
    this.client = this.userPool.addClient('OfficerApp', {
      generateSecret: false,
      supportedIdentityProviders: [UserPoolClientIdentityProvider.COGNITO],
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
        // Filled in at synth: the context's URLs and the console's (allowConsoleAt).
        callbackUrls: Lazy.list({
          produce: () => (this.callbackUrls.length ? this.callbackUrls : ['http://localhost:8080/callback']),
        }),
        logoutUrls: Lazy.list({ produce: () => this.logoutUrls }, { omitEmpty: true }),
      },
    });
    this.signInDomain = props.domainPrefix
      ? this.userPool.addDomain('SignIn', {
          cognitoDomain: { domainPrefix: props.domainPrefix },
          managedLoginVersion: ManagedLoginVersion.NEWER_MANAGED_LOGIN,
        })
      : undefined;
    if (this.signInDomain) {
      // Managed login needs a style for the client; Cognito's own defaults, until a council brands it.
      const branding = new CfnManagedLoginBranding(this, 'SignInStyle', {
        userPoolId: this.userPool.userPoolId,
        clientId: this.client.userPoolClientId,
        useCognitoProvidedValues: true,
      });
      branding.node.addDependency(this.signInDomain);
    }
    // API Gateway checks signature, issuer, expiry and that the token is for this client.
    this.authorizer = new HttpUserPoolAuthorizer('OfficerAuthorizer', this.userPool, {
      userPoolClients: [this.client],
    });
  }

  /** The hosted sign-in's origin (https://<prefix>.auth.<region>.amazoncognito.com), if any. */
  get signInOrigin(): string | undefined {
    return this.signInDomain?.baseUrl();
  }

  /** Lets the officer console at `origin` sign in: its callback and signed-out addresses. */
  allowConsoleAt(origin: string): void {
    this.callbackUrls.push(`${origin}/console/callback`);
    this.logoutUrls.push(`${origin}/console/signed-out`);
  }
}
