import middy from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2 } from 'aws-lambda';
import { feedConfigFromEnv, rssFeed } from '../../shared/domain/feed-formats';
import { readFeedPage } from '../../shared/domain/public-feed';
import { httpApi } from '../../shared/http/middleware';
import { anyOrigin, cacheable } from '../../shared/http/public-cache';
import { updateRepository } from '../../shared/storage/repositories';
import type { FeedDeps } from '../get-feed/handler';

/** GET /feed.xml?projectId&status&since&limit&cursor: the same items as RSS 2.0, for feed readers and CMSs. */
export const makeHandler = (deps: FeedDeps) =>
  middy<APIGatewayProxyEventV2, APIGatewayProxyResultV2>()
    .use(anyOrigin)
    .use(httpApi())
    .handler(async (event) => {
      const { views, linkFilters, next } = await readFeedPage(deps.feed, event.queryStringParameters);
      const body = rssFeed(deps.config, views, linkFilters, next);
      return cacheable(event, body, 'application/rss+xml; charset=utf-8');
    });

export const handler = makeHandler({ feed: updateRepository(), config: feedConfigFromEnv() });
