import * as z from 'zod/mini';
import './zod-messages';
import { COMPLAINT_PROCEDURES } from './complaint-procedure';
import { officerText } from './officer-fields';
import { DEFAULT_ALERT_SETTINGS } from './overdue';
import { FEEDBACK_KINDS } from './project';

/** The body of `PUT /officer/projects/{id}`. */
const workingDays = z.int('Give a whole number of working days').check(z.minimum(1), z.maximum(250));
const Timeframe = z.strictObject({ acknowledgeWorkingDays: workingDays, respondWorkingDays: workingDays });
const extensionDays = z.int('Give a whole number of working days').check(z.minimum(0), z.maximum(65));

/** Where the council's corporate complaints procedure differs from the Code (shared/domain/complaint-procedure.ts). */
const CorporateComplaints = z.strictObject({
  askForStage2WithinWorkingDays: z.optional(workingDays),
  stage1MaxExtensionWorkingDays: z.optional(extensionDays),
  stage2AcknowledgeWorkingDays: z.optional(workingDays),
  stage2RespondWorkingDays: z.optional(workingDays),
  stage2MaxExtensionWorkingDays: z.optional(extensionDays),
});

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
    reminderWorkingDays: z._default(workingDays, DEFAULT_ALERT_SETTINGS.reminderWorkingDays),
    escalateAfterReminders: z._default(
      z.int('Give a whole number of reminders').check(z.minimum(1), z.maximum(50)),
      DEFAULT_ALERT_SETTINGS.escalateAfterReminders,
    ),
    complaintProcedure: z.optional(
      z.enum(COMPLAINT_PROCEDURES, { error: `Choose one of: ${COMPLAINT_PROCEDURES.join(', ')}` }),
    ),
    corporateComplaints: z.optional(CorporateComplaints),
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
      const corporate = project.corporateComplaints;
      if (
        corporate?.stage2AcknowledgeWorkingDays !== undefined &&
        corporate.stage2RespondWorkingDays !== undefined &&
        corporate.stage2RespondWorkingDays < corporate.stage2AcknowledgeWorkingDays
      ) {
        ctx.addIssue({
          code: 'custom',
          path: ['corporateComplaints', 'stage2RespondWorkingDays'],
          message: 'The answer cannot be due before the acknowledgement',
        });
      }
    }),
  );
export type ProjectInput = z.infer<typeof ProjectInput>;
