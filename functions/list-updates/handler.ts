import middy from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2 } from 'aws-lambda';
import { listUpdates, type UpdateDeps } from '../../shared/domain/manage-updates';
import { UpdateListParams } from '../../shared/domain/update-input';
import { officerApi } from '../../shared/http/middleware';
import { parseWith } from '../../shared/http/parse';
import { ok } from '../../shared/http/responses';
import { updateRepository } from '../../shared/storage/repositories';

/** GET /officer/updates?projectId&status&published&limit&cursor: most recently changed first. */
export const makeHandler = (deps: Pick<UpdateDeps, 'updates'>) =>
  middy<APIGatewayProxyEventV2, APIGatewayProxyResultV2>()
    .use(officerApi('officer'))
    .handler(async (event) => {
      const { limit, cursor, ...filters } = parseWith(UpdateListParams, event.queryStringParameters ?? {});
      return ok(await listUpdates(deps, filters, { limit, ...(cursor ? { cursor } : {}) }));
    });

export const handler = makeHandler({ updates: updateRepository() });
