import * as z from 'zod/mini';
import './zod-messages';
import { FEEDBACK_STATUSES } from './feedback';
import { FeedbackKind, ProjectId } from './input-fields';
import { cursor, limit } from './officer-fields';

/** The query of `GET /officer/feedback`. */
export const FeedbackListParams = z.strictObject({
  status: z.optional(z.enum(FEEDBACK_STATUSES, { error: `Choose one of: ${FEEDBACK_STATUSES.join(', ')}` })),
  projectId: z.optional(ProjectId),
  kind: z.optional(FeedbackKind),
  overdue: z.optional(z.enum(['true', 'false'], { error: 'overdue is true or false' })),
  limit,
  cursor,
});
export type FeedbackListParams = z.infer<typeof FeedbackListParams>;
