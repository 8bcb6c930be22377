import middy from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2 } from 'aws-lambda';
import { systemClock } from '../../shared/domain/clock';
import { feedbackWithHistory, type TriageDeps } from '../../shared/domain/triage-feedback';
import { etagOf } from '../../shared/http/conditional';
import { officerApi } from '../../shared/http/middleware';
import { itemIdOf } from '../../shared/http/path';
import { ok } from '../../shared/http/responses';
import { feedbackRepository } from '../../shared/storage/repositories';

/**
 * GET /officer/feedback/{id}: everything, contact details, history and overdue alerts sent
 * included, whether it is overdue now, with its ETag.
 */
export const makeHandler = (deps: TriageDeps) =>
  middy<APIGatewayProxyEventV2, APIGatewayProxyResultV2>()
    .use(officerApi('officer'))
    .handler(async (event) => {
      const { feedback, overdue, history, alerts } = await feedbackWithHistory(deps, itemIdOf(event));
      return ok({ ...feedback, overdue, history, alerts }, { etag: etagOf(feedback.version) });
    });

export const handler = makeHandler({ feedback: feedbackRepository(), now: systemClock });
