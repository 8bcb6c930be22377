import { CfnWebACL } from 'aws-cdk-lib/aws-wafv2';
import { Construct } from 'constructs';

export interface EdgeWafProps {
  /** Requests to `POST /feedback` one client IP may make in five minutes before WAF blocks it. */
  feedbackRateLimit: number;
}

/** Five minutes: WAF's usual window, long enough that a family re-sending a form is never near it. */
export const FEEDBACK_RATE_WINDOW_SECONDS = 300;

const visibility = (metricName: string): CfnWebACL.VisibilityConfigProperty => ({
  cloudWatchMetricsEnabled: true,
  metricName,
  sampledRequestsEnabled: true,
});

const exactly = (field: CfnWebACL.FieldToMatchProperty, value: string): CfnWebACL.StatementProperty => ({
  byteMatchStatement: {
    fieldToMatch: field,
    positionalConstraint: 'EXACTLY',
    searchString: value,
    textTransformations: [{ priority: 0, type: 'NONE' }],
  },
});

/**
 * The web ACL in front of the CloudFront distribution. An HTTP API has no per-client throttling
 * of its own (only account and route limits), so a rate-based rule per client IP on
 * `POST /feedback` stops one source flooding the intake, beside AWS's managed rule groups for
 * common exploits and known bad inputs. Scope CLOUDFRONT: it must live in us-east-1.
 */
export class EdgeWaf extends Construct {
  readonly webAcl: CfnWebACL;

  constructor(scope: Construct, id: string, props: EdgeWafProps) {
    super(scope, id);
    if (!Number.isInteger(props.feedbackRateLimit) || props.feedbackRateLimit < 10) {
      throw new Error(
        `feedbackRateLimit must be a whole number of at least 10 (WAF's minimum), got ${props.feedbackRateLimit}`,
      );
    }
    const managed = (
      name: string,
      priority: number,
      overrides: CfnWebACL.RuleActionOverrideProperty[] = [],
    ) => ({
      name: `AWS-${name}`,
      priority,
      overrideAction: { none: {} },
      statement: {
        managedRuleGroupStatement: {
          vendorName: 'AWS',
          name,
          ...(overrides.length ? { ruleActionOverrides: overrides } : {}),
        },
      },
      visibilityConfig: visibility(name),
    });
    this.webAcl = new CfnWebACL(this, 'WebAcl', {
      scope: 'CLOUDFRONT',
      defaultAction: { allow: {} },
      description: 'you-said-we-did: Local Offer components and public API',
      visibilityConfig: visibility('YouSaidWeDidEdge'),
      rules: [
        {
          name: 'FeedbackRatePerIp',
          priority: 0,
          // 429 with Retry-After, not WAF's default 403: the form tells the family to wait and
          // press Send again, with what they typed still there.
          action: {
            block: {
              customResponse: {
                responseCode: 429,
                responseHeaders: [{ name: 'retry-after', value: String(FEEDBACK_RATE_WINDOW_SECONDS) }],
              },
            },
          },
          statement: {
            rateBasedStatement: {
              limit: props.feedbackRateLimit,
              evaluationWindowSec: FEEDBACK_RATE_WINDOW_SECONDS,
              aggregateKeyType: 'IP',
              scopeDownStatement: {
                andStatement: {
                  statements: [exactly({ method: {} }, 'POST'), exactly({ uriPath: {} }, '/feedback')],
                },
              },
            },
          },
          visibilityConfig: visibility('FeedbackRatePerIp'),
        },
        // The common rule set blocks bodies over 8 KB; a 5,000-character message in Welsh or
        // with emoji can be larger. Counted, not blocked: the API enforces its own 32 KiB limit.
        managed('AWSManagedRulesCommonRuleSet', 1, [
          { name: 'SizeRestrictions_BODY', actionToUse: { count: {} } },
        ]),
        managed('AWSManagedRulesKnownBadInputsRuleSet', 2),
      ],
    });
  }
}
