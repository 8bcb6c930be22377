import middy from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2 } from 'aws-lambda';
import type { FeedbackKind } from '../../shared/domain/project';
import { officerApi } from '../../shared/http/middleware';
import { parseWith } from '../../shared/http/parse';
import { ok } from '../../shared/http/responses';
import type { AuditLog } from '../../shared/retention/ports';
import {
  parseRetentionPeriods,
  periodsByKind,
  RETENTION_PERIODS_ENV,
} from '../../shared/retention/retention-periods';
import { auditMonth } from '../../shared/retention/subject-access';
import { AuditQuery } from '../../shared/retention/subject-access-input';
import { auditLog } from '../../shared/storage/retention-repositories';

/**
 * GET /officer/retention/audit?month=2027-03&after&limit (admins): a month's anonymisations (by
 * the schedule and at families' requests) and subject-access exports, oldest first, with the
 * retention periods in force.
 */
export const makeHandler = (deps: {
  audit: Pick<AuditLog, 'month'>;
  retentionPeriods: Record<FeedbackKind, string>;
}) =>
  middy<APIGatewayProxyEventV2, APIGatewayProxyResultV2>()
    .use(officerApi('admin'))
    .handler(async (event) => {
      const query = parseWith(AuditQuery, event.queryStringParameters ?? {});
      const page = await auditMonth(deps, query);
      return ok({ retentionPeriods: deps.retentionPeriods, ...page });
    });

export const handler = makeHandler({
  audit: auditLog(),
  retentionPeriods: periodsByKind(parseRetentionPeriods(process.env[RETENTION_PERIODS_ENV])),
});
