import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { brokenLinks, headingAnchors, headingText, markdownLinks } from '../support/markdown-links';

const root = fileURLToPath(new URL('../..', import.meta.url));
const documents = [
  'README.md',
  ...readdirSync(join(root, 'docs'))
    .filter((name) => name.endsWith('.md'))
    .map((name) => `docs/${name}`),
];

describe('the documentation links', () => {
  it('resolve: every relative link names a file of the repository, every #anchor a heading', () => {
    expect(documents.length).toBeGreaterThan(1);
    const broken = brokenLinks(root, documents).map(
      ({ file, line, target, reason }) => `${file}:${line} (${target}): ${reason}`,
    );
    expect(broken).toEqual([]);
  });

  it('link the README to every document in docs/', () => {
    const linked = new Set(
      markdownLinks(readFileSync(join(root, 'README.md'), 'utf8')).map(({ target }) => target.split('#')[0]),
    );
    for (const document of documents.filter((d) => d.startsWith('docs/'))) expect(linked).toContain(document);
  });
});

describe('anchors as GitHub makes them', () => {
  it('slugs headings with code, punctuation and emphasis', () => {
    const markdown = [
      '# you-said-we-did',
      '## Quick start',
      '### `GET /health`',
      '### `GET /feed` and `GET /feed.xml`',
      '## Errors: RFC 9457 problem details',
      '#### When something fails: which failures can have stored the item',
      '## Projects (admins change them)',
      '## You said, we did: updates and publishing',
      '## **Bold** and _emphasis_ with `SMALL_COUNT_THRESHOLD` and snake_case',
      '## [A link](https://example.com) in a heading',
      '## Quick start',
    ].join('\n');
    expect(headingAnchors(markdown)).toEqual([
      'you-said-we-did',
      'quick-start',
      'get-health',
      'get-feed-and-get-feedxml',
      'errors-rfc-9457-problem-details',
      'when-something-fails-which-failures-can-have-stored-the-item',
      'projects-admins-change-them',
      'you-said-we-did-updates-and-publishing',
      'bold-and-emphasis-with-small_count_threshold-and-snake_case',
      'a-link-in-a-heading',
      'quick-start-1',
    ]);
    expect(headingText('`POST /feedback` **now**')).toBe('POST /feedback now');
  });

  it('ignores headings and links inside fenced code and code spans', () => {
    const markdown = [
      'See [the API](api.md#routes) and `[not](a-link.md)`.',
      '```sh',
      '# a shell comment, not a heading',
      'echo "[x](nowhere.md)"',
      '```',
      '## Real heading',
      'A link [across',
      'two lines](web-teams.md).',
    ].join('\n');
    expect(headingAnchors(markdown)).toEqual(['real-heading']);
    expect(markdownLinks(markdown)).toEqual([
      { line: 1, target: 'api.md#routes' },
      { line: 7, target: 'web-teams.md' },
    ]);
  });
});

describe('the checker', () => {
  it('reports each kind of broken link, and passes good ones', () => {
    const repo = mkdtempSync(join(tmpdir(), 'docs-links-'));
    mkdirSync(join(repo, 'docs'));
    mkdirSync(join(repo, 'src'));
    writeFileSync(join(repo, 'src', 'code.ts'), 'export {};\n');
    writeFileSync(join(repo, 'docs', 'guide.md'), '# Guide\n\n## Setting up\n');
    writeFileSync(
      join(repo, 'README.md'),
      [
        '# Readme',
        '[fine](docs/guide.md#setting-up) [fine too](#readme) [code](src/code.ts) [folder](src/)',
        '[web](https://example.com/x#y) [mail](mailto:someone@example.com)',
        '[gone](docs/missing.md)',
        '[bad anchor](docs/guide.md#setup)',
        '[bad local anchor](#nothing)',
        '[anchor in code](src/code.ts#L1)',
        '[outside](../elsewhere.md)',
      ].join('\n'),
    );
    expect(brokenLinks(repo, ['README.md', 'docs/guide.md'])).toEqual([
      { file: 'README.md', line: 4, target: 'docs/missing.md', reason: 'no such file' },
      { file: 'README.md', line: 5, target: 'docs/guide.md#setup', reason: 'no heading makes #setup' },
      { file: 'README.md', line: 6, target: '#nothing', reason: 'no heading makes #nothing' },
      {
        file: 'README.md',
        line: 7,
        target: 'src/code.ts#L1',
        reason: 'an #anchor into a file with no headings',
      },
      { file: 'README.md', line: 8, target: '../elsewhere.md', reason: 'leaves the repository' },
    ]);
  });
});
