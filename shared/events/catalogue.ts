/**
 * The domain events the projector publishes (functions/project-stream), by type, with the schema
 * version each is at. Plain constants, no zod: the projector's bundle needs these names, not the
 * schemas (shared/events/schemas.ts, from which asyncapi.json is generated).
 *
 * A new kind of event is a line here, a schema in schemas.ts, and a rule in the deriver of its item (shared/events/derive/).
 * A change to an event that a subscriber could notice (a field removed, renamed or retyped) is a
 * new version; adding an optional field is not.
 */
export const DOMAIN_EVENT_VERSIONS = {
  'feedback.received': 1,
  'feedback.acknowledged': 1,
  'feedback.responded': 1,
  'feedback.closed': 1,
  'feedback.escalated': 1,
  'feedback.extended': 1,
  'feedback.anonymised': 1,
  'alert.sent': 1,
  'event.recorded': 1,
  'update.published': 1,
  'update.unpublished': 1,
} as const;

export type DomainEventType = keyof typeof DOMAIN_EVENT_VERSIONS;
export const DOMAIN_EVENT_TYPES = Object.keys(DOMAIN_EVENT_VERSIONS) as DomainEventType[];

/**
 * Every event's `source`, and the EventBridge `Source` it is put on the bus with: a council's
 * rule matches `{ "source": ["you-said-we-did"] }`.
 */
export const DOMAIN_EVENT_SOURCE = 'you-said-we-did' as const;
