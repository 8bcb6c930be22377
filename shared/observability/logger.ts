import { Logger } from '@aws-lambda-powertools/logger';

/**
 * One logger for every function (Powertools' advice): JSON lines with the correlation id on each.
 * It never receives a request body or a family's contact details: log field names and ids, not
 * values people typed.
 */
export const logger = new Logger({ serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'you-said-we-did' });
