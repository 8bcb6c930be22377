import { Logger } from '@aws-lambda-powertools/logger';
import { search } from '@aws-lambda-powertools/logger/correlationId';
import { Metrics } from '@aws-lambda-powertools/metrics';

/**
 * One logger and one metrics instance for every function (Powertools' advice): JSON logs with the
 * correlation id on every line. Nothing here ever receives a request body or a family's contact
 * details: log field names and ids, not values people typed.
 */
export const logger = new Logger({
  serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'you-said-we-did',
  correlationIdSearchFn: search,
});

export const metrics = new Metrics({
  namespace: process.env.POWERTOOLS_METRICS_NAMESPACE ?? 'YouSaidWeDid',
  serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'you-said-we-did',
});
