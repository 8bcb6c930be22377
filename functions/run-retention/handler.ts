import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { Context } from 'aws-lambda';
import { systemClock } from '../../shared/domain/clock';
import { logger } from '../../shared/observability/logger';
import { metrics } from '../../shared/observability/metrics';
import { parseRetentionPeriods, RETENTION_PERIODS_ENV } from '../../shared/retention/retention-periods';
import { type RetentionDeps, runRetention } from '../../shared/retention/run-retention';
import { anonymisationStore } from '../../shared/storage/retention-repositories';

/**
 * The retention job, invoked daily by EventBridge Scheduler (not an HTTP route): anonymises closed
 * feedback whose retention period has passed (shared/retention/run-retention.ts). An item that
 * could not be done fails the invocation, so the scheduler retries and the alarm sees it; what
 * was done stays done (each item is its own conditional write).
 */
export const makeHandler = (deps: RetentionDeps) => async (_event?: unknown, context?: Context) => {
  const report = await runRetention({
    ...deps,
    log: (event, details) => logger.info(event, details),
    // A minute to spare: an item takes a few calls, each cut off within seconds.
    ...(context ? { outOfTime: () => context.getRemainingTimeInMillis() < 60_000 } : {}),
  });
  metrics.addMetric('RetentionItemsRead', MetricUnit.Count, report.read);
  metrics.addMetric('FeedbackAnonymised', MetricUnit.Count, report.anonymised.length);
  metrics.addMetric('RetentionItemsFailed', MetricUnit.Count, report.failed.length);
  metrics.publishStoredMetrics();
  const summary = {
    read: report.read,
    anonymised: report.anonymised.length,
    skipped: report.skipped,
    unchanged: report.unchanged,
    failed: report.failed.length,
    more: report.more,
  };
  logger.info('retention done', summary);
  if (report.failed.length) {
    throw new Error(`${report.failed.length} item(s) could not be anonymised; the next run retries them`);
  }
  return summary;
};

// Checked when the function starts: a wrong setting fails the run (and its alarm) before any write.
export const handler = makeHandler({
  store: anonymisationStore(),
  now: systemClock,
  periods: parseRetentionPeriods(process.env[RETENTION_PERIODS_ENV]),
});
