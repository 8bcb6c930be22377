import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import { HANDLER_MODULES } from '../../infra/local/handler-modules';
import { FALLBACK_HANDLER, type HandlerName, ROUTES } from '../../shared/http/routes';
import { createTestTable, type TestTable } from './dynamo';
import type { RequestSpec } from './events';

export type RouteEntry = (typeof ROUTES)[number];
export type RouteHandler = (event: APIGatewayProxyEventV2, context: Context) => Promise<unknown>;

/**
 * Every handler module the route table names (and the fallback), as Lambda would load them, on a
 * fresh test table. The modules build their repositories when they load, from TABLE_NAME, so it is
 * set first. A route added to the table is picked up here with no change.
 */
export async function loadAllHandlers(): Promise<{
  table: TestTable;
  handlers: Map<HandlerName, RouteHandler>;
}> {
  const table = await createTestTable();
  process.env.TABLE_NAME = table.name;
  const handlers = new Map<HandlerName, RouteHandler>();
  const names = [...new Set<HandlerName>([...ROUTES.map((route) => route.handler), FALLBACK_HANDLER])];
  for (const name of names) {
    const { handler } = await HANDLER_MODULES[name]();
    handlers.set(name, (event, context) => handler(event, context, () => undefined) as Promise<unknown>);
  }
  return { table, handlers };
}

/** Path parameters of a route path like /officer/feedback/{id}. */
export const pathParameterNames = (path: string) =>
  [...path.matchAll(/\{(\w+)\}/g)].map((match) => match[1] as string);

/** The request path with its parameters filled in (URL-encoded, as a client would send them). */
export const concretePath = (path: string, parameters: Record<string, string>) =>
  // A lone surrogate cannot be UTF-8 encoded: a client would send U+FFFD in its place.
  path.replace(/\{(\w+)\}/g, (_, name: string) =>
    encodeURIComponent((parameters[name] ?? 'x').toWellFormed()),
  );

/** Whether the route's handler reads a JSON body: every POST, PUT and PATCH route of this API. */
export const takesJsonBody = (route: { method: string }) => ['POST', 'PUT', 'PATCH'].includes(route.method);

/** A request to a route, with the claims its access level needs (an admin can do anything). */
export function requestTo(route: RouteEntry, spec: Partial<RequestSpec> = {}): RequestSpec {
  return { method: route.method, path: route.path, ...spec };
}
