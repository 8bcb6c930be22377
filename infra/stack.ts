import { Annotations, CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import type { FamilyTemplates } from '../shared/domain/family-messages';
import {
  DEFAULT_RETENTION_PERIODS,
  formatRetentionPeriods,
  type RetentionPeriods,
} from '../shared/retention/retention-periods';
import { Alerts, type TeamAddresses } from './constructs/alerts';
import { CursorSigningKey } from './constructs/cursor-signing-key';
import { Data } from './constructs/data';
import { DomainEvents } from './constructs/domain-events';
import { Edge } from './constructs/edge';
import { FamilyLinkKey } from './constructs/family-link-key';
import { Api } from './constructs/http-api';
import { NotifyApiKey } from './constructs/notify-api-key';
import { OfficerAuth } from './constructs/officer-auth';
import { Retention } from './constructs/retention';
import { SubjectLookupKey } from './constructs/subject-lookup-key';

export interface YouSaidWeDidStackProps extends StackProps {
  allowedOrigins: string[];
  officerCallbackUrls: string[];
  cognitoDomainPrefix?: string;
  /** Overdue alerts: team → addresses (context `alertEmails`). */
  alertTeams?: Record<string, TeamAddresses>;
  /** Minutes between overdue sweeps (context `alertSweepMinutes`, default 15). */
  alertSweepMinutes?: number;
  /** The officer app's base URL for alert links (context `officerAppUrl`; default: the console, else the API's officer routes). */
  officerAppUrl?: string;
  /** The console's public origin if not the distribution's own (context `consoleOrigin`, e.g. a council's domain). */
  consoleOrigin?: string;
  /** Public feed settings as environment variables (infra/feed-environment.ts). */
  feedEnvironment?: Record<string, string>;
  /** The CloudFront web ACL (us-east-1); with it, the Local Offer edge (CloudFront, S3) is built. */
  webAclArn?: string;
  /**
   * The family page families' links open (context `familyPageUrl`), e.g. a council's own copy of
   * family/escalate.html; default: the edge's /family/escalate.html.
   */
  familyPageUrl?: string;
  /** How long closed feedback keeps its personal data, per kind (context `retentionPeriods`). */
  retentionPeriods?: RetentionPeriods;
  /** The family stop page (context `familyStopPageUrl`); default: beside the escalation page. */
  familyStopPageUrl?: string;
  /** GOV.UK Notify template ids for families' messages (context `notifyTemplates`). */
  notifyTemplates?: Partial<FamilyTemplates>;
}

/** Wires the parts together; each construct carries its own defaults. */
export class YouSaidWeDidStack extends Stack {
  constructor(scope: Construct, id: string, props: YouSaidWeDidStackProps) {
    super(scope, id, props);
    const data = new Data(this, 'Data');
    const retentionPeriods = props.retentionPeriods ?? DEFAULT_RETENTION_PERIODS;
    const auth = new OfficerAuth(this, 'OfficerAuth', {
      callbackUrls: props.officerCallbackUrls,
      ...(props.cognitoDomainPrefix ? { domainPrefix: props.cognitoDomainPrefix } : {}),
    });
    const familyLinkKey = new FamilyLinkKey(this, 'FamilyLinkKey');
    const api = new Api(this, 'Api', {
      table: data.table,
      cursorSigningKey: new CursorSigningKey(this, 'CursorSigningKey'),
      familyLinkKey,
      subjectLookupKey: new SubjectLookupKey(this, 'SubjectLookupKey'),
      retentionPeriods: formatRetentionPeriods(retentionPeriods),
      ...(props.familyPageUrl ? { familyPageUrl: props.familyPageUrl } : {}),
      allowedOrigins: props.allowedOrigins,
      officerAuthorizer: auth.authorizer,
      ...(props.feedEnvironment ? { feedEnvironment: props.feedEnvironment } : {}),
    });
    // The Local Offer edge and, with a hosted sign-in domain, the officer console behind it.
    const edge = props.webAclArn
      ? new Edge(this, 'Edge', {
          httpApi: api.httpApi,
          webAclArn: props.webAclArn,
          ...(auth.signInOrigin
            ? {
                console: {
                  signInOrigin: auth.signInOrigin,
                  clientId: auth.client.userPoolClientId,
                  scope: auth.consoleScope,
                  ...(props.consoleOrigin ? { origin: props.consoleOrigin } : {}),
                },
              }
            : {}),
        })
      : undefined;
    if (edge?.consoleOrigin) auth.allowConsoleAt(edge.consoleOrigin);
    if (edge && !edge.consoleOrigin) {
      Annotations.of(this).addWarningV2(
        'you-said-we-did:console-sign-in',
        'No officer console is deployed: it signs in through the Cognito hosted sign-in, which needs a domain. Set -c cognitoDomainPrefix=<unique prefix>.',
      );
    }
    const alerts = new Alerts(this, 'Alerts', {
      table: data.table,
      teams: props.alertTeams ?? {},
      ...(props.alertSweepMinutes ? { sweepRateMinutes: props.alertSweepMinutes } : {}),
      // Alert links open the item in the console (`<url>/feedback/<id>`).
      officerAppUrl:
        props.officerAppUrl ??
        (edge?.consoleOrigin ? `${edge.consoleOrigin}/console` : `${api.httpApi.apiEndpoint}/officer`),
    });
    const notifyApiKey = new NotifyApiKey(this, 'NotifyApiKey');
    const domainEvents = new DomainEvents(this, 'DomainEvents', {
      table: data.table,
      notifyApiKey,
      familyLinkKey,
      ...(props.notifyTemplates ? { notifyTemplates: props.notifyTemplates } : {}),
      ...(props.feedEnvironment ? { feedEnvironment: props.feedEnvironment } : {}),
      ...(props.familyPageUrl ? { familyPageUrl: props.familyPageUrl } : {}),
      ...(props.familyStopPageUrl ? { familyStopPageUrl: props.familyStopPageUrl } : {}),
    });
    new CfnOutput(this, 'NotifyApiKeySecretArn', {
      description: 'Put the GOV.UK Notify API key for families’ messages here (docs/operators.md)',
      value: notifyApiKey.secret.secretArn,
    });
    new Retention(this, 'Retention', { table: data.table, periods: retentionPeriods });
    new CfnOutput(this, 'AlertTopicArn', { value: alerts.topic.topicArn });
    new CfnOutput(this, 'DomainEventBusName', {
      description: 'The EventBridge bus a council subscribes to domain events on (asyncapi.json)',
      value: domainEvents.bus.eventBusName,
    });
    new CfnOutput(this, 'ProjectorDeadLetterQueueUrl', { value: domainEvents.deadLetters.queueUrl });
    new CfnOutput(this, 'UserPoolId', { value: auth.userPool.userPoolId });
    new CfnOutput(this, 'OfficerAppClientId', { value: auth.client.userPoolClientId });
    new CfnOutput(this, 'ApiUrl', { value: api.httpApi.apiEndpoint });
    new CfnOutput(this, 'TableName', { value: data.table.tableName });
    if (edge) {
      if (!props.familyPageUrl) {
        const page = `https://${edge.distribution.distributionDomainName}/family/escalate.html`;
        api.useFamilyPage(page);
        domainEvents.useFamilyPage(page);
      }
      new CfnOutput(this, 'LocalOfferUrl', {
        description:
          'One address for the Local Offer: /embed/feedback-form.js, /embed/feed.js, /embed/scorecard.js, the family pages (/family/) and the API',
        value: `https://${edge.distribution.distributionDomainName}`,
      });
    }
    if (edge?.consoleOrigin) {
      new CfnOutput(this, 'OfficerConsoleUrl', {
        description: 'The officer console: officers sign in here',
        value: `${edge.consoleOrigin}/console`,
      });
    }
  }
}
