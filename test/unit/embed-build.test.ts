import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildEmbed, type EmbedBuild } from '../../embed/build';
import { countCharacters, MESSAGE_MAX_CHARACTERS } from '../../embed/characters';
import {
  MESSAGE_MAX_CHARACTERS as API_LIMIT,
  FeedbackSubmission,
} from '../../shared/domain/feedback-submission';
import { startLocalServer } from '../support/local-server';

let build: EmbedBuild;
const dir = mkdtempSync(join(tmpdir(), 'yswd-embed-'));
beforeAll(() => {
  build = buildEmbed(join(dir, 'embed'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the embed build', () => {
  it('makes a hashed bundle per component, each under 15 KB gzipped', () => {
    expect(Object.keys(build.manifest).sort()).toEqual(['feed.js', 'feedback-form.js', 'scorecard.js']);
    for (const [stable, hashed] of Object.entries(build.manifest)) {
      expect(hashed).toMatch(new RegExp(`^${stable.replace('.js', '')}-[A-Z0-9]{8}\\.js$`));
      const gzipped = gzipSync(readFileSync(join(build.outdir, hashed))).length;
      expect(gzipped, `${hashed} gzipped`).toBeLessThan(15 * 1024);
    }
  });

  it('gives each stable name a one-line module that loads the current hashed bundle', () => {
    for (const [stable, hashed] of Object.entries(build.manifest)) {
      expect(readFileSync(join(build.outdir, stable), 'utf8')).toBe(`import"./${hashed}";\n`);
    }
    expect(build.hashed.sort()).toEqual(Object.values(build.manifest).sort());
  });

  it('names a new hash only when the code changes', () => {
    const again = buildEmbed(join(dir, 'again'));
    expect(again.manifest).toEqual(build.manifest);
  });
});

describe('the form’s character count', () => {
  it('has the API’s limit', () => {
    expect(MESSAGE_MAX_CHARACTERS).toBe(API_LIMIT);
  });

  const valid = { kind: 'feedback', submitterRole: 'parent_or_carer' };
  const accepted = (message: string) => FeedbackSubmission.safeParse({ ...valid, message }).success;
  // Pieces people type: letters, accents typed as combining marks, emoji with skin tones and
  // joiners, flags, CJK, spaces: each one or more UTF-16 units but one character as seen.
  const piece = fc.constantFrom('a', 'ŵ', 'w\u0302', '👍🏽', '👨‍👩‍👧', '🏴󠁧󠁢󠁷󠁬󠁳󠁿', '🇬🇧', '字', ' ', 'é', 'e\u0301');

  it('agrees with the API on where the limit falls, for any text near it', () => {
    fc.assert(
      fc.property(
        fc.array(piece, { minLength: 1, maxLength: 40 }),
        fc.integer({ min: -3, max: 3 }),
        (tail, shift) => {
          const body = 'x'.repeat(Math.max(0, MESSAGE_MAX_CHARACTERS - tail.length + shift));
          const message = `${body}${tail.join('')}`;
          if (!message.trim()) return;
          expect(countCharacters(message) <= MESSAGE_MAX_CHARACTERS).toBe(accepted(message));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('counts what people see as one character as one', () => {
    expect(countCharacters('👨‍👩‍👧🏴󠁧󠁢󠁷󠁬󠁳󠁿w\u0302')).toBe(3);
    expect(countCharacters('  padded  ')).toBe(6);
  });
});

describe('the local server with the sample page', () => {
  it('serves the page at /, the components under /embed/, and nothing else from disk', async () => {
    const samplePage = fileURLToPath(new URL('../../embed/sample/index.html', import.meta.url));
    const server = await startLocalServer({ site: { embed: build, samplePage } });
    try {
      const page = await fetch(`${server.base}/`);
      expect(page.status).toBe(200);
      expect(page.headers.get('content-type')).toContain('text/html');
      const html = await page.text();
      expect(html).toContain('<script type="module" src="/embed/feedback-form.js"></script>');
      expect(html).toContain('<you-said-we-did-feed');
      expect(html).toContain('<script type="module" src="/embed/scorecard.js"></script>');
      expect(html).toContain('<you-said-we-did-scorecard');
      // An inline icon, so a browser opening the page asks for no /favicon.ico (a 404 in its console).
      expect(html).toContain('<link rel="icon" href="data:,">');

      const stable = await fetch(`${server.base}/embed/feed.js`);
      expect(stable.headers.get('content-type')).toContain('text/javascript');
      expect(stable.headers.get('cache-control')).toBe('no-cache');
      const hashed = await fetch(`${server.base}/embed/${build.manifest['feed.js']}`);
      expect(hashed.status).toBe(200);
      expect(hashed.headers.get('cache-control')).toContain('immutable');

      for (const path of ['/embed/../package.json', '/embed/%2e%2e%2fpackage.json', '/embed/build.ts']) {
        const response = await fetch(`${server.base}${path}`);
        expect(response.status, path).toBe(404);
      }
    } finally {
      await server.close();
    }
  });
});
