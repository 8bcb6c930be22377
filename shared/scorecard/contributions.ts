import { londonDateOf } from '../domain/london-time';
import { FEEDBACK_KINDS } from '../domain/project';
import { workingDaysBetween } from '../domain/working-days';
import { ImageReader } from '../events/derive/image';
import { type ItemChange, UnreadableItemError } from '../events/item-change';
import {
  addCounts,
  type CaseGroup,
  type Counts,
  complaintGroup,
  counter,
  MAX_COMPLAINT_STAGES,
  type Month,
  type MonthCounts,
  SATISFACTION_SCORES,
  type SatisfactionScore,
} from './counters';

/**
 * What one stored item adds to the scorecard, as a pure function of the item as it is now: the
 * contribution model. The projector applies `contributionsOf(new) - contributionsOf(old)` for
 * every change (shared/events/projections/scorecard.ts); the rebuild sums `contributionsOf` over
 * the table (shared/scorecard/rebuild.ts). Whatever the order, number or redelivery of changes,
 * the live counters then equal the rebuild, by construction: that is the property the tests hold
 * it to.
 *
 * It reads only the fields named in SCORED_FEEDBACK_FIELDS / SCORED_UPDATE_FIELDS (the rebuild
 * fetches just those), never a family's words, an officer's answer or a reason: dates, deadlines,
 * kind, project, stage records' times and the satisfaction score (1-5, not text). Anonymisation
 * keeps all of those, so it moves no count.
 */

/** A complaint stage record's fields the scorecard reads (never `response`, `request.reason`, extension reasons). */
const STAGE_FIELDS = ['stage', 'startedAt', 'acknowledgeDueAt', 'acknowledgedAt', 'dueAt', 'answeredAt'];

/**
 * The feedback fields contributions read, as DynamoDB projection paths: the rebuild's
 * BatchGetItem asks for exactly these. Stage records by index, since a projection path cannot
 * name "every element": the most stages any procedure has.
 */
export const SCORED_FEEDBACK_FIELDS: readonly string[] = [
  'projectId',
  'kind',
  'receivedAt',
  'satisfaction',
  'acknowledgeDueAt',
  'acknowledgedAt',
  'respondDueAt',
  'respondedAt',
  ...Array.from({ length: MAX_COMPLAINT_STAGES }, (_, i) =>
    STAGE_FIELDS.map((field) => `complaintStages[${i}].${field}`),
  ).flat(),
];
export const SCORED_UPDATE_FIELDS: readonly string[] = [
  'projectId',
  'published',
  'publishedAt',
  'firstPublishedAt',
];

interface Case {
  group: CaseGroup;
  startedAt: string;
  acknowledgeDueAt: string;
  acknowledgedAt: string | undefined;
  answerDueAt: string;
  answeredAt: string | undefined;
}

/** The item's contributions, by project and month; none for items the scorecard does not count. */
export function contributionsOf(
  keys: { PK: string; SK: string },
  image: Record<string, unknown> | undefined,
): MonthCounts[] {
  if (!image || keys.SK !== 'META') return [];
  if (keys.PK.startsWith('FEEDBACK#')) return feedbackContributions(new ImageReader(keys.PK, image), keys.PK);
  if (keys.PK.startsWith('UPDATE#')) return updateContributions(new ImageReader(keys.PK, image), keys.PK);
  return [];
}

/** `contributionsOf(new) - contributionsOf(old)`: what one change adds (or takes away), non-zero only. */
export function deltaOf(change: ItemChange): MonthCounts[] {
  const sum = new Contributions();
  sum.addAll(contributionsOf(change.keys, change.newImage), 1);
  sum.addAll(contributionsOf(change.keys, change.oldImage), -1);
  return sum.list();
}

/** Contributions summed by project and month. */
export class Contributions {
  readonly #byKey = new Map<string, MonthCounts>();

  add(projectId: string, month: Month, counts: Counts, sign: 1 | -1 = 1) {
    const key = `${month}\u0000${projectId}`;
    const entry = this.#byKey.get(key) ?? { projectId, month, counts: {} };
    addCounts(entry.counts, counts, sign);
    this.#byKey.set(key, entry);
  }

  addAll(contributions: readonly MonthCounts[], sign: 1 | -1 = 1) {
    for (const { projectId, month, counts } of contributions) this.add(projectId, month, counts, sign);
  }

  /** The non-empty ones, by month then project. */
  list(): MonthCounts[] {
    return [...this.#byKey.values()]
      .filter((entry) => Object.keys(entry.counts).length > 0)
      .sort((a, b) =>
        a.month === b.month ? a.projectId.localeCompare(b.projectId) : a.month < b.month ? -1 : 1,
      );
  }
}

/** The London month of an instant. */
export function londonMonthOf(pk: string, field: string, instant: string): Month {
  const time = Date.parse(instant);
  if (!Number.isFinite(time)) throw new UnreadableItemError(pk, field);
  return londonDateOf(new Date(time)).slice(0, 7);
}

function feedbackContributions(item: ImageReader, pk: string): MonthCounts[] {
  const projectId = item.text('projectId');
  const kind = item.oneOf('kind', FEEDBACK_KINDS);
  const receivedAt = item.text('receivedAt');
  const sum = new Contributions();
  const at = (field: string, instant: string, name: string) =>
    sum.add(projectId, londonMonthOf(pk, field, instant), { [name]: 1 });

  const score = item.optionalCount('satisfaction');
  if (score !== undefined && (SATISFACTION_SCORES as readonly number[]).includes(score))
    at('receivedAt', receivedAt, counter.satisfaction(score as SatisfactionScore));

  for (const one of casesOf(item, kind, receivedAt)) {
    at('startedAt', one.startedAt, counter.started(one.group));
    if (one.acknowledgedAt !== undefined)
      at(
        'acknowledgedAt',
        one.acknowledgedAt,
        counter.acknowledged(one.group, Date.parse(one.acknowledgedAt) <= Date.parse(one.acknowledgeDueAt)),
      );
    if (one.answeredAt !== undefined) {
      at(
        'answeredAt',
        one.answeredAt,
        counter.answered(one.group, Date.parse(one.answeredAt) <= Date.parse(one.answerDueAt)),
      );
      const days = workingDaysBetween(
        londonDateOf(new Date(one.startedAt)),
        londonDateOf(new Date(one.answeredAt)),
      );
      at('answeredAt', one.answeredAt, counter.days(one.group, days));
    }
  }
  return sum.list();
}

/**
 * Feedback and compliments are one case each, with the item's own dates. A complaint is one case
 * per stage record, each with the dates and the deadline in force its record keeps (extended, or
 * set by a review panel); a complaint stored before stages existed is stage 1 with the item's own.
 */
function casesOf(item: ImageReader, kind: string, receivedAt: string): Case[] {
  const stages = kind === 'complaint' ? item.maps('complaintStages') : [];
  if (stages.length === 0) {
    return [
      {
        group: kind === 'complaint' ? complaintGroup(1) : (kind as CaseGroup),
        startedAt: receivedAt,
        acknowledgeDueAt: item.text('acknowledgeDueAt'),
        acknowledgedAt: item.optionalText('acknowledgedAt'),
        answerDueAt: item.text('respondDueAt'),
        answeredAt: item.optionalText('respondedAt'),
      },
    ];
  }
  return stages.map((record) => ({
    group: complaintGroup(record.count('stage')),
    startedAt: record.text('startedAt'),
    acknowledgeDueAt: record.text('acknowledgeDueAt'),
    acknowledgedAt: record.optionalText('acknowledgedAt'),
    answerDueAt: record.text('dueAt'),
    answeredAt: record.optionalText('answeredAt'),
  }));
}

/**
 * An update counts while it is published, in the month it was first published: unpublishing takes
 * it off again (what is counted is what the public can see), publishing it again puts it back in
 * its first month. Updates published before `firstPublishedAt` was kept count by `publishedAt`.
 */
function updateContributions(item: ImageReader, pk: string): MonthCounts[] {
  if (!item.flag('published')) return [];
  const field = item.optionalText('firstPublishedAt') ? 'firstPublishedAt' : 'publishedAt';
  return [
    {
      projectId: item.text('projectId'),
      month: londonMonthOf(pk, field, item.text(field)),
      counts: { [counter.updatesPublished]: 1 },
    },
  ];
}
