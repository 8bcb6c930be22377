import middy from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2 } from 'aws-lambda';
import { systemClock } from '../../shared/domain/clock';
import { smallCountThreshold } from '../../shared/domain/public-counts';
import { httpApi } from '../../shared/http/middleware';
import { anyOrigin, cacheable } from '../../shared/http/public-cache';
import { scorecardCsv } from '../../shared/scorecard/csv';
import {
  parseScorecardQuery,
  readScorecard,
  type ScorecardDeps,
} from '../../shared/scorecard/read-scorecard';
import { documentClient, tableName } from '../../shared/storage/client';
import { projectRepository } from '../../shared/storage/repositories';
import { createScorecardRepository } from '../../shared/storage/scorecard-repository';

export interface GetScorecardDeps extends ScorecardDeps {
  now: () => Date;
}

/**
 * GET /scorecard?projectId&from&to&format: the public timeliness and satisfaction scorecard, JSON
 * or CSV, for anyone (CORS *, a strong ETag, 304), every count shown safely (shared/scorecard/figures.ts).
 */
export const makeHandler = (deps: GetScorecardDeps) =>
  middy<APIGatewayProxyEventV2, APIGatewayProxyResultV2>()
    // anyOrigin first: its after/onError hooks run last, on the final response (errors included).
    .use(anyOrigin)
    .use(httpApi())
    .handler(async (request) => {
      const query = parseScorecardQuery(request.queryStringParameters, deps.now());
      const scorecard = await readScorecard(deps, query);
      if (query.format === 'json') {
        return cacheable(request, JSON.stringify(scorecard), 'application/json; charset=utf-8');
      }
      const name = `scorecard-${scorecard.projectId ?? 'all-projects'}-${scorecard.from}-to-${scorecard.to}.csv`;
      return cacheable(request, scorecardCsv(scorecard), 'text/csv; charset=utf-8', {
        'content-disposition': `attachment; filename="${name}"`,
      });
    });

export const handler = makeHandler({
  scorecard: createScorecardRepository(documentClient(), tableName()),
  projects: projectRepository(),
  smallCountThreshold: smallCountThreshold(),
  now: systemClock,
});
