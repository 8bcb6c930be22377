import { type PublicCounts, publicCounts, smallCountThreshold } from './public-counts';
import type { PublicView } from './update';

/**
 * The public "You said, we did" feed as JSON Feed 1.1 and RSS 2.0: pure builders from published
 * updates' public views. Nothing here can reach a family's words or an officer's name: a PublicView
 * does not hold them.
 */
export interface FeedConfig {
  title: string;
  description: string;
  /** The Local Offer page that shows the feed. */
  homePageUrl: string;
  /** Where this API is reached from outside, e.g. https://api.example.gov.uk (no trailing slash). */
  baseUrl: string;
  /** The Local Offer page for one update; `{id}` and `{projectId}` are filled in. */
  itemUrlTemplate: string;
  smallCountThreshold: number;
}

export const FEED_DEFAULTS = {
  title: 'You said, we did',
  description:
    'What children, young people and families told us about SEND services, and what we did or will do in response.',
  homePageUrl: 'http://localhost:3000/',
  baseUrl: 'http://localhost:3000',
  itemUrlTemplate: 'http://localhost:3000/#update-{id}',
} as const;

/** Configuration from the environment (CDK context in AWS; local defaults for npm start). */
export function feedConfigFromEnv(env: Record<string, string | undefined> = process.env): FeedConfig {
  return {
    title: env.FEED_TITLE || FEED_DEFAULTS.title,
    description: env.FEED_DESCRIPTION || FEED_DEFAULTS.description,
    homePageUrl: env.FEED_HOME_PAGE_URL || FEED_DEFAULTS.homePageUrl,
    baseUrl: (env.FEED_BASE_URL || FEED_DEFAULTS.baseUrl).replace(/\/+$/, ''),
    itemUrlTemplate: env.FEED_ITEM_URL_TEMPLATE || FEED_DEFAULTS.itemUrlTemplate,
    smallCountThreshold: smallCountThreshold(env.SMALL_COUNT_THRESHOLD),
  };
}

export interface FeedFilters {
  projectId?: string;
  status?: string;
  since?: string;
  limit?: number;
}

const STATUS_LABELS: Record<string, string> = {
  planned: 'Planned',
  in_progress: 'In progress',
  done: 'Done',
  not_possible: 'Not possible',
};

export const itemUrl = (config: FeedConfig, view: Pick<PublicView, 'id' | 'projectId'>) =>
  config.itemUrlTemplate
    .replaceAll('{id}', encodeURIComponent(view.id))
    .replaceAll('{projectId}', encodeURIComponent(view.projectId));

function feedUrl(config: FeedConfig, path: string, filters: FeedFilters, cursor?: string): string {
  const query = new URLSearchParams();
  if (filters.projectId) query.set('projectId', filters.projectId);
  if (filters.status) query.set('status', filters.status);
  if (filters.since) query.set('since', filters.since);
  if (filters.limit !== undefined) query.set('limit', String(filters.limit));
  if (cursor) query.set('cursor', cursor);
  const text = query.toString();
  return `${config.baseUrl}${path}${text ? `?${text}` : ''}`;
}

export function contentText(view: PublicView): string {
  const lines = [`You said: ${view.youSaid}`, `We did: ${view.weDid}`];
  if (view.status === 'not_possible' && view.reason) lines.push(`Why not: ${view.reason}`);
  return lines.join('\n\n');
}

export function escapeHtml(text: string): string {
  return text
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;');
}

const paragraphs = (label: string, text: string) =>
  `<p><strong>${label}</strong> ${escapeHtml(text).replaceAll(/\r?\n/g, '<br>')}</p>`;

export function contentHtml(view: PublicView): string {
  return [
    paragraphs('You said:', view.youSaid),
    paragraphs('We did:', view.weDid),
    ...(view.status === 'not_possible' && view.reason ? [paragraphs('Why not:', view.reason)] : []),
  ].join('');
}

export interface FeedExtension {
  status: string;
  reason: string | null;
  expectedBy: string | null;
  project: { id: string; title: string };
  counts: PublicCounts;
  easyRead: string | null;
}

export function jsonFeedItem(config: FeedConfig, view: PublicView) {
  const extension: FeedExtension = {
    status: view.status,
    reason: view.reason ?? null,
    expectedBy: view.expectedBy ?? null,
    project: { id: view.projectId, title: view.projectTitle },
    counts: publicCounts(view.voices, config.smallCountThreshold),
    easyRead: view.easyRead ?? null,
  };
  return {
    id: view.id,
    url: itemUrl(config, view),
    title: view.title,
    content_text: contentText(view),
    content_html: contentHtml(view),
    date_published: view.publishedAt,
    date_modified: view.modifiedAt,
    tags: [view.projectId, view.status],
    _you_said_we_did: extension,
  };
}

/** JSON Feed 1.1 (https://jsonfeed.org/version/1.1), most recently modified first. */
export function jsonFeed(
  config: FeedConfig,
  views: readonly PublicView[],
  filters: FeedFilters,
  next?: string,
) {
  return {
    version: 'https://jsonfeed.org/version/1.1',
    title: config.title,
    home_page_url: config.homePageUrl,
    feed_url: feedUrl(config, '/feed', filters),
    description: config.description,
    language: 'en-GB',
    ...(next ? { next_url: feedUrl(config, '/feed', filters, next) } : {}),
    items: views.map((view) => jsonFeedItem(config, view)),
  };
}

/** XML 1.0 text: escaped, and without the control characters XML cannot carry at all. */
export function escapeXml(text: string): string {
  return escapeHtml(text).replaceAll(
    // biome-ignore lint/suspicious/noControlCharactersInRegex: these are exactly what must go
    /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g,
    '',
  );
}

const rfc822 = (iso: string) => new Date(iso).toUTCString();

/** RSS 2.0 with an Atom self link (and a next link when there are more), for feed readers and CMSs. */
export function rssFeed(
  config: FeedConfig,
  views: readonly PublicView[],
  filters: FeedFilters,
  next?: string,
) {
  const self = feedUrl(config, '/feed.xml', filters);
  const items = views.map((view) => {
    const counts = publicCounts(view.voices, config.smallCountThreshold);
    return [
      '<item>',
      `<title>${escapeXml(view.title)}</title>`,
      `<link>${escapeXml(itemUrl(config, view))}</link>`,
      `<guid isPermaLink="false">${escapeXml(view.id)}</guid>`,
      `<description>${escapeXml(contentHtml(view))}</description>`,
      `<pubDate>${rfc822(view.publishedAt)}</pubDate>`,
      `<atom:updated>${escapeXml(view.modifiedAt)}</atom:updated>`,
      `<category>${escapeXml(view.projectTitle)}</category>`,
      `<category>${escapeXml(STATUS_LABELS[view.status] ?? view.status)}</category>`,
      `<yswd:status>${escapeXml(view.status)}</yswd:status>`,
      ...(view.expectedBy ? [`<yswd:expectedBy>${escapeXml(view.expectedBy)}</yswd:expectedBy>`] : []),
      ...Object.entries(counts).map(
        ([role, count]) => `<yswd:count role="${role}">${escapeXml(String(count))}</yswd:count>`,
      ),
      '</item>',
    ].join('');
  });
  const newest = views[0]?.modifiedAt;
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom" xmlns:yswd="https://you-said-we-did.example/ns/1.0">',
    '<channel>',
    `<title>${escapeXml(config.title)}</title>`,
    `<link>${escapeXml(config.homePageUrl)}</link>`,
    `<description>${escapeXml(config.description)}</description>`,
    '<language>en-GB</language>',
    `<atom:link href="${escapeXml(self)}" rel="self" type="application/rss+xml"/>`,
    ...(next
      ? [
          `<atom:link href="${escapeXml(feedUrl(config, '/feed.xml', filters, next))}" rel="next" type="application/rss+xml"/>`,
        ]
      : []),
    ...(newest ? [`<lastBuildDate>${rfc822(newest)}</lastBuildDate>`] : []),
    ...items,
    '</channel>',
    '</rss>',
    '',
  ].join('\n');
}
