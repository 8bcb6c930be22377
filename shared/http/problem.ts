import type { APIGatewayProxyResultV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import {
  DomainError,
  type DomainErrorKind,
  type FieldError,
  TemporarilyUnavailableError,
} from '../domain/errors';
import { isTransient } from '../storage/storage-errors';

/**
 * RFC 9457 problem details. Every refusal the API makes is one of these, rendered in one place
 * (`problemFor`), so status codes, titles and the correlation id are consistent across routes.
 */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance?: string;
  correlationId?: string;
  errors?: FieldError[];
  /** How many failing fields were left out of `errors` (see MAX_LISTED_ERRORS). */
  moreErrors?: number;
}

/**
 * A refusal lists at most this many fields: enough for any form, and a body of thousands of unknown
 * keys gets a small answer (with the count of the rest), not one bigger than itself.
 */
export const MAX_LISTED_ERRORS = 20;

const MAX_PATH_CHARACTERS = 200;

const count = (n: number) => n.toLocaleString('en-GB');

/** The first MAX_LISTED_ERRORS errors, and a detail that says how many there are in all. */
function listed(all: FieldError[], detail: string): Pick<Problem, 'detail' | 'errors' | 'moreErrors'> {
  if (all.length === 0) return { detail };
  // A path echoes the caller's own key names: a 30 KB key is named by its start.
  const errors = all.map((error) =>
    error.path.length > MAX_PATH_CHARACTERS
      ? { ...error, path: `${error.path.slice(0, MAX_PATH_CHARACTERS)}…` }
      : error,
  );
  if (errors.length <= MAX_LISTED_ERRORS) return { detail, errors };
  return {
    detail: `${count(errors.length)} fields need correcting; the first ${MAX_LISTED_ERRORS} are listed.`,
    errors: errors.slice(0, MAX_LISTED_ERRORS),
    moreErrors: errors.length - MAX_LISTED_ERRORS,
  };
}

/**
 * Problem types are relative URI references (RFC 9457 §3.1.1), resolved against the API's own
 * address; docs/api.md lists each one. `about:blank` is used where the status code says it all.
 */
export const problemType = (name: string) => `/problems/${name}`;

export function problemResponse(
  problem: Problem,
  headers: Record<string, string> = {},
): APIGatewayProxyStructuredResultV2 {
  return {
    statusCode: problem.status,
    headers: { 'content-type': 'application/problem+json', 'cache-control': 'no-store', ...headers },
    body: JSON.stringify(problem),
  };
}

/** An error that already knows its HTTP answer (raised by the HTTP layer itself). */
export class HttpProblem extends Error {
  constructor(
    readonly problem: Omit<Problem, 'instance' | 'correlationId'>,
    readonly headers: Record<string, string> = {},
  ) {
    super(problem.detail);
    this.name = 'HttpProblem';
  }
}

const KIND_TO_PROBLEM: Record<DomainErrorKind, { status: number; type: string; title: string }> = {
  invalid: { status: 400, type: 'validation-error', title: 'Your request is not valid' },
  unprocessable: { status: 422, type: 'unprocessable', title: 'Your request cannot be processed' },
  not_found: { status: 404, type: 'not-found', title: 'Not found' },
  conflict: { status: 409, type: 'conflict', title: 'Conflict with the current state' },
  precondition_failed: { status: 412, type: 'precondition-failed', title: 'Precondition failed' },
  precondition_required: { status: 428, type: 'precondition-required', title: 'Precondition required' },
  unavailable: { status: 503, type: 'temporarily-unavailable', title: 'Service temporarily unavailable' },
  calendar_unavailable: {
    status: 503,
    type: 'calendar-unavailable',
    title: 'Deadline calendar unavailable',
  },
};

/** Retry-After (seconds) per 503: storage recovers in moments; the calendar needs a deploy. */
const RETRY_AFTER: Partial<Record<DomainErrorKind, string>> = {
  unavailable: '2',
  calendar_unavailable: '86400',
};

export interface RenderedProblem {
  response: APIGatewayProxyResultV2;
  /** True when the failure is ours, not the caller's: log it with its stack. */
  unexpected: boolean;
}

/** Maps any thrown value to a problem response; unknown errors become a 500 that reveals nothing. */
export function problemFor(
  error: unknown,
  context: { path: string; correlationId: string },
): RenderedProblem {
  const base = { instance: context.path, correlationId: context.correlationId };
  // A dependency's timeout, throttle or network failure that no repository translated (or middy's
  // own timeout just before Lambda's): the caller may retry, so 503, never a 500.
  if (isTransient(error)) return problemFor(new TemporarilyUnavailableError(error), context);
  if (error instanceof HttpProblem) {
    return { response: problemResponse({ ...error.problem, ...base }, error.headers), unexpected: false };
  }
  if (error instanceof DomainError) {
    const mapped = KIND_TO_PROBLEM[error.kind];
    const retryAfter = RETRY_AFTER[error.kind];
    const headers: Record<string, string> = retryAfter ? { 'retry-after': retryAfter } : {};
    return {
      response: problemResponse(
        {
          // A domain error may name a more specific type than its kind's (e.g. idempotency-key-reused).
          type: problemType((error as { problemType?: string }).problemType ?? mapped.type),
          title: mapped.title,
          status: mapped.status,
          ...base,
          ...listed(error.errors, error.message),
        },
        headers,
      ),
      // The calendar running out is our fault and needs someone: logged as an error, with its stack.
      unexpected: error.kind === 'calendar_unavailable',
    };
  }
  return {
    response: problemResponse({
      type: problemType('internal-error'),
      title: 'Something went wrong on our side',
      status: 500,
      detail: `Please try again later. If it keeps happening, quote reference ${context.correlationId}.`,
      ...base,
    }),
    unexpected: true,
  };
}
