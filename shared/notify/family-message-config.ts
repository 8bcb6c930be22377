import type { FamilyMessageConfig, FamilyTemplates } from '../domain/family-messages';

/**
 * Families' messages' configuration from the environment (CDK context in AWS: docs/operators.md;
 * local defaults from `npm start`): the Notify template ids, one per message type and channel, and
 * the pages the links open.
 */
export const TEMPLATE_VARIABLES = {
  answered: { email: 'NOTIFY_TEMPLATE_ANSWERED_EMAIL', sms: 'NOTIFY_TEMPLATE_ANSWERED_SMS' },
  update_published: {
    email: 'NOTIFY_TEMPLATE_UPDATE_PUBLISHED_EMAIL',
    sms: 'NOTIFY_TEMPLATE_UPDATE_PUBLISHED_SMS',
  },
} as const;

/** The local stack's template ids: names, not Notify's UUIDs, so the family outbox reads plainly. */
export const LOCAL_TEMPLATE_IDS: FamilyTemplates = {
  answered: { email: 'local-answered-email', sms: 'local-answered-sms' },
  update_published: { email: 'local-update-published-email', sms: 'local-update-published-sms' },
};

/** The stop page beside the escalation page, unless set on its own. */
export function stopPageUrlOf(env: Record<string, string | undefined>): string | undefined {
  if (env.FAMILY_STOP_PAGE_URL) return env.FAMILY_STOP_PAGE_URL;
  if (!env.FAMILY_PAGE_URL) return undefined;
  return new URL('stop-messages.html', env.FAMILY_PAGE_URL).toString();
}

export function familyMessageConfigFromEnv(
  env: Record<string, string | undefined> = process.env,
): FamilyMessageConfig {
  const template = (variable: string) => env[variable]?.trim() || undefined;
  return {
    templates: {
      answered: {
        email: template(TEMPLATE_VARIABLES.answered.email),
        sms: template(TEMPLATE_VARIABLES.answered.sms),
      },
      update_published: {
        email: template(TEMPLATE_VARIABLES.update_published.email),
        sms: template(TEMPLATE_VARIABLES.update_published.sms),
      },
    },
    stopPageUrl: stopPageUrlOf(env),
    escalationPageUrl: env.FAMILY_PAGE_URL,
    updatePageUrlTemplate: env.FEED_ITEM_URL_TEMPLATE || 'http://localhost:3000/#update-{id}',
    homePageUrl: env.FEED_HOME_PAGE_URL || 'http://localhost:3000/',
  };
}
