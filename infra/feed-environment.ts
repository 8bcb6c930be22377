import type { HandlerName } from '../shared/http/routes';

/**
 * Configuration of the public feed and its counts, per deployment: CDK context keys (cdk.json or
 * `-c key=value`) and the environment variables the functions read (the same names locally).
 */
export const FEED_CONTEXT = {
  feedTitle: 'FEED_TITLE',
  feedDescription: 'FEED_DESCRIPTION',
  feedHomePageUrl: 'FEED_HOME_PAGE_URL',
  feedBaseUrl: 'FEED_BASE_URL',
  feedItemUrlTemplate: 'FEED_ITEM_URL_TEMPLATE',
  smallCountThreshold: 'SMALL_COUNT_THRESHOLD',
} as const;

/** The functions that build public output and so need it. */
export const FEED_HANDLERS: readonly HandlerName[] = [
  'get-feed',
  'get-feed-rss',
  'annual-report',
  'get-scorecard',
];

export function feedEnvironmentFromContext(tryGetContext: (key: string) => unknown): Record<string, string> {
  const environment: Record<string, string> = {};
  for (const [key, variable] of Object.entries(FEED_CONTEXT)) {
    const value = tryGetContext(key);
    if (value !== undefined && value !== null && String(value).trim() !== '') {
      environment[variable] = String(value);
    }
  }
  return environment;
}

/**
 * The feed's links to the council's Local Offer pages have no sensible default in AWS (the local
 * defaults point at http://localhost:3000), so a deploy without them says so at synth time.
 */
export function feedContextWarnings(environment: Record<string, string>): string[] {
  const missing = (['feedHomePageUrl', 'feedItemUrlTemplate'] as const).filter(
    (key) => environment[FEED_CONTEXT[key]] === undefined,
  );
  return missing.length
    ? [
        `Set ${missing.map((key) => `-c ${key}=…`).join(' and ')} (the council's Local Offer pages): without ` +
          'them the public feed links to http://localhost:3000/.',
      ]
    : [];
}
