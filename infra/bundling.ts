import { fileURLToPath } from 'node:url';
import type { BuildOptions } from 'esbuild';

/**
 * How every function is bundled, shared by CDK (NodejsFunction, local esbuild, no Docker) and by
 * `npm run bench`, so the benchmark measures exactly what ships.
 * - ESM and `module` first: lets esbuild tree-shake the SDK and zod.
 * - The SDK is bundled, not taken from the runtime: larger file, but about half the cold import time.
 * - The SDK's credential chain is replaced by the environment provider (infra/lambda-credentials.ts).
 * - The banner gives CommonJS dependencies that call `require()` a working one inside an ESM bundle.
 */
export const BUNDLE_BANNER =
  "import { createRequire as __yswdCreateRequire } from 'node:module'; const require = __yswdCreateRequire(import.meta.url);";

/**
 * See infra/lambda-credentials.ts: Lambda supplies credentials in the environment;
 * infra/lambda-node-http.ts: `node:http` without the ESM facade that loads undici; and
 * infra/no-axios.ts: GOV.UK Notify's client without the axios it never calls here.
 */
export const BUNDLE_ALIASES = {
  // GOV.UK Notify's client is given a fetch-based transport (shared/notify/notify-rest-client.ts).
  axios: fileURLToPath(new URL('./no-axios.ts', import.meta.url)),
  '@aws-sdk/credential-provider-node': fileURLToPath(new URL('./lambda-credentials.ts', import.meta.url)),
  'node:http': fileURLToPath(new URL('./lambda-node-http.ts', import.meta.url)),
  http: fileURLToPath(new URL('./lambda-node-http.ts', import.meta.url)),
};

/**
 * Left out of every bundle and taken from the Lambda runtime's own SDK, when first imported. Only
 * the list functions ever import it (shared/config/signing-key.ts, once per cold start, for the
 * cursor key); bundled, every function that stores feedback would parse its 30 KB at each cold
 * start: measured, about 13% of `submit-feedback`'s cold import.
 */
export const RUNTIME_PROVIDED_MODULES = ['@aws-sdk/client-secrets-manager'];

export const BUNDLE_OPTIONS = {
  bundle: true,
  platform: 'node',
  format: 'esm',
  minify: true,
  treeShaking: true,
  mainFields: ['module', 'main'],
  legalComments: 'none',
  banner: { js: BUNDLE_BANNER },
  alias: BUNDLE_ALIASES,
  external: RUNTIME_PROVIDED_MODULES,
} as const satisfies BuildOptions;
