import { DomainError, type FieldError } from '../domain/errors';
import { londonDateOf } from '../domain/london-time';
import { PROJECT_ID_PATTERN, type ProjectRepository } from '../domain/project';
import type { Month, MonthCounts } from './counters';
import { monthsBefore, type Scorecard, scorecardOf } from './figures';

/**
 * `GET /scorecard`: the public timeliness and satisfaction scorecard (shared/scorecard/figures.ts)
 * for some London months, all projects or one. Checked by hand like the feed's query (no schema
 * library in a public function); parameters it does not know (a CMS's cache-buster) are ignored.
 */
export interface ScorecardQuery {
  projectId?: string;
  from: Month;
  to: Month;
  format: 'json' | 'csv';
}

/** The most months one answer covers: three years, about 36 items per project read. */
export const SCORECARD_MAX_MONTHS = 36;
/** Without `from`, the answer covers this many months up to `to`. */
export const SCORECARD_DEFAULT_MONTHS = 12;

const MONTH = /^(\d{4})-(0[1-9]|1[0-2])$/;
const monthOk = (value: string) => MONTH.test(value) && value >= '2000-01' && value <= '2200-12';

export function parseScorecardQuery(
  params: Record<string, string | undefined> = {},
  now: Date,
): ScorecardQuery {
  const errors: FieldError[] = [];
  const { projectId, from, to, format } = params;
  const thisMonth = londonDateOf(now).slice(0, 7);
  const monthMessage = 'Use a month like 2026-11 (YYYY-MM, 2000-01 to 2200-12)';
  if (projectId !== undefined && !PROJECT_ID_PATTERN.test(projectId))
    errors.push({ path: 'projectId', message: 'Use a project id: lower-case letters, digits and hyphens' });
  if (from !== undefined && !monthOk(from)) errors.push({ path: 'from', message: monthMessage });
  if (to !== undefined && !monthOk(to)) errors.push({ path: 'to', message: monthMessage });
  if (format !== undefined && format !== 'json' && format !== 'csv')
    errors.push({ path: 'format', message: 'Use json or csv' });
  const last = to !== undefined && monthOk(to) ? to : thisMonth;
  const first = from !== undefined && monthOk(from) ? from : monthsBefore(last, SCORECARD_DEFAULT_MONTHS - 1);
  if (!errors.some((error) => error.path === 'from' || error.path === 'to')) {
    if (first > last) {
      const message = `from (${first}) must not be after to (${last})`;
      errors.push({ path: from === undefined ? 'to' : 'from', message });
    } else if (monthsBefore(last, SCORECARD_MAX_MONTHS - 1) > first) {
      errors.push({
        path: 'from',
        message: `Ask for at most ${SCORECARD_MAX_MONTHS} months: from ${monthsBefore(last, SCORECARD_MAX_MONTHS - 1)} for to ${last}`,
      });
    }
  }
  if (errors.length) throw new DomainError('invalid', 'The scorecard query needs correcting.', errors);
  return {
    ...(projectId === undefined ? {} : { projectId }),
    from: first,
    to: last,
    format: format === 'csv' ? 'csv' : 'json',
  };
}

/** Where the counters are (shared/storage/scorecard-repository.ts). */
export interface ScorecardRepository {
  /** The months from..to (inclusive) of every project, or of one: one Query (paged past 1 MB). */
  months(query: { projectId?: string; from: Month; to: Month }): Promise<MonthCounts[]>;
}

export interface ScorecardDeps {
  scorecard: ScorecardRepository;
  projects: Pick<ProjectRepository, 'list'>;
  smallCountThreshold: number;
}

/** A project id no project has: 400 naming it, as a filter that can match nothing. */
export class UnknownScorecardProjectError extends DomainError {
  constructor(projectId: string) {
    super('invalid', 'The scorecard query needs correcting.', [
      { path: 'projectId', message: `No project has the id '${projectId}'` },
    ]);
  }
}

export async function readScorecard(
  deps: ScorecardDeps,
  query: Pick<ScorecardQuery, 'projectId' | 'from' | 'to'>,
): Promise<Scorecard> {
  const [rows, projects] = await Promise.all([
    deps.scorecard.months({
      ...(query.projectId ? { projectId: query.projectId } : {}),
      from: query.from,
      to: query.to,
    }),
    deps.projects.list(),
  ]);
  const titles = new Map(projects.map((project) => [project.id, project.title]));
  if (query.projectId !== undefined && !titles.has(query.projectId) && rows.length === 0)
    throw new UnknownScorecardProjectError(query.projectId);
  return scorecardOf({
    from: query.from,
    to: query.to,
    projectId: query.projectId,
    rows,
    titles,
    threshold: deps.smallCountThreshold,
  });
}
