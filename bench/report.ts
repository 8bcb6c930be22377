/**
 * What `npm run bench` writes: the results as JSON (bench/results/), and the speed tables of
 * docs/developers.md ("Speed and cost") rendered from them, between `<!-- bench:start -->` and
 * `<!-- bench:end -->`, so the figures in the docs are always the ones last measured, never typed in.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Summary, type Verdict, verdict } from './stats';

export const TABLES_START = '<!-- bench:start -->';
export const TABLES_END = '<!-- bench:end -->';
/** The document that holds the tables, from the repository's root. */
export const TABLES_DOCUMENT = 'docs/developers.md';

export interface Goal {
  id: string;
  description: string;
  /** The median of the per-round ratios (or the measured value for non-ratios). */
  measured: number;
  /** Middle half of the per-round ratios, when the figure is a ratio. */
  spread?: [number, number];
  /** Met when measured <= goal. */
  goal: number;
  verdict: Verdict;
}

export interface BenchResults {
  date: string;
  node: string;
  machine: { cores: number; cpu: string; loadAverageAtStart: number[]; loadAverageAtEnd: number[] };
  options: { coldRounds: number; latencyRounds: number; warmUp: number; seedItems: number; seed: number };
  durationSeconds: number;
  bundles: { name: string; bytes: number; gzipBytes: number }[];
  coldImports?: {
    baseline: string;
    baselineWallMs: Summary;
    baselineCpuMs: Summary;
    functions: { name: string; wallMs: Summary; wallRatio: Summary; cpuMs: Summary; cpuRatio: Summary }[];
  };

  latency?: {
    itemBytes: number;
    listItems: number;
    plainQueryItems: number;
    requests: {
      id: string;
      label: string;
      ms: Summary;
      writeUnits: number;
      readUnits: number;
      itemsRead: number;
      calls: number;
    }[];
    ratios: { id: string; label: string; ratio: Summary; goal?: number }[];
  };
  /** The projector's cost per change (bench/projector.ts); measured with `--only projector` too. */
  projector?: {
    date: string;
    rounds: number;
    changesPerRound: number;
    projectorCpuMsPer1000: Summary;
    baselineCpuMsPer1000: Summary;
    cpuRatio: Summary;
    projector: ProjectorCost;
    /** The same projector with no projections; absent in older results. */
    markersOnly?: ProjectorCost;
    markersOnlyCpuMsPer1000?: Summary;
    /** Projector CPU ÷ the same without projections, paired by round: the scorecard's share. */
    scorecardCpuRatio?: Summary;
    baseline: ProjectorCost;
  };
  goals: Goal[];
}

export interface ProjectorCost {
  /** As DynamoDB (Local) reports them. */
  writeUnits: number;
  /** As AWS prices them (bench/projector.ts); absent in older results. */
  awsWriteUnits?: number;
  readUnits: number;
  putEventsCalls: number;
  putEventsEntries: number;
  events: number;
}

export function goalOf(id: string, description: string, ratio: Summary | number, goal: number): Goal {
  const measured = typeof ratio === 'number' ? ratio : ratio.median;
  return {
    id,
    description,
    measured,
    ...(typeof ratio === 'number' ? {} : { spread: [ratio.p25, ratio.p75] as [number, number] }),
    goal,
    verdict: verdict(measured, goal),
  };
}

const kb = (bytes: number) => `${(bytes / 1024).toFixed(0)} KB`;
const ms = (value: number) => `${value.toFixed(value < 10 ? 2 : 1)} ms`;
const x = (value: number) => `${value.toFixed(2)}×`;
const spread = (s: Summary) => `${s.p25.toFixed(2)}–${s.p75.toFixed(2)}`;
const units = (value: number) => (Number.isInteger(value) ? String(value) : value.toFixed(1));

/** A Markdown table with padded columns, as the formatter (biome) lays them out. */
function table(header: string[], align: ('l' | 'r')[], rows: string[][]): string {
  const widths = header.map((cell, i) =>
    Math.max(cell.length, 3, ...rows.map((row) => (row[i] ?? '').length)),
  );
  const pad = (cell: string, i: number) =>
    align[i] === 'r' ? cell.padStart(widths[i] as number) : cell.padEnd(widths[i] as number);
  const line = (cells: string[]) => `| ${cells.map(pad).join(' | ')} |`;
  const rule = `| ${widths.map((w, i) => (align[i] === 'r' ? `${'-'.repeat(w - 1)}:` : '-'.repeat(w))).join(' | ')} |`;
  return [line(header), rule, ...rows.map(line)].join('\n');
}

/** The docs section (without its markers) for one run's results. */
export function renderMarkdown(results: BenchResults): string {
  const parts: string[] = [];
  const load = (values: number[]) => values.map((v) => v.toFixed(2)).join(', ');
  parts.push(
    `Last run: ${results.date.slice(0, 16).replace('T', ' ')} UTC, Node.js ${results.node}, ` +
      `${results.machine.cores} cores (${results.machine.cpu}), load average ${load(results.machine.loadAverageAtStart)} ` +
      `at the start and ${load(results.machine.loadAverageAtEnd)} at the end; ` +
      [
        results.coldImports ? `${results.options.coldRounds} cold-import rounds` : '',
        results.latency ? `${results.options.latencyRounds} latency rounds` : '',
        `${results.durationSeconds.toFixed(0)} s in all`,
      ]
        .filter(Boolean)
        .join(', ') +
      '. Ratios are medians of per-round ratios; "middle half" is the 25th to 75th percentile of them.',
  );

  parts.push(
    table(
      ['goal', 'measured (median)', 'middle half', 'goal', 'verdict'],
      ['l', 'r', 'r', 'r', 'l'],
      results.goals.map((g) => [
        g.description,
        g.spread ? x(g.measured) : g.measured.toFixed(1),
        g.spread ? `${g.spread[0].toFixed(2)}–${g.spread[1].toFixed(2)}` : '',
        g.spread ? `≤ ${x(g.goal)}` : `≤ ${g.goal}`,
        `**${g.verdict}**`,
      ]),
    ),
  );

  const cold = results.coldImports;
  const bundleOf = new Map(results.bundles.map((b) => [b.name, b]));
  if (cold) {
    const baseline = bundleOf.get(cold.baseline);
    parts.push(
      table(
        [
          'function',
          'bundle',
          'gzipped',
          'cold import, wall',
          'ratio, wall',
          'middle half',
          'cold import, CPU',
          'ratio, CPU',
          'middle half',
        ],
        ['l', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r'],
        [
          [
            'baseline (document client only)',
            baseline ? kb(baseline.bytes) : '',
            baseline ? kb(baseline.gzipBytes) : '',
            ms(cold.baselineWallMs.median),
            '1.00×',
            '',
            ms(cold.baselineCpuMs.median),
            '1.00×',
            '',
          ],
          ...cold.functions.map((fn) => {
            const bundle = bundleOf.get(fn.name);
            return [
              fn.name,
              bundle ? kb(bundle.bytes) : '',
              bundle ? kb(bundle.gzipBytes) : '',
              ms(fn.wallMs.median),
              x(fn.wallRatio.median),
              spread(fn.wallRatio),
              ms(fn.cpuMs.median),
              x(fn.cpuRatio.median),
              spread(fn.cpuRatio),
            ];
          }),
        ],
      ),
    );
  } else if (results.bundles.length) {
    parts.push(
      table(
        ['function', 'bundle', 'gzipped'],
        ['l', 'r', 'r'],
        results.bundles.map((b) => [b.name, kb(b.bytes), kb(b.gzipBytes)]),
      ),
    );
  }

  const latency = results.latency;
  if (latency) {
    parts.push(
      `Requests (the feedback item is ${latency.itemBytes} bytes as JSON; the officer list page returned ` +
        `${latency.listItems} items, the plain Query ${latency.plainQueryItems}):`,
    );
    parts.push(
      table(
        ['request', 'median', 'middle half', 'write units', 'read units', 'items read', 'DynamoDB calls'],
        ['l', 'r', 'r', 'r', 'r', 'r', 'r'],
        latency.requests.map((r) => [
          r.label,
          ms(r.ms.median),
          `${r.ms.p25.toFixed(2)}–${r.ms.p75.toFixed(2)} ms`,
          units(r.writeUnits),
          units(r.readUnits),
          units(r.itemsRead),
          units(r.calls),
        ]),
      ),
    );
    parts.push(
      table(
        ['paired ratio', 'median', 'middle half', 'goal'],
        ['l', 'r', 'r', 'r'],
        latency.ratios.map((r) => [
          r.label,
          x(r.ratio.median),
          spread(r.ratio),
          r.goal ? `≤ ${x(r.goal)}` : '',
        ]),
      ),
    );
  }
  const projector = results.projector;
  if (projector) {
    parts.push(
      `The projector, per 1,000 changes (stream records that pass its filter; a complaint's received, ` +
        `acknowledged, responded and closed), measured ${projector.date.slice(0, 16).replace('T', ' ')} UTC, ` +
        `${projector.rounds} rounds of ${projector.changesPerRound} changes, against a baseline that only ` +
        'unmarshalls each record, makes one conditional PutItem and puts it on the bus:',
    );
    const per1000 = (value: number) => units(Math.round(value * 1000 * 10) / 10);
    parts.push(
      table(
        [
          'per 1,000 changes',
          'events',
          'write units',
          'as AWS prices them',
          'read units',
          'PutEvents calls',
          'CPU (median)',
          'middle half',
        ],
        ['l', 'r', 'r', 'r', 'r', 'r', 'r', 'r'],
        [
          ['projector', projector.projector, projector.projectorCpuMsPer1000] as const,
          ...(projector.markersOnly
            ? [
                [
                  'projector without the scorecard',
                  projector.markersOnly,
                  projector.markersOnlyCpuMsPer1000,
                ] as const,
              ]
            : []),
          ['baseline', projector.baseline, projector.baselineCpuMsPer1000] as const,
        ].map(([name, cost, cpu]) => [
          name,
          per1000(cost.events),
          per1000(cost.writeUnits),
          cost.awsWriteUnits === undefined ? '' : per1000(cost.awsWriteUnits),
          per1000(cost.readUnits),
          per1000(cost.putEventsCalls),
          cpu ? ms(cpu.median) : 'not timed',
          cpu ? `${cpu.p25.toFixed(0)}–${cpu.p75.toFixed(0)} ms` : '',
        ]),
      ),
    );
    parts.push(
      table(
        ['paired ratio', 'median', 'middle half'],
        ['l', 'r', 'r'],
        [
          [
            projector.markersOnly
              ? 'projector without the scorecard, CPU ÷ baseline CPU'
              : 'projector CPU ÷ baseline CPU',
            x(projector.cpuRatio.median),
            spread(projector.cpuRatio),
          ],
          ...(projector.scorecardCpuRatio
            ? [
                [
                  'projector CPU ÷ the same without the scorecard',
                  x(projector.scorecardCpuRatio.median),
                  spread(projector.scorecardCpuRatio),
                ],
              ]
            : []),
        ],
      ),
    );
    if (projector.markersOnly) {
      const markersOnly = projector.markersOnly;
      const scorecard = (pick: (cost: ProjectorCost) => number) =>
        per1000(pick(projector.projector) - pick(markersOnly));
      parts.push(
        `The scorecard's counters (shared/events/projections/scorecard.ts) add ${scorecard(
          (cost) => cost.awsWriteUnits ?? 0,
        )} write units per 1,000 changes as AWS prices them (${scorecard((cost) => cost.writeUnits)} as DynamoDB Local ` +
          'reports them): each change that moves a count (here three in four: the closing moves none) makes its ' +
          'marker a transaction with two counter items (each project month is kept twice), 2 units per item.',
      );
    }
  }
  return parts.join('\n\n');
}

/** Replaces what lies between the markers; fails loudly when they are missing or out of order. */
export function replaceSection(document: string, section: string): string {
  const start = document.indexOf(TABLES_START);
  const end = document.indexOf(TABLES_END);
  if (start === -1 || end === -1 || end < start) {
    throw new Error(
      `${TABLES_DOCUMENT} needs ${TABLES_START} and ${TABLES_END} (in that order) around the bench tables`,
    );
  }
  return `${document.slice(0, start + TABLES_START.length)}\n\n${section}\n\n${document.slice(end)}`;
}

/** Rewrites the tables in TABLES_DOCUMENT under `root` (the repository); returns the file written. */
export function rewriteTables(root: string, section: string): string {
  const path = join(root, TABLES_DOCUMENT);
  writeFileSync(path, replaceSection(readFileSync(path, 'utf8'), section));
  return path;
}
