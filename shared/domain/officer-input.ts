import * as z from 'zod/mini';
import './zod-messages';
import { BANK_HOLIDAYS_FIRST_YEAR, BANK_HOLIDAYS_LAST_YEAR } from './bank-holidays.generated';
import { EVENT_STATUSES, EVENT_TYPES } from './event';
import { FEEDBACK_STATUSES, OUTCOMES } from './feedback';
import { FeedbackKind, ProjectId } from './feedback-submission';
import { FEEDBACK_KINDS } from './project';

/** What officers send. Each schema is strict: an unknown field is refused, never dropped. */

const limit = z._default(
  z
    .pipe(
      z.string().check(z.regex(/^\d{1,3}$/, 'limit is a whole number from 1 to 100')),
      z.transform(Number),
    )
    .check(z.refine((n) => n >= 1 && n <= 100, 'limit is a whole number from 1 to 100')),
  25,
);
const cursor = z.optional(z.string().check(z.minLength(1), z.maxLength(4096)));

export const FeedbackListParams = z.strictObject({
  status: z.optional(z.enum(FEEDBACK_STATUSES, { error: `Choose one of: ${FEEDBACK_STATUSES.join(', ')}` })),
  projectId: z.optional(ProjectId),
  kind: z.optional(FeedbackKind),
  overdue: z.optional(z.enum(['true', 'false'], { error: 'overdue is true or false' })),
  limit,
  cursor,
});
export type FeedbackListParams = z.infer<typeof FeedbackListParams>;

const officerText = (max: number) =>
  z.string().check(z.trim(), z.minLength(1, 'Enter some text'), z.maxLength(max));

export const FeedbackResponseInput = z.strictObject({
  response: officerText(10_000),
  outcome: z.enum(OUTCOMES, { error: `Choose one of: ${OUTCOMES.join(', ')}` }),
});
export type FeedbackResponseInput = z.infer<typeof FeedbackResponseInput>;

const workingDays = z.int('Give a whole number of working days').check(z.minimum(1), z.maximum(250));
const Timeframe = z.strictObject({ acknowledgeWorkingDays: workingDays, respondWorkingDays: workingDays });

export const ProjectInput = z
  .strictObject({
    title: officerText(200),
    serviceArea: officerText(200),
    description: z.optional(z.string().check(z.trim(), z.maxLength(2000))),
    timeframes: z.strictObject(
      Object.fromEntries(FEEDBACK_KINDS.map((kind) => [kind, Timeframe])) as Record<
        (typeof FEEDBACK_KINDS)[number],
        typeof Timeframe
      >,
    ),
    eventReportBackWorkingDays: z._default(workingDays, 20),
    alertTeam: z
      .string()
      .check(z.regex(/^[a-z0-9-]{1,64}$/, 'Use 1-64 lower-case letters, digits and hyphens')),
    active: z.boolean('active is true or false'),
  })
  .check(
    z.superRefine((project, ctx) => {
      for (const kind of FEEDBACK_KINDS) {
        const timeframe = project.timeframes[kind];
        if (timeframe.respondWorkingDays < timeframe.acknowledgeWorkingDays) {
          ctx.addIssue({
            code: 'custom',
            path: ['timeframes', kind, 'respondWorkingDays'],
            message: 'The answer cannot be due before the acknowledgement',
          });
        }
      }
    }),
  );
export type ProjectInput = z.infer<typeof ProjectInput>;

/** Dates the working-day calendar covers, with a year to spare for deadlines counted from them. */
const isoDate = z.iso.date('Use a date like 2026-11-25').check(
  z.refine(
    (date) => {
      const year = Number(date.slice(0, 4));
      return year >= BANK_HOLIDAYS_FIRST_YEAR && year < BANK_HOLIDAYS_LAST_YEAR;
    },
    `Use a date from ${BANK_HOLIDAYS_FIRST_YEAR} to ${BANK_HOLIDAYS_LAST_YEAR - 1}`,
  ),
);
const count = z.int('Give a whole number, 0 or more').check(z.minimum(0), z.maximum(100_000));

export const Participants = z.strictObject({
  childrenAndYoungPeople: z._default(count, 0),
  parentsAndCarers: z._default(count, 0),
  professionals: z._default(count, 0),
});

/** In a PATCH, only the counts named change; the others stay as they were. */
const ParticipantsPatch = z.strictObject({
  childrenAndYoungPeople: z.optional(count),
  parentsAndCarers: z.optional(count),
  professionals: z.optional(count),
});

const eventFields = {
  title: officerText(200),
  projectId: ProjectId,
  type: z.enum(EVENT_TYPES, { error: `Choose one of: ${EVENT_TYPES.join(', ')}` }),
  heldOn: isoDate,
  participants: z._default(Participants, {
    childrenAndYoungPeople: 0,
    parentsAndCarers: 0,
    professionals: 0,
  }),
  accessibility: z._default(z.array(officerText(100)).check(z.maxLength(30)), []),
  whatWeHeard: z.optional(z.string().check(z.trim(), z.maxLength(20_000))),
  /** An event is recorded as planned or as already held; it is reported back later, by PATCH. */
  status: z._default(z.enum(['planned', 'held'], { error: 'A new event is planned or held' }), 'planned'),
};

export const EventInput = z.strictObject(eventFields);
export type EventInput = z.infer<typeof EventInput>;

/** A PATCH names only what changes; every field is as in EventInput. */
export const EventPatch = z
  .strictObject({
    title: z.optional(eventFields.title),
    projectId: z.optional(eventFields.projectId),
    type: z.optional(eventFields.type),
    heldOn: z.optional(isoDate),
    participants: z.optional(ParticipantsPatch),
    accessibility: z.optional(z.array(officerText(100)).check(z.maxLength(30))),
    whatWeHeard: z.optional(z.string().check(z.trim(), z.maxLength(20_000))),
    status: z.optional(z.enum(EVENT_STATUSES, { error: `Choose one of: ${EVENT_STATUSES.join(', ')}` })),
  })
  .check(z.refine((patch) => Object.keys(patch).length > 0, 'Name at least one field to change'));
export type EventPatch = z.infer<typeof EventPatch>;

export const EventListParams = z
  .strictObject({
    projectId: z.optional(ProjectId),
    from: z.optional(isoDate),
    to: z.optional(isoDate),
    limit,
    cursor,
  })
  .check(
    z.superRefine((params, ctx) => {
      if (params.from && params.to && params.to < params.from) {
        ctx.addIssue({ code: 'custom', path: ['to'], message: 'to must not be before from' });
      }
    }),
  );
export type EventListParams = z.infer<typeof EventListParams>;
