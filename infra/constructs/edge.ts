import { cpSync, mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Duration, Fn, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import type { IHttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import {
  AllowedMethods,
  CacheCookieBehavior,
  CacheHeaderBehavior,
  CachePolicy,
  CacheQueryStringBehavior,
  Function as CloudFrontFunction,
  Distribution,
  FunctionCode,
  FunctionEventType,
  FunctionRuntime,
  HeadersFrameOption,
  HeadersReferrerPolicy,
  HttpVersion,
  OriginProtocolPolicy,
  OriginRequestPolicy,
  OriginSslPolicy,
  PriceClass,
  ResponseHeadersPolicy,
  ViewerProtocolPolicy,
} from 'aws-cdk-lib/aws-cloudfront';
import { HttpOrigin, S3BucketOrigin } from 'aws-cdk-lib/aws-cloudfront-origins';
import {
  BlockPublicAccess,
  Bucket,
  BucketEncryption,
  type CfnBucket,
  ObjectOwnership,
} from 'aws-cdk-lib/aws-s3';
import { BucketDeployment, CacheControl, Source } from 'aws-cdk-lib/aws-s3-deployment';
import { Construct } from 'constructs';
import { buildConsole } from '../../console/build';
import { CONSOLE_REWRITE_FUNCTION } from '../../console/edge-function';
import { type ConsoleConfig, consoleContentSecurityPolicy } from '../../console/security-headers';
import { buildEmbed } from '../../embed/build';
import { buildFamilyPages } from '../../family/build';
import { FAMILY_PAGE_CSP } from '../../family/headers';

export interface EdgeProps {
  httpApi: IHttpApi;
  /** The CLOUDFRONT-scoped web ACL (made in us-east-1, see infra/constructs/edge-waf.ts). */
  webAclArn: string;
  /** The officer console's sign-in; without it no console is deployed (it could not sign in). */
  console?: ConsoleSignIn;
}

export interface ConsoleSignIn {
  /** The Cognito hosted sign-in's origin, allowed in the CSP's connect-src (the token exchange). */
  signInOrigin: string;
  clientId: string;
  scope: string;
  /** The console's public origin; default: this distribution's https://<id>.cloudfront.net. */
  origin?: string;
}

/** A year: hashed bundle names change whenever their content does. */
const HASHED_CACHE = 'public, max-age=31536000, immutable';
/** The stable names councils paste are one-line loaders, re-checked every five minutes. */
const STABLE_CACHE = 'public, max-age=300';

/**
 * One public address for the Local Offer: the components from a private S3 bucket (origin access
 * control) and the HTTP API behind the same CloudFront distribution and WAF web ACL.
 * - `/embed/*`: cached as the files say (a year for hashed bundles, five minutes for loaders);
 * - `/family/*`: the family pages (family/build.ts) from the same bucket, with a strict
 *   Content-Security-Policy and no Referer (their address carries a family's link in its fragment);
 * - `/feed*`, `/projects`: cached as the API's Cache-Control says, keyed on the query string;
 * - `/feedback`, `/officer/*` and everything else: never cached, every viewer header but Host
 *   (Authorization, Idempotency-Key, If-Match, If-None-Match, Content-Type, Origin) forwarded.
 */
export class Edge extends Construct {
  readonly distribution: Distribution;
  readonly assets: Bucket;
  /** Where officers open the console (`<origin>/console`), when it is deployed. */
  readonly consoleOrigin: string | undefined;

  constructor(scope: Construct, id: string, props: EdgeProps) {
    super(scope, id);
    const logs = new Bucket(this, 'Logs', {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      // CloudFront's standard logs are delivered with an ACL.
      objectOwnership: ObjectOwnership.BUCKET_OWNER_PREFERRED,
      lifecycleRules: [{ expiration: Duration.days(90) }],
      removalPolicy: RemovalPolicy.RETAIN,
    });
    Validations.of(logs).acknowledge({
      id: 'AwsSolutions-S1',
      reason: 'This is the access-log bucket itself; logging it into itself would loop.',
    });

    this.assets = new Bucket(this, 'Assets', {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      serverAccessLogsBucket: logs,
      serverAccessLogsPrefix: 'assets-bucket/',
      removalPolicy: RemovalPolicy.RETAIN,
    });

    const apiDomain = Fn.select(2, Fn.split('/', props.httpApi.apiEndpoint));
    const api = new HttpOrigin(apiDomain, {
      protocolPolicy: OriginProtocolPolicy.HTTPS_ONLY,
      originSslProtocols: [OriginSslPolicy.TLS_V1_2],
    });
    const assets = S3BucketOrigin.withOriginAccessControl(this.assets);

    // The API's Cache-Control decides (300 s for the feed and projects); without one, nothing is
    // kept. The query string is the key (project, status, limit, cursor); Origin too, because
    // API Gateway's CORS answer depends on it.
    const honourOrigin = new CachePolicy(this, 'HonourOriginCacheControl', {
      comment: 'you-said-we-did public reads: cached as the API Cache-Control says',
      minTtl: Duration.seconds(0),
      defaultTtl: Duration.seconds(0),
      maxTtl: Duration.days(1),
      queryStringBehavior: CacheQueryStringBehavior.all(),
      headerBehavior: CacheHeaderBehavior.allowList('Origin'),
      cookieBehavior: CacheCookieBehavior.none(),
      enableAcceptEncodingGzip: true,
      enableAcceptEncodingBrotli: true,
    });
    const publicRead = {
      origin: api,
      viewerProtocolPolicy: ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
      allowedMethods: AllowedMethods.ALLOW_GET_HEAD_OPTIONS,
      cachePolicy: honourOrigin,
      originRequestPolicy: OriginRequestPolicy.CORS_CUSTOM_ORIGIN,
    };
    // Caching disabled is what lets AllViewerExceptHostHeader forward Authorization; Host must
    // not be forwarded, since API Gateway routes on its own host name.
    const neverCached = {
      origin: api,
      viewerProtocolPolicy: ViewerProtocolPolicy.HTTPS_ONLY,
      allowedMethods: AllowedMethods.ALLOW_ALL,
      cachePolicy: CachePolicy.CACHING_DISABLED,
      originRequestPolicy: OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER,
    };

    // The headers the local server sends too (family/headers.ts), so what is tested is what ships.
    const familyHeaders = new ResponseHeadersPolicy(this, 'FamilyPageHeaders', {
      comment: 'you-said-we-did family pages: same-origin only, never framed, no Referer',
      securityHeadersBehavior: {
        contentSecurityPolicy: { contentSecurityPolicy: FAMILY_PAGE_CSP, override: true },
        contentTypeOptions: { override: true },
        frameOptions: { frameOption: HeadersFrameOption.DENY, override: true },
        referrerPolicy: { referrerPolicy: HeadersReferrerPolicy.NO_REFERRER, override: true },
        strictTransportSecurity: {
          accessControlMaxAge: Duration.days(365),
          includeSubdomains: true,
          override: true,
        },
      },
    });

    this.distribution = new Distribution(this, 'Distribution', {
      comment: 'you-said-we-did: Local Offer components and public API',
      defaultBehavior: neverCached,
      additionalBehaviors: {
        '/embed/*': {
          origin: assets,
          viewerProtocolPolicy: ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
          allowedMethods: AllowedMethods.ALLOW_GET_HEAD_OPTIONS,
          cachePolicy: CachePolicy.CACHING_OPTIMIZED,
          // Module scripts load with CORS from the council's own site.
          responseHeadersPolicy:
            ResponseHeadersPolicy.CORS_ALLOW_ALL_ORIGINS_WITH_PREFLIGHT_AND_SECURITY_HEADERS,
          compress: true,
        },
        '/family/*': {
          origin: assets,
          viewerProtocolPolicy: ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
          allowedMethods: AllowedMethods.ALLOW_GET_HEAD,
          cachePolicy: CachePolicy.CACHING_OPTIMIZED,
          responseHeadersPolicy: familyHeaders,
          compress: true,
        },
        // Before '/feed*', which would match '/feedback' too: CloudFront takes the first match.
        '/feedback': neverCached,
        '/feed*': publicRead,
        '/projects': publicRead,
        '/officer/*': neverCached,
        ...(props.console ? this.consoleBehaviors(props.console, assets) : {}),
      },
      webAclId: props.webAclArn,
      httpVersion: HttpVersion.HTTP2_AND_3,
      priceClass: PriceClass.PRICE_CLASS_100,
      enableLogging: true,
      logBucket: logs,
      logFilePrefix: 'cloudfront/',
    });
    Validations.of(this.distribution).acknowledge({
      id: 'AwsSolutions-CFR1',
      reason:
        'No geo restriction: families abroad (service families, holidays) must still reach their Local Offer.',
    });
    Validations.of(this.distribution).acknowledge({
      id: 'AwsSolutions-CFR4',
      reason:
        'The default *.cloudfront.net certificate cannot set a minimum TLS version; a council adding its own domain and ACM certificate gets TLSv1.2_2021 by CDK default.',
    });

    this.consoleOrigin = props.console
      ? (props.console.origin ?? `https://${this.distribution.distributionDomainName}`)
      : undefined;
    this.deployAssets(props.console);
  }

  /**
   * `/console` and `/console/*` from S3: a CloudFront Function answers every screen's address with
   * the shell (history API routing), and a response headers policy sends the strict CSP (no
   * inline script or style; connect-src only this origin and the Cognito domain), HSTS and
   * frame-ancestors 'none'. Two patterns rather than `/console*`, which would also take
   * `/consoles` or `/console.json`.
   */
  private consoleBehaviors(
    signIn: ConsoleSignIn,
    assets: ReturnType<typeof S3BucketOrigin.withOriginAccessControl>,
  ) {
    const rewrite = new CloudFrontFunction(this, 'ConsoleRewrite', {
      comment: 'you-said-we-did officer console: every screen address answers with the app shell',
      code: FunctionCode.fromInline(CONSOLE_REWRITE_FUNCTION),
      runtime: FunctionRuntime.JS_2_0,
    });
    const headers = new ResponseHeadersPolicy(this, 'ConsoleHeaders', {
      comment: 'you-said-we-did officer console: strict CSP, HSTS, no framing, no referrer',
      securityHeadersBehavior: {
        contentSecurityPolicy: {
          contentSecurityPolicy: consoleContentSecurityPolicy(signIn.signInOrigin),
          override: true,
        },
        strictTransportSecurity: {
          accessControlMaxAge: Duration.days(365),
          includeSubdomains: true,
          override: true,
        },
        frameOptions: { frameOption: HeadersFrameOption.DENY, override: true },
        contentTypeOptions: { override: true },
        // The callback address holds an authorization code until the app removes it.
        referrerPolicy: { referrerPolicy: HeadersReferrerPolicy.NO_REFERRER, override: true },
      },
    });
    const behavior = {
      origin: assets,
      viewerProtocolPolicy: ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
      allowedMethods: AllowedMethods.ALLOW_GET_HEAD,
      // As the objects' Cache-Control says: a year for hashed files, re-checked for the shell.
      cachePolicy: CachePolicy.CACHING_OPTIMIZED,
      responseHeadersPolicy: headers,
      functionAssociations: [{ function: rewrite, eventType: FunctionEventType.VIEWER_REQUEST }],
      compress: true,
    };
    return { '/console': behavior, '/console/*': behavior };
  }

  /** Built at synth (esbuild, no Docker): hashed bundles and stable loaders, each with its caching. */
  private deployAssets(signIn: ConsoleSignIn | undefined) {
    const build = buildEmbed(join(mkdtempSync(join(tmpdir(), 'yswd-edge-')), 'embed'));
    const split = (files: string[], name: string) => {
      const dir = join(build.outdir, '..', name);
      mkdirSync(dir, { recursive: true });
      for (const file of files) cpSync(join(build.outdir, file), join(dir, file));
      return dir;
    };
    const hashed = new BucketDeployment(this, 'HashedBundles', {
      sources: [Source.asset(split(build.hashed, 'hashed'))],
      destinationBucket: this.assets,
      destinationKeyPrefix: 'embed/',
      cacheControl: [CacheControl.fromString(HASHED_CACHE)],
      // Old bundles stay: a page cached with an old loader still finds what it names.
      prune: false,
      memoryLimit: 256,
    });
    const stable = new BucketDeployment(this, 'StableLoaders', {
      sources: [Source.asset(split(build.stable, 'stable'))],
      destinationBucket: this.assets,
      destinationKeyPrefix: 'embed/',
      cacheControl: [CacheControl.fromString(STABLE_CACHE)],
      prune: false,
      memoryLimit: 256,
      distribution: this.distribution,
      distributionPaths: build.stable.map((file) => `/embed/${file}`),
    });
    // Loaders must never name a bundle that is not there yet.
    stable.node.addDependency(hashed);

    // The family pages: hashed scripts and styles for a year, the pages themselves re-checked.
    const family = buildFamilyPages(join(mkdtempSync(join(tmpdir(), 'yswd-edge-family-')), 'family'));
    const familyDir = (files: string[], name: string) => {
      const dir = join(family.outdir, '..', name);
      mkdirSync(dir, { recursive: true });
      for (const file of files) cpSync(join(family.outdir, file), join(dir, file));
      return dir;
    };
    const familyFiles = new BucketDeployment(this, 'FamilyFiles', {
      sources: [Source.asset(familyDir(family.hashed, 'hashed'))],
      destinationBucket: this.assets,
      destinationKeyPrefix: 'family/',
      cacheControl: [CacheControl.fromString(HASHED_CACHE)],
      prune: false,
      memoryLimit: 256,
    });
    const familyPages = new BucketDeployment(this, 'FamilyPages', {
      sources: [Source.asset(familyDir(family.pages, 'pages'))],
      destinationBucket: this.assets,
      destinationKeyPrefix: 'family/',
      cacheControl: [CacheControl.fromString(STABLE_CACHE)],
      contentType: 'text/html; charset=utf-8',
      prune: false,
      memoryLimit: 256,
      distribution: this.distribution,
      distributionPaths: family.pages.map((page) => `/family/${page}`),
    });
    familyPages.node.addDependency(familyFiles);
    if (signIn && this.consoleOrigin) this.deployConsole(signIn, this.consoleOrigin);
    this.acknowledgeDeploymentHandler();
  }

  /**
   * The console's build (the same deployment as the embed assets): hashed script and stylesheet
   * first, kept for a year; then the shell and config.json (the settings, written here so one
   * build serves any council), re-checked on every load and invalidated.
   */
  private deployConsole(signIn: ConsoleSignIn, origin: string) {
    const dir = mkdtempSync(join(tmpdir(), 'yswd-console-'));
    const build = buildConsole(join(dir, 'build'));
    const hashedDir = join(dir, 'hashed');
    const shellDir = join(dir, 'shell');
    mkdirSync(hashedDir);
    mkdirSync(shellDir);
    for (const file of build.hashed) cpSync(join(build.outdir, file), join(hashedDir, file));
    cpSync(join(build.outdir, build.shell), join(shellDir, build.shell));
    const config: ConsoleConfig = {
      apiBase: '',
      authority: signIn.signInOrigin,
      clientId: signIn.clientId,
      scope: signIn.scope,
      redirectUri: `${origin}/console/callback`,
      signedOutUri: `${origin}/console/signed-out`,
      environment: 'aws',
    };
    const bundles = new BucketDeployment(this, 'ConsoleBundles', {
      sources: [Source.asset(hashedDir)],
      destinationBucket: this.assets,
      destinationKeyPrefix: 'console/',
      cacheControl: [CacheControl.fromString(HASHED_CACHE)],
      prune: false,
      memoryLimit: 256,
    });
    const shell = new BucketDeployment(this, 'ConsoleShell', {
      sources: [Source.asset(shellDir), Source.jsonData('config.json', config)],
      destinationBucket: this.assets,
      destinationKeyPrefix: 'console/',
      cacheControl: [CacheControl.fromString('no-cache')],
      prune: false,
      memoryLimit: 256,
      distribution: this.distribution,
      distributionPaths: ['/console/index.html', '/console/config.json'],
    });
    // The shell must never name a script that is not there yet.
    shell.node.addDependency(bundles);
  }

  private acknowledgeDeploymentHandler() {
    // CDK's own deployment function, a stack-level singleton whose role and policy CDK writes:
    // each finding acknowledged by name, so a new wildcard would still fail the synth.
    const stack = Stack.of(this);
    const wildcards = [
      'Action::s3:GetObject*',
      'Action::s3:GetBucket*',
      'Action::s3:List*',
      'Action::s3:DeleteObject*',
      'Action::s3:Abort*',
      `Resource::arn:<AWS::Partition>:s3:::cdk-hnb659fds-assets-<AWS::AccountId>-${stack.region}/*`,
      `Resource::<${stack.getLogicalId(this.assets.node.defaultChild as CfnBucket)}.Arn>/*`,
      'Resource::*',
    ];
    for (const child of stack.node.children) {
      if (!child.node.id.startsWith('Custom::CDKBucketDeployment')) continue;
      const acknowledge = (id: string, reason: string) => Validations.of(child).acknowledge({ id, reason });
      acknowledge(
        'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
        'CDK BucketDeployment handler: the AWS managed basic execution role only lets it write its own logs.',
      );
      for (const wildcard of wildcards) {
        acknowledge(
          `AwsSolutions-IAM5[${wildcard}]`,
          'CDK BucketDeployment handler: CDK grants it read on its own asset objects and write on objects of the assets bucket (object-level wildcards), and CloudFront invalidation, which has no resource-level permissions.',
        );
      }
      acknowledge(
        'AwsSolutions-L1',
        'CDK BucketDeployment handler: its runtime is chosen and kept current by aws-cdk-lib; it runs only during deployments.',
      );
    }
  }
}
