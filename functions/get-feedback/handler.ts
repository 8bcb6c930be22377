import middy from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2 } from 'aws-lambda';
import { systemClock } from '../../shared/domain/clock';
import { feedbackWithHistory, type TriageDeps } from '../../shared/domain/triage-feedback';
import { etagOf } from '../../shared/http/conditional';
import { officerApi } from '../../shared/http/middleware';
import { itemIdOf } from '../../shared/http/path';
import { ok } from '../../shared/http/responses';
import { documentClient, tableName } from '../../shared/storage/client';
import { type FamilyNotice, noticesOfFeedback } from '../../shared/storage/notice-repository';
import { feedbackRepository } from '../../shared/storage/repositories';

export interface GetFeedbackDeps extends TriageDeps {
  /** The messages sent to the family about it ("tell me what happens"), oldest first. */
  messages: (feedbackId: string) => Promise<FamilyNotice[]>;
}

/**
 * GET /officer/feedback/{id}: everything, contact details, history, overdue alerts sent and the
 * messages sent to the family included, whether it is overdue now, with its ETag.
 */
export const makeHandler = (deps: GetFeedbackDeps) =>
  middy<APIGatewayProxyEventV2, APIGatewayProxyResultV2>()
    .use(officerApi('officer'))
    .handler(async (event) => {
      const id = itemIdOf(event);
      // Two small partitions, read side by side: the item with its history, and its messages.
      const [{ feedback, overdue, history, alerts }, messages] = await Promise.all([
        feedbackWithHistory(deps, id),
        deps.messages(id),
      ]);
      return ok({ ...feedback, overdue, history, alerts, messages }, { etag: etagOf(feedback.version) });
    });

export const handler = makeHandler({
  feedback: feedbackRepository(),
  now: systemClock,
  messages: (id) => noticesOfFeedback(documentClient(), tableName(), id),
});
