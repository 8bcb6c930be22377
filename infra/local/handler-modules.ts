import type { Handler } from 'aws-lambda';
import type { HandlerName } from '../../shared/http/routes';

/**
 * Every handler module the route table names, loaded on first use, as Lambda loads it on a cold
 * start. Typed by HandlerName: a route added without its module here fails the type-check.
 */
export const HANDLER_MODULES: Record<HandlerName, () => Promise<{ handler: Handler }>> = {
  health: () => import('../../functions/health/handler'),
  'get-openapi': () => import('../../functions/get-openapi/handler'),
  'list-projects': () => import('../../functions/list-projects/handler'),
  'submit-feedback': () => import('../../functions/submit-feedback/handler'),
  'route-not-found': () => import('../../functions/route-not-found/handler'),
  'list-feedback': () => import('../../functions/list-feedback/handler'),
  'get-feedback': () => import('../../functions/get-feedback/handler'),
  'acknowledge-feedback': () => import('../../functions/acknowledge-feedback/handler'),
  'respond-to-feedback': () => import('../../functions/respond-to-feedback/handler'),
  'close-feedback': () => import('../../functions/close-feedback/handler'),
  'choose-complaint-procedure': () => import('../../functions/choose-complaint-procedure/handler'),
  'extend-complaint-stage': () => import('../../functions/extend-complaint-stage/handler'),
  'escalate-complaint': () => import('../../functions/escalate-complaint/handler'),
  'record-review-panel': () => import('../../functions/record-review-panel/handler'),
  'escalate-by-family-link': () => import('../../functions/escalate-by-family-link/handler'),
  'stop-messages-by-family-link': () => import('../../functions/stop-messages-by-family-link/handler'),
  'stop-messages-for-family': () => import('../../functions/stop-messages-for-family/handler'),
  'list-all-projects': () => import('../../functions/list-all-projects/handler'),
  'save-project': () => import('../../functions/save-project/handler'),
  'record-event': () => import('../../functions/record-event/handler'),
  'list-events': () => import('../../functions/list-events/handler'),
  'get-event': () => import('../../functions/get-event/handler'),
  'update-event': () => import('../../functions/update-event/handler'),
  'create-update': () => import('../../functions/create-update/handler'),
  'list-updates': () => import('../../functions/list-updates/handler'),
  'get-update': () => import('../../functions/get-update/handler'),
  'edit-update': () => import('../../functions/edit-update/handler'),
  'publish-update': () => import('../../functions/publish-update/handler'),
  'unpublish-update': () => import('../../functions/unpublish-update/handler'),
  'annual-report': () => import('../../functions/annual-report/handler'),
  'find-subject-data': () => import('../../functions/find-subject-data/handler'),
  'erase-subject-data': () => import('../../functions/erase-subject-data/handler'),
  'list-retention-audit': () => import('../../functions/list-retention-audit/handler'),
  'get-feed': () => import('../../functions/get-feed/handler'),
  'get-feed-rss': () => import('../../functions/get-feed-rss/handler'),
  'get-scorecard': () => import('../../functions/get-scorecard/handler'),
};
