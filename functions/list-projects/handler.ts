import middy from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2 } from 'aws-lambda';
import { type ListProjectsDeps, listPublicProjects } from '../../shared/domain/list-projects';
import { httpApi } from '../../shared/http/middleware';
import { ok } from '../../shared/http/responses';
import { projectRepository } from '../../shared/storage/repositories';

/** GET /projects: open projects and their timeframes, so a form can say when families will hear back. */
export const makeHandler = (deps: ListProjectsDeps) =>
  middy<APIGatewayProxyEventV2, APIGatewayProxyResultV2>()
    .use(httpApi())
    .handler(async () =>
      ok({ projects: await listPublicProjects(deps) }, { 'cache-control': 'public, max-age=300' }),
    );

export const handler = makeHandler({ projects: projectRepository() });
