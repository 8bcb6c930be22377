/**
 * A project: a co-production project or a service area. Every piece of feedback belongs to one, and
 * its timeframes say by when families hear back. Plain types: the zod schema for officers' edits
 * comes with the officer API; keeping zod out of here keeps it out of bundles that only read.
 */
import type { ComplaintProcedureName, CorporateComplaintSettings } from './complaint-procedure';

export const FEEDBACK_KINDS = ['feedback', 'compliment', 'complaint'] as const;
export type FeedbackKind = (typeof FEEDBACK_KINDS)[number];

export interface Timeframe {
  /** Working days after receipt by which the family is told their feedback arrived and who has it. */
  acknowledgeWorkingDays: number;
  /** Working days after receipt by which the family gets an answer. */
  respondWorkingDays: number;
}

export type Timeframes = Record<FeedbackKind, Timeframe>;

export interface Project {
  id: string;
  title: string;
  serviceArea: string;
  description?: string;
  timeframes: Timeframes;
  /** Working days after a co-production event by which its participants hear what came of it. */
  eventReportBackWorkingDays: number;
  /** Which team's inbox gets this project's overdue alerts. */
  alertTeam: string;
  /** Working days between overdue reminders (default 5; projects saved before alerts have none). */
  reminderWorkingDays?: number;
  /** From this reminder on, an overdue alert is an escalation (default 2). */
  escalateAfterReminders?: number;
  /** The procedure a new complaint follows (default `corporate`; shared/domain/complaint-procedure.ts). */
  complaintProcedure?: ComplaintProcedureName;
  /** Where the council's corporate complaints procedure differs from the Code's defaults. */
  corporateComplaints?: CorporateComplaintSettings;
  active: boolean;
}

/** Project ids are slugs: they appear in URLs and in forms' hidden fields. */
export const PROJECT_ID_PATTERN = /^[a-z0-9][a-z0-9-]{0,62}$/;

/** Where projects come from: saved ones over the checked-in defaults. */
export interface ProjectRepository {
  get(id: string): Promise<Project | undefined>;
  list(): Promise<Project[]>;
}
