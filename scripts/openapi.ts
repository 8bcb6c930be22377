/**
 * `npm run openapi`: writes openapi.json (the repository's root), the OpenAPI 3.1 description of
 * every route, generated from the zod schemas the handlers validate with. GET /openapi.json serves
 * this file; documentation sites can take it from the repository. A test fails when the committed
 * file differs from what this would write, so run it after changing a route or a schema.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { buildOpenApiDocument } from '../infra/openapi/document';

export const OPENAPI_FILE = fileURLToPath(new URL('../openapi.json', import.meta.url));

export function openApiText(): string {
  const { version } = JSON.parse(
    readFileSync(fileURLToPath(new URL('../package.json', import.meta.url)), 'utf8'),
  ) as { version: string };
  return `${JSON.stringify(buildOpenApiDocument(version), null, 2)}\n`;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  writeFileSync(OPENAPI_FILE, openApiText());
  console.log(`wrote ${OPENAPI_FILE}`);
}
