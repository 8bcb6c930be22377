import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { App, Stack, Validations } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { AttributeType, Table } from 'aws-cdk-lib/aws-dynamodb';
import { AwsSolutionsChecks } from 'cdk-nag';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../infra/build-app';
import {
  FUNCTION_PERMISSIONS,
  SIGNS_CURSORS,
  USES_FAMILY_LINKS,
  USES_SUBJECT_LOOKUP,
} from '../../infra/function-permissions';
import { OFFICER_SCOPE } from '../../shared/auth/auth-config';
import { FALLBACK_HANDLER, type HandlerName, ROUTES } from '../../shared/http/routes';
import { TABLE } from '../../shared/storage/table';

type Resource = { Type: string; Properties: Record<string, unknown>; DeletionPolicy?: string };

/** Bundling skipped: the assertions are about the template; one test below bundles for real. */
function synth(context: Record<string, unknown> = {}) {
  const { stack } = buildApp(new App({ context: { 'aws:cdk:bundling-stacks': [], ...context } }));
  // Template.fromStack runs the cdk-nag validation and throws on any unacknowledged finding.
  return Template.fromStack(stack);
}

let template: Template;
beforeAll(() => {
  template = synth();
});

/**
 * CDK's own helpers (the edge's BucketDeployment handler, the cross-region reference reader) are
 * tested with the edge (test/infra/edge.test.ts); these tests are about the service's resources.
 */
const cdkOwn = (id: string) => id.startsWith('Custom');
const resourcesOf = (type: string) =>
  (Object.entries(template.findResources(type)) as [string, Resource][]).filter(([id]) => !cdkOwn(id));

describe('the table', () => {
  it('is on demand, recoverable, protected from deletion, retained and encrypted', () => {
    template.hasResource('AWS::DynamoDB::GlobalTable', {
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
      Properties: Match.objectLike({
        BillingMode: 'PAY_PER_REQUEST',
        SSESpecification: { SSEEnabled: true, SSEType: 'KMS' },
        TimeToLiveSpecification: { AttributeName: TABLE.timeToLiveAttribute, Enabled: true },
        Replicas: [
          Match.objectLike({
            DeletionProtectionEnabled: true,
            PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
          }),
        ],
      }),
    });
  });

  it('has the keys and indexes of the shared definition that DynamoDB Local also uses', () => {
    const [, table] = resourcesOf('AWS::DynamoDB::GlobalTable')[0] ?? [];
    expect(table?.Properties.KeySchema).toEqual([
      { AttributeName: TABLE.partitionKey, KeyType: 'HASH' },
      { AttributeName: TABLE.sortKey, KeyType: 'RANGE' },
    ]);
    expect(table?.Properties.GlobalSecondaryIndexes).toEqual(
      Object.values(TABLE.indexes).map((index) => ({
        IndexName: index.indexName,
        KeySchema: [
          { AttributeName: index.partitionKey, KeyType: 'HASH' },
          { AttributeName: index.sortKey, KeyType: 'RANGE' },
        ],
        Projection: index.nonKeyAttributes.length
          ? { ProjectionType: 'INCLUDE', NonKeyAttributes: [...index.nonKeyAttributes] }
          : { ProjectionType: 'KEYS_ONLY' },
      })),
    );
  });
});

describe('the functions', () => {
  const handlers = [...new Set([...ROUTES.map((route) => route.handler), FALLBACK_HANDLER])] as HandlerName[];

  it('are one per handler, on the newest Node.js runtime, arm64, with logs kept three months', () => {
    const functions = resourcesOf('AWS::Lambda::Function');
    // One per route handler, the overdue sweep (test/infra/alerts.test.ts) and the projector
    // (test/infra/domain-events.test.ts).
    // (test/infra/domain-events.test.ts) and the retention job (test/infra/retention.test.ts).
    expect(functions).toHaveLength(handlers.length + 3);
    for (const [id, fn] of functions) {
      expect(fn.Properties).toMatchObject({
        Runtime: 'nodejs24.x',
        Architectures: ['arm64'],
        Timeout: id.startsWith('AlertsSweep')
          ? 120
          : id.startsWith('DomainEventsProjector')
            ? 60
            : id.startsWith('RetentionJob')
              ? 600
              : 10,
      });
    }
    for (const [, logGroup] of resourcesOf('AWS::Logs::LogGroup'))
      expect(logGroup.Properties.RetentionInDays).toBe(90);
  });

  it('may do only what each one needs on the table: no Scan anywhere, no wildcard actions', () => {
    const policies = resourcesOf('AWS::IAM::Policy');
    const statements = policies.flatMap(
      ([, policy]) =>
        (policy.Properties.PolicyDocument as { Statement: { Action: string | string[] }[] }).Statement,
    );
    const actions = statements.flatMap((statement) => [statement.Action].flat());
    expect(actions).not.toContain('dynamodb:Scan');
    expect(actions.filter((action) => action.includes('*'))).toEqual([]);
    expect(
      Object.keys(
        template.findResources('AWS::IAM::Role', { Properties: { ManagedPolicyArns: Match.anyValue() } }),
      ).filter((id) => !cdkOwn(id)),
    ).toEqual([]);

    for (const handler of handlers) {
      const found = policies.find(([id]) => id.startsWith(`Api${handler.replaceAll('-', '')}Role`));
      if (!found) throw new Error(`no policy for ${handler}`);
      const dynamo = (
        found[1].Properties.PolicyDocument as { Statement: Record<string, unknown>[] }
      ).Statement.filter((statement) =>
        [statement.Action].flat().some((action) => String(action).startsWith('dynamodb:')),
      );
      expect(
        dynamo.map((statement) => {
          const actions = [statement.Action].flat();
          const condition = statement.Condition as Record<string, Record<string, string[]>> | undefined;
          if (!condition) {
            const resources = [statement.Resource].flat() as { 'Fn::Join': [string, unknown[]] }[];
            return {
              actions,
              indexes: resources.map((resource) =>
                String(resource['Fn::Join'][1].at(-1)).replace('/index/', ''),
              ),
            };
          }
          return { actions, partitions: condition['ForAllValues:StringLike']?.['dynamodb:LeadingKeys'] };
        }),
        handler,
      ).toEqual(FUNCTION_PERMISSIONS[handler]);
    }
  });

  it('lets nothing delete or update in place (history is append-only; intake idempotency is the item itself)', () => {
    // The overdue sweep updates its own alert attributes in place, and only those (test/infra/alerts.test.ts);
    // the projector its own markers (test/infra/domain-events.test.ts); the retention job and erasure
    // delete subject lookup entries, and nothing else (test/infra/retention.test.ts).
    const actions = resourcesOf('AWS::IAM::Policy')
      .filter(
        ([id]) =>
          !id.startsWith('AlertsSweep') &&
          !id.startsWith('DomainEventsProjector') &&
          !id.startsWith('RetentionJob') &&
          !id.startsWith('Apierasesubjectdata'),
      )
      .flatMap(
        ([, policy]) =>
          (policy.Properties.PolicyDocument as { Statement: Record<string, unknown>[] }).Statement,
      )
      .flatMap((statement) => [statement.Action].flat());
    expect(actions).not.toContain('dynamodb:DeleteItem');
    expect(actions).not.toContain('dynamodb:UpdateItem');
  });

  it('lets the updates list Query only the eight officer list indexes it reads, as the feedback list does', () => {
    const officerLists = [
      'GSI2',
      'GSI3',
      'ListKind',
      'ListStatus',
      'ListKindStatus',
      'ListProjectKind',
      'ListProjectStatus',
      'ListProjectKindStatus',
    ];
    expect(FUNCTION_PERMISSIONS['list-updates']).toEqual([
      { actions: ['dynamodb:Query'], indexes: officerLists },
    ]);
    expect(FUNCTION_PERMISSIONS['list-feedback']).toEqual(FUNCTION_PERMISSIONS['list-updates']);
  });

  it('lets the public intake function only read projects and create feedback with its subject lookup entries: no idempotency partition', () => {
    expect(FUNCTION_PERMISSIONS['submit-feedback']).toEqual([
      { actions: ['dynamodb:Query'], partitions: ['PROJECTS'] },
      { actions: ['dynamodb:PutItem'], partitions: ['FEEDBACK#*', 'SUBJECT#*'] },
    ]);
  });

  it('lets list functions query only the list indexes, which hold no message or contact details', () => {
    for (const index of Object.values(TABLE.indexes)) {
      // DynamoDB's (and CloudFormation's) limit per index.
      expect(index.nonKeyAttributes.length).toBeLessThanOrEqual(20);
      expect(index.nonKeyAttributes).not.toContain('message');
      expect(index.nonKeyAttributes).not.toContain('contact');
    }
  });

  /** The functions whose role may read a secret, and the secret, for each key's secret. */
  function secretReaders() {
    const secrets = resourcesOf('AWS::SecretsManager::Secret');
    const byDescription = (words: string) =>
      secrets.find(([, secret]) => String(secret.Properties.Description).includes(words))?.[0];
    const readers = resourcesOf('AWS::IAM::Policy').flatMap(([id, policy]) =>
      (policy.Properties.PolicyDocument as { Statement: Record<string, unknown>[] }).Statement.filter(
        (statement) =>
          [statement.Action].flat().some((action) => String(action).startsWith('secretsmanager:')),
      ).map((statement) => ({ handler: id.replace(/^Api/, '').replace(/Role.*$/, ''), statement })),
    );
    const readersOf = (secretId: string | undefined) =>
      readers
        .filter(({ statement }) => JSON.stringify(statement.Resource) === JSON.stringify({ Ref: secretId }))
        .map(({ handler }) => handler)
        .sort();
    return { secrets, readers, byDescription, readersOf };
  }
  const withEnvironment = (variable: string) =>
    resourcesOf('AWS::Lambda::Function').filter(
      ([, fn]) =>
        (fn.Properties.Environment as { Variables?: Record<string, unknown> })?.Variables?.[variable],
    );

  it('gives the cursor signing key to the list functions only, to read and nothing else', () => {
    const { secrets, readers, byDescription, readersOf } = secretReaders();
    // The cursor key, the family-link key, the Notify key and the subject lookup key, apart.
    expect(secrets).toHaveLength(4);
    const handlers = [...SIGNS_CURSORS].sort();
    expect(handlers).toEqual([
      'annual-report',
      'get-feed',
      'get-feed-rss',
      'list-events',
      'list-feedback',
      'list-updates',
    ]);
    expect(readersOf(byDescription('cursors'))).toEqual(
      handlers.map((handler) => handler.replaceAll('-', '')),
    );
    for (const { statement } of readers) expect(statement.Action).toBe('secretsmanager:GetSecretValue');
    expect(withEnvironment('CURSOR_KEY_SECRET_ARN')).toHaveLength(handlers.length);
  });

  it('gives the family-link key to the answer, the family’s escalation and stop link, and the projector (families’ messages) only, with the family page’s address', () => {
    const { byDescription, readersOf } = secretReaders();
    const handlers = [...USES_FAMILY_LINKS].sort();
    expect(handlers).toEqual([
      'escalate-by-family-link',
      'respond-to-feedback',
      'stop-messages-by-family-link',
    ]);
    expect(readersOf(byDescription('signs families'))).toEqual(
      [...handlers.map((handler) => handler.replaceAll('-', '')), 'DomainEventsProjector'].sort(),
    );
    expect(withEnvironment('FAMILY_LINK_KEY_SECRET_ARN')).toHaveLength(handlers.length + 1);
    // The page is the edge's own /family/escalate.html (no familyPageUrl context given).
    const pages = withEnvironment('FAMILY_PAGE_URL').map(([, fn]) =>
      JSON.stringify(
        (fn.Properties.Environment as { Variables: Record<string, unknown> }).Variables.FAMILY_PAGE_URL,
      ),
    );
    expect(pages).toHaveLength(handlers.length + 1);
    for (const page of pages) expect(page).toContain('/family/escalate.html');
  });
  it('gives the subject lookup key to intake and the admins’ search only', () => {
    const { byDescription, readersOf } = secretReaders();
    const handlers = [...USES_SUBJECT_LOOKUP].sort();
    expect(handlers).toEqual(['find-subject-data', 'submit-feedback']);
    expect(readersOf(byDescription('subject lookup'))).toEqual(
      handlers.map((handler) => handler.replaceAll('-', '')),
    );
    expect(withEnvironment('SUBJECT_LOOKUP_KEY_SECRET_ARN')).toHaveLength(handlers.length);
  });
});

describe('the HTTP API', () => {
  it('has a route per entry of the route table, and a $default route for the rest', () => {
    const keys = resourcesOf('AWS::ApiGatewayV2::Route').map(([, route]) => route.Properties.RouteKey);
    expect(keys.sort()).toEqual(
      [...ROUTES.map((route) => `${route.method} ${route.path}`), '$default'].sort(),
    );
  });

  it('logs access with HTTP API variables only, without paths, query strings, bodies or IP addresses, and throttles', () => {
    const [, stage] = resourcesOf('AWS::ApiGatewayV2::Stage')[0] ?? [];
    const settings = stage?.Properties.AccessLogSettings as { Format: string };
    const variables = [...settings.Format.matchAll(/\$context\.([\w.]+)/g)].map((match) => match[1]);
    // The variables HTTP APIs support that we use; REST-only ones (resourcePath) fail the deployment.
    const httpApiVariables = [
      'requestId',
      'requestTime',
      'routeKey',
      'status',
      'protocol',
      'responseLength',
      'integrationLatency',
      'integrationErrorMessage',
      'authorizer.error',
    ];
    expect(variables.every((variable) => httpApiVariables.includes(String(variable)))).toBe(true);
    expect(variables).toContain('requestId');
    expect(settings.Format).not.toMatch(/querystring|body|sourceIp|path/i);
    expect(stage?.Properties.DefaultRouteSettings).toMatchObject({
      ThrottlingRateLimit: 50,
      ThrottlingBurstLimit: 100,
    });
  });

  it('allows only configured browser origins', () => {
    expect(
      template.findResources('AWS::ApiGatewayV2::Api', {
        Properties: { CorsConfiguration: Match.anyValue() },
      }),
    ).toEqual({});
    // The functions answer CORS (shared/http/cors.ts): API Gateway's setting would replace their
    // headers on every route, and the public feed's `*` with it.
    const withOrigins = synth({ allowedOrigins: 'https://localoffer.example.gov.uk' });
    expect(
      withOrigins.findResources('AWS::ApiGatewayV2::Api', {
        Properties: { CorsConfiguration: Match.anyValue() },
      }),
    ).toEqual({});
    // The API's functions; the overdue sweep and CDK's own helpers answer no browser.
    const functions = Object.entries(withOrigins.findResources('AWS::Lambda::Function'))
      .filter(([id]) => id.startsWith('Api'))
      .map(([, fn]) => fn);
    expect(functions.length).toBeGreaterThan(0);
    for (const fn of functions) {
      expect(fn.Properties.Environment.Variables.ALLOWED_ORIGINS).toBe('https://localoffer.example.gov.uk');
    }
  });
});

describe('officer sign-in', () => {
  it('is a Cognito user pool without self sign-up, with MFA, a strong password policy, threat protection, and both groups', () => {
    template.hasResourceProperties('AWS::Cognito::UserPool', {
      AdminCreateUserConfig: { AllowAdminCreateUserOnly: true },
      MfaConfiguration: 'ON',
      UserPoolTier: 'PLUS',
      Policies: { PasswordPolicy: Match.objectLike({ MinimumLength: 12, RequireSymbols: true }) },
    });
    const groups = resourcesOf('AWS::Cognito::UserPoolGroup').map(([, group]) => group.Properties.GroupName);
    expect(groups.sort()).toEqual(['admin', 'officer']);
  });

  it('guards every officer route with the JWT authorizer and the officer scope, and no public route', () => {
    const routes = resourcesOf('AWS::ApiGatewayV2::Route');
    for (const route of ROUTES) {
      const [, resource] =
        routes.find(([, r]) => r.Properties.RouteKey === `${route.method} ${route.path}`) ?? [];
      if (route.access === 'public') {
        expect(resource?.Properties.AuthorizationType ?? 'NONE', route.path).toBe('NONE');
      } else {
        expect(resource?.Properties, route.path).toMatchObject({
          AuthorizationType: 'JWT',
          AuthorizationScopes: [OFFICER_SCOPE],
        });
      }
    }
    template.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', {
      AuthorizerType: 'JWT',
      IdentitySource: ['$request.header.Authorization'],
    });
  });
});

describe('cdk-nag', () => {
  it('is really checking: an unprotected table in the same set-up fails the synth', () => {
    const app = new App();
    Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
    const stack = new Stack(app, 'Careless');
    new Table(stack, 'Table', { partitionKey: { name: 'id', type: AttributeType.STRING } });
    expect(() => Template.fromStack(stack)).toThrow(/AwsSolutions-DDB3/);
  });

  it('finds nothing unacknowledged in our stack (a finding would make the synth throw)', () => {
    expect(() => synth({ allowedOrigins: 'https://localoffer.example.gov.uk' })).not.toThrow();
  });
});

describe('bundling', () => {
  it('bundles every function with the local esbuild (no Docker), each under 400 KB', {
    timeout: 120_000,
  }, () => {
    const { app, stack } = buildApp(new App());
    const bundled = Template.fromStack(stack);
    const functions = Object.entries(bundled.findResources('AWS::Lambda::Function'))
      .filter(([id]) => !cdkOwn(id))
      .map(([, fn]) => fn as Resource);
    // Every route handler, the overdue sweep, the projector and the retention job.
    expect(functions).toHaveLength(
      new Set([...ROUTES.map((route) => route.handler), FALLBACK_HANDLER]).size + 3,
    );
    for (const fn of functions) {
      const key = (fn.Properties.Code as { S3Key: string }).S3Key;
      const file = join(app.outdir, `asset.${key.replace(/\.zip$/, '')}`, 'index.mjs');
      expect(statSync(file).size).toBeLessThan(400 * 1024);
      const code = readFileSync(file, 'utf8');
      expect(code.slice(0, 200)).toContain('createRequire');
      // node:http reaches a bundle only through infra/lambda-node-http.ts: an ESM import of it
      // loads undici on Node 24 (about 40 ms of every cold start).
      expect(code).not.toMatch(/from\s*["']node:http["']|import\(["']node:http["']\)/);
    }
  });
});

describe('You said, we did', () => {
  it('has the officer update routes behind the authorizer, and the two feeds public', () => {
    const keys = Object.fromEntries(
      resourcesOf('AWS::ApiGatewayV2::Route').map(([, route]) => [
        String(route.Properties.RouteKey),
        route.Properties.AuthorizationType ?? 'NONE',
      ]),
    );
    expect(keys).toMatchObject({
      'POST /officer/updates': 'JWT',
      'GET /officer/updates': 'JWT',
      'GET /officer/updates/{id}': 'JWT',
      'PATCH /officer/updates/{id}': 'JWT',
      'POST /officer/updates/{id}/publish': 'JWT',
      'POST /officer/updates/{id}/unpublish': 'JWT',
      'GET /officer/reports/annual': 'JWT',
      'GET /feed': 'NONE',
      'GET /feed.xml': 'NONE',
    });
  });

  it('lets the public feeds only Query the feed indexes, which project the public view and nothing else', () => {
    for (const handler of ['get-feed', 'get-feed-rss'] as const) {
      expect(FUNCTION_PERMISSIONS[handler]).toEqual([
        {
          actions: ['dynamodb:Query'],
          indexes: ['Feed', 'FeedByProject', 'FeedByStatus', 'FeedByProjectStatus'],
        },
      ]);
    }
    for (const index of [
      TABLE.indexes.feed,
      TABLE.indexes.feedByProject,
      TABLE.indexes.feedByStatus,
      TABLE.indexes.feedByProjectStatus,
    ]) {
      expect(index.nonKeyAttributes).toEqual(['feed']);
    }
    expect(TABLE.indexes.feedbackByReceived.nonKeyAttributes).toEqual(['kind']);
  });

  it('lets update functions read linked feedback and events but never write them', () => {
    for (const handler of [
      'create-update',
      'edit-update',
      'publish-update',
      'unpublish-update',
      'annual-report',
    ] as const) {
      const grants = FUNCTION_PERMISSIONS[handler];
      for (const grant of grants) {
        if (
          'partitions' in grant &&
          grant.partitions.some((p) => p.startsWith('FEEDBACK') || p.startsWith('EVENT'))
        ) {
          expect(grant.actions).toEqual(['dynamodb:BatchGetItem']);
        }
      }
    }
    expect(FUNCTION_PERMISSIONS['unpublish-update']).toEqual([
      { actions: ['dynamodb:GetItem', 'dynamodb:PutItem'], partitions: ['UPDATE#*'] },
    ]);
  });

  it('lets the public scorecard only Query the projects and its own counters, which hold counts and nothing of any item', () => {
    expect(FUNCTION_PERMISSIONS['get-scorecard']).toEqual([
      { actions: ['dynamodb:Query'], partitions: ['PROJECTS', 'SCORECARD#*'] },
    ]);
  });

  it('gives the public-output functions the feed settings from context, and the API address by default', () => {
    const configured = synth({
      feedHomePageUrl: 'https://localoffer.example.gov.uk/yswd',
      feedItemUrlTemplate: 'https://localoffer.example.gov.uk/yswd/{id}',
      smallCountThreshold: '10',
    });
    // The projector takes the page addresses too (families' messages link to them), not the rest.
    const feedFunctions = Object.values(configured.findResources('AWS::Lambda::Function')).filter(
      (fn) => fn.Properties.Environment?.Variables?.SMALL_COUNT_THRESHOLD,
    );
    // The two feeds, the annual report and the scorecard.
    expect(feedFunctions).toHaveLength(4);
    for (const fn of feedFunctions) {
      expect(fn.Properties.Environment.Variables).toMatchObject({
        FEED_ITEM_URL_TEMPLATE: 'https://localoffer.example.gov.uk/yswd/{id}',
        SMALL_COUNT_THRESHOLD: '10',
        FEED_BASE_URL: expect.anything(),
      });
    }
  });
});
