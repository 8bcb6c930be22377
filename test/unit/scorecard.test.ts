import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { escalate, extendStage } from '../../shared/domain/complaint-stages';
import { DomainError } from '../../shared/domain/errors';
import type { Feedback } from '../../shared/domain/feedback';
import { acknowledge, respond } from '../../shared/domain/feedback-lifecycle';
import { londonDateOf } from '../../shared/domain/london-time';
import { bandedCount, type ShownCount, shownCount } from '../../shared/domain/public-counts';
import type { Update } from '../../shared/domain/update';
import { addWorkingDays, workingDaysBetween } from '../../shared/domain/working-days';
import { domainEventsOf } from '../../shared/events/domain-events-of';
import { UnreadableItemError } from '../../shared/events/item-change';
import { scorecardProjection } from '../../shared/events/projections/scorecard';
import { PROJECTIONS } from '../../shared/events/registry';
import {
  Contributions,
  contributionsOf,
  deltaOf,
  SCORED_FEEDBACK_FIELDS,
} from '../../shared/scorecard/contributions';
import { type Counts, isCounter, type MonthCounts, medianOf } from '../../shared/scorecard/counters';
import { SCORECARD_CSV_COLUMNS, scorecardCsv } from '../../shared/scorecard/csv';
import { figuresOf, monthsBefore, monthsBetween, scorecardOf } from '../../shared/scorecard/figures';
import { parseScorecardQuery } from '../../shared/scorecard/read-scorecard';
import { feedbackRecord } from '../../shared/storage/feedback-repository';
import { updateRecord } from '../../shared/storage/update-repository';
import { DAY_MS, HOUR_MS, TEST_NOW } from '../support/clock';
import { feedbackChange, updateChange } from '../support/domain-events';
import { life, receivedItem, walk } from '../support/scorecard-walks';

const sam = { sub: 'sub-sam', name: 'Sam Officer' };
const monthOf = (at: Date | string) => londonDateOf(new Date(at)).slice(0, 7);
const key = (feedback: Feedback) => ({ PK: `FEEDBACK#${feedback.id}`, SK: 'META' });
/** Everything an item adds, summed over its months. */
const flat = (contributions: readonly MonthCounts[]): Counts => {
  const all: Counts = {};
  for (const { counts } of contributions)
    for (const [n, v] of Object.entries(counts)) all[n] = (all[n] ?? 0) + v;
  return all;
};
const of = (feedback: Feedback) => contributionsOf(key(feedback), feedbackRecord(feedback));

describe('what an item adds to the scorecard (the contribution model)', () => {
  it('counts feedback by the month of each step: received with its score, acknowledged on time, answered late with its working days', () => {
    const received = receivedItem(
      { kind: 'feedback', satisfaction: 2, procedure: 'corporate', projectId: 'general' },
      TEST_NOW,
    );
    expect(of(received)).toEqual([
      {
        projectId: 'general',
        month: monthOf(TEST_NOW),
        counts: { 'started:feedback': 1, 'satisfaction:2': 1 },
      },
    ]);
    const acknowledgedAt = new Date(TEST_NOW.getTime() + HOUR_MS);
    const acknowledged = acknowledge(received, sam, acknowledgedAt).feedback;
    const answeredAt = new Date(Date.parse(received.respondDueAt) + 3 * DAY_MS);
    const answered = respond(acknowledged, { response: 'Words', outcome: 'noted' }, sam, answeredAt).feedback;
    const days = workingDaysBetween(londonDateOf(TEST_NOW), londonDateOf(answeredAt));
    expect(flat(of(answered))).toEqual({
      'started:feedback': 1,
      'satisfaction:2': 1,
      'ackOnTime:feedback': 1,
      'answerLate:feedback': 1,
      [`days:feedback:${days}`]: 1,
    });
    // Each figure in the month it happened.
    const answerMonth = of(answered).find((entry) => entry.month === monthOf(answeredAt));
    expect(answerMonth?.counts['answerLate:feedback']).toBe(1);
  });

  it('counts an answer on its deadline day as on time, and that many working days', () => {
    const received = receivedItem(
      { kind: 'compliment', satisfaction: undefined, procedure: 'corporate', projectId: 'general' },
      TEST_NOW,
    );
    const lastMinute = new Date(Date.parse(received.respondDueAt) - 60_000);
    const answered = respond(received, { response: 'Thank you', outcome: 'noted' }, sam, lastMinute).feedback;
    const counts = flat(of(answered));
    expect(counts['answerOnTime:compliment']).toBe(1);
    // Answering unacknowledged feedback acknowledges it at the same moment, late or not.
    expect((counts['ackOnTime:compliment'] ?? 0) + (counts['ackLate:compliment'] ?? 0)).toBe(1);
    expect(counts[`days:compliment:${workingDaysBetween(londonDateOf(TEST_NOW), received.respondBy)}`]).toBe(
      1,
    );
  });

  it('counts a complaint per stage, from its stage records: an escalation starts stage 2 and keeps stage 1 answered', () => {
    const received = receivedItem(
      { kind: 'complaint', satisfaction: 5, procedure: 'corporate', projectId: 'general' },
      TEST_NOW,
    );
    const answeredAt = new Date(TEST_NOW.getTime() + 2 * DAY_MS);
    const answered = respond(received, { response: 'Words', outcome: 'upheld' }, sam, answeredAt).feedback;
    const askedAt = new Date(answeredAt.getTime() + 3 * DAY_MS);
    const escalated = escalate(answered, { at: askedAt, via: 'phone' }, sam, askedAt).feedback;
    const counts = flat(of(escalated));
    expect(counts).toMatchObject({
      'started:complaint-1': 1,
      'ackOnTime:complaint-1': 1,
      'answerOnTime:complaint-1': 1,
      'started:complaint-2': 1,
      'satisfaction:5': 1,
    });
    expect(Object.keys(counts).filter((name) => name.endsWith(':complaint-2'))).toEqual([
      'started:complaint-2',
    ]);
    // The escalation moved only stage 2's start: what it adds is that, in the month asked.
    expect(deltaOf(feedbackChange(answered, escalated))).toEqual([
      { projectId: 'general', month: monthOf(askedAt), counts: { 'started:complaint-2': 1 } },
    ]);
  });

  it('judges a stage by the deadline in force: answered after the first deadline but within an extension is on time', () => {
    const received = receivedItem(
      { kind: 'complaint', satisfaction: undefined, procedure: 'corporate', projectId: 'general' },
      TEST_NOW,
    );
    const extended = extendStage(
      received,
      10,
      'More time',
      sam,
      new Date(TEST_NOW.getTime() + HOUR_MS),
    ).feedback;
    const afterFirst = new Date(Date.parse(received.respondDueAt) + DAY_MS);
    expect(afterFirst.toISOString() < extended.respondDueAt).toBe(true);
    const answered = respond(
      extended,
      { response: 'Words', outcome: 'not_upheld' },
      sam,
      afterFirst,
    ).feedback;
    expect(flat(of(answered))['answerOnTime:complaint-1']).toBe(1);
    expect(flat(of(answered))['answerLate:complaint-1']).toBeUndefined();
  });

  it('counts a published update in the month it was first published, and not once unpublished', () => {
    const first = new Date(TEST_NOW.getTime() - 40 * DAY_MS);
    const update = updateOf({
      published: true,
      publishedAt: TEST_NOW.toISOString(),
      firstPublishedAt: first.toISOString(),
    });
    const updateKey = { PK: `UPDATE#${update.id}`, SK: 'META' };
    expect(contributionsOf(updateKey, updateRecord(update))).toEqual([
      { projectId: 'general', month: monthOf(first), counts: { updatesPublished: 1 } },
    ]);
    const unpublished = { ...update, published: false, version: 3 };
    expect(deltaOf(updateChange(update, unpublished))).toEqual([
      { projectId: 'general', month: monthOf(first), counts: { updatesPublished: -1 } },
    ]);
    // Published before firstPublishedAt was kept: counted by publishedAt.
    const { firstPublishedAt: _none, ...older } = update;
    expect(contributionsOf(updateKey, updateRecord(older))[0]?.month).toBe(monthOf(TEST_NOW));
  });

  it('reads only the scored fields: an item cut down to them adds exactly what the whole item adds', () => {
    fc.assert(
      fc.property(life, (generated) => {
        const { received, changes } = walk(generated, TEST_NOW);
        const last = changes.at(-1)?.feedback ?? received;
        const whole = feedbackRecord(last) as Record<string, unknown>;
        expect(contributionsOf(key(last), projected(whole, SCORED_FEEDBACK_FIELDS))).toEqual(
          contributionsOf(key(last), whole),
        );
      }),
      { numRuns: 150 },
    );
  });

  it('never reads a family’s words: a change to the message alone adds nothing', () => {
    const received = receivedItem(
      { kind: 'complaint', satisfaction: 3, procedure: 'childrens', projectId: 'general' },
      TEST_NOW,
    );
    expect(deltaOf(feedbackChange(received, { ...received, message: 'Other words', version: 2 }))).toEqual(
      [],
    );
  });

  it('refuses an item it cannot read, naming the field only', () => {
    const received = receivedItem(
      { kind: 'feedback', satisfaction: undefined, procedure: 'corporate', projectId: 'general' },
      TEST_NOW,
    );
    const broken = { ...feedbackRecord(received), receivedAt: 'not a date' };
    expect(() => contributionsOf(key(received), broken)).toThrow(UnreadableItemError);
    expect(contributionsOf({ PK: 'PROJECTS', SK: 'PROJECT#general' }, { title: 'x' })).toEqual([]);
  });
});

describe('every life the service allows', () => {
  it('gives a domain event with every change that moves a count, and the changes add up to what the item adds', () => {
    fc.assert(
      fc.property(life, (generated) => {
        const { received, changes } = walk(generated, TEST_NOW);
        const sum = new Contributions();
        let before: Feedback | undefined;
        for (const after of [received, ...changes.map((change) => change.feedback)]) {
          const change = feedbackChange(before, after);
          const delta = deltaOf(change);
          if (delta.length > 0)
            expect(domainEventsOf(change).length, JSON.stringify(delta)).toBeGreaterThan(0);
          // The projection writes both copies of each project month the change moves, nothing else.
          expect(
            scorecardProjection.itemsForChange?.(change, { tableName: 't', now: TEST_NOW }),
          ).toHaveLength(2 * delta.length);
          sum.addAll(delta);
          before = after;
        }
        expect(sum.list()).toEqual(of(before as Feedback));
      }),
      { numRuns: 300 },
    );
  });

  it('is the projection the projector runs, and it writes only SCORECARD# partitions', () => {
    expect(PROJECTIONS).toContain(scorecardProjection);
    const received = receivedItem(
      { kind: 'feedback', satisfaction: 4, procedure: 'corporate', projectId: 'general' },
      TEST_NOW,
    );
    const items = scorecardProjection.itemsForChange?.(feedbackChange(undefined, received), {
      tableName: 't',
      now: TEST_NOW,
    });
    expect(items?.map((item) => item.Update?.Key?.PK)).toEqual([
      'SCORECARD#ALL',
      'SCORECARD#PROJECT#general',
    ]);
    for (const item of items ?? []) {
      expect(item.Update?.UpdateExpression).toMatch(/ADD changesApplied :one, #c0 :c0, #c1 :c1$/);
      expect(item.Update?.ConditionExpression).toBeUndefined();
    }
  });
});

describe('the median from a histogram', () => {
  it('equals the median of the values themselves', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 60 }), { minLength: 1, maxLength: 80 }), (values) => {
        const histogram = new Map<number, number>();
        for (const v of values) histogram.set(v, (histogram.get(v) ?? 0) + 1);
        const sorted = [...values].sort((a, b) => a - b);
        const mid = Math.floor(sorted.length / 2);
        const expected =
          sorted.length % 2
            ? (sorted[mid] as number)
            : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
        expect(medianOf(histogram)).toBe(expected);
      }),
    );
    expect(medianOf(new Map())).toBeUndefined();
  });
});

describe('counts shown safely', () => {
  it('shows 1 to 4 as "fewer than 5", 0 as 0 and the rest rounded down to a multiple of 5', () => {
    expect([0, 1, 4, 5, 7, 9, 10, 14, 15, 102].map((n) => bandedCount(n, 5))).toEqual([
      0,
      'fewer than 5',
      'fewer than 5',
      5,
      5,
      5,
      10,
      10,
      15,
      100,
    ]);
    // The same small-count rule as the rest of the public output.
    for (let n = 0; n < 5; n++) expect(bandedCount(n, 5)).toEqual(shownCount(n, 5));
  });

  /**
   * Every way of filling `cells` from 0 to max-1, grouped by what the public would see (each cell
   * and each sum of cells `sums` names, all shown with `show`): the hidden cells that every
   * candidate in a group agrees on are pinned down. Groups near `max` are left out (their
   * candidates are cut off by the search, not by the figures).
   */
  function pinned(
    show: (n: number) => ShownCount,
    cells: number,
    sums: readonly (readonly number[])[],
    max: number,
    options: { skip?: (seen: ShownCount[]) => boolean } = {},
  ): string[] {
    const groups = new Map<string, number[][]>();
    const vector = new Array<number>(cells).fill(0);
    const visit = (i: number) => {
      if (i === cells) {
        const seen = [
          ...vector.map(show),
          ...sums.map((sum) => show(sum.reduce((t, j) => t + (vector[j] ?? 0), 0))),
        ];
        const key = JSON.stringify(seen);
        groups.set(key, [...(groups.get(key) ?? []), [...vector]]);
        return;
      }
      for (let n = 0; n < max; n++) {
        vector[i] = n;
        visit(i + 1);
      }
    };
    visit(0);
    const found: string[] = [];
    for (const [key, candidates] of groups) {
      const seen = JSON.parse(key) as ShownCount[];
      if (options.skip?.(seen) || candidates.some((c) => Math.max(...c) >= max - 8)) continue;
      for (let i = 0; i < cells; i++)
        if (typeof seen[i] === 'string' && new Set(candidates.map((c) => c[i])).size === 1)
          found.push(`${key} → ${JSON.stringify(candidates[0])}`);
    }
    return found;
  }

  it('lets no subtraction of shown figures pin down a hidden count: sums of parts, and a table with its margins', () => {
    const banded = (n: number) => bandedCount(n, 5);
    expect(pinned(banded, 2, [[0, 1]], 40)).toEqual([]);
    expect(pinned(banded, 3, [[0, 1, 2]], 26)).toEqual([]);
    // Two projects by two months, with each month's and each project's total and the grand total.
    // Left out: four or more hidden counts whose own total is hidden too, which must then be 1 each,
    // whatever the rounding (shown as it is: the price of showing 0 as 0).
    const margins = [
      [0, 1],
      [2, 3],
      [0, 2],
      [1, 3],
      [0, 1, 2, 3],
    ] as const;
    expect(pinned(banded, 4, margins, 20, { skip: (seen) => typeof seen.at(-1) === 'string' })).toEqual([]);
    // Why rounded down and not to the nearest: 4 and 4 with a total shown as 10 can only be 4 and 4.
    const nearest = (n: number) => (n > 0 && n < 5 ? 'fewer than 5' : Math.round(n / 5) * 5);
    expect(pinned(nearest, 2, [[0, 1]], 40)).toContain('["fewer than 5","fewer than 5",10] → [4,4]');
  });

  it('gives a percentage only from two shown numbers, and a median only from enough answers', () => {
    const some = figuresOf(
      {
        'ackOnTime:feedback': 48,
        'ackLate:feedback': 2,
        'answerOnTime:feedback': 30,
        'answerLate:feedback': 10,
      },
      5,
    );
    expect(some.timeliness.feedback.acknowledged).toEqual({
      total: 50,
      onTime: 45,
      late: 'fewer than 5',
      onTimePercent: null,
    });
    // From the middle of each shown band, 32 and 12: what anyone could work out from the figures.
    expect(some.timeliness.feedback.answered).toEqual({ total: 40, onTime: 30, late: 10, onTimePercent: 73 });
    expect(figuresOf({ 'answerOnTime:feedback': 6 }, 5).timeliness.feedback.answered.onTimePercent).toBe(100);
    const few = figuresOf({ 'days:feedback:3': 2, 'days:feedback:9': 2 }, 5);
    expect(few.timeliness.feedback.medianWorkingDaysToAnswer).toBeNull();
    const enough = figuresOf({ 'days:feedback:3': 3, 'days:feedback:9': 2, 'days:complaint-2:20': 7 }, 5);
    expect(enough.timeliness.feedback.medianWorkingDaysToAnswer).toBe(3);
    expect(enough.timeliness.complaint.medianWorkingDaysToAnswer).toBe(20);
    expect(enough.timeliness.complaintStages.map((stage) => stage.stage)).toEqual([1, 2, 3]);
  });

  it('shows every month of the period, each project, and a total', () => {
    const rows: MonthCounts[] = [
      { projectId: 'general', month: '2026-03', counts: { 'started:feedback': 6 } },
      { projectId: 'short-breaks', month: '2026-03', counts: { 'started:feedback': 3 } },
      {
        projectId: 'short-breaks',
        month: '2026-05',
        counts: { 'started:complaint-1': 8, 'satisfaction:1': 1 },
      },
    ];
    const card = scorecardOf({
      from: '2026-02',
      to: '2026-05',
      rows,
      titles: new Map([['general', 'General feedback']]),
      threshold: 5,
    });
    expect(card.months.map((m) => [m.month, m.received.feedback])).toEqual([
      ['2026-02', 0],
      ['2026-03', 5],
      ['2026-04', 0],
      ['2026-05', 0],
    ]);
    expect(card.projects.map((p) => [p.project, p.received])).toEqual([
      [
        { id: 'general', title: 'General feedback' },
        { feedback: 5, compliment: 0, complaint: 0 },
      ],
      [
        { id: 'short-breaks', title: 'short-breaks' },
        { feedback: 'fewer than 5', compliment: 0, complaint: 5 },
      ],
    ]);
    expect(card.total.received).toEqual({ feedback: 5, compliment: 0, complaint: 5 });
    expect(card.total.satisfaction.byScore['1']).toBe('fewer than 5');
  });
});

describe('the scorecard as CSV', () => {
  it('has one fixed header, a row per month, per project and the total, in safe cells and the JSON’s words', () => {
    const card = scorecardOf({
      from: '2026-11',
      to: '2026-12',
      rows: [
        { projectId: 'sums', month: '2026-12', counts: { 'started:feedback': 2, 'ackLate:feedback': 9 } },
      ],
      titles: new Map([['sums', '=SUM(A1:A9), "totals"']]),
      threshold: 5,
    });
    const lines = scorecardCsv(card).split('\r\n');
    expect(lines.at(-1)).toBe('');
    const header = (lines[0] ?? '').split(',');
    expect(header).toEqual(SCORECARD_CSV_COLUMNS.map((column) => column.name));
    expect(header).toContain('complaint_stage_3_answered_on_time_percent');
    expect(lines.slice(1, -1).map((line) => line.split(',')[0])).toEqual([
      'month',
      'month',
      'project',
      'total',
    ]);
    const project = lines[3] ?? '';
    expect(project).toContain(`'=SUM(A1:A9), ""totals""`);
    expect(project.startsWith('project,2026-11/2026-12,sums,"\'=SUM')).toBe(true);
    expect(project).toContain('fewer than 5');
    // Each row has every column.
    for (const line of lines.slice(1, -1))
      expect(line.replace(/"[^"]*"/g, 'x').split(',')).toHaveLength(header.length);
  });
});

describe('the scorecard query', () => {
  const thisMonth = monthOf(TEST_NOW);

  it('defaults to the last 12 London months up to this one, as JSON', () => {
    expect(parseScorecardQuery({}, TEST_NOW)).toEqual({
      from: monthsBefore(thisMonth, 11),
      to: thisMonth,
      format: 'json',
    });
    expect(monthsBetween(monthsBefore(thisMonth, 11), thisMonth)).toHaveLength(12);
    expect(
      parseScorecardQuery({ to: '2027-02', projectId: 'general', format: 'csv', utm_source: 'x' }, TEST_NOW),
    ).toEqual({
      projectId: 'general',
      from: '2026-03',
      to: '2027-02',
      format: 'csv',
    });
  });

  it('names every filter that is wrong', () => {
    const errorsOf = (params: Record<string, string>) => {
      try {
        parseScorecardQuery(params, TEST_NOW);
        return [];
      } catch (error) {
        expect(error).toBeInstanceOf(DomainError);
        return (error as DomainError).errors.map((e) => e.path);
      }
    };
    expect(errorsOf({ projectId: 'Not A Slug', from: '2026-13', to: 'May', format: 'xml' })).toEqual([
      'projectId',
      'from',
      'to',
      'format',
    ]);
    expect(errorsOf({ from: '2026-06', to: '2026-05' })).toEqual(['from']);
    expect(errorsOf({ from: '2020-01', to: '2026-12' })).toEqual(['from']);
    expect(errorsOf({ from: '2024-01', to: '2026-12' })).toEqual([]);
  });
});

describe('the counters', () => {
  it('names only counters as counters', () => {
    for (const name of [
      'started:complaint-2',
      'days:feedback:0',
      'satisfaction:5',
      'updatesPublished',
      'ackLate:compliment',
    ])
      expect(isCounter(name), name).toBe(true);
    for (const name of ['PK', 'SK', 'month', 'projectId', 'changesApplied', 'entity', 'satisfaction:6'])
      expect(isCounter(name), name).toBe(false);
  });

  it('counts working days as the deadlines do', () => {
    fc.assert(
      fc.property(fc.integer({ min: -300, max: 300 }), fc.integer({ min: 0, max: 40 }), (days, n) => {
        const from = londonDateOf(new Date(TEST_NOW.getTime() + days * DAY_MS));
        expect(workingDaysBetween(from, addWorkingDays(from, n))).toBe(n);
      }),
    );
  });
});

/** What a BatchGetItem with these projection paths returns of an item: the named fields, lists compacted. */
function projected(item: Record<string, unknown>, paths: readonly string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const stages: Record<string, unknown>[] = [];
  for (const path of paths) {
    const match = /^(\w+)\[(\d+)\]\.(\w+)$/.exec(path);
    if (!match) {
      if (item[path] !== undefined) out[path] = item[path];
      continue;
    }
    const [, list, index, field] = match as unknown as [string, string, string, string];
    const element = (item[list] as Record<string, unknown>[] | undefined)?.[Number(index)];
    if (element?.[field] === undefined) continue;
    const at = Number(index);
    stages[at] = { ...(stages[at] ?? {}), [field]: element[field] };
    out[list] = stages.filter(Boolean);
  }
  return out;
}

function updateOf(overrides: Partial<Update>): Update {
  const at = TEST_NOW.toISOString();
  return {
    id: 'abcdefghjkmn',
    projectId: 'general',
    projectTitle: 'General',
    title: 'Quieter waiting rooms',
    youSaid: 'Too loud.',
    weDid: 'Quieter.',
    status: 'done',
    feedbackIds: [],
    eventIds: [],
    voices: { childrenAndYoungPeople: 0, parentsAndCarers: 0, professionals: 0, other: 0, events: 0 },
    published: false,
    createdAt: at,
    createdBy: sam,
    updatedAt: at,
    updatedBy: sam,
    version: 2,
    ...overrides,
  };
}
