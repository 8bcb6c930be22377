import { chmodSync, mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ensurePrivateDatabaseDir } from '../../infra/local/data-dir';
import { applyLocalFeedUrls } from '../../infra/local/local-env';
import { feedConfigFromEnv } from '../../shared/domain/feed-formats';

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

describe("DynamoDB Local's folder holds families' data", () => {
  it('is made readable by this user only, and tightened when found open', () => {
    const root = mkdtempSync(join(tmpdir(), 'ysdw-walk-'));
    try {
      const fresh = ensurePrivateDatabaseDir(join(root, 'new', 'dynamodb'));
      expect(statSync(fresh).mode & 0o777).toBe(0o700);

      const open = join(root, 'open');
      mkdirSync(open, { mode: 0o755 });
      chmodSync(open, 0o755);
      ensurePrivateDatabaseDir(open);
      expect(statSync(open).mode & 0o777).toBe(0o700);
      // The folder above is the user's own choice (DATA_DIR) and is left alone.
      expect(statSync(root).mode & 0o777).not.toBe(0);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
