import * as z from 'zod';
import { REPORT_FIRST_YEAR, REPORT_LAST_YEAR } from '../../shared/domain/annual-report';
import { PROJECT_ID_PATTERN } from '../../shared/domain/project';
import { FEED_PAGE_DEFAULT, FEED_PAGE_MAX } from '../../shared/domain/public-feed';
import { UPDATE_STATUSES } from '../../shared/domain/update';
import { SCORECARD_DEFAULT_MONTHS, SCORECARD_MAX_MONTHS } from '../../shared/scorecard/read-scorecard';

/**
 * The query strings some handlers check by hand rather than with zod (the public feeds and health
 * carry no schema library, for their cold start; the annual report lists every failing parameter
 * itself). Described here for the document only, from the same constants the checks use; the
 * handlers' tests hold the checks to them.
 */
export const FeedQuery = z.object({
  projectId: z.string().regex(PROJECT_ID_PATTERN).optional(),
  status: z.enum(UPDATE_STATUSES).optional(),
  since: z.string().optional().meta({
    description:
      'Only updates modified at or after: a date (2026-11-25, midnight UTC) or an instant with its offset (2026-11-25T09:30:00Z)',
  }),
  limit: z
    .string()
    .regex(/^\d{1,3}$/)
    .optional()
    .meta({ description: `Items per page, 1 to ${FEED_PAGE_MAX} (default ${FEED_PAGE_DEFAULT})` }),
  cursor: z
    .string()
    .min(1)
    .max(4096)
    .optional()
    .meta({ description: 'From next_url (or the RSS next link), unchanged' }),
});

export const AnnualReportQuery = z.strictObject({
  year: z
    .string()
    .regex(/^\d{4}$/)
    .meta({ description: `The calendar year, ${REPORT_FIRST_YEAR} to ${REPORT_LAST_YEAR}` }),
  format: z.enum(['json', 'csv']).default('json').meta({ description: 'csv: the same report as text/csv' }),
});

const month = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/);
export const ScorecardQuery = z.object({
  projectId: z
    .string()
    .regex(PROJECT_ID_PATTERN)
    .optional()
    .meta({ description: 'One project (default: all)' }),
  from: month.optional().meta({
    description: `The first London month, YYYY-MM (default: ${SCORECARD_DEFAULT_MONTHS - 1} months before to); at most ${SCORECARD_MAX_MONTHS} months in all`,
  }),
  to: month.optional().meta({ description: 'The last London month, YYYY-MM (default: this month)' }),
  format: z.enum(['json', 'csv']).default('json').meta({ description: 'csv: the same figures as text/csv' }),
});

export const HealthQuery = z.object({
  ready: z
    .literal('true')
    .optional()
    .meta({ description: 'Also check the table answers (200 ready, or 503 with Retry-After)' }),
});
