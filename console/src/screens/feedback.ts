import type { AnsweredNextStep } from '../../../shared/domain/answer-feedback';
import type { Feedback } from '../../../shared/domain/feedback';
import type { FeedbackSummary } from '../../../shared/domain/triage-feedback';
import { api } from '../api';
import { type Context, onSubmit, type Screen, text } from '../app';
import { type Child, h } from '../dom';
import { keepDrafts } from '../drafts';
import { date, dateTime, STATUS_COLOURS, words } from '../format';
import {
  backLink,
  button,
  checkboxes,
  heading,
  insetText,
  link,
  pagination,
  paragraph,
  radios,
  select,
  summaryList,
  table,
  tag,
  textarea,
} from '../govuk';
import { cursorOf, listKey, pageOf, rememberNext } from '../list-pages';
import { projectChoices, projectName, projects } from '../projects-cache';
import { href } from '../routes';
import { chooseProcedure, escalateForFamily, extendStage, recordReviewPanel } from './complaint-actions';
import {
  complaintOf,
  complaintRows,
  nextStepPanel,
  rememberAnswer,
  stageLabel,
  stagesSection,
  takeAnswer,
} from './complaint-stages';
import type { FeedbackAction, FeedbackItem } from './feedback-item';
import { alertsTable, historyTable } from './history';

const STATUSES = ['received', 'acknowledged', 'responded', 'closed'];
const KINDS = ['feedback', 'compliment', 'complaint'];
const OUTCOMES = ['upheld', 'partly_upheld', 'not_upheld', 'acted_on', 'noted'];
const COMPLAINT_OUTCOMES = ['upheld', 'partly_upheld', 'not_upheld'];

/** The list page the officer last looked at, for the item's back link. */
let lastList = href('/feedback');

export const pageSize = (query: URLSearchParams) => {
  const limit = Number(query.get('limit') ?? '25');
  return Number.isInteger(limit) && limit >= 1 && limit <= 100 ? String(limit) : '25';
};

/** Previous/Next for a list whose cursors are in memory; the page number is in the address. */
export function listPagination(path: string, query: URLSearchParams, page: number, hasNext: boolean) {
  const at = (n: number) => {
    const next = new URLSearchParams(query);
    if (n <= 1) next.delete('page');
    else next.set('page', String(n));
    const search = next.toString();
    return `${href(path)}${search ? `?${search}` : ''}`;
  };
  return pagination(page > 1 ? at(page - 1) : undefined, hasNext ? at(page + 1) : undefined);
}

/** Reads one page of a list, with the cursor remembered for it; page numbers beyond what is known go to page 1. */
export async function readPage<T>(
  context: Context,
  name: string,
  path: string,
  filters: Record<string, string | undefined>,
): Promise<{ items: T[]; page: number; hasNext: boolean } | undefined> {
  if (
    context.route.screen !== 'triage' &&
    context.route.screen !== 'events' &&
    context.route.screen !== 'updates'
  )
    return undefined;
  const query = context.route.query;
  const key = listKey(name, query);
  let page = pageOf(query);
  let cursor = cursorOf(key, page);
  if (cursor === null) {
    page = 1;
    cursor = undefined;
  }
  const { data } = await api<{ items: T[]; cursor?: string }>('GET', path, {
    query: { ...filters, limit: pageSize(query), cursor },
  });
  rememberNext(key, page, data.cursor);
  return { items: data.items, page, hasNext: data.cursor !== undefined };
}

/** A filter form: GET semantics, drawn into the address so Back and bookmarks keep the filters. */
export function filterForm(
  context: Context,
  path: string,
  fields: HTMLElement[],
  read: (data: FormData) => Record<string, string | undefined>,
) {
  const form = h(
    'form',
    { class: 'app-filters', novalidate: true, role: 'search', 'aria-label': 'Filters' },
    h('h2', { class: 'govuk-heading-m' }, 'Filter'),
    ...fields,
    button('Apply filters', {}, true),
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const query =
      context.route.screen === 'triage' ||
      context.route.screen === 'events' ||
      context.route.screen === 'updates'
        ? context.route.query
        : new URLSearchParams();
    context.navigate(href(path, { ...read(new FormData(form)), limit: query.get('limit') ?? undefined }));
  });
  return form;
}

export async function triageScreen(context: Context): Promise<Screen> {
  if (context.route.screen !== 'triage') throw new Error('not the triage list');
  const query = context.route.query;
  const filters = {
    status: query.get('status') ?? undefined,
    projectId: query.get('projectId') ?? undefined,
    kind: query.get('kind') ?? undefined,
    overdue: query.get('overdue') === 'true' ? 'true' : undefined,
  };
  const [list, all] = await Promise.all([
    readPage<FeedbackSummary>(context, 'feedback', '/officer/feedback', filters),
    projects(),
  ]);
  if (!list) throw new Error('no list');
  lastList = `${location.pathname}${location.search}`;
  const form = filterForm(
    context,
    '/feedback',
    [
      select({
        name: 'status',
        label: 'Status',
        value: filters.status,
        items: [
          { value: '', text: 'Any status' },
          ...STATUSES.map((value) => ({ value, text: words(value) })),
        ],
      }),
      select({
        name: 'projectId',
        label: 'Project',
        value: filters.projectId,
        items: projectChoices(all, 'Any project'),
      }),
      select({
        name: 'kind',
        label: 'Kind',
        value: filters.kind,
        items: [{ value: '', text: 'Any kind' }, ...KINDS.map((value) => ({ value, text: words(value) }))],
      }),
      checkboxes({
        name: 'overdue',
        label: 'Deadline',
        items: [{ value: 'true', text: 'Only overdue' }],
        values: filters.overdue ? ['true'] : [],
        small: true,
      }),
    ],
    (data) => ({
      status: String(data.get('status') ?? ''),
      projectId: String(data.get('projectId') ?? ''),
      kind: String(data.get('kind') ?? ''),
      overdue: data.get('overdue') === 'true' ? 'true' : undefined,
    }),
  );
  const rows = list.items.map((item) => [
    link(href(`/feedback/${item.id}`), item.reference),
    [words(item.kind), item.complaintStage ? `, ${stageLabel(item)}` : ''],
    projectName(all, item.projectId),
    tag(words(item.status), STATUS_COLOURS[item.status]),
    nextDeadline(item),
    item.overdue ? tag('Overdue', 'red') : 'No',
  ]);
  return {
    title: list.page > 1 ? `Feedback (page ${list.page})` : 'Feedback',
    content: [
      heading('Feedback'),
      paragraph(
        'Families’ feedback, compliments and complaints, nearest deadline first. Open one to read it and answer.',
      ),
      form,
      rows.length
        ? table(
            `Feedback, nearest deadline first${list.page > 1 ? ` (page ${list.page})` : ''}`,
            ['Reference', 'Kind', 'Project', 'Status', 'Next deadline', 'Overdue'],
            rows,
          )
        : paragraph('No feedback matches these filters.'),
      listPagination('/feedback', query, list.page, list.hasNext),
    ],
  };
}

function nextDeadline(item: Pick<Feedback, 'status' | 'acknowledgeBy' | 'respondBy'>): string {
  if (item.status === 'received') return `Acknowledge by ${date(item.acknowledgeBy)}`;
  if (item.status === 'acknowledged') return `Respond by ${date(item.respondBy)}`;
  return 'Met';
}

/** Children Act stage 3: the response follows the panel, so it waits for the panel's date. */
const awaitingPanel = (item: FeedbackItem) => {
  const state = complaintOf(item);
  return !!state?.rules.reviewPanel && !state.current.panelOn;
};

const acknowledge: FeedbackAction = {
  name: 'acknowledge',
  applies: (item) => item.status === 'received',
  form: (context, item, etag) => {
    const form = h(
      'form',
      { novalidate: true, 'aria-labelledby': 'acknowledge-heading' },
      h('h2', { class: 'govuk-heading-m', id: 'acknowledge-heading' }, 'Acknowledge'),
      paragraph(
        `Record that the family has been told their ${item.kind} arrived and who is handling it. Due by ${date(item.acknowledgeBy)}.`,
      ),
      button('Acknowledge'),
    );
    onSubmit(context, form, undefined, 'this feedback', async () => {
      await api('POST', `/officer/feedback/${item.id}/acknowledge`, { ifMatch: etag });
      return { flash: `${item.reference} acknowledged` };
    });
    return form;
  },
};

const respond: FeedbackAction = {
  name: 'respond',
  applies: (item) => (item.status === 'received' || item.status === 'acknowledged') && !awaitingPanel(item),
  form: (context, item, etag) => {
    const outcomes = item.kind === 'complaint' ? COMPLAINT_OUTCOMES : OUTCOMES;
    const stage = complaintOf(item)?.current.name;
    const draft = `respond:${item.id}`;
    const form = h(
      'form',
      { novalidate: true, 'aria-labelledby': 'respond-heading' },
      h('h2', { class: 'govuk-heading-m', id: 'respond-heading' }, stage ? `Respond: ${stage}` : 'Respond'),
      paragraph(
        `The answer the family gets${stage ? ` at ${stage}` : ''}. Due by ${date(item.respondBy)}.${item.status === 'received' ? ' Responding also acknowledges it.' : ''}`,
      ),
      radios({
        name: 'outcome',
        label: 'Outcome',
        hint: item.kind === 'complaint' ? 'A complaint’s answer says whether it was upheld.' : undefined,
        items: outcomes.map((value) => ({ value, text: words(value) })),
      }),
      textarea({
        name: 'response',
        label: 'Response to the family',
        hint: 'Only officers see this here; it is never published.',
        maxlength: 10_000,
        rows: 8,
      }),
      button('Send response'),
    );
    keepDrafts(form, draft);
    onSubmit(context, form, draft, 'this feedback', async (data) => {
      const { data: answered } = await api<Feedback & { nextStep?: AnsweredNextStep }>(
        'POST',
        `/officer/feedback/${item.id}/respond`,
        {
          ifMatch: etag,
          body: { outcome: data.get('outcome') ?? undefined, response: text(data, 'response') },
        },
      );
      // The escalation link comes with this answer only: kept for the next draw, which shows it once.
      rememberAnswer(item.id, answered.nextStep);
      return { flash: `Response to ${item.reference} recorded` };
    });
    return form;
  },
};

const close: FeedbackAction = {
  name: 'close',
  applies: (item) => item.status === 'responded',
  form: (context, item, etag) => {
    const next = complaintOf(item)?.current.next;
    const form = h(
      'form',
      { novalidate: true, 'aria-labelledby': 'close-heading' },
      h('h2', { class: 'govuk-heading-m', id: 'close-heading' }, 'Close'),
      paragraph(
        `Close it once nothing more is owed to the family.${next ? ` They can still ask for ${next.name} until ${date(next.askBy)}: that opens it again.` : ''}`,
      ),
      button('Close feedback'),
    );
    onSubmit(context, form, undefined, 'this feedback', async () => {
      await api('POST', `/officer/feedback/${item.id}/close`, { ifMatch: etag });
      return { flash: `${item.reference} closed` };
    });
    return form;
  },
};

/**
 * What an officer can do to an item, in one place and in the order the screen shows them: each
 * entry says when it applies and draws its form.
 */
export const FEEDBACK_ACTIONS: FeedbackAction[] = [
  chooseProcedure,
  acknowledge,
  recordReviewPanel,
  extendStage,
  respond,
  escalateForFamily,
  close,
];

export async function feedbackScreen(context: Context): Promise<Screen> {
  if (context.route.screen !== 'feedback') throw new Error('not a feedback item');
  const [{ data: item, etag }, all] = await Promise.all([
    api<FeedbackItem>('GET', `/officer/feedback/${encodeURIComponent(context.route.id)}`),
    projects(),
  ]);
  const complaint = complaintOf(item);
  const nextStep = takeAnswer(item.id);
  const actor = (who: { name: string } | undefined, when: string | undefined) =>
    when ? `${dateTime(when)}${who ? ` by ${who.name}` : ''}` : '';
  const contact = item.contact;
  const actions = FEEDBACK_ACTIONS.filter((action) => action.applies(item)).map((action) =>
    action.form(context, item, etag),
  );
  const content: Child[] = [
    backLink(lastList, 'Back to feedback'),
    heading(item.reference, words(item.kind)),
    h(
      'p',
      { class: 'govuk-body' },
      tag(words(item.status), STATUS_COLOURS[item.status]),
      ' ',
      // The API's own word, by the service's clock, as on the list row.
      item.overdue ? tag('Overdue', 'red') : null,
    ),
    nextStep ? nextStepPanel(context, nextStep) : null,
    summaryList([
      ['Reference', item.reference],
      ['Kind', words(item.kind)],
      ['Project', projectName(all, item.projectId)],
      ['Status', words(item.status)],
      ...(complaint ? complaintRows(complaint) : []),
      ['Received', dateTime(item.receivedAt)],
      ['Acknowledge by', date(item.acknowledgeBy)],
      [
        'Respond by',
        awaitingPanel(item)
          ? `Counted from the review panel’s date (the panel must meet by ${date(item.respondBy)})`
          : date(item.respondBy),
      ],
      ['From', words(item.submitterRole)],
      ['Channel', words(item.channel)],
      ...(item.satisfaction === undefined
        ? []
        : [['Satisfaction', `${item.satisfaction} out of 5`] as [string, Child]]),
      ...(item.acknowledgedAt
        ? [['Acknowledged', actor(item.acknowledgedBy, item.acknowledgedAt)] as [string, Child]]
        : []),
      ...(item.respondedAt
        ? [['Responded', actor(item.respondedBy, item.respondedAt)] as [string, Child]]
        : []),
      ...(item.outcome ? [['Outcome', words(item.outcome)] as [string, Child]] : []),
      ...(item.closedAt ? [['Closed', actor(item.closedBy, item.closedAt)] as [string, Child]] : []),
    ]),
    h('h2', { class: 'govuk-heading-m' }, 'What they told us'),
    insetText(item.message),
    h('h2', { class: 'govuk-heading-m' }, 'Contact details'),
    contact
      ? summaryList([
          ['Name', contact.name ?? ''],
          ['Email', contact.email ?? ''],
          ['Phone', contact.phone ?? ''],
          ['May we contact them?', item.consentToContact ? 'Yes' : 'No'],
        ])
      : paragraph('They left no contact details.'),
    ...(item.response
      ? [h('h2', { class: 'govuk-heading-m' }, 'Our response'), insetText(item.response)]
      : []),
    ...(complaint ? stagesSection(complaint) : []),
    ...actions,
    alertsTable(item.alerts),
    historyTable(item.history),
  ];
  return { title: `${words(item.kind)} ${item.reference}`, content };
}
