import { afterEach, describe, expect, it } from 'vitest';
import { handler as health } from '../../functions/health/handler';
import { handler as fallback } from '../../functions/route-not-found/handler';
import { invokeRaw } from '../support/you-said-we-did';

/** In AWS the functions answer CORS themselves (API Gateway has no CORS setting): shared/http/cors.ts. */
afterEach(() => {
  delete process.env.ALLOWED_ORIGINS;
});

const preflight = (path: string, origin: string) =>
  invokeRaw(fallback, {
    method: 'OPTIONS',
    path,
    headers: { origin, 'access-control-request-method': 'GET' },
  });

describe('CORS from the functions', () => {
  it('answers preflights: any origin for the public feeds, configured origins for the rest', async () => {
    process.env.ALLOWED_ORIGINS = 'https://officers.council.example';
    const feed = await preflight('/feed.xml', 'https://elsewhere.example');
    expect(feed.status).toBe(204);
    expect(feed.headers['access-control-allow-origin']).toBe('*');
    const officer = await preflight('/officer/updates', 'https://officers.council.example');
    expect(officer.status).toBe(204);
    expect(officer.headers['access-control-allow-origin']).toBe('https://officers.council.example');
    expect(officer.headers['access-control-allow-headers']).toContain('if-match');
    const refused = await preflight('/officer/updates', 'https://elsewhere.example');
    expect(refused.status).toBe(405);
    expect(refused.headers['access-control-allow-origin']).toBeUndefined();
    expect((await preflight('/nowhere', 'https://officers.council.example')).status).toBe(404);
  });

  it('adds the configured origin to responses, and nothing for others', async () => {
    process.env.ALLOWED_ORIGINS = 'https://localoffer.example.gov.uk';
    const allowed = await invokeRaw(health, {
      path: '/health',
      headers: { origin: 'https://localoffer.example.gov.uk' },
    });
    expect(allowed.headers['access-control-allow-origin']).toBe('https://localoffer.example.gov.uk');
    expect(allowed.headers.vary).toBe('origin');
    const other = await invokeRaw(health, {
      path: '/health',
      headers: { origin: 'https://elsewhere.example' },
    });
    expect(other.headers['access-control-allow-origin']).toBeUndefined();
  });
});
