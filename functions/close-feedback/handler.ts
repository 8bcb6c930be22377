import middy from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2 } from 'aws-lambda';
import { systemClock } from '../../shared/domain/clock';
import { officerFeedbackOf } from '../../shared/domain/officer-views';
import { changeFeedback, type TriageDeps } from '../../shared/domain/triage-feedback';
import { etagOf, expectedVersionOf } from '../../shared/http/conditional';
import { actorOf, officerApi } from '../../shared/http/middleware';
import { itemIdOf } from '../../shared/http/path';
import { ok } from '../../shared/http/responses';
import { feedbackRepository } from '../../shared/storage/repositories';

/** POST /officer/feedback/{id}/close (If-Match): see shared/domain/feedback-lifecycle.ts. */
export const makeHandler = (deps: TriageDeps) =>
  middy<APIGatewayProxyEventV2, APIGatewayProxyResultV2>()
    .use(officerApi('officer'))
    .handler(async (event) => {
      const id = itemIdOf(event);
      const feedback = await changeFeedback(deps, id, expectedVersionOf(event), actorOf(event), {
        action: 'close',
      });
      return ok(officerFeedbackOf(feedback), { etag: etagOf(feedback.version) });
    });

export const handler = makeHandler({ feedback: feedbackRepository(), now: systemClock });
