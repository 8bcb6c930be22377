import middy from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2 } from 'aws-lambda';
import { systemClock } from '../../shared/domain/clock';
import { actorOf, officerApi } from '../../shared/http/middleware';
import { parseWith } from '../../shared/http/parse';
import { ok } from '../../shared/http/responses';
import { eraseSubjectData, type SubjectAccessDeps } from '../../shared/retention/subject-access';
import { ErasureRequest } from '../../shared/retention/subject-access-input';
import { tooLateFor } from '../../shared/storage/client';
import { anonymisationStore } from '../../shared/storage/retention-repositories';

/**
 * POST /officer/subject-access/erase (admins): anonymises the closed items named, now, at the
 * family's request, recording who, when and why. Repeating it is harmless.
 */
export const makeHandler = (deps: Pick<SubjectAccessDeps, 'store' | 'now'>) =>
  middy<APIGatewayProxyEventV2, APIGatewayProxyResultV2>()
    .use(officerApi('admin', { jsonBody: true }))
    .handler(async (event, context) => {
      const request = parseWith(ErasureRequest, event.body);
      const outcome = await eraseSubjectData(deps, request, actorOf(event), () =>
        // Room for the slowest step left: a read, then the audit record (or the write).
        tooLateFor(2, context.getRemainingTimeInMillis()),
      );
      return ok(outcome);
    });

export const handler = makeHandler({ store: anonymisationStore(), now: systemClock });
