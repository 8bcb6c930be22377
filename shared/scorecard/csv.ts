import { csvOf } from '../domain/csv';
import type { ShownCount } from '../domain/public-counts';
import { COMPLAINT_STAGES } from './counters';
import type { Figures, Outcome, Scorecard, Timeliness } from './figures';

/**
 * The scorecard as CSV, for a spreadsheet: one row per month, one per project over the months,
 * then the total (`section` says which). The columns are fixed (every stage any procedure has), so
 * sheets of different periods line up; cells are spreadsheet-safe (shared/domain/csv.ts) and keep
 * the JSON's wording ("fewer than 5"); an empty cell is a percentage or median not shown.
 */
export interface ScorecardRow {
  section: 'month' | 'project' | 'total';
  month: string;
  projectId: string;
  projectTitle: string;
  figures: Figures;
}

type Column = { name: string; value: (row: ScorecardRow) => ShownCount | number | string | null };

const outcomeColumns = (prefix: string, pick: (row: ScorecardRow) => Outcome): Column[] => [
  { name: `${prefix}`, value: (row) => pick(row).total },
  { name: `${prefix}_on_time`, value: (row) => pick(row).onTime },
  { name: `${prefix}_late`, value: (row) => pick(row).late },
  { name: `${prefix}_on_time_percent`, value: (row) => pick(row).onTimePercent },
];

const timelinessColumns = (prefix: string, pick: (row: ScorecardRow) => Timeliness): Column[] => [
  ...outcomeColumns(`${prefix}_acknowledged`, (row) => pick(row).acknowledged),
  ...outcomeColumns(`${prefix}_answered`, (row) => pick(row).answered),
  { name: `${prefix}_median_working_days_to_answer`, value: (row) => pick(row).medianWorkingDaysToAnswer },
];

const stageOf = (row: ScorecardRow, stage: number) => {
  const found = row.figures.timeliness.complaintStages.find((entry) => entry.stage === stage);
  if (!found) throw new Error(`no stage ${stage} in the figures`);
  return found;
};

export const SCORECARD_CSV_COLUMNS: readonly Column[] = [
  { name: 'section', value: (row) => row.section },
  { name: 'month', value: (row) => row.month },
  { name: 'project_id', value: (row) => row.projectId },
  { name: 'project_title', value: (row) => row.projectTitle },
  { name: 'feedback_received', value: (row) => row.figures.received.feedback },
  { name: 'compliments_received', value: (row) => row.figures.received.compliment },
  { name: 'complaints_received', value: (row) => row.figures.received.complaint },
  ...timelinessColumns('feedback', (row) => row.figures.timeliness.feedback),
  ...timelinessColumns('compliments', (row) => row.figures.timeliness.compliment),
  ...timelinessColumns('complaints', (row) => row.figures.timeliness.complaint),
  ...COMPLAINT_STAGES.flatMap((stage): Column[] => [
    { name: `complaint_stage_${stage}_started`, value: (row) => stageOf(row, stage).started },
    ...timelinessColumns(`complaint_stage_${stage}`, (row) => stageOf(row, stage)),
  ]),
  { name: 'satisfaction_responses', value: (row) => row.figures.satisfaction.responses },
  ...(['1', '2', '3', '4', '5'] as const).map(
    (score): Column => ({
      name: `satisfaction_${score}`,
      value: (row) => row.figures.satisfaction.byScore[score],
    }),
  ),
  { name: 'updates_published', value: (row) => row.figures.updatesPublished },
];

/** The scorecard's rows: each month, each project, the total. */
export function scorecardRows(scorecard: Scorecard): ScorecardRow[] {
  const period = `${scorecard.from}/${scorecard.to}`;
  const allProjects = scorecard.projectId === null;
  const only = scorecard.projects[0]?.project;
  return [
    ...scorecard.months.map(({ month, ...figures }) => ({
      section: 'month' as const,
      month,
      projectId: allProjects ? '' : (only?.id ?? ''),
      projectTitle: allProjects ? '' : (only?.title ?? ''),
      figures,
    })),
    ...scorecard.projects.map(({ project, ...figures }) => ({
      section: 'project' as const,
      month: period,
      projectId: project.id,
      projectTitle: project.title,
      figures,
    })),
    {
      section: 'total' as const,
      month: period,
      projectId: allProjects ? '' : (only?.id ?? ''),
      projectTitle: allProjects ? '' : (only?.title ?? ''),
      figures: scorecard.total,
    },
  ];
}

export function scorecardCsv(scorecard: Scorecard): string {
  return csvOf(SCORECARD_CSV_COLUMNS, scorecardRows(scorecard));
}
