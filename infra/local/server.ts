import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { APIGatewayProxyResultV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { OFFICER_SCOPE } from '../../shared/auth/auth-config';
import {
  CORS_ALLOWED_HEADERS,
  CORS_ALLOWED_METHODS,
  CORS_EXPOSED_HEADERS,
  CORS_MAX_AGE_SECONDS,
  preflightHeaders,
} from '../../shared/http/cors';
import { problemResponse, problemType } from '../../shared/http/problem';
import { FALLBACK_HANDLER, type HandlerName, matchRoute } from '../../shared/http/routes';
import { claimsAsApiGatewayGivesThem, type DevKeys, verifyDevToken } from './dev-auth';
import { HANDLER_MODULES } from './handler-modules';
import { lambdaContext, toApiGatewayEvent } from './lambda-event';
import { LOCAL_SIGN_IN_PATH, type LocalSignIn } from './local-sign-in';
import { type LocalSite, serveSite } from './static-site';

/** API Gateway's own limit on a request body; the handlers enforce their much smaller one. */
const API_GATEWAY_MAX_BODY_BYTES = 10 * 1024 * 1024;

export interface LocalServerOptions {
  /** Keys that verify officer tokens (infra/local/dev-auth.ts); without them officer routes answer 401. */
  devKeys?: DevKeys;
  /** Origins allowed to call from a browser (CDK context `allowedOrigins` in AWS). */
  allowedOrigins?: string[];
  /** One line per request (method, path, status, time); off in tests. */
  log?: (line: string) => void;
  /** The sample Local Offer page at `/` and the components at `/embed/*` (`npm start` serves them). */
  site?: LocalSite;
  /** The LOCAL-ONLY stand-in for Cognito's sign-in (infra/local/local-sign-in.ts), for the console. */
  signIn?: LocalSignIn;
}

class BodyTooLargeError extends Error {}

async function readBody(request: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > API_GATEWAY_MAX_BODY_BYTES) throw new BodyTooLargeError();
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

function normalise(returned: APIGatewayProxyResultV2): APIGatewayProxyStructuredResultV2 {
  // Lambda serialises what a handler returns, so undefined header values vanish there too.
  const result = JSON.parse(JSON.stringify(returned ?? null)) as APIGatewayProxyResultV2;
  // API Gateway's rule for payload 2.0: a result without statusCode is a 200 JSON body.
  if (typeof result === 'object' && result !== null && 'statusCode' in result) return result;
  return {
    statusCode: 200,
    headers: { 'content-type': 'application/json' },
    body: typeof result === 'string' ? result : JSON.stringify(result),
  };
}

function corsHeaders(origin: string | undefined, allowed: string[]): Record<string, string> {
  if (!origin || !(allowed.includes(origin) || allowed.includes('*'))) return {};
  return {
    'access-control-allow-origin': allowed.includes('*') ? '*' : origin,
    'access-control-expose-headers': CORS_EXPOSED_HEADERS.join(','),
    vary: 'origin',
  };
}

function send(
  response: ServerResponse,
  result: APIGatewayProxyStructuredResultV2,
  extraHeaders: Record<string, string>,
) {
  const headers: Record<string, string | string[]> = { ...extraHeaders };
  for (const [name, value] of Object.entries(result.headers ?? {}))
    headers[name.toLowerCase()] = String(value);
  if (result.cookies?.length) headers['set-cookie'] = result.cookies;
  const body =
    result.body === undefined ? '' : Buffer.from(result.body, result.isBase64Encoded ? 'base64' : 'utf8');
  response.writeHead(result.statusCode ?? 200, headers);
  response.end(body);
}

/** API Gateway answers these itself, in plain JSON; locally they are problem details, like the rest. */
function authProblem(
  status: 401 | 403,
  path: string,
  correlationId: string,
): APIGatewayProxyStructuredResultV2 {
  return problemResponse(
    {
      type: problemType(status === 401 ? 'unauthenticated' : 'forbidden'),
      title: status === 401 ? 'Sign in required' : 'Not allowed',
      status,
      detail:
        status === 401
          ? 'Send a valid, unexpired officer access token: Authorization: Bearer <token>.'
          : 'This token does not carry the officer scope.',
      instance: path,
      correlationId,
    },
    { 'x-correlation-id': correlationId, ...(status === 401 ? { 'www-authenticate': 'Bearer' } : {}) },
  );
}

/**
 * The local stand-in for API Gateway: matches the request against the shared route table, builds
 * the payload-2.0 event, and invokes the same handler module Lambda runs.
 */
export function createLocalServer(options: LocalServerOptions = {}): Server {
  const allowedOrigins = options.allowedOrigins ?? [];
  return createServer(async (request, response) => {
    const started = performance.now();
    const method = request.method ?? 'GET';
    const path = new URL(request.url ?? '/', 'http://localhost').pathname;
    const cors = corsHeaders(request.headers.origin, allowedOrigins);
    let status = 500;
    try {
      if (options.site && serveSite(options.site, method, path, response)) {
        status = 200;
        return;
      }
      if (method === 'OPTIONS' && request.headers['access-control-request-method']) {
        status = 204;
        // The public feeds may be fetched from any page (shared/http/cors.ts `preflightHeaders`).
        const publicGet = matchRoute('GET', path)?.route.access === 'public';
        response.writeHead(204, {
          ...(publicGet
            ? (preflightHeaders(request.headers.origin, allowedOrigins, true) ?? {})
            : {
                ...cors,
                ...(Object.keys(cors).length
                  ? {
                      'access-control-allow-methods': CORS_ALLOWED_METHODS.join(','),
                      'access-control-allow-headers': CORS_ALLOWED_HEADERS.join(','),
                      'access-control-max-age': String(CORS_MAX_AGE_SECONDS),
                    }
                  : {}),
              }),
        });
        response.end();
        return;
      }
      let body: Buffer;
      try {
        body = await readBody(request);
      } catch (error) {
        if (!(error instanceof BodyTooLargeError)) throw error;
        status = 413;
        send(
          response,
          { statusCode: 413, body: JSON.stringify({ message: 'Request Entity Too Large' }) },
          cors,
        );
        return;
      }
      if (options.signIn && path.startsWith(`${LOCAL_SIGN_IN_PATH}/`)) {
        if (await options.signIn.handle(request, response, path, body)) {
          status = response.statusCode;
          return;
        }
      }
      const match = matchRoute(method, path);
      const handlerName: HandlerName = match ? (match.route.handler as HandlerName) : FALLBACK_HANDLER;
      const event = toApiGatewayEvent(request, body, {
        routeKey: match ? `${match.route.method} ${match.route.path}` : '$default',
        ...(match ? { pathParameters: match.pathParameters } : {}),
      });
      if (match && match.route.access !== 'public') {
        // As API Gateway's JWT authorizer: the handler never runs for an unverified token.
        const verdict = options.devKeys
          ? await verifyDevToken(options.devKeys, request.headers.authorization, OFFICER_SCOPE)
          : ({ ok: false, status: 401, reason: 'no keys' } as const);
        if (!verdict.ok) {
          status = verdict.status;
          send(response, authProblem(verdict.status, path, event.requestContext.requestId), cors);
          return;
        }
        Object.assign(event.requestContext, {
          authorizer: {
            jwt: { claims: claimsAsApiGatewayGivesThem(verdict.claims), scopes: verdict.scopes },
          },
        });
      }
      const { handler } = await HANDLER_MODULES[handlerName]();
      const result = normalise(
        await handler(event, lambdaContext(`local-${handlerName}`, randomUUID()), () => undefined),
      );
      status = result.statusCode ?? 200;
      send(response, result, cors);
    } catch (error) {
      // What API Gateway answers when a function throws: nothing of the error reaches the caller.
      console.error(`local server: handler failed for ${method} ${path}:`, error);
      status = 500;
      if (!response.headersSent)
        send(response, { statusCode: 500, body: JSON.stringify({ message: 'Internal Server Error' }) }, cors);
      else response.end();
    } finally {
      options.log?.(`${method} ${path} ${status} ${(performance.now() - started).toFixed(1)}ms`);
    }
  });
}
