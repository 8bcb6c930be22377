import { readFileSync } from 'node:fs';
import type { ServerResponse } from 'node:http';
import { join } from 'node:path';
import type { ConsoleBuild } from '../../console/build';
import {
  CONSOLE_HEADERS,
  type ConsoleConfig,
  consoleContentSecurityPolicy,
} from '../../console/security-headers';
import type { EmbedBuild } from '../../embed/build';
import type { FamilyBuild } from '../../family/build';
import { FAMILY_PAGE_HEADERS } from '../../family/headers';

/** The sample Local Offer page and the built components, served beside the API as CloudFront does. */
export interface LocalSite {
  embed: EmbedBuild;
  /** The family pages (family/build.ts) at `/family/<page>.html`. */
  family?: FamilyBuild;
  /** The HTML served at `/`. */
  samplePage: string;
  /** The officer console at `/console` (the shell for every deep link), with its config.json. */
  console?: { build: ConsoleBuild; config: ConsoleConfig };
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.json': 'application/json',
  '.map': 'application/json',
};

/**
 * `/console` and every `/console/<path>` without a file extension answer with the app shell
 * (history API routing, as the CloudFront Function rewrites them in AWS), under the same strict
 * Content-Security-Policy; the hashed files and config.json by exact name.
 */
function serveConsole(
  site: NonNullable<LocalSite['console']>,
  method: string,
  path: string,
  response: ServerResponse,
): boolean {
  if (path !== '/console' && !path.startsWith('/console/')) return false;
  const security = {
    'content-security-policy': consoleContentSecurityPolicy(),
    ...CONSOLE_HEADERS,
  };
  const file = /^\/console\/([\w.-]+\.\w+)$/.exec(path)?.[1];
  if (file === 'config.json') {
    response.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-cache', ...security });
    response.end(method === 'HEAD' ? undefined : JSON.stringify(site.config));
    return true;
  }
  if (file) {
    if (!site.build.hashed.includes(file)) return false;
    const type = TYPES[file.slice(file.lastIndexOf('.'))] ?? 'application/octet-stream';
    response.writeHead(200, {
      'content-type': type,
      'cache-control': 'public, max-age=31536000, immutable',
      ...security,
    });
    response.end(method === 'HEAD' ? undefined : readFileSync(join(site.build.outdir, file)));
    return true;
  }
  response.writeHead(200, {
    'content-type': 'text/html; charset=utf-8',
    'cache-control': 'no-cache',
    ...security,
  });
  response.end(method === 'HEAD' ? undefined : readFileSync(join(site.build.outdir, site.build.shell)));
  return true;
}

/**
 * Answers `GET /`, `GET /embed/<file>`, `GET /family/<file>` and the console (`/console/...`); false for anything
 * else, which goes on to the API.
 * Only files the build produced are served, by exact name, so no path can reach outside them.
 */
export function serveSite(site: LocalSite, method: string, path: string, response: ServerResponse): boolean {
  if (method !== 'GET' && method !== 'HEAD') return false;
  if (site.console && serveConsole(site.console, method, path, response)) return true;
  if (path === '/' || path === '/index.html') {
    response.writeHead(200, {
      'content-type': 'text/html; charset=utf-8',
      'cache-control': 'no-cache',
      'x-content-type-options': 'nosniff',
    });
    response.end(method === 'HEAD' ? undefined : readFileSync(site.samplePage));
    return true;
  }
  const familyFile = /^\/family\/([\w.-]+)$/.exec(path)?.[1];
  if (familyFile && site.family) return serveFamilyFile(site.family, familyFile, method, response);
  const file = /^\/embed\/([\w.-]+)$/.exec(path)?.[1];
  if (!file || !(site.embed.hashed.includes(file) || site.embed.stable.includes(file))) return false;
  const type = TYPES[file.slice(file.lastIndexOf('.'))] ?? 'application/octet-stream';
  response.writeHead(200, {
    'content-type': type,
    // As in AWS: hashed bundles never change; the stable names are re-checked.
    'cache-control': site.embed.hashed.includes(file) ? 'public, max-age=31536000, immutable' : 'no-cache',
    'access-control-allow-origin': '*',
    'x-content-type-options': 'nosniff',
  });
  response.end(method === 'HEAD' ? undefined : readFileSync(join(site.embed.outdir, file)));
  return true;
}

/** A family page or its files, with the headers CloudFront adds in AWS (family/headers.ts). */
function serveFamilyFile(
  family: FamilyBuild,
  file: string,
  method: string,
  response: ServerResponse,
): boolean {
  const page = family.pages.includes(file);
  if (!page && !family.hashed.includes(file)) return false;
  response.writeHead(200, {
    'content-type': TYPES[file.slice(file.lastIndexOf('.'))] ?? 'application/octet-stream',
    'cache-control': page ? 'no-cache' : 'public, max-age=31536000, immutable',
    ...FAMILY_PAGE_HEADERS,
  });
  response.end(method === 'HEAD' ? undefined : readFileSync(join(family.outdir, file)));
  return true;
}
