import * as http from 'node:http';
import { describe, expect, it } from 'vitest';
import { BUNDLE_ALIASES } from '../../infra/bundling';
import shimDefault, * as shim from '../../infra/lambda-node-http';

describe('node:http as Lambda bundles get it (infra/lambda-node-http.ts)', () => {
  it('is the very module node:http is, with the names our dependencies import', () => {
    expect(shimDefault).toBe(process.getBuiltinModule('node:http'));
    expect(shim.STATUS_CODES).toBe(http.STATUS_CODES);
    expect(shim.Agent).toBe(http.Agent);
    expect(shim.request).toBe(http.request);
  });

  it('stands in for both spellings of the module in every bundle', () => {
    expect(BUNDLE_ALIASES['node:http']).toMatch(/lambda-node-http\.ts$/);
    expect(BUNDLE_ALIASES.http).toBe(BUNDLE_ALIASES['node:http']);
  });
});
