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

export interface ImportTime {
  /** Wall-clock milliseconds around the `import()`, as a cold start feels it. */
  wall: number;
  /**
   * CPU milliseconds of the main thread during the import: the same work without the time the
   * process sat waiting for a core, which on a shared machine is most of the noise.
   */
  cpu: number;
}

/** Times the import of `file` in a new process, inside it (process start-up is not counted). */
export function coldImport(file: string): ImportTime {
  const script = [
    'const c = process.threadCpuUsage(); const t = performance.now();',
    `await import(${JSON.stringify(pathToFileURL(file).href)});`,
    'const wall = performance.now() - t; const d = process.threadCpuUsage(c);',
    'process.stdout.write(JSON.stringify({ wall, cpu: (d.user + d.system) / 1000 }));',
  ].join(' ');
  const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], {
    env: { PATH: process.env.PATH ?? '', ...COLD_ENV },
    encoding: 'utf8',
  });
  const time = JSON.parse(out) as ImportTime;
  if (!(time.wall > 0 && time.cpu >= 0)) throw new Error(`cold import of ${file} printed ${out}`);
  return time;
}

export interface Series {
  /** One per round. */
  ms: number[];
  /** Per round, to the baselines either side. */
  ratios: number[];
}

export interface ColdTimings {
  byFunction: Record<string, { wall: Series; cpu: Series }>;
  baseline: { wall: number[]; cpu: number[] };
}

export function measureColdImports(
  baseline: Bundle,
  functions: Bundle[],
  options: { rounds: number; seed?: number; onRound?: (round: number) => void },
): ColdTimings {
  const random = seededRandom(options.seed ?? 20261126);
  const byFunction: ColdTimings['byFunction'] = Object.fromEntries(
    functions.map((fn) => [fn.name, { wall: { ms: [], ratios: [] }, cpu: { ms: [], ratios: [] } }]),
  );
  const all: ColdTimings['baseline'] = { wall: [], cpu: [] };
  // One untimed import of each file first: the page cache holds every bundle before round 1.
  for (const bundle of [baseline, ...functions]) coldImport(bundle.file);
  for (let round = 0; round < options.rounds; round++) {
    const order = shuffled(functions, random);
    const baselines = [coldImport(baseline.file)];
    const subjects: ImportTime[] = [];
    for (const fn of order) {
      subjects.push(coldImport(fn.file));
      baselines.push(coldImport(baseline.file));
    }
    for (const measure of ['wall', 'cpu'] as const) {
      const ratios = bracketedRatios(
        baselines.map((b) => b[measure]),
        subjects.map((s) => s[measure]),
      );
      order.forEach((fn, i) => {
        const series = (byFunction[fn.name] as { wall: Series; cpu: Series })[measure];
        series.ms.push((subjects[i] as ImportTime)[measure]);
        series.ratios.push(ratios[i] as number);
      });
      all[measure].push(...baselines.map((b) => b[measure]));
    }
    options.onRound?.(round + 1);
  }
  return { byFunction, baseline: all };
}
