import middy from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2 } from 'aws-lambda';
import { systemClock } from '../../shared/domain/clock';
import { officerFeedbackOf } from '../../shared/domain/officer-views';
import { type StopMessagesDeps, stopMessagesForFamily } from '../../shared/domain/stop-messages';
import { etagOf, expectedVersionOf } from '../../shared/http/conditional';
import { actorOf, officerApi } from '../../shared/http/middleware';
import { itemIdOf } from '../../shared/http/path';
import { ok } from '../../shared/http/responses';
import { feedbackRepository } from '../../shared/storage/repositories';

/**
 * POST /officer/feedback/{id}/stop-messages (If-Match): the family asked an officer (by phone, by
 * letter) to stop telling them what happens; recorded with the officer's name, and no message
 * goes after it.
 */
export const makeHandler = (deps: Pick<StopMessagesDeps, 'feedback' | 'now'>) =>
  middy<APIGatewayProxyEventV2, APIGatewayProxyResultV2>()
    .use(officerApi('officer'))
    .handler(async (event) => {
      const id = itemIdOf(event);
      const feedback = await stopMessagesForFamily(deps, id, expectedVersionOf(event), actorOf(event));
      return ok(officerFeedbackOf(feedback), { etag: etagOf(feedback.version) });
    });

export const handler = makeHandler({ feedback: feedbackRepository(), now: systemClock });
