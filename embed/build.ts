import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildSync } from 'esbuild';

/** The scripts a council pastes, by the stable name they load. */
export const EMBED_ENTRIES = {
  'feedback-form': 'feedback-form.ts',
  feed: 'feed.ts',
  scorecard: 'scorecard.ts',
} as const;
export type EmbedName = keyof typeof EMBED_ENTRIES;

export interface EmbedBuild {
  outdir: string;
  /** Stable name (`feed.js`) -> hashed file (`feed-3F2A9C.js`) it loads. */
  manifest: Record<string, string>;
  /** Content-hashed bundles: never change under their name, so they may be cached for a year. */
  hashed: string[];
  /** The names snippets use: one-line modules importing the current hashed bundle, cached briefly. */
  stable: string[];
}

const here = dirname(fileURLToPath(import.meta.url));

/**
 * Builds the Local Offer components with esbuild: a minified, content-hashed ES module per
 * component, and beside each a stable-named module of one `import` line that points at it. A
 * council's snippet keeps one address for ever; a new release changes only which hashed file that
 * one line names, so CDNs keep the big files for a year and re-check only the tiny ones.
 * Synchronous, so the CDK app and the local server can call it inline (about 100 ms).
 */
export function buildEmbed(outdir: string): EmbedBuild {
  rmSync(outdir, { recursive: true, force: true });
  mkdirSync(outdir, { recursive: true });
  const result = buildSync({
    entryPoints: Object.fromEntries(
      Object.entries(EMBED_ENTRIES).map(([name, file]) => [name, join(here, file)]),
    ),
    outdir,
    entryNames: '[name]-[hash]',
    bundle: true,
    format: 'esm',
    minify: true,
    target: ['es2022', 'chrome100', 'firefox100', 'safari15.4'],
    legalComments: 'none',
    metafile: true,
    logLevel: 'silent',
  });
  const manifest: Record<string, string> = {};
  for (const [output, meta] of Object.entries(result.metafile?.outputs ?? {})) {
    if (!meta.entryPoint) continue;
    const name = Object.entries(EMBED_ENTRIES).find(([, file]) => meta.entryPoint?.endsWith(file))?.[0];
    if (!name) continue;
    const hashedFile = basename(output);
    manifest[`${name}.js`] = hashedFile;
    writeFileSync(join(outdir, `${name}.js`), `import"./${hashedFile}";\n`);
  }
  writeFileSync(join(outdir, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  const stable = [...Object.keys(manifest), 'manifest.json'];
  const hashed = readdirSync(outdir).filter((file) => !stable.includes(file));
  return { outdir, manifest, hashed, stable };
}
