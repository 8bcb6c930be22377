/**
 * The route table, defined once: the CDK stack makes one Lambda per handler and one API Gateway
 * route per entry; the local server matches requests against the same entries. A handler name is
 * the folder of its entry point: functions/<handler>/handler.ts. Each route is described for the
 * OpenAPI document by an entry of the same handler name in infra/openapi/route-docs.ts (a test
 * fails until it is), then `npm run openapi` regenerates openapi.json.
 */
export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
/** `public`: anyone; `officer` and `admin`: a verified token with the officer scope and that group. */
export type Access = 'public' | 'officer' | 'admin';

export interface Route {
  method: HttpMethod;
  /** API Gateway syntax: `/officer/feedback/{id}`. */
  path: string;
  handler: string;
  access: Access;
}

export const ROUTES = [
  { method: 'GET', path: '/health', handler: 'health', access: 'public' },
  { method: 'GET', path: '/openapi.json', handler: 'get-openapi', access: 'public' },
  { method: 'GET', path: '/projects', handler: 'list-projects', access: 'public' },
  { method: 'POST', path: '/feedback', handler: 'submit-feedback', access: 'public' },
  { method: 'GET', path: '/officer/feedback', handler: 'list-feedback', access: 'officer' },
  { method: 'GET', path: '/officer/feedback/{id}', handler: 'get-feedback', access: 'officer' },
  {
    method: 'POST',
    path: '/officer/feedback/{id}/acknowledge',
    handler: 'acknowledge-feedback',
    access: 'officer',
  },
  {
    method: 'POST',
    path: '/officer/feedback/{id}/respond',
    handler: 'respond-to-feedback',
    access: 'officer',
  },
  { method: 'POST', path: '/officer/feedback/{id}/close', handler: 'close-feedback', access: 'officer' },
  // A complaint's stages (shared/domain/complaint-stages.ts).
  {
    method: 'POST',
    path: '/officer/feedback/{id}/procedure',
    handler: 'choose-complaint-procedure',
    access: 'officer',
  },
  {
    method: 'POST',
    path: '/officer/feedback/{id}/extend',
    handler: 'extend-complaint-stage',
    access: 'officer',
  },
  {
    method: 'POST',
    path: '/officer/feedback/{id}/escalate',
    handler: 'escalate-complaint',
    access: 'officer',
  },
  {
    method: 'POST',
    path: '/officer/feedback/{id}/review-panel',
    handler: 'record-review-panel',
    access: 'officer',
  },
  // The family asks for the next stage themselves, with the signed link from their answer.
  { method: 'POST', path: '/escalations', handler: 'escalate-by-family-link', access: 'public' },
  // "Tell me what happens" withdrawn: by the family's stop link, or by an officer for them.
  { method: 'POST', path: '/stop-messages', handler: 'stop-messages-by-family-link', access: 'public' },
  {
    method: 'POST',
    path: '/officer/feedback/{id}/stop-messages',
    handler: 'stop-messages-for-family',
    access: 'officer',
  },
  { method: 'GET', path: '/officer/projects', handler: 'list-all-projects', access: 'officer' },
  { method: 'PUT', path: '/officer/projects/{id}', handler: 'save-project', access: 'admin' },
  { method: 'POST', path: '/officer/events', handler: 'record-event', access: 'officer' },
  { method: 'GET', path: '/officer/events', handler: 'list-events', access: 'officer' },
  { method: 'GET', path: '/officer/events/{id}', handler: 'get-event', access: 'officer' },
  { method: 'PATCH', path: '/officer/events/{id}', handler: 'update-event', access: 'officer' },
  // "You said, we did": officers write and publish updates; anyone reads the feeds.
  { method: 'POST', path: '/officer/updates', handler: 'create-update', access: 'officer' },
  { method: 'GET', path: '/officer/updates', handler: 'list-updates', access: 'officer' },
  { method: 'GET', path: '/officer/updates/{id}', handler: 'get-update', access: 'officer' },
  { method: 'PATCH', path: '/officer/updates/{id}', handler: 'edit-update', access: 'officer' },
  {
    method: 'POST',
    path: '/officer/updates/{id}/publish',
    handler: 'publish-update',
    access: 'officer',
  },
  {
    method: 'POST',
    path: '/officer/updates/{id}/unpublish',
    handler: 'unpublish-update',
    access: 'officer',
  },
  { method: 'GET', path: '/officer/reports/annual', handler: 'annual-report', access: 'officer' },
  // A family's rights over their data (admins): find and export it, erase it, and the audit of both
  // and of the retention schedule (shared/retention/). The search is a POST: no address in a URL.
  { method: 'POST', path: '/officer/subject-access', handler: 'find-subject-data', access: 'admin' },
  {
    method: 'POST',
    path: '/officer/subject-access/erase',
    handler: 'erase-subject-data',
    access: 'admin',
  },
  { method: 'GET', path: '/officer/retention/audit', handler: 'list-retention-audit', access: 'admin' },
  { method: 'GET', path: '/feed', handler: 'get-feed', access: 'public' },
  { method: 'GET', path: '/feed.xml', handler: 'get-feed-rss', access: 'public' },
  // The public timeliness and satisfaction scorecard (shared/scorecard/).
  { method: 'GET', path: '/scorecard', handler: 'get-scorecard', access: 'public' },
] as const satisfies readonly Route[];

/** Answers every request no route matches (API Gateway's `$default` route): 404, or 405 with Allow. */
export const FALLBACK_HANDLER = 'route-not-found';

export type HandlerName = (typeof ROUTES)[number]['handler'] | typeof FALLBACK_HANDLER;

function patternOf(path: string): RegExp {
  const source = path
    .split('/')
    .map((segment) =>
      /^\{\w+\}$/.test(segment)
        ? `(?<${segment.slice(1, -1)}>[^/]+)`
        : segment.replace(/[.*+?^$()|[\]\\]/g, '\\$&'),
    )
    .join('/');
  return new RegExp(`^${source}$`);
}

const compiled = ROUTES.map((route) => ({ route, pattern: patternOf(route.path) }));

function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

export interface RouteMatch {
  route: Route;
  pathParameters: Record<string, string>;
}

/** The route for a method and path, with its path parameters (URL-decoded, as API Gateway gives them). */
export function matchRoute(method: string, path: string): RouteMatch | undefined {
  for (const { route, pattern } of compiled) {
    if (route.method !== method) continue;
    const match = pattern.exec(path);
    if (match) {
      const pathParameters = Object.fromEntries(
        Object.entries(match.groups ?? {}).map(([name, value]) => [name, safeDecode(value)]),
      );
      return { route, pathParameters };
    }
  }
  return undefined;
}

/** Methods the path does answer to, for a 405's Allow header; empty when the path is unknown. */
export function allowedMethods(path: string): HttpMethod[] {
  return compiled.filter(({ pattern }) => pattern.test(path)).map(({ route }) => route.method);
}
