import * as z from 'zod';
import { EVENT_STATUSES, EVENT_TYPES } from '../../shared/domain/event';
import { FEEDBACK_STATUSES, OUTCOMES } from '../../shared/domain/feedback';
import { CHANNELS, SUBMITTER_ROLES } from '../../shared/domain/feedback-submission';
import { FEEDBACK_KINDS } from '../../shared/domain/project';

/**
 * What the API answers, as JSON Schemas for the OpenAPI document (request schemas are the very zod
 * schemas the handlers validate with; responses are plain TypeScript types in the domain, so they
 * are described here, once). Build-time only: nothing in functions/ imports this module. The
 * end-to-end tests validate real responses against these, so a drift fails the build.
 *
 * Public responses are strict (no property beyond those named): a field added there, perhaps
 * personal data, must be described first. Officer responses allow more, so a field can be added
 * without breaking clients.
 */
const dateTime = z.iso.datetime({ offset: true });
const date = z.iso.date();
const kind = z.enum(FEEDBACK_KINDS);

export const Actor = z.object({ sub: z.string(), name: z.string() }).meta({ id: 'Actor' });
const Timeframe = z.strictObject({
  acknowledgeWorkingDays: z.int().min(1),
  respondWorkingDays: z.int().min(1),
});
export const Timeframes = z
  .strictObject({ feedback: Timeframe, compliment: Timeframe, complaint: Timeframe })
  .meta({ id: 'Timeframes' });

export const FieldError = z
  .strictObject({
    path: z
      .string()
      .meta({ description: 'Dotted path of the field, e.g. contact.email; empty for the body' }),
    message: z.string(),
  })
  .meta({ id: 'FieldError' });

export const Problem = z
  .strictObject({
    type: z.string().meta({ description: 'A problem type (see the API description), or about:blank' }),
    title: z.string(),
    status: z.int(),
    detail: z.string(),
    instance: z.string().optional(),
    correlationId: z.string().optional(),
    errors: z.array(FieldError).optional().meta({ description: 'Every failing field' }),
  })
  .meta({ id: 'Problem', description: 'RFC 9457 problem details' });

export const Health = z.strictObject({ status: z.literal('ok') }).meta({ id: 'Health' });

export const PublicProject = z
  .strictObject({
    id: z.string(),
    title: z.string(),
    serviceArea: z.string(),
    description: z.string().optional(),
    timeframes: Timeframes,
  })
  .meta({ id: 'PublicProject' });
export const PublicProjectList = z
  .strictObject({ projects: z.array(PublicProject) })
  .meta({ id: 'PublicProjectList' });

export const Receipt = z
  .strictObject({
    id: z.string(),
    reference: z.string().meta({ description: 'What the family quotes, e.g. ABCD-2345' }),
    kind,
    projectId: z.string(),
    status: z.literal('received'),
    receivedAt: dateTime,
    acknowledgeBy: date,
    respondBy: date,
  })
  .meta({ id: 'Receipt', description: 'No personal data: only the reference and the reply dates' });

export const Feedback = z
  .object({
    id: z.string(),
    reference: z.string(),
    kind,
    projectId: z.string(),
    status: z.enum(FEEDBACK_STATUSES),
    message: z.string(),
    submitterRole: z.enum(SUBMITTER_ROLES),
    channel: z.enum(CHANNELS),
    satisfaction: z.int().min(1).max(5).optional(),
    contact: z.object({ name: z.string(), email: z.string(), phone: z.string() }).partial().optional(),
    consentToContact: z.boolean(),
    receivedAt: dateTime,
    timeframe: Timeframe,
    acknowledgeBy: date,
    acknowledgeDueAt: dateTime,
    respondBy: date,
    respondDueAt: dateTime,
    acknowledgedAt: dateTime.optional(),
    acknowledgedBy: Actor.optional(),
    respondedAt: dateTime.optional(),
    respondedBy: Actor.optional(),
    response: z.string().optional(),
    outcome: z.enum(OUTCOMES).optional(),
    closedAt: dateTime.optional(),
    closedBy: Actor.optional(),
    version: z.int().min(1),
  })
  .meta({ id: 'Feedback', description: 'Feedback as officers see it, with the family’s words and contact' });

export const HistoryEntry = z
  .object({
    version: z.int(),
    at: dateTime,
    actor: Actor,
    action: z.string(),
    changes: z.record(z.string(), z.object({ from: z.unknown(), to: z.unknown() })),
  })
  .meta({ id: 'HistoryEntry', description: 'One accountable change: who, when, what' });

export const FeedbackWithHistory = z
  .object({ ...Feedback.shape, history: z.array(HistoryEntry) })
  .meta({ id: 'FeedbackWithHistory' });

export const FeedbackSummary = z
  .object({
    id: z.string(),
    reference: z.string(),
    kind,
    projectId: z.string(),
    status: z.enum(FEEDBACK_STATUSES),
    receivedAt: dateTime,
    acknowledgeBy: date,
    respondBy: date,
    overdue: z.boolean(),
    version: z.int(),
  })
  .meta({ id: 'FeedbackSummary', description: 'A list row: no message, no contact details' });

const cursor = z
  .string()
  .optional()
  .meta({ description: 'Pass as ?cursor= for the next page; absent on the last' });
export const FeedbackPage = z
  .object({ items: z.array(FeedbackSummary), cursor })
  .meta({ id: 'FeedbackPage' });

export const StoredProject = z
  .object({
    id: z.string(),
    title: z.string(),
    serviceArea: z.string(),
    description: z.string().optional(),
    timeframes: Timeframes,
    eventReportBackWorkingDays: z.int(),
    alertTeam: z.string(),
    active: z.boolean(),
    version: z.int().min(0).meta({ description: '0 for a checked-in default never saved' }),
    updatedAt: dateTime.optional(),
    updatedBy: Actor.optional(),
  })
  .meta({ id: 'Project' });
export const ProjectList = z.object({ projects: z.array(StoredProject) }).meta({ id: 'ProjectList' });

export const CoproductionEvent = z
  .object({
    id: z.string(),
    title: z.string(),
    projectId: z.string(),
    type: z.enum(EVENT_TYPES),
    heldOn: date,
    participants: z.object({
      childrenAndYoungPeople: z.int(),
      parentsAndCarers: z.int(),
      professionals: z.int(),
    }),
    accessibility: z.array(z.string()),
    whatWeHeard: z.string().optional(),
    status: z.enum(EVENT_STATUSES),
    reportBackBy: date,
    reportBackDueAt: dateTime,
    createdAt: dateTime,
    createdBy: Actor,
    updatedAt: dateTime,
    updatedBy: Actor,
    version: z.int(),
  })
  .meta({ id: 'Event' });
export const EventWithHistory = z
  .object({ ...CoproductionEvent.shape, history: z.array(HistoryEntry) })
  .meta({ id: 'EventWithHistory' });
export const EventSummary = z
  .object({
    id: z.string(),
    title: z.string(),
    projectId: z.string(),
    type: z.enum(EVENT_TYPES),
    heldOn: date,
    status: z.enum(EVENT_STATUSES),
    reportBackBy: date,
    version: z.int(),
  })
  .meta({ id: 'EventSummary' });
export const EventPage = z.object({ items: z.array(EventSummary), cursor }).meta({ id: 'EventPage' });

/** The OpenAPI document itself: described loosely (it describes itself). */
export const OpenApiDocument = z
  .looseObject({ openapi: z.string(), info: z.looseObject({}), paths: z.looseObject({}) })
  .meta({ id: 'OpenApiDocument' });
