/**
 * Reads the links and headings of the repository's Markdown (README.md, docs/*.md) as GitHub renders
 * them, so a test can check every relative link and #anchor resolves. Only what these documents use
 * is read: ATX headings (`## Title`) and inline links (`[text](target)`), outside fenced code blocks
 * and code spans, where GitHub shows them as text.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, relative, resolve, sep } from 'node:path';
import GithubSlugger from 'github-slugger';

export interface MarkdownLink {
  /** The line the link starts on (1-based), for the failure message. */
  line: number;
  target: string;
}

export interface BrokenLink extends MarkdownLink {
  file: string;
  reason: string;
}

const FENCE = /^ {0,3}(`{3,}|~{3,})/;

/** The document with fenced code blocks blanked (lines kept, so line numbers stay right). */
function withoutFences(markdown: string): string {
  let open: string | undefined;
  return markdown
    .split('\n')
    .map((line) => {
      const fence = FENCE.exec(line)?.[1];
      if (open === undefined) {
        if (fence) open = fence;
        return fence ? '' : line;
      }
      // A fence closes with the same character, at least as many of it, and nothing after.
      if (fence && fence[0] === open[0] && fence.length >= open.length && line.trim() === fence)
        open = undefined;
      return '';
    })
    .join('\n');
}

/** Code spans replaced by spaces of the same length (a span may cross lines within a paragraph). */
function withoutCodeSpans(text: string): string {
  return text.replace(/(`+)(?!`)[\s\S]*?(?<!`)\1(?!`)/g, (span) => span.replace(/[^\n]/g, ' '));
}

/** A heading's text as GitHub renders it: code spans keep their content, links their text, emphasis goes. */
export function headingText(raw: string): string {
  return raw
    .split(/(`+[^`]*?`+)/)
    .map((part, i) => {
      if (i % 2 === 1) return part.replace(/^`+\s?|\s?`+$/g, '');
      return part
        .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1')
        .replace(/\*+/g, '')
        .replace(/(^|[^\p{L}\p{N}])_+|_+(?=[^\p{L}\p{N}]|$)/gu, '$1');
    })
    .join('')
    .trim();
}

/** The anchors GitHub gives a document's headings, in order (a repeated heading gets `-1`, `-2`, …). */
export function headingAnchors(markdown: string): string[] {
  const slugger = new GithubSlugger();
  const anchors: string[] = [];
  for (const line of withoutFences(markdown).split('\n')) {
    const heading = /^ {0,3}#{1,6}\s+(.*?)(?:\s+#+)?\s*$/.exec(line);
    if (heading) anchors.push(slugger.slug(headingText(heading[1] ?? '')));
  }
  return anchors;
}

/** Every inline link's target, outside code. */
export function markdownLinks(markdown: string): MarkdownLink[] {
  const text = withoutCodeSpans(withoutFences(markdown));
  const links: MarkdownLink[] = [];
  for (const match of text.matchAll(/!?\[[^\]]*\]\(\s*<?([^)\s>]*)>?(?:\s+"[^"]*")?\s*\)/g)) {
    const line = text.slice(0, match.index).split('\n').length;
    links.push({ line, target: match[1] ?? '' });
  }
  return links;
}

const EXTERNAL = /^[a-z][a-z0-9+.-]*:/i;

/**
 * Links in `files` (paths under `root`) that GitHub would not resolve: a relative path that does not
 * exist or leaves the repository, or an #anchor no heading of the target document has.
 */
export function brokenLinks(root: string, files: string[]): BrokenLink[] {
  const anchorsOf = new Map<string, Set<string>>();
  const anchors = (path: string) => {
    let found = anchorsOf.get(path);
    if (!found) {
      found = new Set(headingAnchors(readFileSync(path, 'utf8')));
      anchorsOf.set(path, found);
    }
    return found;
  };
  const broken: BrokenLink[] = [];
  for (const file of files) {
    const source = resolve(root, file);
    for (const link of markdownLinks(readFileSync(source, 'utf8'))) {
      if (EXTERNAL.test(link.target)) continue;
      const fail = (reason: string) => broken.push({ file, ...link, reason });
      const [pathPart = '', anchor] = link.target.split('#', 2);
      const target = pathPart === '' ? source : resolve(dirname(source), decodeURIComponent(pathPart));
      const inside = relative(root, target);
      if (inside.startsWith(`..${sep}`) || inside === '..') {
        fail('leaves the repository');
        continue;
      }
      if (!existsSync(target)) {
        fail('no such file');
        continue;
      }
      if (anchor === undefined) continue;
      if (!target.endsWith('.md') || statSync(target).isDirectory())
        fail('an #anchor into a file with no headings');
      else if (!anchors(target).has(decodeURIComponent(anchor))) fail(`no heading makes #${anchor}`);
    }
  }
  return broken;
}
