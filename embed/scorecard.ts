/**
 * <you-said-we-did-scorecard api="https://…" project="short-breaks" months="12" heading-level="3">:
 * how quickly the council acknowledged and answered families, and how families rated the service,
 * from `GET /scorecard`, in light DOM: a plain-language summary, then tables with captions and
 * scoped headers. It shows only what the scorecard carries, which identifies no one: small counts
 * come as the words "fewer than 5", and are shown as words.
 */
import { apiBase, BASE_CSS, ensureStyles, h, visuallyHidden } from './common';
import { SCORECARD_CSS } from './scorecard-styles';

type Shown = number | string;

interface Outcome {
  total: Shown;
  onTime: Shown;
  late: Shown;
  onTimePercent: number | null;
}

interface Timeliness {
  acknowledged: Outcome;
  answered: Outcome;
  medianWorkingDaysToAnswer: number | null;
}

interface Figures {
  received: { feedback: Shown; compliment: Shown; complaint: Shown };
  timeliness: {
    feedback: Timeliness;
    compliment: Timeliness;
    complaint: Timeliness;
    complaintStages: (Timeliness & { stage: number; started: Shown })[];
  };
  satisfaction: { responses: Shown; byScore: Record<string, Shown> };
  updatesPublished: Shown;
}

interface Scorecard {
  from: string;
  to: string;
  smallCountThreshold: number;
  months: ({ month: string } & Figures)[];
  projects: ({ project: { id: string; title: string } } & Figures)[];
  total: Figures;
}

const SCORES: [string, string][] = [
  ['5', 'Very happy'],
  ['4', 'Happy'],
  ['3', 'Neither happy nor unhappy'],
  ['2', 'Unhappy'],
  ['1', 'Very unhappy'],
];

const MONTH = new Intl.DateTimeFormat('en-GB', { month: 'long', year: 'numeric', timeZone: 'UTC' });
/** `2026-11` → "November 2026". */
const monthName = (month: string) => MONTH.format(new Date(`${month}-15T12:00:00Z`));

/** This London month, `YYYY-MM`. */
function londonMonth(): string {
  const parts = new Intl.DateTimeFormat('en-GB', {
    year: 'numeric',
    month: '2-digit',
    timeZone: 'Europe/London',
  }).formatToParts(new Date());
  const part = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return `${part('year')}-${part('month')}`;
}

function monthsBefore(month: string, count: number): string {
  const [year, m] = month.split('-').map(Number) as [number, number];
  const index = year * 12 + (m - 1) - count;
  return `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}`;
}

/** A figure as people read it: "1,234", or the scorecard's own words ("fewer than 5"). */
const figure = (value: Shown) => (typeof value === 'number' ? value.toLocaleString('en-GB') : value);
const isZero = (value: Shown) => value === 0;

/** A cell with nothing to show: a dash to see, words to hear. */
const notShown = () => [h('span', { 'aria-hidden': 'true' }, '–'), visuallyHidden('not shown')];

const scriptUrl = import.meta.url;

export class YouSaidWeDidScorecard extends HTMLElement {
  #rendered = false;

  connectedCallback() {
    if (this.#rendered) return;
    this.#rendered = true;
    ensureStyles(this, 'yswd-base-styles', BASE_CSS);
    ensureStyles(this, 'yswd-scorecard-styles', SCORECARD_CSS);
    void this.#load();
  }

  get #level() {
    const level = Number(this.getAttribute('heading-level') ?? 3);
    return Number.isInteger(level) && level >= 2 && level <= 5 ? level : 3;
  }

  #query(format?: 'csv'): string {
    const query = new URLSearchParams();
    const project = this.getAttribute('project');
    const months = Number(this.getAttribute('months') ?? 12);
    const count = Number.isInteger(months) && months >= 1 && months <= 36 ? months : 12;
    const to = londonMonth();
    if (project) query.set('projectId', project);
    query.set('from', monthsBefore(to, count - 1));
    query.set('to', to);
    if (format) query.set('format', format);
    return `${apiBase(this, scriptUrl)}/scorecard?${query}`;
  }

  async #load() {
    const status = h('p', { class: 'yswd-body', role: 'status' }, 'Loading the scorecard…');
    this.replaceChildren(h('div', { class: 'yswd-scorecard' }, status));
    this.setAttribute('aria-busy', 'true');
    try {
      const response = await fetch(this.#query(), { headers: { accept: 'application/json' } });
      if (!response.ok) throw new Error(`scorecard answered ${response.status}`);
      this.replaceChildren(this.#card((await response.json()) as Scorecard));
    } catch {
      status.textContent = 'We cannot show the scorecard at the moment. Please try again later.';
      status.classList.add('yswd-scorecard__error');
    } finally {
      this.removeAttribute('aria-busy');
    }
  }

  #card(card: Scorecard): HTMLElement {
    const level = this.#level;
    const project = this.getAttribute('project') ? card.projects[0]?.project.title : undefined;
    const period =
      card.from === card.to ? monthName(card.from) : `${monthName(card.from)} to ${monthName(card.to)}`;
    const t = card.smallCountThreshold;
    return h(
      'div',
      { class: 'yswd-scorecard' },
      h(
        `h${level}` as 'h3',
        { class: 'yswd-scorecard__heading' },
        project ? `How we answered families: ${project}` : 'How we answered families',
      ),
      h('p', { class: 'yswd-body' }, `${period}.`),
      this.#summary(card.total),
      this.#timelinessTable(card.total, period),
      this.#monthsTable(card),
      this.#satisfactionTable(card.total, period),
      h(
        'p',
        { class: 'yswd-body yswd-scorecard__note' },
        `To protect families’ privacy, counts from 1 to ${t - 1} are shown as “fewer than ${t}”, and other counts are rounded down to a multiple of ${t} (so ${t * 5} means ${t * 5} to ${t * 6 - 1}). Figures may not add up for this reason. “On time” means by the end of the day the council promised; working days leave out weekends and bank holidays. Percentages are worked out from the rounded figures.`,
      ),
      h(
        'p',
        { class: 'yswd-body' },
        h('a', { href: this.#query('csv'), download: '' }, 'Download these figures as a spreadsheet (CSV)'),
      ),
    );
  }

  /** What the figures say, in sentences: nothing here that the tables do not show. */
  #summary(total: Figures): HTMLElement {
    const { received, timeliness, updatesPublished } = total;
    const lines: string[] = [];
    const kinds: [Shown, string, string][] = [
      [received.feedback, 'piece of feedback', 'pieces of feedback'],
      [received.compliment, 'compliment', 'compliments'],
      [received.complaint, 'complaint', 'complaints'],
    ];
    const said = kinds
      .filter(([count]) => !isZero(count))
      .map(([count, one, many]) => `${figure(count)} ${count === 1 ? one : many}`);
    lines.push(
      said.length
        ? `Families sent us ${listed(said)}.`
        : 'Families sent us no feedback, compliments or complaints.',
    );
    for (const [name, group] of [
      ['feedback', timeliness.feedback],
      ['complaints', timeliness.complaint],
    ] as const) {
      const { answered } = group;
      if (isZero(answered.onTime) && isZero(answered.late)) continue;
      const share = answered.onTimePercent === null ? '' : ` (${answered.onTimePercent}% on time)`;
      lines.push(
        `We answered ${figure(answered.onTime)} ${name === 'feedback' ? 'pieces of feedback' : 'complaints'} on time and ${figure(answered.late)} late${share}.`,
      );
      if (group.medianWorkingDaysToAnswer !== null)
        lines.push(
          `Half of the ${name === 'feedback' ? 'feedback' : 'complaints'} we answered had an answer within ${group.medianWorkingDaysToAnswer} working days.`,
        );
    }
    if (!isZero(updatesPublished))
      lines.push(
        `We published ${figure(updatesPublished)} “You said, we did” ${updatesPublished === 1 ? 'update' : 'updates'}.`,
      );
    return h('ul', { class: 'yswd-scorecard__summary' }, ...lines.map((line) => h('li', {}, line)));
  }

  #table(caption: string, headers: string[], rows: (string | Node[])[][]): HTMLElement {
    const table = h(
      'table',
      { class: 'yswd-table' },
      h('caption', {}, h('span', { class: 'yswd-table__caption-text' }, caption)),
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          ...headers.map((header, i) =>
            h('th', { scope: 'col', class: i > 0 ? 'yswd-table__number' : undefined }, header),
          ),
        ),
      ),
      h(
        'tbody',
        {},
        ...rows.map(([head, ...cells]) =>
          h(
            'tr',
            {},
            h('th', { scope: 'row' }, ...[head ?? ''].flat()),
            ...cells.map((cell) => h('td', { class: 'yswd-table__number' }, ...[cell].flat())),
          ),
        ),
      ),
    );
    // Wide tables scroll sideways within the page at 320 px: the region takes keyboard focus so
    // that keyboard users can scroll it too, and is named by its table's caption.
    return h(
      'div',
      { class: 'yswd-scorecard__scroll', role: 'region', 'aria-label': caption, tabindex: 0 },
      table,
    );
  }

  #timelinessTable(total: Figures, period: string): HTMLElement {
    const { timeliness, received } = total;
    const percent = (outcome: Outcome) =>
      outcome.onTimePercent === null ? notShown() : `${outcome.onTimePercent}%`;
    const median = (group: Timeliness) =>
      group.medianWorkingDaysToAnswer === null ? notShown() : figure(group.medianWorkingDaysToAnswer);
    const row = (name: string, count: Shown, group: Timeliness) => [
      name,
      figure(count),
      figure(group.acknowledged.onTime),
      figure(group.acknowledged.late),
      figure(group.answered.onTime),
      figure(group.answered.late),
      percent(group.answered),
      median(group),
    ];
    const stages = timeliness.complaintStages.filter(
      (stage) => !isZero(stage.started) || !isZero(stage.answered.total) || !isZero(stage.acknowledged.total),
    );
    return this.#table(
      `Acknowledged and answered, ${period}`,
      [
        'Kind',
        'Received',
        'Acknowledged on time',
        'Acknowledged late',
        'Answered on time',
        'Answered late',
        'Answered on time (%)',
        'Median working days to answer',
      ],
      [
        row('Feedback', received.feedback, timeliness.feedback),
        row('Compliments', received.compliment, timeliness.compliment),
        row('Complaints, all stages', received.complaint, timeliness.complaint),
        ...(stages.length > 1
          ? stages.map((stage) =>
              row(
                stage.stage === 1 ? 'Complaints, stage 1' : `Complaints, stage ${stage.stage} (asked for)`,
                stage.started,
                stage,
              ),
            )
          : []),
      ],
    );
  }

  #monthsTable(card: Scorecard): HTMLElement {
    return this.#table(
      'Month by month',
      [
        'Month',
        'Feedback received',
        'Compliments received',
        'Complaints received',
        'Complaints answered on time',
        'Complaints answered late',
        'Updates published',
      ],
      [...card.months]
        .reverse()
        .map((month) => [
          monthName(month.month),
          figure(month.received.feedback),
          figure(month.received.compliment),
          figure(month.received.complaint),
          figure(month.timeliness.complaint.answered.onTime),
          figure(month.timeliness.complaint.answered.late),
          figure(month.updatesPublished),
        ]),
    );
  }

  #satisfactionTable(total: Figures, period: string): HTMLElement {
    return this.#table(
      `How families rated the service when they wrote to us, ${period}`,
      ['Rating', 'Families'],
      [
        ...SCORES.map(([score, label]) => [label, figure(total.satisfaction.byScore[score] ?? 0)]),
        ['All who gave a rating', figure(total.satisfaction.responses)],
      ],
    );
  }
}

/** "a, b and c". */
function listed(parts: string[]): string {
  return parts.length <= 1 ? (parts[0] ?? '') : `${parts.slice(0, -1).join(', ')} and ${parts.at(-1)}`;
}

if (!customElements.get('you-said-we-did-scorecard')) {
  customElements.define('you-said-we-did-scorecard', YouSaidWeDidScorecard);
}
// The short name the scorecard was first asked for (`<yswd-scorecard>`): the same element, so a
// snippet written either way works. A name can be defined only once per class, hence the subclass.
if (!customElements.get('yswd-scorecard')) {
  customElements.define('yswd-scorecard', class extends YouSaidWeDidScorecard {});
}
