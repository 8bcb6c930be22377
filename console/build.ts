import { createHash } from 'node:crypto';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildSync } from 'esbuild';
import { compile, NodePackageImporter } from 'sass';

/** Where the console is served, locally and behind CloudFront. */
export const CONSOLE_PATH = '/console';

export interface ConsoleBuild {
  outdir: string;
  /** The app shell every `/console/...` address answers with (history API routing). */
  shell: 'index.html';
  /** Content-hashed script and stylesheet: never change under their name, cached for a year. */
  hashed: string[];
  script: string;
  stylesheet: string;
}

const here = dirname(fileURLToPath(import.meta.url));
const hashOf = (bytes: string | Uint8Array) =>
  createHash('sha256').update(bytes).digest('hex').slice(0, 10).toUpperCase();

/**
 * The shell: no inline script or style (the Content-Security-Policy allows neither), the
 * stylesheet and one module script, both by absolute path so a deep link finds them.
 */
function shellHtml(script: string, stylesheet: string): string {
  return `<!DOCTYPE html>
<html lang="en" class="govuk-template">
<head>
<meta charset="utf-8">
<title>Officer console – You said, we did</title>
<meta name="viewport" content="width=device-width, initial-scale=1, viewport-fit=cover">
<meta name="robots" content="noindex, nofollow">
<link rel="icon" href="data:,">
<link rel="stylesheet" href="${CONSOLE_PATH}/${stylesheet}">
<script type="module" src="${CONSOLE_PATH}/${script}"></script>
</head>
<body class="govuk-template__body">
<a href="#main-content" class="govuk-skip-link" data-module="govuk-skip-link">Skip to main content</a>
<div id="app"><noscript><p>The officer console needs JavaScript.</p></noscript></div>
</body>
</html>
`;
}

/**
 * Builds the officer console: the app (TypeScript, bundled and minified by esbuild, with the
 * GOV.UK Frontend components it uses), the GOV.UK Frontend stylesheet compiled from its Sass with
 * this service's settings (console/styles.scss), and the shell. Synchronous, so the CDK app and
 * the local server call it inline (about a second, most of it Sass).
 */
export function buildConsole(outdir: string): ConsoleBuild {
  rmSync(outdir, { recursive: true, force: true });
  mkdirSync(outdir, { recursive: true });
  const bundle = buildSync({
    entryPoints: [join(here, 'src/main.ts')],
    bundle: true,
    format: 'esm',
    minify: true,
    target: ['es2022', 'chrome100', 'firefox100', 'safari15.4'],
    legalComments: 'none',
    write: false,
    logLevel: 'silent',
  });
  const code = bundle.outputFiles[0]?.contents;
  if (!code) throw new Error('console build produced no script');
  const script = `console-${hashOf(code)}.js`;
  writeFileSync(join(outdir, script), code);

  const { css } = compile(join(here, 'styles.scss'), {
    style: 'compressed',
    importers: [new NodePackageImporter(here)],
    // GOV.UK Frontend's own deprecation notices are for its maintainers, not for this build.
    quietDeps: true,
  });
  const stylesheet = `console-${hashOf(css)}.css`;
  writeFileSync(join(outdir, stylesheet), css);

  writeFileSync(join(outdir, 'index.html'), shellHtml(script, stylesheet));
  return { outdir, shell: 'index.html', hashed: [script, stylesheet], script, stylesheet };
}
