import { Duration } from 'aws-cdk-lib';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Architecture, LoggingFormat, Runtime } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { BUNDLE_ALIASES, BUNDLE_BANNER, BUNDLE_OPTIONS, RUNTIME_PROVIDED_MODULES } from '../bundling';
import { FUNCTION_MEMORY_MB, FUNCTION_TIMEOUT_SECONDS, SERVICE_NAME } from '../function-defaults';

export interface ServiceFunctionProps {
  /** Entry point: functions/<name>/handler.ts. */
  entry: string;
  environment?: Record<string, string>;
  /** Everything the function may do beyond writing its own logs. */
  statements?: PolicyStatement[];
  description?: string;
  /** Longer than the API's default only for work that is not a request (the overdue sweep). */
  timeout?: Duration;
}

/**
 * A Lambda with the team's defaults: the newest Node.js runtime, arm64, bundled locally with esbuild
 * (SDK included, minified ESM), JSON logs kept three months, and a role of its own that can write
 * only to its own log group plus what `statements` grants.
 */
export class ServiceFunction extends Construct {
  readonly fn: NodejsFunction;

  constructor(scope: Construct, id: string, props: ServiceFunctionProps) {
    super(scope, id);
    const logGroup = new LogGroup(this, 'Logs', { retention: RetentionDays.THREE_MONTHS });
    const role = new Role(this, 'Role', { assumedBy: new ServicePrincipal('lambda.amazonaws.com') });
    // Our own statement instead of the AWSLambdaBasicExecutionRole managed policy, which may write
    // to any log group in the account.
    role.addToPolicy(
      new PolicyStatement({
        actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        resources: [logGroup.logGroupArn],
      }),
    );
    for (const statement of props.statements ?? []) role.addToPolicy(statement);

    this.fn = new NodejsFunction(this, 'Function', {
      entry: props.entry,
      handler: 'handler',
      runtime: Runtime.NODEJS_24_X,
      architecture: Architecture.ARM_64,
      memorySize: FUNCTION_MEMORY_MB,
      timeout: props.timeout ?? Duration.seconds(FUNCTION_TIMEOUT_SECONDS),
      role,
      logGroup,
      // Platform lines (START, REPORT) as JSON too, like Powertools' own lines.
      loggingFormat: LoggingFormat.JSON,
      description: props.description,
      environment: {
        POWERTOOLS_SERVICE_NAME: SERVICE_NAME,
        POWERTOOLS_METRICS_NAMESPACE: 'YouSaidWeDid',
        ...props.environment,
      },
      bundling: {
        format: OutputFormat.ESM,
        minify: BUNDLE_OPTIONS.minify,
        mainFields: [...BUNDLE_OPTIONS.mainFields],
        banner: BUNDLE_BANNER,
        // Bundle the SDK too (see infra/bundling.ts), all but what only a cold path needs.
        externalModules: [...RUNTIME_PROVIDED_MODULES],
        sourceMap: false,
        esbuildArgs: Object.fromEntries(
          Object.entries(BUNDLE_ALIASES).map(([name, path]) => [`--alias:${name}`, path]),
        ),
        forceDockerBundling: false,
      },
    });
  }
}
