import * as z from 'zod/mini';
import './zod-messages';
import { EVENT_STATUSES, EVENT_TYPES } from './event';
import { ProjectId } from './input-fields';
import { cursor, isoDate, limit, officerText } from './officer-fields';

/** The bodies and query of the co-production event routes. */
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
