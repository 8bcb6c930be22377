/**
 * Stands in for `node:http` inside Lambda bundles only (an esbuild alias in infra/bundling.ts).
 * On Node 24 an ESM `import … from 'node:http'` builds the module's ESM facade, which reads every
 * export, and some are getters that load undici (fetch, WebSocket): about 40 ms on a cold start,
 * paid by every function for middy's one `STATUS_CODES` import. `process.getBuiltinModule` hands
 * over the same module object without the facade, so nothing is loaded that is not used.
 */
const http = process.getBuiltinModule('node:http');

export const { Agent, STATUS_CODES, request, get, createServer, IncomingMessage, ServerResponse } = http;
export default http;
