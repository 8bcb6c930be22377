import { DEFAULT_ALERT_SETTINGS } from '../domain/overdue';
import type { Project, Timeframes } from '../domain/project';

/**
 * Timeframes in working days, counted from the day after receipt.
 * Complaints follow the Local Government and Social Care Ombudsman's Complaint Handling Code:
 * acknowledge within 5 working days, respond within 10 more (15 from receipt).
 */
export const DEFAULT_TIMEFRAMES: Timeframes = {
  complaint: { acknowledgeWorkingDays: 5, respondWorkingDays: 15 },
  feedback: { acknowledgeWorkingDays: 5, respondWorkingDays: 20 },
  compliment: { acknowledgeWorkingDays: 5, respondWorkingDays: 10 },
};

export const DEFAULT_EVENT_REPORT_BACK_WORKING_DAYS = 20;

export const GENERAL_PROJECT_ID = 'general';

/**
 * Projects that exist before any officer creates one. An officer's saved version of a project with
 * the same id takes precedence; `general` always exists so a form never has nowhere to send feedback.
 */
export const DEFAULT_PROJECTS: readonly Project[] = [
  {
    id: GENERAL_PROJECT_ID,
    title: 'General feedback about SEND services',
    serviceArea: 'Special educational needs and disabilities (SEND)',
    description:
      'Anything about SEND support, services or the Local Offer that does not fit another project.',
    timeframes: DEFAULT_TIMEFRAMES,
    eventReportBackWorkingDays: DEFAULT_EVENT_REPORT_BACK_WORKING_DAYS,
    alertTeam: 'send-service',
    ...DEFAULT_ALERT_SETTINGS,
    active: true,
  },
];
