import type { StoredProject } from '../../../shared/domain/manage-projects';
import { api, ProblemError } from '../api';
import { type Context, count, onSubmit, type Screen, text } from '../app';
import { isAdmin } from '../auth';
import { h } from '../dom';
import { keepDrafts } from '../drafts';
import { words } from '../format';
import {
  backLink,
  button,
  heading,
  link,
  paragraph,
  radios,
  summaryList,
  table,
  tag,
  textarea,
  textInput,
} from '../govuk';
import { forgetProjects, projects } from '../projects-cache';
import { href } from '../routes';

const KINDS = ['feedback', 'compliment', 'complaint'] as const;

const active = (project: StoredProject) => (project.active ? tag('Open', 'green') : tag('Closed', 'grey'));
const timeframes = (project: StoredProject) =>
  h(
    'ul',
    { class: 'govuk-list' },
    KINDS.map((kind) =>
      h(
        'li',
        {},
        `${words(kind)}: acknowledge in ${project.timeframes[kind].acknowledgeWorkingDays}, respond in ${project.timeframes[kind].respondWorkingDays} working days`,
      ),
    ),
  );

export async function projectsScreen(context: Context): Promise<Screen> {
  const all = await projects();
  const admin = isAdmin(context.session);
  return {
    title: 'Projects',
    content: [
      heading('Projects'),
      paragraph(
        'Every piece of feedback belongs to a project; its timeframes say by when families hear back.',
      ),
      admin
        ? h(
            'a',
            {
              href: href('/new/project'),
              class: 'govuk-button',
              role: 'button',
              draggable: 'false',
              'data-module': 'govuk-button',
            },
            'Add a project',
          )
        : h('div', { class: 'govuk-inset-text' }, 'Only admins can change projects. You can read them here.'),
      table(
        'Projects',
        ['Project', 'Id', 'Alerts go to', 'Timeframes', 'Open'],
        all.map((project) => [
          link(href(`/projects/${project.id}`), project.title),
          project.id,
          project.alertTeam,
          timeframes(project),
          active(project),
        ]),
      ),
    ],
  };
}

function projectForm(context: Context, project: StoredProject | undefined) {
  const draft = project ? `project:${project.id}` : 'project:new';
  const number = (name: string, label: string, value: number | undefined) =>
    textInput({
      name,
      label,
      width: '3',
      inputmode: 'numeric',
      value: value === undefined ? '' : String(value),
    });
  const form = h(
    'form',
    { novalidate: true },
    project
      ? h('h2', { class: 'govuk-heading-m' }, 'Change this project')
      : textInput({
          name: 'id',
          label: 'Id',
          hint: 'Lower-case letters, digits and hyphens, for example short-breaks. It cannot change later.',
          width: '20',
        }),
    textInput({ name: 'title', label: 'Title', value: project?.title }),
    textInput({ name: 'serviceArea', label: 'Service area', value: project?.serviceArea }),
    textarea({
      name: 'description',
      label: 'Description (optional)',
      maxlength: 2_000,
      rows: 3,
      value: project?.description,
    }),
    KINDS.map((kind) =>
      h(
        'fieldset',
        { class: 'govuk-fieldset' },
        h(
          'legend',
          { class: 'govuk-fieldset__legend govuk-fieldset__legend--s' },
          `${words(kind)}: working days`,
        ),
        number(
          `timeframes.${kind}.acknowledgeWorkingDays`,
          'To acknowledge',
          project?.timeframes[kind].acknowledgeWorkingDays,
        ),
        number(
          `timeframes.${kind}.respondWorkingDays`,
          'To respond',
          project?.timeframes[kind].respondWorkingDays,
        ),
      ),
    ),
    number(
      'eventReportBackWorkingDays',
      'Working days to report back after an event',
      project?.eventReportBackWorkingDays ?? 20,
    ),
    number(
      'reminderWorkingDays',
      'Working days between overdue reminders',
      project?.reminderWorkingDays ?? 5,
    ),
    number(
      'escalateAfterReminders',
      'Reminders before an alert is an escalation',
      project?.escalateAfterReminders ?? 2,
    ),
    textInput({
      name: 'alertTeam',
      label: 'Team that gets overdue alerts',
      hint: 'For example, send-service',
      value: project?.alertTeam,
      width: '20',
    }),
    radios({
      name: 'active',
      label: 'Open for feedback?',
      value: project ? String(project.active) : 'true',
      inline: true,
      items: [
        { value: 'true', text: 'Yes' },
        { value: 'false', text: 'No' },
      ],
    }),
    button(project ? 'Save project' : 'Add project'),
  );
  keepDrafts(form, draft);
  onSubmit(context, form, draft, 'this project', async (data) => {
    const id = project?.id ?? text(data, 'id');
    const description = text(data, 'description');
    const body = {
      title: text(data, 'title'),
      serviceArea: text(data, 'serviceArea'),
      ...(description ? { description } : {}),
      timeframes: Object.fromEntries(
        KINDS.map((kind) => [
          kind,
          {
            acknowledgeWorkingDays: count(data, `timeframes.${kind}.acknowledgeWorkingDays`),
            respondWorkingDays: count(data, `timeframes.${kind}.respondWorkingDays`),
          },
        ]),
      ),
      eventReportBackWorkingDays: count(data, 'eventReportBackWorkingDays'),
      reminderWorkingDays: count(data, 'reminderWorkingDays'),
      escalateAfterReminders: count(data, 'escalateAfterReminders'),
      alertTeam: text(data, 'alertTeam'),
      active: data.get('active') === 'true',
    };
    if (!/^[a-z0-9][a-z0-9-]{0,62}$/.test(id)) {
      throw new ProblemError(400, {
        errors: [
          {
            path: 'id',
            message: 'Use 1-63 lower-case letters, digits and hyphens, starting with a letter or digit',
          },
        ],
      });
    }
    await api('PUT', `/officer/projects/${id}`, {
      body,
      ifMatch: project ? `"${project.version}"` : undefined,
    }).catch((error: unknown) => {
      // Without If-Match a PUT creates; 428 means the id is taken.
      if (!project && error instanceof ProblemError && error.status === 428) {
        throw new ProblemError(400, {
          errors: [{ path: 'id', message: 'A project with this id already exists: choose another' }],
        });
      }
      throw error;
    });
    forgetProjects();
    return { go: href(`/projects/${id}`), flash: `Project “${body.title}” saved` };
  });
  return form;
}

export async function projectScreen(context: Context): Promise<Screen> {
  if (context.route.screen !== 'project') throw new Error('not a project');
  const id = context.route.id;
  const project = (await projects()).find((candidate) => candidate.id === id);
  if (!project) {
    throw new ProblemError(404, { title: 'Not found', detail: `There is no project ${id}.` });
  }
  return {
    title: `Project: ${project.title}`,
    content: [
      backLink(href('/projects'), 'Back to projects'),
      heading(project.title, 'Project'),
      summaryList([
        ['Id', project.id],
        ['Service area', project.serviceArea],
        ['Description', project.description ?? ''],
        ['Timeframes', timeframes(project)],
        ['Report back after events', `${project.eventReportBackWorkingDays} working days`],
        ['Overdue alerts go to', project.alertTeam],
        [
          'Reminders',
          `every ${project.reminderWorkingDays ?? 5} working days; escalation from reminder ${project.escalateAfterReminders ?? 2}`,
        ],
        ['Open for feedback', active(project)],
      ]),
      isAdmin(context.session)
        ? projectForm(context, project)
        : paragraph('Only admins can change projects.'),
    ],
  };
}

export async function newProjectScreen(context: Context): Promise<Screen> {
  if (!isAdmin(context.session)) {
    throw new ProblemError(403, { title: 'Not allowed', detail: 'Only admins can add projects.' });
  }
  return {
    title: 'Add a project',
    content: [
      backLink(href('/projects'), 'Back to projects'),
      heading('Add a project'),
      projectForm(context, undefined),
    ],
  };
}
