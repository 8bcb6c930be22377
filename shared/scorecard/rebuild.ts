import type { ScorecardCopy, ScorecardStore, StoredMonth } from '../storage/scorecard-repository';
import { Contributions, contributionsOf } from './contributions';
import type { Counts, Month, MonthCounts } from './counters';

/**
 * The scorecard rebuilt from the table: `contributionsOf` summed over every feedback item and
 * update (their scored fields only), compared with the live counters the projector keeps, and, if
 * asked, written over them. `npm run scorecard:rebuild` (scripts/scorecard-rebuild.ts) runs it on
 * the local stack or in AWS; the tests use it to prove the live figures equal the rebuild.
 *
 * Writing while the projector runs: the live items are read first, then the table, then (after
 * `settle`, which should outlast the stream's lag) the live items again. If the projector added
 * anything in between (an item's `changesApplied` moved), nothing is written: run it again. Each
 * write is also conditional on the `changesApplied` seen, so a change that lands after the check
 * refuses that write instead of being overwritten.
 */
export interface ScorecardDifference {
  copy: ScorecardCopy;
  projectId: string;
  month: Month;
  counter: string;
  live: number;
  rebuilt: number;
}

export interface RebuildReport {
  /** Items of the table read: feedback and updates. */
  itemsRead: number;
  /** Scorecard items (project months) the rebuild holds. */
  monthsRebuilt: number;
  differences: ScorecardDifference[];
  /** With `write`: items written (both copies counted). */
  written: number;
  /** With `write`: why nothing, or not everything, was written. */
  refused?: string;
}

export interface RebuildOptions {
  write?: boolean;
  /** Waits before the second look at the live counters (see above); no wait by default. */
  settle?: () => Promise<void>;
}

const keyOf = (row: { projectId: string; month: Month }) => `${row.month}\u0000${row.projectId}`;

interface LiveCopies {
  all: Map<string, StoredMonth>;
  projects: Map<string, Map<string, StoredMonth>>;
}

async function readLive(store: ScorecardStore, projectIds: Iterable<string>): Promise<LiveCopies> {
  const all = new Map((await store.everyMonth('all')).map((row) => [keyOf(row), row]));
  const ids = new Set([...projectIds, ...[...all.values()].map((row) => row.projectId)]);
  const projects = new Map<string, Map<string, StoredMonth>>();
  for (const id of [...ids].sort()) {
    projects.set(id, new Map((await store.everyMonth('project', id)).map((row) => [keyOf(row), row])));
  }
  return { all, projects };
}

function differencesOf(
  copy: ScorecardCopy,
  live: ReadonlyMap<string, StoredMonth>,
  rebuilt: ReadonlyMap<string, MonthCounts>,
): ScorecardDifference[] {
  const differences: ScorecardDifference[] = [];
  for (const key of new Set([...live.keys(), ...rebuilt.keys()])) {
    const have = live.get(key);
    const want = rebuilt.get(key);
    const row = (have ?? want) as MonthCounts;
    const liveCounts: Counts = have?.counts ?? {};
    const rebuiltCounts: Counts = want?.counts ?? {};
    for (const counter of new Set([...Object.keys(liveCounts), ...Object.keys(rebuiltCounts)])) {
      const a = liveCounts[counter] ?? 0;
      const b = rebuiltCounts[counter] ?? 0;
      if (a !== b)
        differences.push({ copy, projectId: row.projectId, month: row.month, counter, live: a, rebuilt: b });
    }
  }
  return differences.sort(
    (x, y) =>
      x.copy.localeCompare(y.copy) ||
      x.month.localeCompare(y.month) ||
      x.projectId.localeCompare(y.projectId) ||
      x.counter.localeCompare(y.counter),
  );
}

const changesOf = (live: LiveCopies) =>
  JSON.stringify([
    [...live.all].map(([key, row]) => [key, row.changesApplied]).sort(),
    [...live.projects]
      .map(([id, rows]) => [id, [...rows].map(([key, row]) => [key, row.changesApplied]).sort()])
      .sort(),
  ]);

export async function rebuildScorecard(
  store: ScorecardStore,
  options: RebuildOptions = {},
): Promise<RebuildReport> {
  const before = await readLive(store, []);
  const sum = new Contributions();
  let itemsRead = 0;
  for await (const { keys, image } of store.scoredItems()) {
    itemsRead++;
    sum.addAll(contributionsOf(keys, image));
  }
  const rebuilt = new Map(sum.list().map((row) => [keyOf(row), row]));
  const projectIds = new Set([...rebuilt.values()].map((row) => row.projectId));
  // Project copies the first look did not know of (projects with rebuilt counts only).
  const live = [...projectIds].some((id) => !before.projects.has(id))
    ? await readLive(store, projectIds)
    : before;
  const byProject = (id: string) => new Map([...rebuilt].filter(([, row]) => row.projectId === id));
  const differences = [
    ...differencesOf('all', live.all, rebuilt),
    ...[...new Set([...projectIds, ...live.projects.keys()])]
      .sort()
      .flatMap((id) => differencesOf('project', live.projects.get(id) ?? new Map(), byProject(id))),
  ];
  const report: RebuildReport = { itemsRead, monthsRebuilt: rebuilt.size, differences, written: 0 };
  if (!options.write || differences.length === 0) return report;

  await options.settle?.();
  const again = await readLive(store, projectIds);
  if (changesOf(again) !== changesOf(live)) {
    return {
      ...report,
      refused:
        'The projector changed the scorecard while it was being rebuilt: nothing was written. Run it again (with a longer settle time if this repeats).',
    };
  }
  const targets: { copy: ScorecardCopy; key: string; seen: StoredMonth | undefined }[] = [];
  for (const { copy, projectId, month } of differences) {
    const key = keyOf({ projectId, month });
    const rows = copy === 'all' ? again.all : (again.projects.get(projectId) ?? new Map());
    if (!targets.some((t) => t.copy === copy && t.key === key))
      targets.push({ copy, key, seen: rows.get(key) });
  }
  let refusedWrites = 0;
  for (const { copy, key, seen } of targets) {
    const [month, projectId] = key.split('\u0000') as [string, string];
    const counts = rebuilt.get(key)?.counts ?? {};
    const done = await store.replace(copy, { projectId, month, counts }, seen?.changesApplied);
    if (done) report.written++;
    else refusedWrites++;
  }
  if (refusedWrites > 0)
    report.refused = `${refusedWrites} item(s) changed as they were written and were left as they are: run it again.`;
  return report;
}

/** What the dry run or the write found, as lines for a person. */
export function describeRebuild(report: RebuildReport, write: boolean): string[] {
  const lines = [
    `Read ${report.itemsRead} item(s) (feedback and updates); the rebuild holds ${report.monthsRebuilt} project month(s).`,
  ];
  if (report.differences.length === 0) {
    lines.push('The live scorecard equals the rebuild: nothing to change.');
    return lines;
  }
  lines.push(
    `${report.differences.length} counter(s) differ (copy, month, project, counter: live → rebuilt):`,
  );
  for (const d of report.differences)
    lines.push(`  ${d.copy} ${d.month} ${d.projectId} ${d.counter}: ${d.live} → ${d.rebuilt}`);
  if (!write) lines.push('A dry run: nothing written. Run with --write to replace them.');
  else if (report.refused) lines.push(`Wrote ${report.written} item(s). ${report.refused}`);
  else lines.push(`Wrote ${report.written} item(s): the live scorecard now equals the rebuild.`);
  return lines;
}
