import { SCORECARD_CSV_COLUMNS, scorecardRows } from '../scorecard/csv';
import type { Scorecard } from '../scorecard/figures';
import { readScorecard, type ScorecardRepository } from '../scorecard/read-scorecard';
import type { EventSummary } from './coproduction-events';
import { csvCell } from './csv';
import { DomainError } from './errors';
import type { LinkedEvent } from './manage-updates';
import type { Page } from './page';
import type { FeedbackKind, ProjectRepository } from './project';
import { type PublicCounts, publicCounts, type ShownCount, shownCount } from './public-counts';
import type { FeedRepository } from './public-feed';
import type { PublicView, UpdateStatus } from './update';

/**
 * The yearly report regulation 56 asks for: what was said and what was done, identifying no one.
 * Built from public views (published updates) and counts only, so it can go on the Local Offer as
 * it is. Years are calendar years; in January London keeps UTC, so UTC bounds are London's.
 */
export interface AnnualReportDeps {
  feed: FeedRepository;
  reports: {
    feedbackReceived(projectId: string, from: string, to: string): Promise<Record<FeedbackKind, number>>;
    linkedEvents(ids: readonly string[]): Promise<Map<string, LinkedEvent>>;
  };
  events: {
    list(
      query: { from?: string; to?: string },
      page: { limit: number; cursor?: string },
    ): Promise<Page<EventSummary>>;
  };
  projects: ProjectRepository;
  /** The scorecard's counters (shared/scorecard/): the year's months go in the report. */
  scorecard: ScorecardRepository;
  smallCountThreshold: number;
}

export interface ReportedUpdate {
  id: string;
  title: string;
  project: { id: string; title: string };
  status: UpdateStatus;
  publishedAt: string;
  modifiedAt: string;
  expectedBy: string | null;
  counts: PublicCounts;
}

export interface ProjectTotals {
  project: { id: string; title: string };
  feedbackReceived: Record<FeedbackKind, ShownCount>;
  updatesPublished: number;
  eventsHeld: number;
  participants: {
    childrenAndYoungPeople: ShownCount;
    parentsAndCarers: ShownCount;
    professionals: ShownCount;
  };
}

export interface AnnualReport {
  year: number;
  /** Counts from 1 to threshold - 1 are shown as "fewer than <threshold>". */
  smallCountThreshold: number;
  updates: ReportedUpdate[];
  projects: ProjectTotals[];
  /** The public scorecard for the year's twelve London months, every project (GET /scorecard). */
  scorecard: Scorecard;
}

export const REPORT_FIRST_YEAR = 2000;
export const REPORT_LAST_YEAR = 2200;

export function parseYear(value: string | undefined): number {
  const year = value && /^\d{4}$/.test(value) ? Number(value) : Number.NaN;
  if (!(year >= REPORT_FIRST_YEAR && year <= REPORT_LAST_YEAR)) {
    throw new DomainError('invalid', 'Say which year to report on.', [
      { path: 'year', message: `Use a year like 2026 (${REPORT_FIRST_YEAR} to ${REPORT_LAST_YEAR})` },
    ]);
  }
  return year;
}

async function everyPage<T>(read: (cursor?: string) => Promise<Page<T>>): Promise<T[]> {
  const all: T[] = [];
  let cursor: string | undefined;
  do {
    const page = await read(cursor);
    all.push(...page.items);
    cursor = page.cursor;
  } while (cursor);
  return all;
}

export async function annualReport(deps: AnnualReportDeps, year: number): Promise<AnnualReport> {
  const from = `${year}-01-01T00:00:00.000Z`;
  const to = `${year + 1}-01-01T00:00:00.000Z`;
  const within = (instant: string) => instant >= from && instant < to;

  // Published updates changed since the year began (the feed index, newest first), kept when
  // published or changed within the year: cost is the updates changed since then.
  const [views, events, projects] = await Promise.all([
    everyPage((cursor) => deps.feed.feedPage({ since: from }, { limit: 100, ...(cursor ? { cursor } : {}) })),
    everyPage((cursor) =>
      deps.events.list(
        { from: `${year}-01-01`, to: `${year}-12-31` },
        { limit: 100, ...(cursor ? { cursor } : {}) },
      ),
    ),
    deps.projects.list(),
  ]);
  const reported: PublicView[] = views.filter((view) => within(view.publishedAt) || within(view.modifiedAt));
  const held = events.filter((event) => event.status !== 'planned');
  const participants = await deps.reports.linkedEvents(held.map((event) => event.id));

  const titles = new Map(projects.map((project) => [project.id, project.title]));
  for (const view of reported) if (!titles.has(view.projectId)) titles.set(view.projectId, view.projectTitle);
  for (const event of held) if (!titles.has(event.projectId)) titles.set(event.projectId, event.projectId);
  const projectIds = [...titles.keys()].sort();

  const [received, scorecard] = await Promise.all([
    Promise.all(projectIds.map((id) => deps.reports.feedbackReceived(id, from, to))),
    readScorecard(deps, { from: `${year}-01`, to: `${year}-12` }),
  ]);
  const t = deps.smallCountThreshold;

  return {
    year,
    smallCountThreshold: t,
    updates: reported.map((view) => ({
      id: view.id,
      title: view.title,
      project: { id: view.projectId, title: view.projectTitle },
      status: view.status,
      publishedAt: view.publishedAt,
      modifiedAt: view.modifiedAt,
      expectedBy: view.expectedBy ?? null,
      counts: publicCounts(view.voices, t),
    })),
    projects: projectIds.map((id, i) => {
      const projectEvents = held.filter((event) => event.projectId === id);
      const people = { childrenAndYoungPeople: 0, parentsAndCarers: 0, professionals: 0 };
      for (const event of projectEvents) {
        const found = participants.get(event.id)?.participants;
        if (!found) continue;
        people.childrenAndYoungPeople += found.childrenAndYoungPeople;
        people.parentsAndCarers += found.parentsAndCarers;
        people.professionals += found.professionals;
      }
      const kinds = received[i] as Record<FeedbackKind, number>;
      return {
        project: { id, title: titles.get(id) ?? id },
        feedbackReceived: {
          feedback: shownCount(kinds.feedback, t),
          compliment: shownCount(kinds.compliment, t),
          complaint: shownCount(kinds.complaint, t),
        },
        updatesPublished: reported.filter((view) => view.projectId === id).length,
        eventsHeld: projectEvents.length,
        participants: {
          childrenAndYoungPeople: shownCount(people.childrenAndYoungPeople, t),
          parentsAndCarers: shownCount(people.parentsAndCarers, t),
          professionals: shownCount(people.professionals, t),
        },
      };
    }),
    scorecard,
  };
}

const CSV_COLUMNS = [
  'section',
  'project_id',
  'project_title',
  'update_id',
  'update_title',
  'status',
  'published_at',
  'modified_at',
  'expected_by',
  'children_and_young_people',
  'parents_and_carers',
  'professionals',
  'other',
  'events',
  'feedback_received',
  'compliments_received',
  'complaints_received',
  'updates_published',
  'events_held',
] as const;

/** The report as CSV: a header row, one row per update, then one row of totals per project. */
export function annualReportCsv(report: AnnualReport): string {
  const rows: Record<(typeof CSV_COLUMNS)[number], unknown>[] = [
    ...report.updates.map((update) => ({
      section: 'update',
      project_id: update.project.id,
      project_title: update.project.title,
      update_id: update.id,
      update_title: update.title,
      status: update.status,
      published_at: update.publishedAt,
      modified_at: update.modifiedAt,
      expected_by: update.expectedBy,
      children_and_young_people: update.counts.childrenAndYoungPeople,
      parents_and_carers: update.counts.parentsAndCarers,
      professionals: update.counts.professionals,
      other: update.counts.other,
      events: update.counts.events,
      feedback_received: '',
      compliments_received: '',
      complaints_received: '',
      updates_published: '',
      events_held: '',
    })),
    ...report.projects.map((totals) => ({
      section: 'project_total',
      project_id: totals.project.id,
      project_title: totals.project.title,
      update_id: '',
      update_title: '',
      status: '',
      published_at: '',
      modified_at: '',
      expected_by: '',
      children_and_young_people: totals.participants.childrenAndYoungPeople,
      parents_and_carers: totals.participants.parentsAndCarers,
      professionals: totals.participants.professionals,
      other: '',
      events: '',
      feedback_received: totals.feedbackReceived.feedback,
      compliments_received: totals.feedbackReceived.compliment,
      complaints_received: totals.feedbackReceived.complaint,
      updates_published: totals.updatesPublished,
      events_held: totals.eventsHeld,
    })),
  ];
  // The year's scorecard below, in columns of its own (scorecard_…); its rows' section says which
  // (scorecard_month, scorecard_project, scorecard_total), and they leave the report's columns empty.
  const shared = new Set(['section', 'project_id', 'project_title']);
  const scorecardColumns = SCORECARD_CSV_COLUMNS.filter((column) => !shared.has(column.name));
  const header = [...CSV_COLUMNS, ...scorecardColumns.map((column) => `scorecard_${column.name}`)];
  const lines = [
    header.join(','),
    ...rows.map((row) =>
      [...CSV_COLUMNS.map((column) => csvCell(row[column])), ...scorecardColumns.map(() => '')].join(','),
    ),
    ...scorecardRows(report.scorecard).map((row) =>
      [
        ...CSV_COLUMNS.map((column) =>
          column === 'section'
            ? `scorecard_${row.section}`
            : column === 'project_id'
              ? csvCell(row.projectId)
              : column === 'project_title'
                ? csvCell(row.projectTitle)
                : '',
        ),
        ...scorecardColumns.map((column) => csvCell(column.value(row))),
      ].join(','),
    ),
  ];
  return lines.map((line) => `${line}\r\n`).join('');
}
