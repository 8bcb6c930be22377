import { FAMILY_MESSAGE_TYPES, type FamilyTemplates } from '../shared/domain/family-messages';

/**
 * Context `notifyTemplates`: GOV.UK Notify template ids for families' messages, by message type and
 * channel, as JSON in cdk.json or `-c notifyTemplates='{"answered":{"email":"…"}}'`:
 * `{ answered: { email, sms }, update_published: { email, sms } }`.
 */
const TEMPLATE_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function notifyTemplatesFromContext(value: unknown): Partial<FamilyTemplates> {
  const parsed = typeof value === 'string' && value.trim() ? (JSON.parse(value) as unknown) : value;
  if (parsed === undefined || parsed === null || parsed === '') return {};
  if (typeof parsed !== 'object') throw new Error('notifyTemplates must be an object: see docs/operators.md');
  const templates: Partial<FamilyTemplates> = {};
  for (const [type, channels] of Object.entries(parsed as Record<string, unknown>)) {
    if (!(FAMILY_MESSAGE_TYPES as readonly string[]).includes(type))
      throw new Error(`notifyTemplates: unknown message type '${type}' (${FAMILY_MESSAGE_TYPES.join(', ')})`);
    const ids: Record<string, string | undefined> = {};
    for (const [channel, id] of Object.entries((channels ?? {}) as Record<string, unknown>)) {
      if (channel !== 'email' && channel !== 'sms')
        throw new Error(`notifyTemplates.${type}: unknown channel '${channel}' (email, sms)`);
      if (typeof id !== 'string' || !TEMPLATE_ID.test(id))
        throw new Error(`notifyTemplates.${type}.${channel} must be a Notify template id (a UUID)`);
      ids[channel] = id;
    }
    templates[type as keyof FamilyTemplates] = { email: ids.email, sms: ids.sms };
  }
  return templates;
}

/** Synth warnings for every template a family's message would need and the deployment lacks. */
export function notifyTemplateWarnings(templates: Partial<FamilyTemplates>): string[] {
  const missing = FAMILY_MESSAGE_TYPES.flatMap((type) =>
    (['email', 'sms'] as const).filter((channel) => !templates[type]?.[channel]).map((c) => `${type}.${c}`),
  );
  return missing.length
    ? [
        `Families' messages: no Notify template id for ${missing.join(', ')} (-c notifyTemplates=…, docs/operators.md). A family who asked to be told what happens waits, and the projector's dead-letter queue alarms, until it is set.`,
      ]
    : [];
}
