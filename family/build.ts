import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildSync } from 'esbuild';

/**
 * The family pages: small standalone pages a family opens from a link in a letter or email (the
 * link's token in the fragment). Each page is an HTML file with a stable name that CloudFront
 * re-checks (`escalate.html`), loading content-hashed script and style files cached for a year,
 * all from the same origin (the pages' Content-Security-Policy allows nothing else). Served by
 * `npm start` under `/family/` and uploaded beside `/embed/` in AWS (infra/constructs/edge.ts).
 * A new page: its `<name>.html` and `<name>.ts` here, and its entry in FAMILY_PAGES.
 */
export const FAMILY_PAGES = ['escalate', 'stop-messages'] as const;

export interface FamilyBuild {
  outdir: string;
  /** The pages, by stable name (`escalate.html`): re-checked on every visit. */
  pages: string[];
  /** Scripts and styles, content-hashed: never change under their name. */
  hashed: string[];
}

const here = dirname(fileURLToPath(import.meta.url));

/** Builds every page into `outdir` (esbuild, synchronous like embed/build.ts, about 50 ms). */
export function buildFamilyPages(outdir: string): FamilyBuild {
  rmSync(outdir, { recursive: true, force: true });
  const result = buildSync({
    entryPoints: {
      ...Object.fromEntries(FAMILY_PAGES.map((page) => [page, join(here, `${page}.ts`)])),
      family: join(here, 'family.css'),
    },
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
  // Stable name (`escalate.js`, `family.css`) → the hashed file written.
  const files: Record<string, string> = {};
  for (const [output, meta] of Object.entries(result.metafile?.outputs ?? {})) {
    if (!meta.entryPoint) continue;
    const entry = basename(meta.entryPoint);
    const stable = entry.endsWith('.css') ? entry : entry.replace(/\.ts$/, '.js');
    files[stable] = basename(output);
  }
  const pages = FAMILY_PAGES.map((page) => {
    const html = readFileSync(join(here, `${page}.html`), 'utf8')
      .replaceAll('{{css}}', required(files, 'family.css'))
      .replaceAll(`{{${page}.js}}`, required(files, `${page}.js`));
    writeFileSync(join(outdir, `${page}.html`), html);
    return `${page}.html`;
  });
  return { outdir, pages, hashed: Object.values(files) };
}

function required(files: Record<string, string>, name: string): string {
  const file = files[name];
  if (!file) throw new Error(`The family pages' build made no ${name}`);
  return file;
}
