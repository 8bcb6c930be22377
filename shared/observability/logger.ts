import type { MiddlewareObj } from '@middy/core';
import type { Context } from 'aws-lambda';

/**
 * One logger for every function: JSON lines in the shape Powertools Logger writes (level, message,
 * timestamp, service, cold_start, function_*, correlation_id, then the line's own keys; errors as
 * name, location, message, stack), so CloudWatch queries and alarms read them the same way.
 *
 * Why not Powertools Logger itself: it opens `process.stdout` and `process.stderr` (a Console) when
 * it is constructed, which is most of its cold-start cost (about 5 ms of CPU per function here, see
 * docs/developers.md, "Speed and cost"); this one touches them only when it writes a line, and a request that
 * succeeds writes none.
 *
 * It never receives a request body or a family's contact details: log field names and ids, not
 * values people typed.
 */
export type LogLevel = 'DEBUG' | 'INFO' | 'WARN' | 'ERROR' | 'CRITICAL' | 'SILENT';
const THRESHOLD: Record<LogLevel, number> = {
  DEBUG: 8,
  INFO: 12,
  WARN: 16,
  ERROR: 20,
  CRITICAL: 24,
  SILENT: 28,
};

type Attributes = Record<string, unknown>;
/** What may follow the message: attributes to add, or an error (logged under `error`). */
type Extra = Attributes | Error | undefined;

function levelFrom(value: string | undefined): LogLevel | undefined {
  const upper = value?.toUpperCase();
  return upper && upper in THRESHOLD ? (upper as LogLevel) : undefined;
}

/** `file:line` of the first stack frame that names one, as Powertools reports it. */
function codeLocation(stack: string | undefined): string {
  for (const line of stack?.split('\n') ?? []) {
    const match = /\(([^()]*?):(\d+?):(\d+?)\)\\?$/.exec(line);
    if (match) return `${match[1]}:${Number(match[2])}`;
  }
  return '';
}

export function formatError(error: Error): Attributes {
  const { name, message, stack, cause, ...attributes } = error as Error & Attributes;
  return {
    name,
    location: codeLocation(stack),
    message,
    stack,
    cause: cause instanceof Error ? formatError(cause) : cause,
    ...attributes,
  };
}

/** Errors anywhere in a line's attributes are written as their parts (JSON would drop them to `{}`). */
const replacer = (_key: string, value: unknown) => (value instanceof Error ? formatError(value) : value);

export interface LoggerOptions {
  serviceName: string;
  /** Defaults to POWERTOOLS_LOG_LEVEL, then Lambda's AWS_LAMBDA_LOG_LEVEL, then INFO. */
  logLevel?: LogLevel;
  /** Where lines go; standard output and standard error unless a test says otherwise. */
  write?: (line: string, level: LogLevel) => void;
}

const writeToProcess = (line: string, level: LogLevel) =>
  (THRESHOLD[level] >= THRESHOLD.WARN ? process.stderr : process.stdout).write(line);

export class Logger {
  readonly #service: string;
  readonly #threshold: number;
  readonly #write: (line: string, level: LogLevel) => void;
  /** Provisioned concurrency initialises ahead of any request: no request of it is a cold start. */
  #nextIsCold = process.env.AWS_LAMBDA_INITIALIZATION_TYPE !== 'provisioned-concurrency';
  #invocation: Attributes = {};
  #keys: Attributes = {};

  constructor(options: LoggerOptions) {
    this.#service = options.serviceName;
    const level =
      options.logLevel ??
      levelFrom(process.env.POWERTOOLS_LOG_LEVEL) ??
      levelFrom(process.env.AWS_LAMBDA_LOG_LEVEL) ??
      'INFO';
    this.#threshold = THRESHOLD[level];
    this.#write = options.write ?? writeToProcess;
  }

  debug(message: string, ...extras: Extra[]) {
    this.#log('DEBUG', message, extras);
  }
  info(message: string, ...extras: Extra[]) {
    this.#log('INFO', message, extras);
  }
  warn(message: string, ...extras: Extra[]) {
    this.#log('WARN', message, extras);
  }
  error(message: string, ...extras: Extra[]) {
    this.#log('ERROR', message, extras);
  }
  critical(message: string, ...extras: Extra[]) {
    this.#log('CRITICAL', message, extras);
  }

  /** The Lambda invocation every following line belongs to (the middleware below calls it). */
  addContext(context: Pick<Context, 'functionName' | 'awsRequestId'> & Partial<Context>) {
    this.#invocation = {
      cold_start: this.#nextIsCold,
      function_arn: context.invokedFunctionArn,
      function_memory_size:
        context.memoryLimitInMB === undefined ? undefined : Number(context.memoryLimitInMB),
      function_name: context.functionName,
      function_request_id: context.awsRequestId,
      sampling_rate: 0,
    };
    this.#nextIsCold = false;
  }

  setCorrelationId(correlationId: string) {
    this.#keys.correlation_id = correlationId;
  }

  /** Keys on every following line of this invocation. */
  appendKeys(attributes: Attributes) {
    Object.assign(this.#keys, attributes);
  }

  /** Forgets the invocation's keys and context: nothing of one request reaches the next one's lines. */
  resetKeys() {
    this.#keys = {};
    this.#invocation = {};
  }

  #log(level: LogLevel, message: string, extras: Extra[]) {
    if (THRESHOLD[level] < this.#threshold) return;
    const line: Attributes = {
      level,
      message,
      timestamp: new Date().toISOString(),
      service: this.#service,
      ...this.#invocation,
      xray_trace_id: process.env._X_AMZN_TRACE_ID?.split(';')[0]?.replace('Root=', '') || undefined,
      ...this.#keys,
    };
    for (const extra of extras) {
      if (extra instanceof Error) line.error = extra;
      else if (extra) Object.assign(line, extra);
    }
    this.#write(`${JSON.stringify(line, replacer)}\n`, level);
  }
}

/**
 * Middy middleware: each invocation's lines carry its Lambda context, and start without the keys
 * of the one before (what Powertools' `injectLambdaContext(logger, { resetKeys: true })` did).
 */
export const logLambdaContext = (target: Logger): MiddlewareObj => ({
  before: (request) => {
    target.resetKeys();
    target.addContext(request.context);
  },
});

export const logger = new Logger({ serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'you-said-we-did' });
