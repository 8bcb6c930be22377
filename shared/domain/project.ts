import * as z from 'zod';

export const FEEDBACK_KINDS = ['feedback', 'compliment', 'complaint'] as const;
export const FeedbackKind = z.enum(FEEDBACK_KINDS, { error: 'Choose feedback, compliment or complaint' });
export type FeedbackKind = z.infer<typeof FeedbackKind>;

const workingDays = z.int().min(1).max(250);

export const Timeframe = z.strictObject({
  /** Working days after receipt by which the family is told their feedback arrived and who has it. */
  acknowledgeWorkingDays: workingDays,
  /** Working days after receipt by which the family gets an answer. */
  respondWorkingDays: workingDays,
});
export type Timeframe = z.infer<typeof Timeframe>;

export const Timeframes = z.strictObject({
  feedback: Timeframe,
  compliment: Timeframe,
  complaint: Timeframe,
});
export type Timeframes = z.infer<typeof Timeframes>;

export const ProjectId = z
  .string()
  .regex(
    /^[a-z0-9][a-z0-9-]{0,62}$/,
    'Use 1-63 lower-case letters, digits and hyphens, starting with a letter or digit',
  );

export const Project = z.strictObject({
  id: ProjectId,
  title: z.string().trim().min(1).max(200),
  serviceArea: z.string().trim().min(1).max(200),
  description: z.string().trim().max(2000).optional(),
  timeframes: Timeframes,
  /** Working days after a co-production event by which its participants hear what came of it. */
  eventReportBackWorkingDays: workingDays,
  /** Which team's inbox gets this project's overdue alerts. */
  alertTeam: z.string().regex(/^[a-z0-9-]{1,64}$/),
  active: z.boolean(),
});
export type Project = z.infer<typeof Project>;

/** What the public may know of a project: enough for a form to promise a reply date. */
export interface PublicProject {
  id: string;
  title: string;
  serviceArea: string;
  description?: string;
  timeframes: Timeframes;
}

export function publicViewOf(project: Project): PublicProject {
  const { id, title, serviceArea, description, timeframes } = project;
  return description === undefined
    ? { id, title, serviceArea, timeframes }
    : { id, title, serviceArea, description, timeframes };
}
