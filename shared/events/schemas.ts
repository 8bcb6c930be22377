import * as z from 'zod';
import { CHANNELS } from '../domain/channels';
import { COMPLAINT_PROCEDURES } from '../domain/complaint-procedure';
import { REQUEST_CHANNELS } from '../domain/complaint-stages';
import { EVENT_STATUSES, EVENT_TYPES } from '../domain/event';
import { OUTCOMES } from '../domain/feedback';
import { ALERT_STAGES } from '../domain/overdue';
import { FEEDBACK_KINDS } from '../domain/project';
import { UPDATE_STATUSES } from '../domain/update';
import { DOMAIN_EVENT_SOURCE, DOMAIN_EVENT_VERSIONS, type DomainEventType } from './catalogue';

/**
 * The published shape of every domain event, in zod: `npm run events:schema` turns these into
 * asyncapi.json (payloads as JSON Schema draft-07), and the tests check every event the projector
 * emits against that file. Only tests and the generator import this module; the projector imports
 * its types alone, so zod stays out of the projector's bundle.
 *
 * What an event may hold: ids, references, kinds, statuses, dates, counts, deadlines met or missed.
 * Never a family's words, name or contact details, never an officer's free text (answers, titles,
 * what we heard) or name: each event is built field by field from an allow-list
 * (shared/events/derive/), and every object here is strict, so the schema refuses anything more.
 *
 * Names and descriptions live in a registry of their own, not zod's global one, which the OpenAPI
 * document is built from.
 */
export const EVENT_SCHEMA_REGISTRY = z.registry<{ id?: string; description?: string }>();

function described<T extends z.ZodType>(schema: T, description: string): T {
  EVENT_SCHEMA_REGISTRY.add(schema, { description });
  return schema;
}
function named<T extends z.ZodType>(schema: T, id: string, description: string): T {
  EVENT_SCHEMA_REGISTRY.add(schema, { id, description });
  return schema;
}

const isoInstant = () => z.iso.datetime();
const isoDate = () => z.iso.date();
const count = () => z.int().min(0).max(1_000_000_000);
/** Feedback and event ids: a reference without its hyphen (shared/domain/reference.ts). */
const itemId = () => z.string().regex(/^[2-9A-HJKMNP-TV-Z]{8}$/);
const reference = () => z.string().regex(/^[2-9A-HJKMNP-TV-Z]{4}-[2-9A-HJKMNP-TV-Z]{4}$/);

/** Whether a statutory deadline was met, and by how many working days it was missed. */
export const DeadlineOutcome = named(
  z.strictObject({
    stage: z.enum(['acknowledge', 'respond']),
    dueBy: described(isoDate(), 'The London date it was due by.'),
    dueAt: described(isoInstant(), 'The end of that London day, as an instant.'),
    met: described(z.boolean(), 'Done by the end of the due date (London).'),
    workingDaysLate: described(
      count(),
      'Working days after the due date up to and including the London day it was done: 0 when met (and when done on a non-working day just after).',
    ),
  }),
  'DeadlineOutcome',
  'A statutory deadline, and whether it was met.',
);

function envelope<const T extends DomainEventType>(type: T) {
  return {
    id: described(
      z.uuid(),
      'Deterministic: the same change always gives the same id, so a consumer drops a repeat by id.',
    ),
    type: z.literal(type),
    version: described(z.literal(DOMAIN_EVENT_VERSIONS[type]), "This type's schema version."),
    source: z.literal(DOMAIN_EVENT_SOURCE),
    occurredAt: described(isoInstant(), 'When it happened in the service, not when it was published.'),
    projectId: z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/),
  };
}

const stage = () => z.int().min(1).max(10);
const feedbackSubject = () => ({
  feedbackId: itemId(),
  reference: described(reference(), 'The reference the family was given (the id with a hyphen).'),
  kind: z.enum(FEEDBACK_KINDS),
  complaintStage: described(
    stage().optional(),
    'A complaint following a procedure: the stage this is about (1, 2, 3). Each stage is acknowledged and answered in turn.',
  ),
});

export const FeedbackReceived = named(
  z.strictObject({
    ...envelope('feedback.received'),
    ...feedbackSubject(),
    channel: described(z.enum(CHANNELS), 'How it reached the service.'),
    acknowledgeBy: isoDate(),
    respondBy: isoDate(),
  }),
  'FeedbackReceived',
  'A family sent feedback, a compliment or a complaint.',
);

export const FeedbackAcknowledged = named(
  z.strictObject({
    ...envelope('feedback.acknowledged'),
    ...feedbackSubject(),
    deadline: DeadlineOutcome,
  }),
  'FeedbackAcknowledged',
  'An officer acknowledged it. Answering unacknowledged feedback acknowledges it too, at the same instant: both events come.',
);

export const FeedbackResponded = named(
  z.strictObject({
    ...envelope('feedback.responded'),
    ...feedbackSubject(),
    outcome: z.enum(OUTCOMES),
    deadline: DeadlineOutcome,
  }),
  'FeedbackResponded',
  'An officer answered the family. The answer itself is never in the event.',
);

export const FeedbackClosed = named(
  z.strictObject({
    ...envelope('feedback.closed'),
    ...feedbackSubject(),
    outcome: z.enum(OUTCOMES).optional(),
  }),
  'FeedbackClosed',
  'An officer closed answered feedback.',
);

export const FeedbackEscalated = named(
  z.strictObject({
    ...envelope('feedback.escalated'),
    ...feedbackSubject(),
    complaintStage: described(stage(), 'The stage it moved to.'),
    fromStage: stage(),
    complaintProcedure: z.enum(COMPLAINT_PROCEDURES),
    requestedVia: described(
      z.enum(REQUEST_CHANNELS),
      'How the family asked: family_link when they used their own link.',
    ),
    inTime: described(z.boolean(), 'Asked within the time the last answer gave them.'),
    acknowledgeBy: isoDate(),
    respondBy: isoDate(),
  }),
  'FeedbackEscalated',
  'The family asked for the next stage of a complaint: the new stage’s clock starts. What they said is never in the event.',
);

export const FeedbackExtended = named(
  z.strictObject({
    ...envelope('feedback.extended'),
    ...feedbackSubject(),
    complaintStage: stage(),
    workingDays: count(),
    fromDueBy: isoDate(),
    toDueBy: isoDate(),
  }),
  'FeedbackExtended',
  'An officer extended a complaint stage’s answer deadline. The reason given to the family is never in the event.',
);

export const FeedbackAnonymised = named(
  z.strictObject({
    ...envelope('feedback.anonymised'),
    ...feedbackSubject(),
    reason: described(
      z.enum(['retention', 'erasure']),
      'retention: its retention period after closure passed; erasure: the family asked, and an admin erased it.',
    ),
  }),
  'FeedbackAnonymised',
  'The family’s words and contact details were removed from closed feedback; its statistics stay. Consumers holding copies of personal data from it should remove theirs.',
);

export const AlertSent = named(
  z.strictObject({
    ...envelope('alert.sent'),
    alertId: described(
      z.string().min(1).max(80),
      "The id the alert carried on SNS (its alertId message attribute): an alert's retries share it.",
    ),
    entity: z.enum(['feedback', 'event']),
    feedbackId: described(itemId().optional(), 'When entity is feedback.'),
    eventId: described(itemId().optional(), 'When entity is event.'),
    reference: reference(),
    kind: described(z.enum([...FEEDBACK_KINDS, 'event']), "The feedback's kind, or event."),
    stage: z.enum(ALERT_STAGES),
    alertType: z.enum(['first', 'reminder', 'escalation']),
    sequence: described(count(), '0 for the first alert of a stage, then 1, 2, … for each reminder.'),
    escalation: z.boolean(),
    workingDaysOverdue: count(),
    team: described(z.string().min(1).max(100), "The project's alert team."),
  }),
  'AlertSent',
  'The overdue sweep told a team that a deadline has passed.',
);

export const EventRecorded = named(
  z.strictObject({
    ...envelope('event.recorded'),
    eventId: itemId(),
    eventType: z.enum(EVENT_TYPES),
    status: z.enum(EVENT_STATUSES),
    heldOn: isoDate(),
    reportBackBy: isoDate(),
    participants: z.strictObject({
      childrenAndYoungPeople: count(),
      parentsAndCarers: count(),
      professionals: count(),
    }),
  }),
  'EventRecorded',
  'An officer recorded a co-production event. Its title and what was heard are never in the event.',
);

const updateSubject = () => ({
  updateId: z.string().regex(/^[2-9a-hjkmnp-tv-z]{12}$/),
  status: z.enum(UPDATE_STATUSES),
  feedbackIds: described(z.array(itemId()), 'The feedback the update answers: the families to tell.'),
  eventIds: z.array(itemId()),
});

export const UpdatePublished = named(
  z.strictObject({ ...envelope('update.published'), ...updateSubject() }),
  'UpdatePublished',
  'A "You said, we did" update went public. Its words are in the public feed, not here.',
);

export const UpdateUnpublished = named(
  z.strictObject({ ...envelope('update.unpublished'), ...updateSubject() }),
  'UpdateUnpublished',
  'A published update was taken out of the public feed.',
);

/** Every schema, by type: the generator, the tests and the types below read this one list. */
export const DOMAIN_EVENT_SCHEMAS = {
  'feedback.received': FeedbackReceived,
  'feedback.acknowledged': FeedbackAcknowledged,
  'feedback.responded': FeedbackResponded,
  'feedback.closed': FeedbackClosed,
  'feedback.escalated': FeedbackEscalated,
  'feedback.extended': FeedbackExtended,
  'feedback.anonymised': FeedbackAnonymised,
  'alert.sent': AlertSent,
  'event.recorded': EventRecorded,
  'update.published': UpdatePublished,
  'update.unpublished': UpdateUnpublished,
} as const satisfies Record<DomainEventType, z.ZodType>;

export type DeadlineOutcome = z.infer<typeof DeadlineOutcome>;
/** Any domain event; `type` tells them apart. */
export type DomainEvent = {
  [T in DomainEventType]: z.infer<(typeof DOMAIN_EVENT_SCHEMAS)[T]>;
}[DomainEventType];
export type DomainEventOf<T extends DomainEventType> = Extract<DomainEvent, { type: T }>;
