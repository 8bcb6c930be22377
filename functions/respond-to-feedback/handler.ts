import middy from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2 } from 'aws-lambda';
import { systemClock } from '../../shared/domain/clock';
import { FeedbackResponseInput } from '../../shared/domain/feedback-response-input';
import { changeFeedback, type TriageDeps } from '../../shared/domain/triage-feedback';
import { etagOf, expectedVersionOf } from '../../shared/http/conditional';
import { actorOf, officerApi } from '../../shared/http/middleware';
import { parseWith } from '../../shared/http/parse';
import { itemIdOf } from '../../shared/http/path';
import { ok } from '../../shared/http/responses';
import { feedbackRepository } from '../../shared/storage/repositories';

/** POST /officer/feedback/{id}/respond (If-Match) {response, outcome}: answers the family. */
export const makeHandler = (deps: TriageDeps) =>
  middy<APIGatewayProxyEventV2, APIGatewayProxyResultV2>()
    .use(officerApi('officer', { jsonBody: true }))
    .handler(async (event) => {
      const id = itemIdOf(event);
      const expectedVersion = expectedVersionOf(event);
      const answer = parseWith(FeedbackResponseInput, event.body);
      const feedback = await changeFeedback(deps, id, expectedVersion, actorOf(event), {
        action: 'respond',
        ...answer,
      });
      return ok(feedback, { etag: etagOf(feedback.version) });
    });

export const handler = makeHandler({ feedback: feedbackRepository(), now: systemClock });
