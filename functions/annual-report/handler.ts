import middy from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2 } from 'aws-lambda';
import {
  type AnnualReportDeps,
  annualReport,
  annualReportCsv,
  parseYear,
} from '../../shared/domain/annual-report';
import { DomainError } from '../../shared/domain/errors';
import { smallCountThreshold } from '../../shared/domain/public-counts';
import { officerApi } from '../../shared/http/middleware';
import { ok } from '../../shared/http/responses';
import { documentClient, tableName } from '../../shared/storage/client';
import { eventRepository, projectRepository, updateRepository } from '../../shared/storage/repositories';
import { createScorecardRepository } from '../../shared/storage/scorecard-repository';

function yearErrors(year: string | undefined) {
  try {
    parseYear(year);
    return [];
  } catch (error) {
    return error instanceof DomainError ? error.errors : [];
  }
}

/** GET /officer/reports/annual?year=YYYY[&format=csv]: regulation 56's yearly report, identifying no one. */
export const makeHandler = (deps: AnnualReportDeps) =>
  middy<APIGatewayProxyEventV2, APIGatewayProxyResultV2>()
    .use(officerApi('officer'))
    .handler(async (event) => {
      const params = event.queryStringParameters ?? {};
      const format = params.format ?? 'json';
      // Every failing parameter at once, as the other routes do.
      const errors = [
        ...Object.keys(params)
          .filter((name) => name !== 'year' && name !== 'format')
          .map((name) => ({ path: name, message: 'This parameter is not recognised' })),
        ...(format === 'json' || format === 'csv' ? [] : [{ path: 'format', message: 'Use json or csv' }]),
        ...yearErrors(params.year),
      ];
      if (errors.length) throw new DomainError('invalid', 'The report query needs correcting.', errors);
      const report = await annualReport(deps, parseYear(params.year));
      if (format === 'json') return ok(report);
      return {
        statusCode: 200,
        headers: {
          'content-type': 'text/csv; charset=utf-8',
          'content-disposition': `attachment; filename="you-said-we-did-${report.year}.csv"`,
          'cache-control': 'no-store',
        },
        body: annualReportCsv(report),
      };
    });

const updates = updateRepository();
export const handler = makeHandler({
  feed: updates,
  reports: updates,
  events: eventRepository(),
  projects: projectRepository(),
  scorecard: createScorecardRepository(documentClient(), tableName()),
  smallCountThreshold: smallCountThreshold(),
});
