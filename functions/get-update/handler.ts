import middy from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2 } from 'aws-lambda';
import { type UpdateDeps, updateWithHistory } from '../../shared/domain/manage-updates';
import { etagOf } from '../../shared/http/conditional';
import { officerApi } from '../../shared/http/middleware';
import { ok } from '../../shared/http/responses';
import { updateIdOf } from '../../shared/http/update-path';
import { updateRepository } from '../../shared/storage/repositories';

/** GET /officer/updates/{id}: the update, its links and its history, with its ETag. */
export const makeHandler = (deps: Pick<UpdateDeps, 'updates'>) =>
  middy<APIGatewayProxyEventV2, APIGatewayProxyResultV2>()
    .use(officerApi('officer'))
    .handler(async (event) => {
      const { update, history } = await updateWithHistory(deps, updateIdOf(event));
      return ok({ ...update, history }, { etag: etagOf(update.version) });
    });

export const handler = makeHandler({ updates: updateRepository() });
