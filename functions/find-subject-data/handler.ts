import middy from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2 } from 'aws-lambda';
import { subjectLookupKey } from '../../shared/config/subject-lookup-key';
import { systemClock } from '../../shared/domain/clock';
import { actorOf, correlationIdOf, officerApi } from '../../shared/http/middleware';
import { parseWith } from '../../shared/http/parse';
import { ok } from '../../shared/http/responses';
import { parseRetentionPeriods, RETENTION_PERIODS_ENV } from '../../shared/retention/retention-periods';
import { findSubjectData, type SubjectAccessDeps } from '../../shared/retention/subject-access';
import { SubjectSearch } from '../../shared/retention/subject-access-input';
import { subjectKeyOf } from '../../shared/retention/subject-keys';
import { documentClient, tableName, tooLateFor } from '../../shared/storage/client';
import { noticesOfFeedback } from '../../shared/storage/notice-repository';
import { anonymisationStore, auditLog, subjectLookup } from '../../shared/storage/retention-repositories';

/**
 * POST /officer/subject-access (admins): everything held about one family, found by the email,
 * phone or references they give, with its history and how long each item is kept. A POST so the
 * details searched for never appear in a URL; the export is audit-recorded (who, when, which items).
 */
export const makeHandler = (deps: SubjectAccessDeps) =>
  middy<APIGatewayProxyEventV2, APIGatewayProxyResultV2>()
    .use(officerApi('admin', { jsonBody: true }))
    .handler(async (event, context) => {
      const search = parseWith(SubjectSearch, event.body);
      const found = await findSubjectData(deps, search, actorOf(event), correlationIdOf(event), () =>
        // Room for the slowest step left: a read, then the audit record (or the write).
        tooLateFor(2, context.getRemainingTimeInMillis()),
      );
      return ok(found);
    });

export const handler = makeHandler({
  store: anonymisationStore(),
  lookup: subjectLookup(),
  audit: auditLog(),
  subjectKey: async (channel, value) => subjectKeyOf(channel, value, await subjectLookupKey()),
  // Checked when the function starts: a wrong setting fails every request rather than misinforming.
  periods: parseRetentionPeriods(process.env[RETENTION_PERIODS_ENV]),
  now: systemClock,
  messages: (id) => noticesOfFeedback(documentClient(), tableName(), id),
});
