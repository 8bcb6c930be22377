import * as z from 'zod/mini';
import './zod-messages';
import { ProjectId } from './input-fields';
import { cursor, isoDate, limit, officerText } from './officer-fields';
import { ITEM_ID_PATTERN, normaliseReference } from './reference';
import { UPDATE_STATUSES } from './update';

/** The bodies and query of the officers' "You said, we did" routes. */
const status = z.enum(UPDATE_STATUSES, { error: `Choose one of: ${UPDATE_STATUSES.join(', ')}` });

/** A feedback or event id; a reference as a parent reads it out (k7qm-92pd) is taken too. */
const itemId = z
  .pipe(z.string('Give an id'), z.transform(normaliseReference))
  .check(z.refine((id) => ITEM_ID_PATTERN.test(id), 'Not an id this service gives out'));

const links = (max: number) => z.array(itemId).check(z.maxLength(max, `Link at most ${max}`));

const fields = {
  projectId: ProjectId,
  title: officerText(200),
  youSaid: officerText(5_000),
  weDid: officerText(5_000),
  status,
  reason: officerText(2_000),
  easyRead: officerText(5_000),
  expectedBy: isoDate,
  feedbackIds: links(100),
  eventIds: links(50),
};

export const UpdateInput = z.strictObject({
  projectId: fields.projectId,
  title: fields.title,
  youSaid: fields.youSaid,
  weDid: fields.weDid,
  status: z._default(fields.status, 'planned'),
  reason: z.optional(fields.reason),
  easyRead: z.optional(fields.easyRead),
  expectedBy: z.optional(fields.expectedBy),
  feedbackIds: z._default(fields.feedbackIds, []),
  eventIds: z._default(fields.eventIds, []),
});
export type UpdateInput = z.infer<typeof UpdateInput>;

/** A PATCH names only what changes; `null` clears an optional field (reason, easyRead, expectedBy). */
export const UpdatePatch = z
  .strictObject({
    projectId: z.optional(fields.projectId),
    title: z.optional(fields.title),
    youSaid: z.optional(fields.youSaid),
    weDid: z.optional(fields.weDid),
    status: z.optional(fields.status),
    reason: z.optional(z.nullable(fields.reason)),
    easyRead: z.optional(z.nullable(fields.easyRead)),
    expectedBy: z.optional(z.nullable(fields.expectedBy)),
    feedbackIds: z.optional(fields.feedbackIds),
    eventIds: z.optional(fields.eventIds),
  })
  .check(z.refine((patch) => Object.keys(patch).length > 0, 'Name at least one field to change'));
export type UpdatePatch = z.infer<typeof UpdatePatch>;

const flag = z.enum(['true', 'false'], { error: 'Use true or false' });

export const UpdateListParams = z.strictObject({
  projectId: z.optional(ProjectId),
  status: z.optional(status),
  published: z.optional(flag),
  limit,
  cursor,
});
export type UpdateListParams = z.infer<typeof UpdateListParams>;
