import { describe, expect, it } from 'vitest';
import { allowedMethods, matchRoute, ROUTES } from '../../shared/http/routes';

describe('the route table', () => {
  it('matches each route by method and path', () => {
    for (const route of ROUTES) expect(matchRoute(route.method, route.path)?.route).toBe(route);
  });

  it('does not match a known path with another method, and lists what is allowed', () => {
    expect(matchRoute('DELETE', '/feedback')).toBeUndefined();
    expect(allowedMethods('/feedback')).toEqual(['POST']);
  });

  it('knows nothing of unknown paths, or of known ones with extra segments', () => {
    expect(matchRoute('GET', '/nope')).toBeUndefined();
    expect(allowedMethods('/feedback/extra')).toEqual([]);
    expect(allowedMethods('/projects.json')).toEqual([]);
  });

  it('has one handler per method and path', () => {
    const keys = ROUTES.map((route) => `${route.method} ${route.path}`);
    expect(new Set(keys).size).toBe(keys.length);
  });
});
