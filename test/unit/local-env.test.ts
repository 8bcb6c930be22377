import { describe, expect, it } from 'vitest';
import { applyLocalFeedUrls } from '../../infra/local/local-env';
import { feedConfigFromEnv } from '../../shared/domain/feed';

describe('npm start: feed links follow PORT', () => {
  it('points feed_url, the home page and item links at the port the stack serves', () => {
    const env: Record<string, string | undefined> = {};
    applyLocalFeedUrls(4100, env);
    const config = feedConfigFromEnv(env);
    expect(config.baseUrl).toBe('http://localhost:4100');
    expect(config.homePageUrl).toBe('http://localhost:4100/');
    expect(config.itemUrlTemplate).toBe('http://localhost:4100/#update-{id}');
  });

  it('keeps URLs the environment sets', () => {
    const env: Record<string, string | undefined> = { FEED_BASE_URL: 'https://api.council.example' };
    applyLocalFeedUrls(4100, env);
    expect(feedConfigFromEnv(env).baseUrl).toBe('https://api.council.example');
    expect(feedConfigFromEnv(env).homePageUrl).toBe('http://localhost:4100/');
  });
});
