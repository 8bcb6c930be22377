import type { CoproductionEvent } from '../../../shared/domain/event';
import type { HistoryEntry } from '../../../shared/domain/history';
import type { Update } from '../../../shared/domain/update';
import { api } from '../api';
import { type Context, onSubmit, type Screen, text } from '../app';
import { h } from '../dom';
import { keepDrafts } from '../drafts';
import { date, dateTime, STATUS_COLOURS, words } from '../format';
import {
  backLink,
  button,
  buttonGroup,
  checkboxes,
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
  warningText,
} from '../govuk';
import { projectChoices, projectName, projects } from '../projects-cache';
import { href } from '../routes';
import { filterForm, listPagination, readPage } from './feedback';
import { historyTable } from './history';

const STATUSES = ['planned', 'in_progress', 'done', 'not_possible'];

const publishedTag = (update: Pick<Update, 'published'>) =>
  update.published ? tag('Published', 'green') : tag('Draft', 'grey');

export async function updatesScreen(context: Context): Promise<Screen> {
  if (context.route.screen !== 'updates') throw new Error('not the updates list');
  const query = context.route.query;
  const filters = {
    projectId: query.get('projectId') ?? undefined,
    status: query.get('status') ?? undefined,
    published: query.get('published') ?? undefined,
  };
  const [list, all] = await Promise.all([
    readPage<Update>(context, 'updates', '/officer/updates', filters),
    projects(),
  ]);
  if (!list) throw new Error('no list');
  const form = filterForm(
    context,
    '/updates',
    [
      select({
        name: 'projectId',
        label: 'Project',
        value: filters.projectId,
        items: projectChoices(all, 'Any project'),
      }),
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
        name: 'published',
        label: 'Published',
        value: filters.published,
        items: [
          { value: '', text: 'Published or not' },
          { value: 'true', text: 'Published' },
          { value: 'false', text: 'Drafts' },
        ],
      }),
    ],
    (data) => ({
      projectId: String(data.get('projectId') ?? ''),
      status: String(data.get('status') ?? ''),
      published: String(data.get('published') ?? ''),
    }),
  );
  const rows = list.items.map((update) => [
    link(href(`/updates/${update.id}`), update.title),
    projectName(all, update.projectId),
    tag(words(update.status), STATUS_COLOURS[update.status]),
    publishedTag(update),
    dateTime(update.updatedAt),
  ]);
  return {
    title: list.page > 1 ? `You said, we did (page ${list.page})` : 'You said, we did',
    content: [
      heading('You said, we did'),
      paragraph('Public answers to what families told us, shown in the Local Offer feed once published.'),
      h(
        'a',
        {
          href: href('/new/update'),
          class: 'govuk-button',
          role: 'button',
          draggable: 'false',
          'data-module': 'govuk-button',
        },
        'Draft an update',
      ),
      form,
      rows.length
        ? table(
            'Updates, most recently changed first',
            ['Update', 'Project', 'Status', 'Published', 'Changed'],
            rows,
          )
        : paragraph('No updates match these filters.'),
      listPagination('/updates', query, list.page, list.hasNext),
    ],
  };
}

type UpdateItem = Update & { history: HistoryEntry[] };

/** References as officers type them: separated by commas, spaces or new lines. */
export const referencesOf = (value: string) =>
  value
    .split(/[\s,;]+/)
    .map((reference) => reference.trim())
    .filter(Boolean);

const OPTIONAL = ['reason', 'easyRead', 'expectedBy'] as const;

function updateForm(
  context: Context,
  all: Awaited<ReturnType<typeof projects>>,
  events: CoproductionEvent[],
  update: UpdateItem | undefined,
  etag: string | undefined,
) {
  const draft = update ? `update:${update.id}` : 'update:new';
  const linkedEvents = new Set(update?.eventIds ?? []);
  // Events linked already stay choosable even when they are older than the recent ones listed.
  const eventChoices = [
    ...events.map((event) => ({ value: event.id, text: `${event.title} (${date(event.heldOn)})` })),
    ...[...linkedEvents]
      .filter((id) => !events.some((event) => event.id === id))
      .map((id) => ({ value: id, text: `Event ${id}` })),
  ];
  const form = h(
    'form',
    { novalidate: true },
    update
      ? h(
          'h2',
          { class: 'govuk-heading-m' },
          update.published ? 'Change the published update' : 'Change this draft',
        )
      : null,
    warningText(
      'Everything here except the links is public once published: no names, contact details or references.',
    ),
    select({ name: 'projectId', label: 'Project', value: update?.projectId, items: projectChoices(all) }),
    textInput({ name: 'title', label: 'Title', value: update?.title }),
    textarea({
      name: 'youSaid',
      label: 'You said',
      hint: 'What families told us, in our words.',
      maxlength: 5_000,
      value: update?.youSaid,
    }),
    textarea({
      name: 'weDid',
      label: 'We did',
      hint: 'What we did, or will do.',
      maxlength: 5_000,
      value: update?.weDid,
    }),
    radios({
      name: 'status',
      label: 'Status',
      value: update?.status ?? 'planned',
      items: STATUSES.map((value) => ({ value, text: words(value) })),
    }),
    textarea({
      name: 'reason',
      label: 'Why it is not possible (if so)',
      hint: 'Needed when the status is not possible: families are owed the reason.',
      maxlength: 2_000,
      value: update?.reason,
      rows: 3,
    }),
    dateInput({
      name: 'expectedBy',
      label: 'Expected by (optional)',
      hint: 'Only for planned or in-progress updates. For example, 31 3 2027',
      value: update?.expectedBy,
    }),
    textarea({
      name: 'easyRead',
      label: 'Easy read version (optional)',
      maxlength: 5_000,
      value: update?.easyRead,
      rows: 3,
    }),
    textarea({
      name: 'feedbackIds',
      label: 'Feedback it answers',
      hint: 'References, separated by commas or new lines, for example K7QM-92PD. Only counts are published, never references.',
      value: (update?.feedbackIds ?? []).join('\n'),
      rows: 3,
    }),
    eventChoices.length
      ? checkboxes({
          name: 'eventIds',
          label: 'Events it answers',
          hint: 'The most recent events.',
          items: eventChoices,
          values: [...linkedEvents],
          small: true,
        })
      : paragraph('No co-production events are recorded yet.'),
    buttonGroup(
      button(update ? 'Save changes' : 'Save draft', { name: 'intent', value: 'save' }),
      update && !update.published
        ? button('Save and publish', { name: 'intent', value: 'publish' }, true)
        : null,
    ),
  );
  keepDrafts(form, draft);
  onSubmit(context, form, draft, 'this update', async (data, submitter) => {
    const fields: Record<string, unknown> = {
      projectId: text(data, 'projectId'),
      title: text(data, 'title'),
      youSaid: text(data, 'youSaid'),
      weDid: text(data, 'weDid'),
      status: text(data, 'status'),
      reason: text(data, 'reason'),
      expectedBy: dateValue(data, 'expectedBy'),
      easyRead: text(data, 'easyRead'),
      feedbackIds: referencesOf(text(data, 'feedbackIds')),
      eventIds: data.getAll('eventIds').map(String),
    };
    if (!update) {
      const body = Object.fromEntries(
        Object.entries(fields).filter(([name, value]) => !(OPTIONAL.includes(name as never) && value === '')),
      );
      const { data: created } = await api<Update>('POST', '/officer/updates', { body });
      return { go: href(`/updates/${created.id}`), flash: `Draft “${created.title}” saved` };
    }
    const patch: Record<string, unknown> = {};
    for (const [name, value] of Object.entries(fields)) {
      const before = (update as unknown as Record<string, unknown>)[name] ?? '';
      if (JSON.stringify(value) === JSON.stringify(before)) continue;
      patch[name] = OPTIONAL.includes(name as never) && value === '' ? null : value;
    }
    let version = etag;
    if (Object.keys(patch).length) {
      ({ etag: version } = await api('PATCH', `/officer/updates/${update.id}`, {
        ifMatch: etag,
        body: patch,
      }));
    }
    if (submitter?.getAttribute('value') === 'publish') {
      await api('POST', `/officer/updates/${update.id}/publish`, { ifMatch: version });
      return { flash: `“${fields.title}” is published` };
    }
    return { flash: Object.keys(patch).length ? `“${fields.title}” saved` : 'Nothing had changed' };
  });
  return form;
}

async function recentEvents(): Promise<CoproductionEvent[]> {
  const { data } = await api<{ items: CoproductionEvent[] }>('GET', '/officer/events', {
    query: { limit: '50' },
  });
  return data.items;
}

export async function newUpdateScreen(context: Context): Promise<Screen> {
  const [all, events] = await Promise.all([projects(), recentEvents()]);
  return {
    title: 'Draft an update',
    content: [
      backLink(href('/updates'), 'Back to updates'),
      heading('Draft an update'),
      updateForm(context, all, events, undefined, undefined),
    ],
  };
}

export async function updateScreen(context: Context): Promise<Screen> {
  if (context.route.screen !== 'update') throw new Error('not an update');
  const [{ data: update, etag }, all, events] = await Promise.all([
    api<UpdateItem>('GET', `/officer/updates/${encodeURIComponent(context.route.id)}`),
    projects(),
    recentEvents(),
  ]);
  const unpublish = h(
    'form',
    { novalidate: true, 'aria-labelledby': 'unpublish-heading' },
    h('h2', { class: 'govuk-heading-m', id: 'unpublish-heading' }, 'Unpublish'),
    paragraph('Takes it out of the public feed and the annual report at once.'),
    button('Unpublish', {}, true),
  );
  onSubmit(context, unpublish, undefined, 'this update', async () => {
    await api('POST', `/officer/updates/${update.id}/unpublish`, { ifMatch: etag });
    return { flash: `“${update.title}” is no longer published` };
  });
  const voices = update.voices;
  return {
    title: `Update: ${update.title}`,
    content: [
      backLink(href('/updates'), 'Back to updates'),
      heading(update.title, 'You said, we did'),
      h(
        'p',
        { class: 'govuk-body' },
        publishedTag(update),
        ' ',
        tag(words(update.status), STATUS_COLOURS[update.status]),
      ),
      summaryList([
        ['Project', projectName(all, update.projectId)],
        ['Published', update.published ? dateTime(update.publishedAt) : 'No'],
        [
          'Voices it answers',
          `Children and young people ${voices.childrenAndYoungPeople}, parents and carers ${voices.parentsAndCarers}, professionals ${voices.professionals}, others ${voices.other}; ${voices.events} events`,
        ],
        [
          'Feedback linked',
          update.feedbackIds.length
            ? h(
                'ul',
                { class: 'govuk-list' },
                update.feedbackIds.map((id) => h('li', {}, link(href(`/feedback/${id}`), id))),
              )
            : 'None',
        ],
        [
          'Events linked',
          update.eventIds.length
            ? h(
                'ul',
                { class: 'govuk-list' },
                update.eventIds.map((id) =>
                  h(
                    'li',
                    {},
                    link(href(`/events/${id}`), events.find((event) => event.id === id)?.title ?? id),
                  ),
                ),
              )
            : 'None',
        ],
      ]),
      updateForm(context, all, events, update, etag),
      update.published ? unpublish : null,
      historyTable(update.history),
    ],
  };
}
