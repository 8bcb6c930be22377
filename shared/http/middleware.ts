import type { MiddlewareObj, Request } from '@middy/core';
import httpJsonBodyParser from '@middy/http-json-body-parser';
import httpSecurityHeaders from '@middy/http-security-headers';
import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2 } from 'aws-lambda';
import type { OfficerGroup } from '../auth/auth-config';
import { type Actor, hasGroup, officerOf } from '../auth/officer';
import { logger, logLambdaContext } from '../observability/logger';
import { configuredOriginCors } from './cors-middleware';
import { forbiddenFieldNamesRefused, forbiddenFieldsRefusal } from './field-names';
import { ValidationError } from './parse';
import { HttpProblem, problemFor, problemType } from './problem';

type HttpRequest = Request<APIGatewayProxyEventV2, APIGatewayProxyResultV2>;

/** Far below API Gateway's 10 MB: a feedback form never needs more, and big bodies cost money. */
export const MAX_BODY_BYTES = 32 * 1024;

export const correlationIdOf = (event: APIGatewayProxyEventV2) =>
  event.requestContext?.requestId ?? 'unknown';

function bodyBytes(event: APIGatewayProxyEventV2): number {
  if (!event.body) return 0;
  return event.isBase64Encoded ? Buffer.from(event.body, 'base64').byteLength : Buffer.byteLength(event.body);
}

/** Refuses oversized bodies before anything parses them. */
const bodySizeLimit = (maxBytes: number): MiddlewareObj<APIGatewayProxyEventV2, APIGatewayProxyResultV2> => ({
  before: (request) => {
    if (bodyBytes(request.event) > maxBytes) {
      throw new HttpProblem({
        type: problemType('payload-too-large'),
        title: 'Request body too large',
        status: 413,
        detail: `The request body must be ${maxBytes / 1024} KiB or smaller.`,
      });
    }
  },
});

/**
 * middy 7's JSON parser answers 415 to a body that is not JSON and 422 to malformed JSON or to a
 * forbidden key (`__proto__`, `constructor` holding `prototype`); the API promises 400 for both,
 * so translate it here, where the parser is used: a forbidden key is named as the field it is
 * (shared/http/field-names.ts), not called malformed JSON.
 */
const malformedJsonAs400: MiddlewareObj<APIGatewayProxyEventV2, APIGatewayProxyResultV2> = {
  onError: (request) => {
    const error = request.error as (Error & { statusCode?: number; cause?: { package?: string } }) | null;
    if (error?.cause?.package !== '@middy/http-json-body-parser') return;
    if (error.statusCode === 422) {
      request.error =
        forbiddenFieldsRefusal(request.event) ??
        new HttpProblem({
          type: problemType('malformed-json'),
          title: 'Malformed JSON',
          status: 400,
          detail: 'The request body is not valid JSON.',
        });
    } else if (error.statusCode === 415) {
      request.error = new HttpProblem({
        type: problemType('unsupported-media-type'),
        title: 'Unsupported media type',
        status: 415,
        detail: 'Send the request body as JSON, with content-type: application/json.',
      });
    }
  },
};

/** Renders every error as problem+json and logs it with the correlation id; never the body. */
const problemDetails: MiddlewareObj<APIGatewayProxyEventV2, APIGatewayProxyResultV2> = {
  onError: (request: HttpRequest) => {
    const correlationId = correlationIdOf(request.event);
    const { response, unexpected } = problemFor(request.error, {
      path: request.event.rawPath,
      correlationId,
    });
    if (unexpected) {
      logger.error('Unexpected failure', { error: request.error as Error });
    } else {
      const status = typeof response === 'object' ? response.statusCode : undefined;
      logger.info('Request refused', { status });
    }
    request.response = response;
  },
};

/**
 * The API Gateway request id is the correlation id: it is on every log line (set directly, which
 * spares each bundle Powertools' JMESPath search) and echoed to the caller, who can quote it.
 */
const correlation: MiddlewareObj<APIGatewayProxyEventV2, APIGatewayProxyResultV2> = {
  before: (request) => {
    logger.setCorrelationId(correlationIdOf(request.event));
  },
  after: (request) => addHeader(request, 'x-correlation-id', correlationIdOf(request.event)),
  onError: (request) => addHeader(request, 'x-correlation-id', correlationIdOf(request.event)),
};

function addHeader(request: HttpRequest, name: string, value: string) {
  const response = request.response;
  if (response && typeof response === 'object' && 'statusCode' in response) {
    response.headers = { ...response.headers, [name]: value };
  }
}

/** Header sets meant for browsers rendering HTML are left out: this API only speaks JSON. */
const JSON_API_SECURITY_HEADERS = {
  poweredBy: false,
  downloadOptions: false,
  // Supported at runtime, missing from middy's typings.
  reportingEndpoints: false,
} as Parameters<typeof httpSecurityHeaders>[0];

export interface HttpApiOptions {
  /** Parse a JSON body (only for routes that take one: the parser refuses an empty body). */
  jsonBody?: boolean;
}

/**
 * The HTTP policy of every route, as one chain. Order matters: middy runs `before` hooks top-down
 * and `onError`/`after` bottom-up, so the header-adding middlewares sit above `problemDetails`
 * and decorate the problem it renders, and `malformedJsonAs400` sits below it to translate the
 * parser's error before it is rendered.
 */
export function httpApi(
  options: HttpApiOptions = {},
): MiddlewareObj<APIGatewayProxyEventV2, APIGatewayProxyResultV2>[] {
  const chain: MiddlewareObj<APIGatewayProxyEventV2, APIGatewayProxyResultV2>[] = [
    logLambdaContext(logger) as MiddlewareObj<APIGatewayProxyEventV2, APIGatewayProxyResultV2>,
    httpSecurityHeaders(JSON_API_SECURITY_HEADERS) as MiddlewareObj<
      APIGatewayProxyEventV2,
      APIGatewayProxyResultV2
    >,
    // Above problemDetails, so the problem it renders carries CORS headers too.
    configuredOriginCors,
    correlation,
    problemDetails,
    bodySizeLimit(MAX_BODY_BYTES),
  ];
  if (options.jsonBody) chain.push(...jsonBodyChain());
  return chain;
}

/** Media types are case-insensitive (RFC 9110); middy's parser matches lower case only. */
const lowerCaseContentType: MiddlewareObj<APIGatewayProxyEventV2, APIGatewayProxyResultV2> = {
  before: (request) => {
    const type = request.event.headers?.['content-type'];
    if (type) request.event.headers['content-type'] = type.toLowerCase();
  },
};

/** Paths of strings holding a lone UTF-16 surrogate: JSON can carry one, DynamoDB cannot store it. */
function malformedText(value: unknown, path: string[] = []): string[] {
  if (typeof value === 'string') return value.isWellFormed() ? [] : [path.join('.')];
  if (Array.isArray(value))
    return value.flatMap((item, index) => malformedText(item, [...path, String(index)]));
  if (value && typeof value === 'object') {
    return Object.entries(value).flatMap(([key, item]) => malformedText(item, [...path, key]));
  }
  return [];
}

/** Refuses text that is not well-formed Unicode as bad input (400), before storage would fail on it (500). */
const wellFormedText: MiddlewareObj<APIGatewayProxyEventV2, APIGatewayProxyResultV2> = {
  before: (request) => {
    const paths = malformedText(request.event.body);
    if (paths.length) {
      throw new ValidationError(
        paths.map((path) => ({ path, message: 'Contains a broken character (an unpaired surrogate)' })),
      );
    }
  },
};

/** No request body of this API nests deeper than 4; 32 leaves room and keeps every walk shallow. */
export const MAX_JSON_DEPTH = 32;

/**
 * How deep a JSON text nests, read in one pass over its characters (brackets inside strings do not
 * count), stopping as soon as it passes `limit`. Cheap enough to run before JSON.parse, so nothing
 * recursive ever sees a body nested 2,000 deep.
 */
export function jsonDepthExceeds(text: string, limit: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const char = text.charCodeAt(i);
    if (inString) {
      if (char === 0x5c)
        i++; // backslash: skip the escaped character
      else if (char === 0x22) inString = false;
    } else if (char === 0x22) inString = true;
    else if (char === 0x5b || char === 0x7b) {
      if (++depth > limit) return true;
    } else if (char === 0x5d || char === 0x7d) depth--;
  }
  return false;
}

const nestingLimit: MiddlewareObj<APIGatewayProxyEventV2, APIGatewayProxyResultV2> = {
  before: (request) => {
    const { body, isBase64Encoded } = request.event;
    if (!body) return;
    const text = isBase64Encoded ? Buffer.from(body, 'base64').toString('utf8') : body;
    if (jsonDepthExceeds(text, MAX_JSON_DEPTH)) {
      throw new ValidationError([
        { path: '', message: `The body nests more than ${MAX_JSON_DEPTH} levels deep` },
      ]);
    }
  },
};

function jsonBodyChain(): MiddlewareObj<APIGatewayProxyEventV2, APIGatewayProxyResultV2>[] {
  return [
    malformedJsonAs400,
    nestingLimit,
    lowerCaseContentType,
    httpJsonBodyParser() as MiddlewareObj<APIGatewayProxyEventV2, APIGatewayProxyResultV2>,
    forbiddenFieldNamesRefused,
    wellFormedText,
  ];
}

export const unauthenticated = () =>
  new HttpProblem(
    {
      type: problemType('unauthenticated'),
      title: 'Sign in required',
      status: 401,
      detail: 'Send a valid, unexpired officer access token: Authorization: Bearer <token>.',
    },
    { 'www-authenticate': 'Bearer' },
  );

/**
 * Officer routes: API Gateway's JWT authorizer (or the local server) has verified the token; this
 * checks, again and in the handler, that the claims are there and carry the group the route needs.
 */
const authorize = (group: OfficerGroup): MiddlewareObj<APIGatewayProxyEventV2, APIGatewayProxyResultV2> => ({
  before: (request) => {
    const officer = officerOf(request.event);
    if (!officer) throw unauthenticated();
    if (!hasGroup(officer, group)) {
      throw new HttpProblem({
        type: problemType('forbidden'),
        title: 'Not allowed',
        status: 403,
        detail: `This needs the '${group}' group.`,
      });
    }
  },
});

/** The HTTP chain of an officer route: the public chain plus a group check before any parsing. */
export function officerApi(
  group: OfficerGroup,
  options: HttpApiOptions = {},
): MiddlewareObj<APIGatewayProxyEventV2, APIGatewayProxyResultV2>[] {
  const chain = httpApi();
  chain.push(authorize(group));
  if (options.jsonBody) chain.push(...jsonBodyChain());
  return chain;
}

/** Who is acting, as history records them; officer routes only (their chain has refused anyone else). */
export function actorOf(event: APIGatewayProxyEventV2): Actor {
  const officer = officerOf(event);
  if (!officer) throw unauthenticated();
  return { sub: officer.sub, name: officer.name };
}
