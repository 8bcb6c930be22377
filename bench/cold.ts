/**
 * Cold imports, paired: each round runs the baseline, a function, the baseline, another function …
 * and ends on the baseline, every import in a fresh Node.js process (as cold as a Lambda cold start
 * can be here). A function's ratio in a round is its time over the mean of the two baseline runs
 * either side of it; the report is the median of those per-round ratios. The order of functions is
 * shuffled each round (from a fixed seed), so no function always follows the same neighbour.
 */
import { execFileSync } from 'node:child_process';
import { pathToFileURL } from 'node:url';
import type { Bundle } from './bundles';
import { bracketedRatios, seededRandom, shuffled } from './stats';

/** What Lambda gives a function, pointed nowhere: importing a handler must not call anything. */
const COLD_ENV = {
  TABLE_NAME: 'bench',
  AWS_REGION: 'eu-west-2',
  AWS_ACCESS_KEY_ID: 'bench',
  AWS_SECRET_ACCESS_KEY: 'bench',
  AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  POWERTOOLS_SERVICE_NAME: 'you-said-we-did',
  POWERTOOLS_METRICS_NAMESPACE: 'YouSaidWeDid',
  POWERTOOLS_METRICS_DISABLED: 'true',
};

/** Milliseconds to import `file` in a new process, timed inside it (process start-up is not counted). */
export function coldImportMs(file: string): number {
  const script = `const t = performance.now(); await import(${JSON.stringify(pathToFileURL(file).href)}); process.stdout.write(String(performance.now() - t));`;
  const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], {
    env: { PATH: process.env.PATH ?? '', ...COLD_ENV },
    encoding: 'utf8',
  });
  const ms = Number(out);
  if (!Number.isFinite(ms)) throw new Error(`cold import of ${file} printed ${JSON.stringify(out)}`);
  return ms;
}

export interface ColdTimings {
  /** Per function: its import time in each round, and its ratio to the bracketing baselines. */
  byFunction: Record<string, { ms: number[]; ratios: number[] }>;
  baselineMs: number[];
}

export function measureColdImports(
  baseline: Bundle,
  functions: Bundle[],
  options: { rounds: number; seed?: number; onRound?: (round: number) => void },
): ColdTimings {
  const random = seededRandom(options.seed ?? 20261126);
  const byFunction: ColdTimings['byFunction'] = Object.fromEntries(
    functions.map((fn) => [fn.name, { ms: [], ratios: [] }]),
  );
  const baselineMs: number[] = [];
  // One untimed import of each file first: the page cache holds every bundle before round 1.
  for (const bundle of [baseline, ...functions]) coldImportMs(bundle.file);
  for (let round = 0; round < options.rounds; round++) {
    const order = shuffled(functions, random);
    const baselines = [coldImportMs(baseline.file)];
    const subjects: number[] = [];
    for (const fn of order) {
      subjects.push(coldImportMs(fn.file));
      baselines.push(coldImportMs(baseline.file));
    }
    const ratios = bracketedRatios(baselines, subjects);
    order.forEach((fn, i) => {
      const entry = byFunction[fn.name] as { ms: number[]; ratios: number[] };
      entry.ms.push(subjects[i] as number);
      entry.ratios.push(ratios[i] as number);
    });
    baselineMs.push(...baselines);
    options.onRound?.(round + 1);
  }
  return { byFunction, baselineMs };
}
