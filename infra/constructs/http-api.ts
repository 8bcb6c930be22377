import { join } from 'node:path';
import { Validations } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import {
  HttpApi,
  HttpMethod,
  HttpStage,
  type IHttpRouteAuthorizer,
  LogGroupLogDestination,
} from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type { ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { OFFICER_SCOPE } from '../../shared/auth/auth-config';
import { FALLBACK_HANDLER, type HandlerName, ROUTES } from '../../shared/http/routes';
import { RETENTION_PERIODS_ENV } from '../../shared/retention/retention-periods';
import { FEED_HANDLERS } from '../feed-environment';
import {
  READS_RETENTION_PERIODS,
  SIGNS_CURSORS,
  statementsFor,
  USES_FAMILY_LINKS,
  USES_SUBJECT_LOOKUP,
} from '../function-permissions';
import type { CursorSigningKey } from './cursor-signing-key';
import type { FamilyLinkKey } from './family-link-key';
import { ServiceFunction } from './service-function';
import type { SubjectLookupKey } from './subject-lookup-key';

export interface ApiProps {
  table: ITableV2;
  /** Signs officers' list cursors; given only to the functions in SIGNS_CURSORS. */
  cursorSigningKey: CursorSigningKey;
  /** Signs families' links; given only to the functions in USES_FAMILY_LINKS. */
  familyLinkKey: FamilyLinkKey;
  /** Keys the subject lookup; given only to the functions in USES_SUBJECT_LOOKUP. */
  subjectLookupKey: SubjectLookupKey;
  /** The retention periods (`RETENTION_PERIODS`), for the functions in READS_RETENTION_PERIODS. */
  retentionPeriods: string;
  /** The family page an answer's escalation link opens (`https://…/family/escalate.html`), when known now. */
  familyPageUrl?: string;
  /** Verifies officers' tokens on every non-public route. */
  officerAuthorizer: IHttpRouteAuthorizer;
  /** Browser origins allowed to call the API (the Local Offer site); none means no CORS. */
  allowedOrigins: string[];
  /** Feed title, URLs and small-count threshold (infra/feed-environment.ts) for the public-output functions. */
  feedEnvironment?: Record<string, string>;
  /** Requests per second across the API, and the burst above it, before API Gateway answers 429. */
  throttle?: { rateLimit: number; burstLimit: number };
}

const FUNCTIONS_DIR = join(import.meta.dirname, '..', '..', 'functions');

/**
 * The HTTP API: one Lambda per handler in the shared route table, one route per entry, and a
 * `$default` route so unknown paths get the same problem+json answers as locally.
 */
export class Api extends Construct {
  // Assigned in the constructor, after the fallback function (which needs no feed settings) is made.
  readonly httpApi!: HttpApi;
  readonly functions = new Map<HandlerName, ServiceFunction>();
  private readonly familyLinkHandlers: HandlerName[] = [];

  constructor(scope: Construct, id: string, props: ApiProps) {
    super(scope, id);
    const functionFor = (handler: HandlerName) => {
      let existing = this.functions.get(handler);
      if (!existing) {
        const cursors = SIGNS_CURSORS.has(handler) ? props.cursorSigningKey.forFunction() : undefined;
        const links = USES_FAMILY_LINKS.has(handler) ? props.familyLinkKey.forFunction() : undefined;
        const lookup = USES_SUBJECT_LOOKUP.has(handler) ? props.subjectLookupKey.forFunction() : undefined;
        existing = new ServiceFunction(this, handler, {
          entry: join(FUNCTIONS_DIR, handler, 'handler.ts'),
          environment: {
            TABLE_NAME: props.table.tableName,
            ...cursors?.environment,
            ...links?.environment,
            ...lookup?.environment,
            ...(READS_RETENTION_PERIODS.has(handler)
              ? { [RETENTION_PERIODS_ENV]: props.retentionPeriods }
              : {}),
            ...(links && props.familyPageUrl ? { FAMILY_PAGE_URL: props.familyPageUrl } : {}),
            // CORS is the functions' (shared/http/cors.ts): API Gateway's setting would override them.
            ...(props.allowedOrigins.length ? { ALLOWED_ORIGINS: props.allowedOrigins.join(',') } : {}),
            ...(FEED_HANDLERS.includes(handler)
              ? {
                  // Without a configured address, feed_url and next_url point at the API itself.
                  ...(this.httpApi ? { FEED_BASE_URL: this.httpApi.apiEndpoint } : {}),
                  ...props.feedEnvironment,
                }
              : {}),
          },
          statements: [
            ...statementsFor(handler, props.table),
            ...(cursors ? [cursors.statement] : []),
            ...(links ? [links.statement] : []),
            ...(lookup ? [lookup.statement] : []),
          ],
        });
        this.functions.set(handler, existing);
        if (links) this.familyLinkHandlers.push(handler);
      }
      return existing.fn;
    };

    this.httpApi = new HttpApi(this, 'HttpApi', {
      description: 'you-said-we-did: feedback from families and the public You said, we did feed',
      createDefaultStage: false,
      defaultIntegration: new HttpLambdaIntegration('Fallback', functionFor(FALLBACK_HANDLER)),
    });

    const accessLogs = new LogGroup(this, 'AccessLogs', { retention: RetentionDays.THREE_MONTHS });
    new HttpStage(this, 'DefaultStage', {
      httpApi: this.httpApi,
      stageName: '$default',
      autoDeploy: true,
      throttle: props.throttle ?? { rateLimit: 50, burstLimit: 100 },
      accessLogSettings: {
        destination: new LogGroupLogDestination(accessLogs),
        // HTTP API variables only (routeKey, not REST's resourcePath); no path, query string, body or IP
        // address, which could carry personal data.
        format: AccessLogFormat.custom(
          JSON.stringify({
            requestId: '$context.requestId',
            requestTime: '$context.requestTime',
            routeKey: '$context.routeKey',
            status: '$context.status',
            protocol: '$context.protocol',
            responseLength: '$context.responseLength',
            integrationLatency: '$context.integrationLatency',
            integrationError: '$context.integrationErrorMessage',
            authorizerError: '$context.authorizer.error',
          }),
        ),
      },
    });

    for (const route of ROUTES) {
      const [routeResource] = this.httpApi.addRoutes({
        path: route.path,
        methods: [HttpMethod[route.method]],
        integration: new HttpLambdaIntegration(
          `${route.handler}-${route.method}`,
          functionFor(route.handler),
        ),
        // Officer routes: a verified access token carrying the officer scope, or API Gateway refuses.
        ...(route.access === 'public'
          ? {}
          : { authorizer: props.officerAuthorizer, authorizationScopes: [OFFICER_SCOPE] }),
      });
      if (route.access === 'public' && routeResource) {
        Validations.of(routeResource).acknowledge({
          id: 'AwsSolutions-APIG4',
          reason: `${route.method} ${route.path} is public by design: families use it from the Local Offer website without signing in. Abuse is limited by stage throttling, body size limits and validation.`,
        });
      }
    }
    const fallbackRoute = this.httpApi.node.tryFindChild('DefaultRoute');
    if (fallbackRoute) {
      Validations.of(fallbackRoute).acknowledge({
        id: 'AwsSolutions-APIG4',
        reason: 'The $default route only answers 404 or 405 problem details; it reads and writes nothing.',
      });
    }
  }

  /**
   * Where families' links point, once known (the CloudFront address is made after the API, whose
   * address it needs): set on every function that makes family links.
   */
  useFamilyPage(url: string): void {
    for (const handler of this.familyLinkHandlers) {
      this.functions.get(handler)?.fn.addEnvironment('FAMILY_PAGE_URL', url);
    }
  }
}
