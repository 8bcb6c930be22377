import { DomainError, type FieldError } from './errors';
import type { Page } from './page';
import { PROJECT_ID_PATTERN } from './project';
import { type PublicView, UPDATE_STATUSES, type UpdateStatus } from './update';

/**
 * The public feed's query: `projectId`, `status`, `since`, `limit` (20 by default, at most 100) and
 * `cursor`. Checked by hand, not with zod: the public feed functions then carry no schema library,
 * which keeps their cold start small. Unknown parameters (a CMS's cache-buster, utm_…) are ignored.
 */
export interface FeedQuery {
  projectId?: string;
  status?: UpdateStatus;
  /** An instant (UTC ISO): only updates modified at or after it. */
  since?: string;
  limit: number;
  cursor?: string;
}

export const FEED_PAGE_DEFAULT = 20;
export const FEED_PAGE_MAX = 100;

export function parseFeedQuery(params: Record<string, string | undefined> = {}): FeedQuery {
  const errors: FieldError[] = [];
  const query: FeedQuery = { limit: FEED_PAGE_DEFAULT };
  const { projectId, status, since, limit, cursor } = params;
  if (projectId !== undefined) {
    if (PROJECT_ID_PATTERN.test(projectId)) query.projectId = projectId;
    else
      errors.push({ path: 'projectId', message: 'Use a project id: lower-case letters, digits and hyphens' });
  }
  if (status !== undefined) {
    if ((UPDATE_STATUSES as readonly string[]).includes(status)) query.status = status as UpdateStatus;
    else errors.push({ path: 'status', message: `Choose one of: ${UPDATE_STATUSES.join(', ')}` });
  }
  if (since !== undefined) {
    const instant = instantOf(since);
    if (instant) query.since = instant;
    else
      errors.push({
        path: 'since',
        message: 'Use a date like 2026-11-25 or an instant like 2026-11-25T09:30:00Z',
      });
  }
  if (limit !== undefined) {
    const n = /^\d{1,3}$/.test(limit) ? Number(limit) : Number.NaN;
    if (n >= 1 && n <= FEED_PAGE_MAX) query.limit = n;
    else errors.push({ path: 'limit', message: `limit is a whole number from 1 to ${FEED_PAGE_MAX}` });
  }
  if (cursor !== undefined) {
    if (cursor.length >= 1 && cursor.length <= 4096) query.cursor = cursor;
    else errors.push({ path: 'cursor', message: 'Use the cursor from the previous page, unchanged' });
  }
  if (errors.length) throw new DomainError('invalid', 'The feed query needs correcting.', errors);
  return query;
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const INSTANT = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:\d{2})$/;

/** A date (midnight UTC) or an instant with its offset, as UTC ISO; undefined when it is neither. */
function instantOf(text: string): string | undefined {
  if (!DATE.test(text) && !INSTANT.test(text)) return undefined;
  const year = Number(text.slice(0, 4));
  if (year < 2000 || year > 2200) return undefined;
  const parsed = new Date(DATE.test(text) ? `${text}T00:00:00Z` : text);
  if (Number.isNaN(parsed.getTime())) return undefined;
  // 2026-02-31 parses as March: refuse dates that do not exist rather than move them.
  if (parsed.toISOString().slice(0, 10) !== text.slice(0, 10) && DATE.test(text)) return undefined;
  return parsed.toISOString();
}

export interface FeedRepository {
  /** One page of published updates' public views, most recently modified first: one Query. */
  feedPage(
    filters: Pick<FeedQuery, 'projectId' | 'status' | 'since'>,
    page: { limit: number; cursor?: string },
  ): Promise<Page<PublicView>>;
}

/**
 * One page of the feed for a request's query string (both the JSON and the RSS feed), with the
 * filters the feed's own self and next links repeat: `limit` only when the caller chose one (the
 * default is left out of the links). The JSON and RSS handlers differ only in how they write the page.
 */
export async function readFeedPage(feed: FeedRepository, params?: Record<string, string | undefined>) {
  const { limit, cursor, ...filters } = parseFeedQuery(params);
  const page = await feed.feedPage(filters, { limit, ...(cursor ? { cursor } : {}) });
  return {
    views: page.items,
    linkFilters: { ...filters, ...(params?.limit ? { limit } : {}) },
    next: page.cursor,
  };
}
