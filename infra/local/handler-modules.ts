import type { Handler } from 'aws-lambda';
import type { HandlerName } from '../../shared/http/routes';

/**
 * Every handler module the route table names, loaded on first use, as Lambda loads it on a cold
 * start. Typed by HandlerName: a route added without its module here fails the type-check.
 */
export const HANDLER_MODULES: Record<HandlerName, () => Promise<{ handler: Handler }>> = {
  health: () => import('../../functions/health/handler'),
  'list-projects': () => import('../../functions/list-projects/handler'),
  'submit-feedback': () => import('../../functions/submit-feedback/handler'),
  'route-not-found': () => import('../../functions/route-not-found/handler'),
};
