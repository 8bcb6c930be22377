import { Metrics } from '@aws-lambda-powertools/metrics';

/** CloudWatch metrics as embedded-metric-format log lines: no API call, no extra latency. */
export const metrics = new Metrics({
  namespace: process.env.POWERTOOLS_METRICS_NAMESPACE ?? 'YouSaidWeDid',
  serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'you-said-we-did',
});
