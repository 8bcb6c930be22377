import middy from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2 } from 'aws-lambda';
import { type FeedConfig, feedConfigFromEnv, jsonFeed } from '../../shared/domain/feed-formats';
import { type FeedRepository, readFeedPage } from '../../shared/domain/public-feed';
import { httpApi } from '../../shared/http/middleware';
import { anyOrigin, cacheable } from '../../shared/http/public-cache';
import { updateRepository } from '../../shared/storage/repositories';

export interface FeedDeps {
  feed: FeedRepository;
  config: FeedConfig;
}

/** GET /feed?projectId&status&since&limit&cursor: "You said, we did" as JSON Feed 1.1, for anyone. */
export const makeHandler = (deps: FeedDeps) =>
  middy<APIGatewayProxyEventV2, APIGatewayProxyResultV2>()
    // anyOrigin first: its after/onError hooks run last, on the final response (errors included).
    .use(anyOrigin)
    .use(httpApi())
    .handler(async (event) => {
      const { views, linkFilters, next } = await readFeedPage(deps.feed, event.queryStringParameters);
      const body = JSON.stringify(jsonFeed(deps.config, views, linkFilters, next));
      return cacheable(event, body, 'application/feed+json; charset=utf-8');
    });

export const handler = makeHandler({ feed: updateRepository(), config: feedConfigFromEnv() });
