import middy from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2 } from 'aws-lambda';
import { systemClock } from '../../shared/domain/clock';
import { EscalationInput } from '../../shared/domain/complaint-input';
import { changeComplaint, type ManageComplaintsDeps } from '../../shared/domain/manage-complaints';
import { officerFeedbackOf } from '../../shared/domain/officer-views';
import { etagOf, expectedVersionOf } from '../../shared/http/conditional';
import { actorOf, officerApi } from '../../shared/http/middleware';
import { parseWith } from '../../shared/http/parse';
import { itemIdOf } from '../../shared/http/path';
import { ok } from '../../shared/http/responses';
import { feedbackRepository } from '../../shared/storage/repositories';

/**
 * POST /officer/feedback/{id}/escalate (If-Match) {requestedAt, via, reason?}: the family asked
 * for the next stage by phone, letter, email or in person; its deadlines count from when they asked.
 */
export const makeHandler = (deps: ManageComplaintsDeps) =>
  middy<APIGatewayProxyEventV2, APIGatewayProxyResultV2>()
    .use(officerApi('officer', { jsonBody: true }))
    .handler(async (event) => {
      const id = itemIdOf(event);
      const expectedVersion = expectedVersionOf(event);
      const { requestedAt, via, reason } = parseWith(EscalationInput, event.body);
      const feedback = await changeComplaint(deps, id, expectedVersion, actorOf(event), {
        action: 'escalate',
        requestedAt: new Date(requestedAt),
        via,
        ...(reason ? { reason } : {}),
      });
      return ok(officerFeedbackOf(feedback), { etag: etagOf(feedback.version) });
    });

export const handler = makeHandler({ feedback: feedbackRepository(), now: systemClock });
