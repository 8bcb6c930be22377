import * as z from 'zod/mini';
import './zod-messages';

export const FEEDBACK_KINDS = ['feedback', 'compliment', 'complaint'] as const;
export const FeedbackKind = z.enum(FEEDBACK_KINDS, { error: 'Choose feedback, compliment or complaint' });
export type FeedbackKind = z.infer<typeof FeedbackKind>;

const workingDays = z.int('Give a whole number of working days').check(z.minimum(1), z.maximum(250));

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
  .string('Give a project id')
  .check(
    z.regex(
      /^[a-z0-9][a-z0-9-]{0,62}$/,
      'Use 1-63 lower-case letters, digits and hyphens, starting with a letter or digit',
    ),
  );

const text = (max: number) => z.string().check(z.trim(), z.minLength(1), z.maxLength(max));

export const Project = z.strictObject({
  id: ProjectId,
  title: text(200),
  serviceArea: text(200),
  description: z.optional(z.string().check(z.trim(), z.maxLength(2000))),
  timeframes: Timeframes,
  /** Working days after a co-production event by which its participants hear what came of it. */
  eventReportBackWorkingDays: workingDays,
  /** Which team's inbox gets this project's overdue alerts. */
  alertTeam: z.string().check(z.regex(/^[a-z0-9-]{1,64}$/)),
  active: z.boolean(),
});
export type Project = z.infer<typeof Project>;
