import { MetricUnit } from '@aws-lambda-powertools/metrics';
import middy from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2 } from 'aws-lambda';
import { subjectLookupKey } from '../../shared/config/subject-lookup-key';
import { systemClock } from '../../shared/domain/clock';
import { FeedbackSubmission } from '../../shared/domain/feedback-submission';
import { type ReceiveFeedbackDeps, receiveFeedback } from '../../shared/domain/receive-feedback';
import { newReference } from '../../shared/domain/reference';
import { idempotencyKeyOf, REPLAYED_HEADER } from '../../shared/http/idempotency';
import { httpApi } from '../../shared/http/middleware';
import { parseWith } from '../../shared/http/parse';
import { created } from '../../shared/http/responses';
import { metrics } from '../../shared/observability/metrics';
import { subjectKeysOf } from '../../shared/retention/subject-keys';
import { feedbackRepository, projectRepository } from '../../shared/storage/repositories';

export type SubmitFeedbackDeps = ReceiveFeedbackDeps;

/**
 * POST /feedback: a family's feedback, compliment or complaint; answers with a reference and reply
 * dates. With an Idempotency-Key the one conditional write is also the idempotency record
 * (shared/domain/intake-key.ts): a retry gets the same 201 and body, marked Idempotent-Replayed.
 */
export const makeHandler = (deps: SubmitFeedbackDeps) =>
  middy<APIGatewayProxyEventV2, APIGatewayProxyResultV2>()
    .use(httpApi({ jsonBody: true }))
    .handler(async (event) => {
      const key = idempotencyKeyOf(event);
      const submission = parseWith(FeedbackSubmission, event.body);
      const { receipt, kept, replayed } = await receiveFeedback(deps, submission, key);
      // A replay was counted when it was stored.
      if (!replayed) {
        metrics.addMetric(kept ? 'FeedbackReceived' : 'HoneypotCaught', MetricUnit.Count, 1);
        metrics.publishStoredMetrics();
      }
      return created(receipt, replayed ? { [REPLAYED_HEADER]: 'true' } : {});
    });

export const handler = makeHandler({
  feedback: feedbackRepository(),
  projects: projectRepository(),
  now: systemClock,
  newReference: () => newReference(),
  subjectKeys: async (contact) => subjectKeysOf(contact, await subjectLookupKey()),
});
