import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { systemClock } from '../../shared/domain/clock';
import { DEFAULT_LEASE_MS, type SweepDeps, sweepOverdue } from '../../shared/domain/sweep-overdue';
import { defaultClient, snsAlertSender } from '../../shared/notify/sns-sender';
import {
  ALERT_SUBSCRIPTIONS_ENV,
  checkSubscriptions,
  type ExpectedSubscription,
  expectedSubscriptionsFrom,
} from '../../shared/notify/subscription-check';
import { logger } from '../../shared/observability/logger';
import { metrics } from '../../shared/observability/metrics';
import { createSweepStore } from '../../shared/storage/alert-repository';
import { documentClient, tableName } from '../../shared/storage/client';
import { projectRepository } from '../../shared/storage/repositories';

/**
 * The overdue sweep, invoked by EventBridge Scheduler (not an HTTP route). It checks the team
 * subscriptions, then sends what is due (shared/domain/sweep-overdue.ts). A failed Publish or a
 * subscription problem fails the invocation, so the scheduler retries and the alarms see it.
 */
export interface SweepHandlerDeps extends SweepDeps {
  checkSubscriptions: () => Promise<{ team: string; role: string; problem: string }[]>;
}

export const makeHandler = (deps: SweepHandlerDeps) => async () => {
  let problems: Awaited<ReturnType<SweepHandlerDeps['checkSubscriptions']>> = [];
  try {
    problems = await deps.checkSubscriptions();
  } catch (error) {
    // Not knowing is a problem too, but it must not stop the alerts themselves.
    logger.error('could not check the alert subscriptions', { error });
    problems = [{ team: '*', role: 'team', problem: 'check-failed' }];
  }
  for (const problem of problems) logger.error('alert subscription needs attention', { ...problem });
  metrics.addMetric('AlertSubscriptionProblems', MetricUnit.Count, problems.length);
  // Published now: the alarm must see it even if the sweep below fails.
  metrics.publishStoredMetrics();

  const report = await sweepOverdue({
    ...deps,
    log: (event, details) => logger.info(event, details),
  });
  metrics.addMetric('OverdueItemsRead', MetricUnit.Count, report.read);
  metrics.addMetric('OverdueAlertsSent', MetricUnit.Count, report.sent.length);
  metrics.addMetric('OverdueAlertsFailed', MetricUnit.Count, report.failed.length);
  metrics.publishStoredMetrics();
  logger.info('sweep done', {
    read: report.read,
    sent: report.sent.length,
    failed: report.failed.length,
    skipped: report.skipped,
  });
  if (report.failed.length) {
    throw new Error(`${report.failed.length} alert(s) could not be published; the next sweep retries them`);
  }
  return { read: report.read, sent: report.sent.length, skipped: report.skipped };
};

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set`);
  return value;
}

const topicArn = process.env.ALERT_TOPIC_ARN ?? '';
const expected: ExpectedSubscription[] = expectedSubscriptionsFrom(process.env[ALERT_SUBSCRIPTIONS_ENV]);

export const handler = makeHandler({
  store: createSweepStore(documentClient(), tableName()),
  projects: projectRepository(),
  sender: snsAlertSender(topicArn),
  now: systemClock,
  officerAppUrl: process.env.OFFICER_APP_URL ?? '',
  leaseMs: DEFAULT_LEASE_MS,
  checkSubscriptions: () => checkSubscriptions(defaultClient(), required('ALERT_TOPIC_ARN'), expected),
});
