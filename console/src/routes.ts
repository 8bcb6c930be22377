/**
 * The console's addresses, parsed and built in one place (pure: unit-tested). Every address
 * under /console serves the same shell; the path decides the screen. Filters live in the query
 * (so Back and bookmarks work); list cursors never do (they stay in memory, see list-pages.ts).
 *
 * A record is `/console/<records>/<id>`; a form for a new one is `/console/new/<record>`, never
 * under the records' own path, so no id (a project's slug may be any word, `new` included) can
 * ever mean a form.
 */
export type Route =
  | { screen: 'triage'; query: URLSearchParams }
  | { screen: 'feedback'; id: string }
  | { screen: 'projects' }
  | { screen: 'project'; id: string }
  | { screen: 'new-project' }
  | { screen: 'events'; query: URLSearchParams }
  | { screen: 'event'; id: string }
  | { screen: 'new-event' }
  | { screen: 'updates'; query: URLSearchParams }
  | { screen: 'update'; id: string }
  | { screen: 'new-update' }
  | { screen: 'report' }
  | { screen: 'callback' }
  | { screen: 'signed-out' }
  | { screen: 'sign-out' }
  | { screen: 'not-found' };

export const BASE = '/console';

/** `/console/new/<record>`: the forms for a new record. */
const NEW_FORMS = new Map<string, Route>([
  ['project', { screen: 'new-project' }],
  ['event', { screen: 'new-event' }],
  ['update', { screen: 'new-update' }],
]);

/** Path segments that are ids: the API's own ids and references, and project slugs. */
const SEGMENT = /^[A-Za-z0-9][A-Za-z0-9-]{0,62}$/;

export function parseRoute(pathname: string, search = ''): Route {
  const query = new URLSearchParams(search);
  if (pathname !== BASE && !pathname.startsWith(`${BASE}/`)) return { screen: 'not-found' };
  const parts = pathname
    .slice(BASE.length)
    .split('/')
    .filter((part) => part !== '');
  const [first, second, ...rest] = parts;
  if (rest.length) return { screen: 'not-found' };
  const id = second !== undefined && SEGMENT.test(second) ? second : undefined;
  if (second !== undefined && id === undefined) return { screen: 'not-found' };
  switch (first) {
    case undefined:
      return { screen: 'triage', query };
    case 'feedback':
      return id ? { screen: 'feedback', id } : { screen: 'triage', query };
    case 'projects':
      return id ? { screen: 'project', id } : { screen: 'projects' };
    case 'events':
      return id ? { screen: 'event', id } : { screen: 'events', query };
    case 'updates':
      return id ? { screen: 'update', id } : { screen: 'updates', query };
    case 'new':
      return NEW_FORMS.get(second ?? '') ?? { screen: 'not-found' };
    case 'reports':
      return id ? { screen: 'not-found' } : { screen: 'report' };
    case 'callback':
      return id ? { screen: 'not-found' } : { screen: 'callback' };
    case 'signed-out':
      return id ? { screen: 'not-found' } : { screen: 'signed-out' };
    case 'sign-out':
      return id ? { screen: 'not-found' } : { screen: 'sign-out' };
    default:
      return { screen: 'not-found' };
  }
}

/** A console address from its parts; empty query values are left out. */
export function href(path: string, query: Record<string, string | undefined> = {}): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) if (value) params.set(name, value);
  const search = params.toString();
  return `${BASE}${path}${search ? `?${search}` : ''}`;
}

/** The navigation section a screen belongs to (for aria-current in the service navigation). */
export function sectionOf(route: Route): string | undefined {
  switch (route.screen) {
    case 'triage':
    case 'feedback':
      return 'feedback';
    case 'updates':
    case 'update':
    case 'new-update':
      return 'updates';
    case 'events':
    case 'event':
    case 'new-event':
      return 'events';
    case 'projects':
    case 'project':
    case 'new-project':
      return 'projects';
    case 'report':
      return 'report';
    default:
      return undefined;
  }
}

/**
 * Where to go back to after signing in: only a console address, never another site (an open
 * redirect), and never the callback itself.
 */
export function safeReturnPath(candidate: string | null | undefined): string {
  if (!candidate?.startsWith(BASE) || candidate.startsWith('//')) return BASE;
  const url = new URL(candidate, 'https://console.invalid');
  if (url.origin !== 'https://console.invalid') return BASE;
  const route = parseRoute(url.pathname, url.search);
  if (['callback', 'signed-out', 'sign-out', 'not-found'].includes(route.screen)) return BASE;
  return `${url.pathname}${url.search}`;
}
