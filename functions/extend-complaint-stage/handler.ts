import middy from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2 } from 'aws-lambda';
import { systemClock } from '../../shared/domain/clock';
import { ExtensionInput } from '../../shared/domain/complaint-input';
import { changeComplaint, type ManageComplaintsDeps } from '../../shared/domain/manage-complaints';
import { officerFeedbackOf } from '../../shared/domain/officer-views';
import { etagOf, expectedVersionOf } from '../../shared/http/conditional';
import { actorOf, officerApi } from '../../shared/http/middleware';
import { parseWith } from '../../shared/http/parse';
import { itemIdOf } from '../../shared/http/path';
import { ok } from '../../shared/http/responses';
import { feedbackRepository } from '../../shared/storage/repositories';

/**
 * POST /officer/feedback/{id}/extend (If-Match) {extendByWorkingDays, reason}: a later answer
 * deadline for the complaint's current stage, within its procedure's maximum (422 beyond it).
 */
export const makeHandler = (deps: ManageComplaintsDeps) =>
  middy<APIGatewayProxyEventV2, APIGatewayProxyResultV2>()
    .use(officerApi('officer', { jsonBody: true }))
    .handler(async (event) => {
      const id = itemIdOf(event);
      const expectedVersion = expectedVersionOf(event);
      const { extendByWorkingDays, reason } = parseWith(ExtensionInput, event.body);
      const feedback = await changeComplaint(deps, id, expectedVersion, actorOf(event), {
        action: 'extend',
        workingDays: extendByWorkingDays,
        reason,
      });
      return ok(officerFeedbackOf(feedback), { etag: etagOf(feedback.version) });
    });

export const handler = makeHandler({ feedback: feedbackRepository(), now: systemClock });
