import type { BasePersistenceLayer } from '@aws-lambda-powertools/idempotency/persistence';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import middy from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2 } from 'aws-lambda';
import { systemClock } from '../../shared/domain/clock';
import { FeedbackSubmission } from '../../shared/domain/feedback-submission';
import { type ReceiveFeedbackDeps, receiveFeedback } from '../../shared/domain/receive-feedback';
import { newReference } from '../../shared/domain/reference';
import { idempotencyKeyOf, idempotencyRecords, idempotentByKey } from '../../shared/http/idempotency';
import { httpApi } from '../../shared/http/middleware';
import { parseWith } from '../../shared/http/parse';
import { created } from '../../shared/http/responses';
import { metrics } from '../../shared/observability/metrics';
import { feedbackRepository, projectRepository } from '../../shared/storage/repositories';

export interface SubmitFeedbackDeps extends ReceiveFeedbackDeps {
  idempotency: BasePersistenceLayer;
}

/** POST /feedback: a family's feedback, compliment or complaint; answers with a reference and reply dates. */
export const makeHandler = (deps: SubmitFeedbackDeps) => {
  // Counted inside the once-only operation, so a replayed retry is not counted twice.
  const receiveOnce = idempotentByKey(
    'submit-feedback',
    async (submission: FeedbackSubmission) => {
      const { receipt, kept } = await receiveFeedback(deps, submission);
      metrics.addMetric(kept ? 'FeedbackReceived' : 'HoneypotCaught', MetricUnit.Count, 1);
      metrics.publishStoredMetrics();
      return receipt;
    },
    deps.idempotency,
  );
  return middy<APIGatewayProxyEventV2, APIGatewayProxyResultV2>()
    .use(httpApi({ jsonBody: true }))
    .handler(async (event, context) => {
      const key = idempotencyKeyOf(event);
      const submission = parseWith(FeedbackSubmission, event.body);
      return created(await receiveOnce(key, submission, context));
    });
};

export const handler = makeHandler({
  feedback: feedbackRepository(),
  projects: projectRepository(),
  idempotency: idempotencyRecords(),
  now: systemClock,
  newReference: () => newReference(),
});
