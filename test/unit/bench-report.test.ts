import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type BenchResults,
  goalOf,
  renderMarkdown,
  replaceSection,
  rewriteTables,
  TABLES_DOCUMENT,
  TABLES_END,
  TABLES_START,
} from '../../bench/report';
import {
  bracketedRatios,
  median,
  pairedRatios,
  quantile,
  seededRandom,
  shuffled,
  summarize,
} from '../../bench/stats';

const timings = fc.array(fc.double({ min: 0.01, max: 1e4, noNaN: true }), { minLength: 1, maxLength: 50 });

describe('bench arithmetic', () => {
  it('takes medians and quantiles as spreadsheets do', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(quantile([1, 2, 3, 4, 5], 0.25)).toBe(2);
    expect(quantile([10, 20], 0.75)).toBe(17.5);
    expect(() => median([])).toThrow(/no values/);
  });

  it('keeps every quantile within the values and in order', () => {
    fc.assert(
      fc.property(timings, (values) => {
        const s = summarize(values);
        expect(s.min).toBeLessThanOrEqual(s.p25);
        expect(s.p25).toBeLessThanOrEqual(s.median);
        expect(s.median).toBeLessThanOrEqual(s.p75);
        expect(s.p75).toBeLessThanOrEqual(s.max);
        expect(s.n).toBe(values.length);
      }),
    );
  });

  it('pairs ratios round by round, so a drift that moves both sides cancels out', () => {
    // The machine slows down tenfold half way: a ratio of medians would be lost, paired ratios are not.
    const baseline = [10, 10, 10, 100, 100, 100];
    const subject = [13, 13, 13, 130, 130, 130];
    expect(median(pairedRatios(subject, baseline))).toBeCloseTo(1.3);
    expect(() => pairedRatios([1], [1, 2])).toThrow(/differ in length/);
  });

  it('compares each subject with the mean of the baselines either side of it', () => {
    expect(bracketedRatios([10, 30, 10], [40, 10])).toEqual([2, 0.5]);
    expect(() => bracketedRatios([10, 10], [1, 2])).toThrow(/one more baseline/);
    fc.assert(
      fc.property(timings, fc.double({ min: 0.1, max: 10, noNaN: true }), (baselines, factor) => {
        fc.pre(baselines.length >= 2);
        const subjects = baselines.slice(1).map((b, i) => factor * ((b + (baselines[i] as number)) / 2));
        for (const ratio of bracketedRatios(baselines, subjects)) expect(ratio).toBeCloseTo(factor, 6);
      }),
    );
  });

  it('shuffles repeatably from a seed, keeping every item', () => {
    const items = Array.from({ length: 20 }, (_, i) => i);
    const once = shuffled(items, seededRandom(7));
    expect(shuffled(items, seededRandom(7))).toEqual(once);
    expect([...once].sort((a, b) => a - b)).toEqual(items);
    expect(once).not.toEqual(items);
  });

  it('passes a goal at or below it and fails above it', () => {
    expect(goalOf('a', 'a', summarize([1.2, 1.3, 1.4]), 1.3).verdict).toBe('PASS');
    expect(goalOf('b', 'b', summarize([1.25, 1.31, 1.4]), 1.3).verdict).toBe('FAIL');
    expect(goalOf('c', 'c', 1, 1)).toMatchObject({ verdict: 'PASS', measured: 1 });
  });
});

const summary = (value: number) => summarize([value * 0.9, value, value * 1.1]);
const results: BenchResults = {
  date: '2026-11-26T01:30:00.000Z',
  node: '24.21.0',
  machine: { cores: 2, cpu: 'Test CPU', loadAverageAtStart: [1, 2, 3], loadAverageAtEnd: [1.5, 2, 3] },
  options: { coldRounds: 15, latencyRounds: 200, warmUp: 20, seedItems: 150, seed: 1 },
  durationSeconds: 120,
  bundles: [
    { name: 'baseline', bytes: 200 * 1024, gzipBytes: 66 * 1024 },
    { name: 'submit-feedback', bytes: 300 * 1024, gzipBytes: 99 * 1024 },
  ],
  coldImports: {
    baseline: 'baseline',
    baselineWallMs: summary(30),
    baselineCpuMs: summary(20),
    functions: [
      {
        name: 'submit-feedback',
        wallMs: summary(36),
        wallRatio: summary(1.2),
        cpuMs: summary(25),
        cpuRatio: summary(1.25),
      },
    ],
  },
  latency: {
    itemBytes: 900,
    listItems: 50,
    plainQueryItems: 50,
    requests: [
      {
        id: 'post',
        label: 'POST /feedback',
        ms: summary(4),
        writeUnits: 4,
        readUnits: 0.5,
        itemsRead: 1,
        calls: 2,
      },
    ],
    ratios: [{ id: 'list-vs-query', label: 'list ÷ query', ratio: summary(1.4), goal: 1.5 }],
  },
  goals: [goalOf('cold-import-submit-feedback', 'submit-feedback cold import', summary(1.2), 1.3)],
};

describe('the docs tables from the results', () => {
  it('renders the goals with verdicts and every measured figure', () => {
    const rendered = renderMarkdown(results);
    // Columns are padded as the formatter lays them out: every line of a table is as long as its header.
    for (const block of rendered.split('\n\n').filter((b) => b.startsWith('|'))) {
      const lengths = new Set(block.split('\n').map((line) => line.length));
      expect(lengths.size).toBe(1);
    }
    const markdown = rendered.replace(/ {2,}/g, ' ');
    expect(markdown).toContain('| submit-feedback cold import | 1.20× | 1.14–1.26 | ≤ 1.30× | **PASS** |');
    expect(markdown).toContain(
      '| submit-feedback | 300 KB | 99 KB | 36.0 ms | 1.20× | 1.14–1.26 | 25.0 ms | 1.25× | 1.19–1.31 |',
    );
    expect(markdown).toContain('| list ÷ query | 1.40× | 1.33–1.47 | ≤ 1.50× |');
    expect(markdown).toContain('| POST /feedback | 4.00 ms | 3.80–4.20 ms | 4 | 0.5 | 1 | 2 |');
    expect(rendered).toContain('Node.js 24.21.0, 2 cores (Test CPU), load average 1.00, 2.00, 3.00');
  });

  it('renders the projector’s cost per 1,000 changes, beside its baseline', () => {
    const cost = (writeUnits: number) => ({
      writeUnits,
      readUnits: 0,
      putEventsCalls: 0.1,
      putEventsEntries: 1,
      events: 1,
    });
    const rendered = renderMarkdown({
      ...results,
      projector: {
        date: '2026-12-02T16:00:00.000Z',
        rounds: 7,
        changesPerRound: 200,
        projectorCpuMsPer1000: summary(2700),
        baselineCpuMsPer1000: summary(1500),
        cpuRatio: summary(1.8),
        projector: cost(2),
        baseline: cost(1),
      },
    });
    const markdown = rendered.replace(/ {2,}/g, ' ');
    expect(markdown).toContain('| projector | 1000 | 2000 | | 0 | 100 | 2700.0 ms | 2565–2835 ms |');
    expect(markdown).toContain('| baseline | 1000 | 1000 | | 0 | 100 | 1500.0 ms | 1425–1575 ms |');
    expect(markdown).toContain('| projector CPU ÷ baseline CPU | 1.80× | 1.71–1.89 |');
    expect(renderMarkdown(results)).not.toContain('projector');
  });

  it('renders the scorecard’s share of the projector’s writes when it was measured without projections', () => {
    const cost = (writeUnits: number) => ({
      writeUnits,
      readUnits: 0,
      putEventsCalls: 0.1,
      putEventsEntries: 1,
      events: 1,
    });
    const markdown = renderMarkdown({
      ...results,
      projector: {
        date: '2026-12-02T16:00:00.000Z',
        rounds: 7,
        changesPerRound: 200,
        projectorCpuMsPer1000: summary(2700),
        baselineCpuMsPer1000: summary(1500),
        cpuRatio: summary(1.8),
        projector: { ...cost(2.75), awsWriteUnits: 5.75 },
        markersOnly: { ...cost(2), awsWriteUnits: 2 },
        markersOnlyCpuMsPer1000: summary(2000),
        scorecardCpuRatio: summary(1.2),
        baseline: { ...cost(1), awsWriteUnits: 1 },
      },
    }).replace(/ {2,}/g, ' ');
    expect(markdown).toContain(
      '| projector without the scorecard | 1000 | 2000 | 2000 | 0 | 100 | 2000.0 ms | 1900–2100 ms |',
    );
    expect(markdown).toContain('| projector CPU ÷ the same without the scorecard | 1.20× | 1.14–1.26 |');
    expect(markdown).toContain(
      "The scorecard's counters (shared/events/projections/scorecard.ts) add 3750 write units per 1,000 changes as AWS prices them (750 as DynamoDB Local reports them)",
    );
  });

  it('replaces only what lies between the markers, and again on the next run', () => {
    const readme = `# Title\n\n## Speed\n\nMethod.\n\n${TABLES_START}\nold tables\n${TABLES_END}\n\n## Next\n`;
    const once = replaceSection(readme, 'new tables');
    expect(once).toBe(
      `# Title\n\n## Speed\n\nMethod.\n\n${TABLES_START}\n\nnew tables\n\n${TABLES_END}\n\n## Next\n`,
    );
    expect(replaceSection(once, 'newer')).toBe(replaceSection(readme, 'newer'));
  });

  it('refuses a document without the markers rather than writing somewhere else', () => {
    expect(() => replaceSection('# no markers', 'x')).toThrow(/bench:start/);
    expect(() => replaceSection(`${TABLES_END}\n${TABLES_START}`, 'x')).toThrow(/in that order/);
  });

  it('writes into docs/developers.md, whose "Speed and cost" holds the one pair of markers', () => {
    const repository = fileURLToPath(new URL('../..', import.meta.url));
    const developers = readFileSync(join(repository, TABLES_DOCUMENT), 'utf8');
    expect(developers.split(TABLES_START)).toHaveLength(2);
    expect(developers.split(TABLES_END)).toHaveLength(2);
    const section = developers.slice(developers.indexOf('\n## Speed and cost\n'));
    expect(section.indexOf(TABLES_START)).toBeGreaterThan(0);
    expect(section.indexOf(TABLES_END)).toBeLessThan(section.indexOf('\n## ', 1));
    expect(readFileSync(join(repository, 'README.md'), 'utf8')).not.toContain(TABLES_START);

    const copy = mkdtempSync(join(tmpdir(), 'bench-tables-'));
    mkdirSync(join(copy, 'docs'));
    writeFileSync(join(copy, TABLES_DOCUMENT), developers);
    expect(rewriteTables(copy, renderMarkdown(results))).toBe(join(copy, TABLES_DOCUMENT));
    const rewritten = readFileSync(join(copy, TABLES_DOCUMENT), 'utf8');
    expect(rewritten).toContain('Node.js 24.21.0, 2 cores (Test CPU)');
    expect(rewritten.slice(0, rewritten.indexOf(TABLES_START))).toBe(
      developers.slice(0, developers.indexOf(TABLES_START)),
    );
  });
});
