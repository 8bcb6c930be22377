/**
 * `npm run bench`: what each function costs to load and what requests cost to serve, as ratios that
 * hold on a busy shared machine (see docs/developers.md, "Speed and cost", for the method).
 *
 *   npm run bench                         everything (about 100 s of CPU; 5 minutes on a busy 2-core machine)
 *   npm run bench -- --cold-rounds 9 --latency-rounds 100
 *   npm run bench -- --only cold          (or latency); a partial run does not touch latest.json
 *   npm run bench -- --only projector     the projector's cost per 1,000 changes: replaces only
 *                                         that section (and its goals) of latest.json
 *   npm run bench -- --no-readme          leave docs/developers.md as it is
 *
 * Writes bench/results/latest.json and a timestamped copy, then rewrites the tables of
 * docs/developers.md between `<!-- bench:start -->` and `<!-- bench:end -->`.
 */
import '../infra/local/quiet-sdk-warning';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { BASELINE, BUNDLES_MARKER, type Bundle } from './bundles';
import { type ColdTimings, measureColdImports } from './cold';
import { measureLatency, type Operation } from './latency';
import { measureProjector } from './projector';
import {
  type BenchResults,
  type Goal,
  goalOf,
  renderMarkdown,
  rewriteTables,
  TABLES_DOCUMENT,
} from './report';
import { pairedRatios, summarize } from './stats';

const root = fileURLToPath(new URL('..', import.meta.url));
const resultsDir = join(root, 'bench', 'results');

const { values: args } = parseArgs({
  options: {
    'cold-rounds': { type: 'string', default: process.env.BENCH_COLD_ROUNDS ?? '15' },
    'latency-rounds': { type: 'string', default: process.env.BENCH_LATENCY_ROUNDS ?? '200' },
    'warm-up': { type: 'string', default: '20' },
    'seed-items': { type: 'string', default: '150' },
    'projector-rounds': { type: 'string', default: process.env.BENCH_PROJECTOR_ROUNDS ?? '7' },
    'projector-changes': { type: 'string', default: '200' },
    seed: { type: 'string', default: '20261126' },
    only: { type: 'string' },
    'no-readme': { type: 'boolean', default: false },
  },
});
const count = (name: keyof typeof args) => {
  const value = Number(args[name]);
  if (!Number.isInteger(value) || value < 1) throw new Error(`--${name} must be a whole number ≥ 1`);
  return value;
};
const options = {
  coldRounds: count('cold-rounds'),
  latencyRounds: count('latency-rounds'),
  warmUp: count('warm-up'),
  seedItems: count('seed-items'),
  seed: count('seed'),
  projectorRounds: count('projector-rounds'),
  projectorChanges: count('projector-changes'),
};
const only = args.only;
if (only && only !== 'cold' && only !== 'latency' && only !== 'projector')
  throw new Error('--only takes cold, latency or projector');

export const COLD_IMPORT_GOAL = 1.3;
export const IDEMPOTENCY_GOAL = 1.3;
export const LIST_GOAL = 1.5;
export const POST_GOAL = 1.3;
export const BUNDLE_LIMIT_KB = 400;
/** Claim and record: two standard writes per event; a transaction would be four. */
export const PROJECTOR_WRITE_UNITS_GOAL = 2;
/**
 * The scorecard, per change, as AWS prices it: a change that moves a count makes its claim a
 * transaction (+1) with two counter items at two units each (+4); at most 5 per change.
 */
export const SCORECARD_WRITE_UNITS_GOAL = 5;
/** Against one conditional PutItem per change, the projector derives events and writes twice. */
export const PROJECTOR_CPU_GOAL = 2.5;
/** The scorecard's deltas (two items' contributions, working days counted) on top of that. */
export const SCORECARD_CPU_GOAL = 1.4;

const started = performance.now();
const loadAverageAtStart = loadavg();
const progress = (text: string) => process.stderr.write(`\r${text}`.padEnd(60));

function buildBundlesInChild(): Bundle[] {
  const outdir = mkdtempSync(join(tmpdir(), 'bench-cdk-'));
  process.stderr.write('Bundling every function with CDK (as a deploy would)…\n');
  const out = execFileSync(process.execPath, ['--import', 'tsx', join(root, 'bench', 'bundles.ts'), outdir], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    maxBuffer: 64 * 1024 * 1024,
  });
  const line = out.split('\n').find((l) => l.startsWith(BUNDLES_MARKER));
  if (!line) throw new Error(`bundling printed no result:\n${out}`);
  return JSON.parse(line.slice(BUNDLES_MARKER.length)) as Bundle[];
}

const goals: Goal[] = [];
const results: BenchResults = {
  date: new Date().toISOString(),
  node: process.versions.node,
  machine: {
    cores: cpus().length,
    cpu: cpus()[0]?.model.trim() ?? 'unknown',
    loadAverageAtStart,
    loadAverageAtEnd: [],
  },
  options,
  durationSeconds: 0,
  bundles: [],
  goals,
};

let bundleDir: string | undefined;
if (!only || only === 'cold') {
  const bundles = buildBundlesInChild();
  bundleDir = join(bundles[0]?.file ?? '', '..', '..');
  results.bundles = bundles.map(({ name, bytes, gzipBytes }) => ({ name, bytes, gzipBytes }));
  const [baseline, ...functions] = bundles;
  if (!baseline || baseline.name !== BASELINE) throw new Error('the baseline bundle is missing');
  const largest = functions.reduce((a, b) => (b.bytes > a.bytes ? b : a));
  goals.push(
    goalOf('bundle-size', `largest bundle, KB (${largest.name})`, largest.bytes / 1024, BUNDLE_LIMIT_KB),
  );

  const cold = measureColdImports(baseline, functions, {
    rounds: options.coldRounds,
    seed: options.seed,
    onRound: (round) => progress(`Cold imports: round ${round} of ${options.coldRounds}`),
  });
  process.stderr.write('\n');
  const coldFunctions = functions.map((fn) => {
    const timings = cold.byFunction[fn.name] as ColdTimings['byFunction'][string];
    return {
      name: fn.name,
      wallMs: summarize(timings.wall.ms),
      wallRatio: summarize(timings.wall.ratios),
      cpuMs: summarize(timings.cpu.ms),
      cpuRatio: summarize(timings.cpu.ratios),
    };
  });
  results.coldImports = {
    baseline: BASELINE,
    baselineWallMs: summarize(cold.baseline.wall),
    baselineCpuMs: summarize(cold.baseline.cpu),
    functions: coldFunctions,
  };
  for (const measure of ['wall', 'cpu'] as const) {
    const key = measure === 'wall' ? 'wallRatio' : 'cpuRatio';
    const label = measure === 'wall' ? 'wall clock' : 'main-thread CPU';
    const worst = coldFunctions.reduce((a, b) => (b[key].median > a[key].median ? b : a));
    goals.push(
      goalOf(
        `cold-import-worst-${measure}`,
        `every function's cold import, ${label} (worst: ${worst.name})`,
        worst[key],
        COLD_IMPORT_GOAL,
      ),
    );
    const submit = coldFunctions.find((fn) => fn.name === 'submit-feedback');
    if (submit) {
      goals.push(
        goalOf(
          `cold-import-submit-feedback-${measure}`,
          `submit-feedback cold import, ${label}`,
          submit[key],
          COLD_IMPORT_GOAL,
        ),
      );
    }
  }
}

if (!only || only === 'latency') {
  process.stderr.write('Starting DynamoDB Local and the local server…\n');
  const latency = await measureLatency({
    rounds: options.latencyRounds,
    warmUp: options.warmUp,
    seedItems: options.seedItems,
    seed: options.seed,
    onProgress: (round) => progress(`Latency: round ${round} of ${options.latencyRounds}`),
  });
  process.stderr.write('\n');
  const labels: Record<Operation, string> = {
    rawPut: 'raw PutItem of the same item (document client)',
    minimalHttpPut: 'minimal HTTP server doing that PutItem',
    post: 'POST /feedback',
    postWithKey: 'POST /feedback with Idempotency-Key',
    list: `GET /officer/feedback?limit=50`,
    plainQuery: 'plain Query of 50 items (same index and partition)',
  };
  const ratio = (a: Operation, b: Operation) => summarize(pairedRatios(latency.ms[a], latency.ms[b]));
  const ratios = [
    { id: 'post-vs-raw-put', label: 'POST /feedback ÷ raw PutItem', ratio: ratio('post', 'rawPut') },
    {
      id: 'post-vs-minimal-http',
      label: 'POST /feedback ÷ minimal HTTP server doing the PutItem',
      ratio: ratio('post', 'minimalHttpPut'),
      goal: POST_GOAL,
    },
    {
      id: 'post-with-key-vs-post',
      label: 'POST with Idempotency-Key ÷ POST without',
      ratio: ratio('postWithKey', 'post'),
      goal: IDEMPOTENCY_GOAL,
    },
    {
      id: 'list-vs-query',
      label: 'GET /officer/feedback?limit=50 ÷ plain Query of 50',
      ratio: ratio('list', 'plainQuery'),
      goal: LIST_GOAL,
    },
  ];
  results.latency = {
    itemBytes: latency.itemBytes,
    listItems: latency.listItems,
    plainQueryItems: latency.plainQueryItems,
    requests: (Object.keys(labels) as Operation[]).map((id) => ({
      id,
      label: labels[id],
      ms: summarize(latency.ms[id]),
      writeUnits: latency.perRequest[id].write,
      readUnits: latency.perRequest[id].read,
      itemsRead: latency.perRequest[id].itemsRead,
      calls: latency.perRequest[id].calls,
    })),
    ratios,
  };
  for (const r of ratios) if (r.goal) goals.push(goalOf(r.id, r.label, r.ratio, r.goal));
  const units = latency.perRequest;
  goals.push(
    goalOf(
      'post-with-key-write-units',
      'write units, POST with key ÷ without',
      units.postWithKey.write / units.post.write,
      1,
    ),
  );
}

if (!only || only === 'projector') {
  process.stderr.write('Starting DynamoDB Local for the projector…\n');
  const projector = await measureProjector({
    rounds: options.projectorRounds,
    changesPerRound: options.projectorChanges,
    seed: options.seed,
    onProgress: (round) => progress(`Projector: round ${round} of ${options.projectorRounds}`),
  });
  process.stderr.write('\n');
  const cpuRatio = summarize(pairedRatios(projector.markersOnlyCpuMs, projector.baselineCpuMs));
  const scorecardCpuRatio = summarize(pairedRatios(projector.projectorCpuMs, projector.markersOnlyCpuMs));
  results.projector = {
    date: new Date().toISOString(),
    rounds: options.projectorRounds,
    changesPerRound: projector.changesPerRound,
    projectorCpuMsPer1000: summarize(projector.projectorCpuMs),
    baselineCpuMsPer1000: summarize(projector.baselineCpuMs),
    cpuRatio,
    projector: projector.projector,
    markersOnly: projector.markersOnly,
    markersOnlyCpuMsPer1000: summarize(projector.markersOnlyCpuMs),
    scorecardCpuRatio,
    baseline: projector.baseline,
  };
  goals.push(
    goalOf(
      'projector-cpu-vs-baseline',
      'projector CPU per change, without projections ÷ baseline',
      cpuRatio,
      PROJECTOR_CPU_GOAL,
    ),
    goalOf(
      'projector-scorecard-cpu',
      'projector CPU per change ÷ the same without projections',
      scorecardCpuRatio,
      SCORECARD_CPU_GOAL,
    ),
    goalOf(
      'projector-write-units',
      'projector write units per change, without projections',
      projector.markersOnly.writeUnits,
      PROJECTOR_WRITE_UNITS_GOAL,
    ),
    goalOf(
      'projector-scorecard-write-units',
      'scorecard write units per change (as AWS prices them)',
      (projector.projector.awsWriteUnits ?? 0) - (projector.markersOnly.awsWriteUnits ?? 0),
      SCORECARD_WRITE_UNITS_GOAL,
    ),
  );
}

results.machine.loadAverageAtEnd = loadavg();
results.durationSeconds = (performance.now() - started) / 1000;
if (bundleDir) rmSync(bundleDir, { recursive: true, force: true });

mkdirSync(resultsDir, { recursive: true });
const json = `${JSON.stringify(results, null, 2)}\n`;
const stamp = results.date.replace(/[:.]/g, '-');
writeFileSync(join(resultsDir, `${stamp}${only ? `-${only}` : ''}.json`), json);
const markdown = renderMarkdown(results);
console.log(`\n${markdown}\n`);
for (const goal of goals) {
  const value = goal.spread
    ? `${goal.measured.toFixed(2)}× (middle half ${goal.spread[0].toFixed(2)}–${goal.spread[1].toFixed(2)})`
    : goal.measured.toFixed(2);
  console.log(`${goal.verdict}  ${goal.description}: ${value}, goal ≤ ${goal.goal}`);
}
if (only === 'projector') {
  // The projector's section is measured on its own: it replaces that section of the last full run.
  const latestFile = join(resultsDir, 'latest.json');
  const latest = JSON.parse(readFileSync(latestFile, 'utf8')) as BenchResults;
  latest.projector = results.projector;
  latest.goals = [...latest.goals.filter((goal) => !goal.id.startsWith('projector-')), ...goals];
  writeFileSync(latestFile, `${JSON.stringify(latest, null, 2)}\n`);
  if (!args['no-readme']) {
    rewriteTables(root, renderMarkdown(latest));
    console.log(`\n${TABLES_DOCUMENT} "Speed and cost" tables rewritten from bench/results/latest.json`);
  }
}
if (!only) {
  writeFileSync(join(resultsDir, 'latest.json'), json);
  if (!args['no-readme']) {
    rewriteTables(root, markdown);
    console.log(`\n${TABLES_DOCUMENT} "Speed and cost" tables rewritten from bench/results/latest.json`);
  }
}
