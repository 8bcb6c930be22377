import middy from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2 } from 'aws-lambda';
import { familyLinkKey } from '../../shared/config/family-link-key';
import { type AnswerFeedbackDeps, answerFeedback } from '../../shared/domain/answer-feedback';
import { systemClock } from '../../shared/domain/clock';
import { FeedbackResponseInput } from '../../shared/domain/feedback-response-input';
import { officerFeedbackOf } from '../../shared/domain/officer-views';
import { etagOf, expectedVersionOf } from '../../shared/http/conditional';
import { actorOf, officerApi } from '../../shared/http/middleware';
import { parseWith } from '../../shared/http/parse';
import { itemIdOf } from '../../shared/http/path';
import { ok } from '../../shared/http/responses';
import { feedbackRepository } from '../../shared/storage/repositories';

/**
 * POST /officer/feedback/{id}/respond (If-Match) {response, outcome}: answers the family. A
 * complaint's answer is its current stage's; `nextStep` says what the family may do next (the
 * next stage with their escalation link, or the Ombudsman).
 */
export const makeHandler = (deps: AnswerFeedbackDeps) =>
  middy<APIGatewayProxyEventV2, APIGatewayProxyResultV2>()
    .use(officerApi('officer', { jsonBody: true }))
    .handler(async (event) => {
      const id = itemIdOf(event);
      const expectedVersion = expectedVersionOf(event);
      const answer = parseWith(FeedbackResponseInput, event.body);
      const { nextStep, ...feedback } = await answerFeedback(
        deps,
        id,
        expectedVersion,
        actorOf(event),
        answer,
      );
      return ok(
        { ...officerFeedbackOf(feedback), ...(nextStep ? { nextStep } : {}) },
        { etag: etagOf(feedback.version) },
      );
    });

export const handler = makeHandler({
  feedback: feedbackRepository(),
  now: systemClock,
  linkKey: familyLinkKey,
  familyPageUrl: process.env.FAMILY_PAGE_URL,
});
