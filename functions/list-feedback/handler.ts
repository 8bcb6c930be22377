import middy from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2 } from 'aws-lambda';
import { systemClock } from '../../shared/domain/clock';
import { FeedbackListParams } from '../../shared/domain/feedback-list-params';
import { listFeedback, type TriageDeps } from '../../shared/domain/triage-feedback';
import { officerApi } from '../../shared/http/middleware';
import { parseWith } from '../../shared/http/parse';
import { ok } from '../../shared/http/responses';
import { feedbackRepository } from '../../shared/storage/repositories';

/** GET /officer/feedback?status&projectId&kind&overdue&limit&cursor: nearest deadline first. */
export const makeHandler = (deps: TriageDeps) =>
  middy<APIGatewayProxyEventV2, APIGatewayProxyResultV2>()
    .use(officerApi('officer'))
    .handler(async (event) => {
      const { limit, cursor, overdue, ...filters } = parseWith(
        FeedbackListParams,
        event.queryStringParameters ?? {},
      );
      const page = await listFeedback(
        deps,
        { ...filters, overdue: overdue === 'true' },
        { limit, ...(cursor ? { cursor } : {}) },
      );
      return ok(page);
    });

export const handler = makeHandler({ feedback: feedbackRepository(), now: systemClock });
