import middy from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2 } from 'aws-lambda';
import { systemClock } from '../../shared/domain/clock';
import { ProcedureInput } from '../../shared/domain/complaint-input';
import { changeComplaint, type ManageComplaintsDeps } from '../../shared/domain/manage-complaints';
import { officerFeedbackOf } from '../../shared/domain/officer-views';
import { etagOf, expectedVersionOf } from '../../shared/http/conditional';
import { actorOf, officerApi } from '../../shared/http/middleware';
import { parseWith } from '../../shared/http/parse';
import { itemIdOf } from '../../shared/http/path';
import { ok } from '../../shared/http/responses';
import { feedbackRepository, projectRepository } from '../../shared/storage/repositories';

/**
 * POST /officer/feedback/{id}/procedure (If-Match) {procedure, reason}: which procedure a complaint
 * follows (a complaint about children's social care: `childrens`), before it is acknowledged.
 */
export const makeHandler = (deps: ManageComplaintsDeps) =>
  middy<APIGatewayProxyEventV2, APIGatewayProxyResultV2>()
    .use(officerApi('officer', { jsonBody: true }))
    .handler(async (event) => {
      const id = itemIdOf(event);
      const expectedVersion = expectedVersionOf(event);
      const input = parseWith(ProcedureInput, event.body);
      const feedback = await changeComplaint(deps, id, expectedVersion, actorOf(event), {
        action: 'choose_procedure',
        ...input,
      });
      return ok(officerFeedbackOf(feedback), { etag: etagOf(feedback.version) });
    });

export const handler = makeHandler({
  feedback: feedbackRepository(),
  projects: projectRepository(),
  now: systemClock,
});
