import { describe, expect, it } from 'vitest';
import { feedContextWarnings, feedEnvironmentFromContext } from '../../infra/feed-environment';

describe('feed context for a deploy', () => {
  it('warns when the Local Offer page addresses are not given, naming each missing key', () => {
    const [warning] = feedContextWarnings(feedEnvironmentFromContext(() => undefined));
    expect(warning).toContain('-c feedHomePageUrl=');
    expect(warning).toContain('-c feedItemUrlTemplate=');
    expect(warning).toContain('localhost');
  });

  it('names only the key still missing', () => {
    const context: Record<string, string> = { feedHomePageUrl: 'https://localoffer.example.gov.uk/ysdw' };
    const warnings = feedContextWarnings(feedEnvironmentFromContext((key) => context[key]));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).not.toContain('feedHomePageUrl');
    expect(warnings[0]).toContain('feedItemUrlTemplate');
  });

  it('is silent when both are given', () => {
    const context: Record<string, string> = {
      feedHomePageUrl: 'https://localoffer.example.gov.uk/ysdw',
      feedItemUrlTemplate: 'https://localoffer.example.gov.uk/ysdw/{id}',
    };
    expect(feedContextWarnings(feedEnvironmentFromContext((key) => context[key]))).toEqual([]);
  });
});
