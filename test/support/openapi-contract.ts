import { readFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { matchRoute } from '../../shared/http/routes';

/**
 * Checks real answers against the committed OpenAPI document (openapi.json): the status must be
 * one the operation documents, the content type the documented one, and the body must match the
 * documented JSON Schema (2020-12, as OpenAPI 3.1 uses). The end-to-end tests send every response
 * they get through this. Ajv validates; the document itself is checked by
 * @seriousme/openapi-schema-validator in test/unit/openapi.test.ts.
 */
type Json = Record<string, unknown>;
const DOCUMENT_ID = 'openapi.json';
export const openApiDocument = JSON.parse(
  readFileSync(new URL('../../openapi.json', import.meta.url), 'utf8'),
) as Json & { paths: Record<string, Record<string, Json>> };

// The whole document is added as one schema, so `#/components/schemas/…` references resolve in it;
// strict mode is off because OpenAPI's own keywords (paths, operationId, …) are not JSON Schema's.
const ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: true });
(addFormats as unknown as (ajv: Ajv2020) => void)(ajv);
ajv.addSchema(openApiDocument, DOCUMENT_ID);

const pointer = (...segments: string[]) =>
  segments.map((segment) => segment.replaceAll('~', '~0').replaceAll('/', '~1')).join('/');

export interface ContractAnswer {
  method: string;
  path: string;
  status: number;
  contentType: string | null;
  body: string;
}

/** What is wrong with an answer, measured against the document; empty when it conforms. */
export function contractViolations(answer: ContractAnswer): string[] {
  const match = matchRoute(answer.method, answer.path);
  if (!match) {
    // A CORS preflight is answered by the $default route before any operation: 204, no body
    // (OpenAPI describes operations, not preflights; test/e2e/you-said-we-did.test.ts checks its headers).
    if (answer.method === 'OPTIONS' && answer.status === 204 && answer.body.length === 0) return [];
    // No route: the $default answer (404/405), a problem+json with type about:blank.
    return answer.contentType === 'application/problem+json' && [404, 405].includes(answer.status)
      ? []
      : [`${answer.method} ${answer.path}: no route, yet ${answer.status} ${answer.contentType}`];
  }
  const where = `${answer.method} ${match.route.path} → ${answer.status}`;
  const operation = openApiDocument.paths[match.route.path]?.[answer.method.toLowerCase()] as
    | { responses: Record<string, { content?: Record<string, unknown> }> }
    | undefined;
  if (!operation) return [`${where}: the route is not in openapi.json (npm run openapi)`];
  const response = operation.responses[String(answer.status)];
  if (!response) return [`${where}: status not documented`];
  // A documented answer without content (304 Not Modified) must come without a body.
  if (!response.content) {
    return answer.body.length ? [`${where}: a body where the document says there is none`] : [];
  }
  const mediaType = (answer.contentType ?? '').split(';')[0]?.trim() ?? '';
  if (!response.content?.[mediaType]) {
    return [`${where}: content type '${answer.contentType}' not documented`];
  }
  const validate = ajv.getSchema(
    `${DOCUMENT_ID}#/${pointer('paths', match.route.path, answer.method.toLowerCase(), 'responses', String(answer.status), 'content', mediaType, 'schema')}`,
  );
  if (!validate) return [`${where}: no schema`];
  // JSON media types (application/json, application/feed+json, application/problem+json) are
  // parsed; any other (RSS, CSV) is validated as the text it is.
  const isJson = mediaType === 'application/json' || mediaType.endsWith('+json');
  let body: unknown = answer.body;
  if (isJson) {
    try {
      body = JSON.parse(answer.body);
    } catch {
      return [`${where}: body is not JSON`];
    }
  }
  if (validate(body)) return [];
  return (validate.errors ?? []).map(
    (error) => `${where}: ${error.instancePath || '(body)'} ${error.message}`,
  );
}

/** fetch, then fail unless the answer conforms to openapi.json; returns the response, readable again. */
export async function contractFetch(url: string, init: RequestInit = {}): Promise<Response> {
  const response = await fetch(url, init);
  const body = await response.text();
  const violations = contractViolations({
    method: init.method ?? 'GET',
    path: new URL(url).pathname,
    status: response.status,
    contentType: response.headers.get('content-type'),
    body,
  });
  if (violations.length) throw new Error(`answer breaks the API contract:\n${violations.join('\n')}`);
  return new Response(body.length ? body : null, {
    status: response.status,
    statusText: response.statusText,
    headers: response.headers,
  });
}

/** The same check for a handler invoked directly (test/support/events.ts `invoke`, body parsed). */
export function invokedViolations(
  request: { method?: string; path: string },
  response: { status: number; headers: Record<string, string>; body: unknown },
): string[] {
  return contractViolations({
    method: request.method ?? 'GET',
    path: request.path,
    status: response.status,
    contentType: response.headers['content-type'] ?? null,
    body: JSON.stringify(response.body),
  });
}
