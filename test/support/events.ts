import { randomUUID } from 'node:crypto';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { lambdaContext } from '../../infra/local/lambda-event';
import { systemClock } from '../../shared/domain/clock';

export interface RequestSpec {
  method?: string;
  path?: string;
  /** An object is sent as JSON; a string is sent as it is. */
  body?: unknown;
  headers?: Record<string, string>;
  pathParameters?: Record<string, string>;
  query?: Record<string, string>;
  /** Verified JWT claims, as API Gateway's authorizer passes them on (strings; arrays as "[a b]"). */
  claims?: Record<string, string>;
}

/** Claims of a signed-in officer, in the form API Gateway hands them to Lambda. */
export function officerClaims(
  role: 'officer' | 'admin' | 'none',
  name = role === 'admin' ? 'Alex Admin' : 'Sam Officer',
) {
  return {
    sub: `sub-${name.toLowerCase().replace(/\W+/g, '-')}`,
    username: name,
    'cognito:groups': role === 'none' ? '[]' : `[${role}]`,
    scope: 'you-said-we-did/officer',
    token_use: 'access',
  };
}

/** An API Gateway HTTP API (payload 2.0) event, as Lambda receives it. */
export function apiEvent({
  method = 'GET',
  path = '/',
  body,
  headers = {},
  pathParameters,
  query,
  claims,
}: RequestSpec): APIGatewayProxyEventV2 {
  const text = body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body);
  const requestId = randomUUID();
  return {
    version: '2.0',
    routeKey: `${method} ${path}`,
    rawPath: path,
    rawQueryString: '',
    headers: {
      ...(text !== undefined && typeof body !== 'string' ? { 'content-type': 'application/json' } : {}),
      ...headers,
    },
    requestContext: {
      accountId: 'test',
      apiId: 'test',
      domainName: 'test',
      domainPrefix: 'test',
      http: { method, path, protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 'vitest' },
      requestId,
      routeKey: `${method} ${path}`,
      stage: '$default',
      // The platform's request time, on the run's test clock (test/support/test-env.ts starts it).
      time: systemClock().toUTCString(),
      timeEpoch: systemClock().getTime(),
      ...(claims ? { authorizer: { jwt: { claims, scopes: String(claims.scope ?? '').split(' ') } } } : {}),
    },
    ...(pathParameters ? { pathParameters } : {}),
    ...(query ? { queryStringParameters: query, rawQueryString: new URLSearchParams(query).toString() } : {}),
    ...(text === undefined ? {} : { body: text }),
    isBase64Encoded: false,
  };
}

export const testContext = (): Context => lambdaContext('test-function', randomUUID());

type AnyHandler = (event: APIGatewayProxyEventV2, context: Context) => Promise<unknown>;

export interface TestResponse {
  status: number;
  headers: Record<string, string>;
  body: Record<string, unknown>;
  correlationId: string;
}

/** Invokes a handler as Lambda would and returns what API Gateway would send back. */
export async function invoke(handler: AnyHandler, spec: RequestSpec): Promise<TestResponse> {
  const event = apiEvent(spec);
  const result = JSON.parse(
    JSON.stringify(await handler(event, testContext())),
  ) as APIGatewayProxyStructuredResultV2;
  const headers = Object.fromEntries(
    Object.entries(result.headers ?? {}).map(([k, v]) => [k.toLowerCase(), String(v)]),
  );
  return {
    status: result.statusCode ?? 200,
    headers,
    body: result.body ? JSON.parse(result.body) : {},
    correlationId: event.requestContext.requestId,
  };
}
