import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { CachePolicy, OriginRequestPolicy, ResponseHeadersPolicy } from 'aws-cdk-lib/aws-cloudfront';
import { beforeAll, describe, expect, it } from 'vitest';
import { CONSOLE_REWRITE_FUNCTION } from '../../console/edge-function';
import { buildApp } from '../../infra/build-app';
import { EdgeWaf } from '../../infra/constructs/edge-waf';

type Behavior = Record<string, unknown> & { PathPattern?: string };

let main: Template;
let waf: Template;
let wafRegion: string;
beforeAll(() => {
  // Bundling skipped: the assertions are about the templates. Template.fromStack runs cdk-nag.
  const { stack, edgeWaf } = buildApp(
    new App({
      context: {
        'aws:cdk:bundling-stacks': [],
        region: 'eu-west-2',
        feedbackRateLimit: 250,
        cognitoDomainPrefix: 'yswd-test-council',
      },
    }),
  );
  main = Template.fromStack(stack);
  waf = Template.fromStack(edgeWaf);
  wafRegion = edgeWaf.region;
});

function distributionConfig() {
  const [distribution] = Object.values(main.findResources('AWS::CloudFront::Distribution'));
  return distribution?.Properties.DistributionConfig as {
    CacheBehaviors: Behavior[];
    DefaultCacheBehavior: Behavior;
    Origins: Record<string, unknown>[];
    WebACLId: unknown;
    Logging?: unknown;
  };
}
const behavior = (path: string) => distributionConfig().CacheBehaviors.find((b) => b.PathPattern === path);

describe('the CloudFront distribution', () => {
  it('has the private assets bucket (origin access control) and the HTTP API as origins', () => {
    const origins = distributionConfig().Origins;
    expect(origins).toHaveLength(2);
    expect(origins).toContainEqual(
      expect.objectContaining({
        OriginAccessControlId: expect.anything(),
        S3OriginConfig: { OriginAccessIdentity: '' },
      }),
    );
    expect(origins).toContainEqual(
      expect.objectContaining({
        CustomOriginConfig: expect.objectContaining({
          OriginProtocolPolicy: 'https-only',
          OriginSSLProtocols: ['TLSv1.2'],
        }),
      }),
    );
    main.resourceCountIs('AWS::CloudFront::OriginAccessControl', 1);
    expect(distributionConfig().Logging).toBeDefined();
  });

  it('serves the family pages from the bucket, same-origin only, never framed, with no Referer', () => {
    const family = behavior('/family/*') as Record<string, unknown>;
    expect(family).toMatchObject({
      ViewerProtocolPolicy: 'redirect-to-https',
      AllowedMethods: ['GET', 'HEAD'],
      CachePolicyId: CachePolicy.CACHING_OPTIMIZED.cachePolicyId,
    });
    const s3Origin = distributionConfig().Origins.find((origin) => 'S3OriginConfig' in origin);
    expect(family.TargetOriginId).toBe(s3Origin?.Id);
    main.hasResourceProperties('AWS::CloudFront::ResponseHeadersPolicy', {
      ResponseHeadersPolicyConfig: Match.objectLike({
        SecurityHeadersConfig: Match.objectLike({
          ContentSecurityPolicy: {
            ContentSecurityPolicy: Match.stringLikeRegexp("^default-src 'none'; script-src 'self'"),
            Override: true,
          },
          FrameOptions: { FrameOption: 'DENY', Override: true },
          ReferrerPolicy: { ReferrerPolicy: 'no-referrer', Override: true },
        }),
      }),
    });
  });

  it('caches /embed/* long, with CORS for module scripts on a council site', () => {
    expect(behavior('/embed/*')).toMatchObject({
      CachePolicyId: CachePolicy.CACHING_OPTIMIZED.cachePolicyId,
      ResponseHeadersPolicyId:
        ResponseHeadersPolicy.CORS_ALLOW_ALL_ORIGINS_WITH_PREFLIGHT_AND_SECURITY_HEADERS
          .responseHeadersPolicyId,
      ViewerProtocolPolicy: 'redirect-to-https',
      Compress: true,
    });
  });

  it('caches /feed* and /projects as the API’s Cache-Control says, keyed on the query string', () => {
    const feed = behavior('/feed*');
    const projects = behavior('/projects');
    expect(feed?.CachePolicyId).toEqual(projects?.CachePolicyId);
    expect(feed?.AllowedMethods).toEqual(['GET', 'HEAD', 'OPTIONS']);
    main.hasResourceProperties('AWS::CloudFront::CachePolicy', {
      CachePolicyConfig: Match.objectLike({
        MinTTL: 0,
        DefaultTTL: 0,
        MaxTTL: 86400,
        ParametersInCacheKeyAndForwardedToOrigin: Match.objectLike({
          QueryStringsConfig: { QueryStringBehavior: 'all' },
          HeadersConfig: { HeaderBehavior: 'whitelist', Headers: ['Origin'] },
          CookiesConfig: { CookieBehavior: 'none' },
        }),
      }),
    });
  });

  it.each(['/feedback', '/officer/*'])(
    'never caches %s and forwards every viewer header but Host',
    (path) => {
      expect(behavior(path)).toMatchObject({
        CachePolicyId: CachePolicy.CACHING_DISABLED.cachePolicyId,
        OriginRequestPolicyId: OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER.originRequestPolicyId,
        AllowedMethods: expect.arrayContaining(['POST', 'PATCH', 'PUT']),
        ViewerProtocolPolicy: 'https-only',
      });
    },
  );

  it('matches /feedback before /feed* (which would also match it): CloudFront takes the first match', () => {
    const order = distributionConfig().CacheBehaviors.map((b) => b.PathPattern);
    expect(order.indexOf('/feedback')).toBeLessThan(order.indexOf('/feed*'));
    expect(order).toEqual(
      expect.arrayContaining(['/embed/*', '/feed*', '/projects', '/feedback', '/officer/*']),
    );
  });

  it('sends everything else to the API uncached too', () => {
    expect(distributionConfig().DefaultCacheBehavior).toMatchObject({
      CachePolicyId: CachePolicy.CACHING_DISABLED.cachePolicyId,
      OriginRequestPolicyId: OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER.originRequestPolicyId,
    });
  });

  it('is protected by the web ACL made in us-east-1', () => {
    expect(wafRegion).toBe('us-east-1');
    const reference = JSON.stringify(distributionConfig().WebACLId);
    // Carried across regions by CDK's cross-region references (an SSM parameter read at deploy).
    expect(reference).toContain('ExportsReader');
    expect(reference).toContain('EdgeWafWebAcl');
  });
});

describe('the assets bucket', () => {
  it('is private, encrypted, TLS-only and logged', () => {
    main.hasResourceProperties('AWS::S3::Bucket', {
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      },
      BucketEncryption: Match.anyValue(),
      LoggingConfiguration: Match.objectLike({ LogFilePrefix: 'assets-bucket/' }),
    });
    main.hasResourceProperties('AWS::S3::BucketPolicy', {
      PolicyDocument: Match.objectLike({
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
          Match.objectLike({ Effect: 'Allow', Principal: { Service: 'cloudfront.amazonaws.com' } }),
        ]),
      }),
    });
  });

  it('gets hashed bundles cached for a year and stable loaders for five minutes, loaders invalidated', () => {
    const deployments = Object.values(main.findResources('Custom::CDKBucketDeployment')).map(
      (resource) => resource.Properties as Record<string, unknown>,
    );
    // The components' bundles and loaders, the family pages' files and pages, the console's files and shell.
    expect(deployments).toHaveLength(6);
    expect(deployments.map((deployment) => deployment.DestinationBucketKeyPrefix).sort()).toEqual([
      'console/',
      'console/',
      'embed/',
      'embed/',
      'family/',
      'family/',
    ]);
    const familyPages = deployments.find(
      (deployment) => deployment.DestinationBucketKeyPrefix === 'family/' && deployment.DistributionPaths,
    );
    expect(familyPages?.DistributionPaths).toEqual(['/family/escalate.html', '/family/stop-messages.html']);
    expect(JSON.stringify(familyPages?.SystemMetadata)).toContain('text/html');
    const embed = deployments.filter((deployment) => deployment.DestinationBucketKeyPrefix === 'embed/');
    const controls = embed.map((deployment) => JSON.stringify(deployment.SystemMetadata));
    expect(controls.some((control) => control.includes('max-age=31536000, immutable'))).toBe(true);
    expect(controls.some((control) => control.includes('max-age=300'))).toBe(true);
    expect(deployments.every((deployment) => deployment.Prune === false)).toBe(true);
    expect(embed.some((deployment) => deployment.DistributionPaths)).toBe(true);
  });
});

describe('the web ACL', () => {
  it('is CLOUDFRONT-scoped with the common and known-bad-inputs rule groups', () => {
    waf.hasResourceProperties('AWS::WAFv2::WebACL', {
      Scope: 'CLOUDFRONT',
      DefaultAction: { Allow: {} },
      Rules: Match.arrayWith([
        Match.objectLike({
          Statement: {
            ManagedRuleGroupStatement: Match.objectLike({
              VendorName: 'AWS',
              Name: 'AWSManagedRulesCommonRuleSet',
            }),
          },
        }),
        Match.objectLike({
          Statement: {
            ManagedRuleGroupStatement: { VendorName: 'AWS', Name: 'AWSManagedRulesKnownBadInputsRuleSet' },
          },
        }),
      ]),
    });
  });

  it('limits POST /feedback per client IP, at the configured rate', () => {
    waf.hasResourceProperties('AWS::WAFv2::WebACL', {
      Rules: Match.arrayWith([
        Match.objectLike({
          Action: {
            Block: {
              CustomResponse: {
                ResponseCode: 429,
                ResponseHeaders: [{ Name: 'retry-after', Value: '300' }],
              },
            },
          },
          Statement: {
            RateBasedStatement: {
              Limit: 250,
              AggregateKeyType: 'IP',
              EvaluationWindowSec: 300,
              ScopeDownStatement: {
                AndStatement: {
                  Statements: [
                    Match.objectLike({
                      ByteMatchStatement: Match.objectLike({
                        FieldToMatch: { Method: {} },
                        SearchString: 'POST',
                      }),
                    }),
                    Match.objectLike({
                      ByteMatchStatement: Match.objectLike({
                        FieldToMatch: { UriPath: {} },
                        SearchString: '/feedback',
                        PositionalConstraint: 'EXACTLY',
                      }),
                    }),
                  ],
                },
              },
            },
          },
        }),
      ]),
    });
  });

  it('refuses a rate limit WAF would not take', () => {
    expect(() => new EdgeWaf(new App(), 'Bad', { feedbackRateLimit: 5 })).toThrow(/at least 10/);
  });
});

describe('the officer console', () => {
  const deployments = () =>
    Object.values(main.findResources('Custom::CDKBucketDeployment'))
      .map((resource) => resource.Properties as Record<string, unknown>)
      .filter((deployment) => deployment.DestinationBucketKeyPrefix === 'console/');

  it('is served from S3 at /console and /console/*, deep links rewritten to the shell by a CloudFront Function', () => {
    const [functionId] = Object.keys(main.findResources('AWS::CloudFront::Function'));
    expect(functionId).toBeDefined();
    main.hasResourceProperties('AWS::CloudFront::Function', {
      FunctionConfig: Match.objectLike({ Runtime: 'cloudfront-js-2.0' }),
      FunctionCode: CONSOLE_REWRITE_FUNCTION,
    });
    for (const path of ['/console', '/console/*']) {
      expect(behavior(path), path).toMatchObject({
        CachePolicyId: CachePolicy.CACHING_OPTIMIZED.cachePolicyId,
        ViewerProtocolPolicy: 'redirect-to-https',
        AllowedMethods: ['GET', 'HEAD'],
        FunctionAssociations: [
          { EventType: 'viewer-request', FunctionARN: { 'Fn::GetAtt': [functionId, 'FunctionARN'] } },
        ],
      });
      expect(JSON.stringify(behavior(path)?.TargetOriginId)).toEqual(
        JSON.stringify(behavior('/embed/*')?.TargetOriginId),
      );
    }
  });

  it('sends a strict CSP (connect-src only itself and the Cognito domain), HSTS, no framing and no referrer', () => {
    const [policyId, policy] =
      Object.entries(main.findResources('AWS::CloudFront::ResponseHeadersPolicy')).find(([, candidate]) =>
        String(candidate.Properties.ResponseHeadersPolicyConfig.Comment).includes('officer console'),
      ) ?? [];
    const config = policy?.Properties.ResponseHeadersPolicyConfig;
    const security = config.SecurityHeadersConfig;
    const csp = JSON.stringify(security.ContentSecurityPolicy.ContentSecurityPolicy);
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("style-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).toMatch(/connect-src 'self' https:\/\/.*\.auth\..*amazoncognito\.com/);
    expect(security).toMatchObject({
      StrictTransportSecurity: { AccessControlMaxAgeSec: 31536000, IncludeSubdomains: true, Override: true },
      FrameOptions: { FrameOption: 'DENY', Override: true },
      ReferrerPolicy: { ReferrerPolicy: 'no-referrer', Override: true },
      ContentTypeOptions: { Override: true },
    });
    const consoleBehavior = behavior('/console/*');
    expect(consoleBehavior?.ResponseHeadersPolicyId).toEqual({ Ref: policyId });
  });

  it('is uploaded by the same deployment: hashed files for a year, then the shell and config.json re-checked and invalidated', () => {
    const [bundles, shell] = [
      deployments().find((deployment) => !deployment.DistributionPaths),
      deployments().find((deployment) => deployment.DistributionPaths),
    ];
    expect(JSON.stringify(bundles?.SystemMetadata)).toContain('max-age=31536000, immutable');
    expect(JSON.stringify(shell?.SystemMetadata)).toContain('no-cache');
    expect(shell?.DistributionPaths).toEqual(['/console/index.html', '/console/config.json']);
    // config.json is written at deploy, with the client id and the Cognito domain filled in.
    const markers = JSON.stringify(shell?.SourceMarkers);
    expect(markers).toContain('OfficerApp');
    expect(markers).toContain('SignIn');
    expect(markers).toContain('EdgeDistribution');
  });

  it('signs in through a public app client: code flow only, no secret, the console callback and sign-out URLs, the API scope', () => {
    main.hasResourceProperties('AWS::Cognito::UserPoolClient', {
      GenerateSecret: false,
      AllowedOAuthFlows: ['code'],
      AllowedOAuthFlowsUserPoolClient: true,
      SupportedIdentityProviders: ['COGNITO'],
    });
    const [client] = Object.values(main.findResources('AWS::Cognito::UserPoolClient'));
    expect(client?.Properties.AllowedOAuthScopes).toContain('openid');
    expect(JSON.stringify(client?.Properties.AllowedOAuthScopes)).toContain('/officer');
    const urls = JSON.stringify([client?.Properties.CallbackURLs, client?.Properties.LogoutURLs]);
    expect(urls).toContain('/console/callback');
    expect(urls).toContain('/console/signed-out');
    expect(urls).toContain('EdgeDistribution');
    main.hasResourceProperties('AWS::Cognito::UserPoolDomain', {
      Domain: 'yswd-test-council',
      ManagedLoginVersion: 2,
    });
    main.resourceCountIs('AWS::Cognito::ManagedLoginBranding', 1);
  });

  it('is where overdue alerts link to', () => {
    const [sweep] = Object.values(main.findResources('AWS::Lambda::Function')).filter((fn) =>
      JSON.stringify(fn.Properties.Environment ?? {}).includes('OFFICER_APP_URL'),
    );
    const url = JSON.stringify(sweep?.Properties.Environment.Variables.OFFICER_APP_URL);
    expect(url).toContain('EdgeDistribution');
    expect(url).toContain('/console');
  });
});

describe('the console rewrite function', () => {
  const rewrite = new Function(`${CONSOLE_REWRITE_FUNCTION}; return handler;`)() as (event: {
    request: { uri: string };
  }) => { uri: string };
  it.each([
    ['/console', '/console/index.html'],
    ['/console/', '/console/index.html'],
    ['/console/feedback/K7QM92PD', '/console/index.html'],
    ['/console/new/update', '/console/index.html'],
    ['/console/console-3F2A9C10DE.js', '/console/console-3F2A9C10DE.js'],
    ['/console/config.json', '/console/config.json'],
  ])('answers %s with %s', (uri, expected) => {
    expect(rewrite({ request: { uri } }).uri).toBe(expected);
  });
});
