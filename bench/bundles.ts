/**
 * Bundles for `npm run bench`, built by CDK itself: the real stack is constructed (not synthesised),
 * which makes every NodejsFunction run its local esbuild exactly as a deploy would (same target,
 * derived from the nodejs24.x runtime, same banner, aliases and flags). The baseline is one more
 * ServiceFunction in a stack of its own, so it is built by the very same code path.
 */
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { App, AssetStaging, Stack } from 'aws-cdk-lib';
import { buildApp } from '../infra/build-app';
import { ServiceFunction } from '../infra/constructs/service-function';

export const BASELINE = 'baseline';
export const BUNDLES_MARKER = 'BENCH-BUNDLES:';

export interface Bundle {
  name: string;
  file: string;
  bytes: number;
  gzipBytes: number;
}

const baselineEntry = fileURLToPath(new URL('./baseline.ts', import.meta.url));

function stagedBundle(fn: ServiceFunction): string {
  const staging = fn.node.findAll().find((child): child is AssetStaging => child instanceof AssetStaging);
  if (!staging) throw new Error(`no bundled asset for ${fn.node.path}`);
  return join(staging.absoluteStagedPath, 'index.mjs');
}

/** Every ServiceFunction of the stack plus the baseline, bundled into `outdir`. Baseline first. */
export function buildBundles(outdir: string): Bundle[] {
  const app = new App({ outdir });
  const { stack } = buildApp(app);
  const baselineStack = new Stack(app, 'BenchBaseline');
  const baseline = new ServiceFunction(baselineStack, BASELINE, { entry: baselineEntry });
  const functions = stack.node
    .findAll()
    .filter((child): child is ServiceFunction => child instanceof ServiceFunction);
  return [baseline, ...functions].map((fn) => {
    const file = stagedBundle(fn);
    return {
      name: fn.node.id,
      file,
      bytes: statSync(file).size,
      gzipBytes: gzipSync(readFileSync(file), { level: 9 }).byteLength,
    };
  });
}

// Run as a script (`node --import tsx bench/bundles.ts <outdir>`): CDK's esbuild chatter stays in
// the child's output, and its memory is returned before anything is timed.
if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const outdir = process.argv[2];
  if (!outdir) throw new Error('usage: bundles.ts <outdir>');
  process.stdout.write(`\n${BUNDLES_MARKER}${JSON.stringify(buildBundles(outdir))}\n`);
}
