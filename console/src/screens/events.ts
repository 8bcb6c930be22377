import type { CoproductionEvent } from '../../../shared/domain/event';
import type { HistoryEntry } from '../../../shared/domain/history';
import type { SentAlert } from '../../../shared/domain/overdue';
import { api } from '../api';
import { type Context, count, onSubmit, type Screen, text } from '../app';
import { h } from '../dom';
import { keepDrafts } from '../drafts';
import { date, STATUS_COLOURS, words } from '../format';
import {
  backLink,
  button,
  dateInput,
  dateValue,
  heading,
  link,
  paragraph,
  radios,
  select,
  summaryList,
  table,
  tag,
  textarea,
  textInput,
} from '../govuk';
import { projectChoices, projectName, projects } from '../projects-cache';
import { href } from '../routes';
import { filterForm, listPagination, readPage } from './feedback';
import { alertsTable, historyTable } from './history';

const TYPES = ['workshop', 'forum', 'survey', 'focus_group', 'consultation', 'drop_in', 'other'];
const PARTICIPANTS = [
  ['childrenAndYoungPeople', 'Children and young people'],
  ['parentsAndCarers', 'Parents and carers'],
  ['professionals', 'Professionals'],
] as const;

export async function eventsScreen(context: Context): Promise<Screen> {
  if (context.route.screen !== 'events') throw new Error('not the events list');
  const query = context.route.query;
  const filters = {
    projectId: query.get('projectId') ?? undefined,
    from: query.get('from') ?? undefined,
    to: query.get('to') ?? undefined,
  };
  const [list, all] = await Promise.all([
    readPage<CoproductionEvent>(context, 'events', '/officer/events', filters),
    projects(),
  ]);
  if (!list) throw new Error('no list');
  const form = filterForm(
    context,
    '/events',
    [
      select({
        name: 'projectId',
        label: 'Project',
        value: filters.projectId,
        items: projectChoices(all, 'Any project'),
      }),
      dateInput({
        name: 'from',
        label: 'Held on or after',
        hint: 'For example, 1 9 2026',
        value: filters.from,
      }),
      dateInput({ name: 'to', label: 'Held on or before', value: filters.to }),
    ],
    (data) => ({
      projectId: String(data.get('projectId') ?? ''),
      from: dateValue(data, 'from'),
      to: dateValue(data, 'to'),
    }),
  );
  const rows = list.items.map((event) => [
    link(href(`/events/${event.id}`), event.title),
    words(event.type),
    projectName(all, event.projectId),
    date(event.heldOn),
    tag(words(event.status), STATUS_COLOURS[event.status]),
    event.status === 'reported_back' ? 'Done' : date(event.reportBackBy),
  ]);
  return {
    title: list.page > 1 ? `Co-production events (page ${list.page})` : 'Co-production events',
    content: [
      heading('Co-production events'),
      paragraph('Workshops, forums and surveys where families were heard, newest first.'),
      h(
        'a',
        {
          href: href('/new/event'),
          class: 'govuk-button',
          role: 'button',
          draggable: 'false',
          'data-module': 'govuk-button',
        },
        'Record an event',
      ),
      form,
      rows.length
        ? table(
            'Events, newest first',
            ['Event', 'Type', 'Project', 'Held on', 'Status', 'Report back by'],
            rows,
          )
        : paragraph('No events match these filters.'),
      listPagination('/events', query, list.page, list.hasNext),
    ],
  };
}

type EventItem = CoproductionEvent & { history: HistoryEntry[]; alerts: SentAlert[] };

/** The event form, for recording (no event) or editing (the event as last read). */
function eventForm(
  context: Context,
  all: Awaited<ReturnType<typeof projects>>,
  event: EventItem | undefined,
  etag: string | undefined,
) {
  const draft = event ? `event:${event.id}` : 'event:new';
  const statuses = event ? ['planned', 'held', 'reported_back'] : ['planned', 'held'];
  const form = h(
    'form',
    { novalidate: true },
    event ? h('h2', { class: 'govuk-heading-m' }, 'Change this event') : null,
    textInput({ name: 'title', label: 'Title', value: event?.title }),
    select({ name: 'projectId', label: 'Project', value: event?.projectId, items: projectChoices(all) }),
    select({
      name: 'type',
      label: 'Type',
      value: event?.type ?? 'workshop',
      items: TYPES.map((value) => ({ value, text: words(value) })),
    }),
    dateInput({ name: 'heldOn', label: 'Held on', hint: 'For example, 20 11 2026', value: event?.heldOn }),
    h(
      'fieldset',
      { class: 'govuk-fieldset' },
      h('legend', { class: 'govuk-fieldset__legend govuk-fieldset__legend--s' }, 'Who took part'),
      PARTICIPANTS.map(([name, label]) =>
        textInput({
          name: `participants.${name}`,
          label,
          width: '4',
          inputmode: 'numeric',
          value: String(event?.participants[name] ?? 0),
        }),
      ),
    ),
    textInput({
      name: 'accessibility',
      label: 'Accessibility',
      hint: 'Separate with commas, for example: BSL, Makaton, easy read',
      value: event?.accessibility.join(', '),
    }),
    textarea({
      name: 'whatWeHeard',
      label: 'What we heard',
      hint: 'In your words; no names or contact details.',
      maxlength: 20_000,
      value: event?.whatWeHeard,
    }),
    radios({
      name: 'status',
      label: 'Status',
      value: event?.status ?? 'planned',
      items: statuses.map((value) => ({ value, text: words(value) })),
    }),
    button(event ? 'Save changes' : 'Record event'),
  );
  keepDrafts(form, draft);
  onSubmit(context, form, draft, 'this event', async (data) => {
    const accessibility = text(data, 'accessibility')
      .split(',')
      .map((item) => item.trim())
      .filter(Boolean);
    const fields = {
      title: text(data, 'title'),
      projectId: text(data, 'projectId'),
      type: text(data, 'type'),
      heldOn: dateValue(data, 'heldOn'),
      participants: Object.fromEntries(
        PARTICIPANTS.map(([name]) => [name, count(data, `participants.${name}`)]),
      ),
      accessibility,
      whatWeHeard: text(data, 'whatWeHeard'),
      status: text(data, 'status'),
    };
    if (!event) {
      const { data: created } = await api<CoproductionEvent>('POST', '/officer/events', {
        body: { ...fields, whatWeHeard: fields.whatWeHeard || undefined },
      });
      return { go: href(`/events/${created.id}`), flash: `Event “${created.title}” recorded` };
    }
    // A PATCH names only what changed.
    const patch: Record<string, unknown> = {};
    const before: Record<string, unknown> = { ...event, whatWeHeard: event.whatWeHeard ?? '' };
    for (const [name, value] of Object.entries(fields)) {
      if (JSON.stringify(value) !== JSON.stringify(before[name])) patch[name] = value;
    }
    if (!Object.keys(patch).length) return { flash: 'Nothing had changed' };
    await api('PATCH', `/officer/events/${event.id}`, { ifMatch: etag, body: patch });
    return { flash: `Event “${fields.title}” saved` };
  });
  return form;
}

export async function newEventScreen(context: Context): Promise<Screen> {
  const all = await projects();
  return {
    title: 'Record an event',
    content: [
      backLink(href('/events'), 'Back to events'),
      heading('Record an event'),
      eventForm(context, all, undefined, undefined),
    ],
  };
}

export async function eventScreen(context: Context): Promise<Screen> {
  if (context.route.screen !== 'event') throw new Error('not an event');
  const [{ data: event, etag }, all] = await Promise.all([
    api<EventItem>('GET', `/officer/events/${encodeURIComponent(context.route.id)}`),
    projects(),
  ]);
  return {
    title: `Event: ${event.title}`,
    content: [
      backLink(href('/events'), 'Back to events'),
      heading(event.title, 'Co-production event'),
      summaryList([
        ['Project', projectName(all, event.projectId)],
        ['Type', words(event.type)],
        ['Held on', date(event.heldOn)],
        ['Status', tag(words(event.status), STATUS_COLOURS[event.status])],
        ['Report back by', date(event.reportBackBy)],
        [
          'Who took part',
          PARTICIPANTS.map(([name, label]) => `${label}: ${event.participants[name]}`).join('; '),
        ],
        ['Accessibility', event.accessibility.join(', ')],
        ['What we heard', h('span', { class: 'app-pre-wrap' }, event.whatWeHeard ?? '')],
      ]),
      eventForm(context, all, event, etag),
      alertsTable(event.alerts),
      historyTable(event.history),
    ],
  };
}
