import type { AnsweredNextStep } from '../../../shared/domain/answer-feedback';
import { PROCEDURES } from '../../../shared/domain/complaint-procedure';
import {
  type ComplaintStageRecord,
  type ComplaintState,
  complaintStateOf,
} from '../../../shared/domain/complaint-stages';
import type { Context } from '../app';
import { type Child, h } from '../dom';
import { date, dateTime, words } from '../format';
import { button, paragraph, summaryCard, textInput, warningText } from '../govuk';
import type { FeedbackItem } from './feedback-item';

/**
 * A complaint's procedure and stages as officers read them, from what the API stored: every date
 * here is one the service worked out (working days, bank holidays, London time); nothing is
 * counted from the browser's clock. The rules themselves are shared/domain/complaint-stages.ts,
 * whose reader (`complaintStateOf`) this uses, so a complaint stored before stages existed reads
 * here as it does in the API: stage 1 of the corporate procedure.
 */
export const complaintOf = (item: FeedbackItem): ComplaintState | undefined => complaintStateOf(item);

/** The complaint's place in a list row's words: "stage 2 (Children Act)". */
export function stageLabel(row: { complaintStage?: number; complaintProcedure?: string }): string {
  if (row.complaintStage === undefined) return '';
  return `stage ${row.complaintStage}${row.complaintProcedure === 'childrens' ? ' (Children Act)' : ''}`;
}

export const procedureTitle = (state: ComplaintState) => PROCEDURES[state.procedure].title;

/** Working days the current stage may still be extended by (the API refuses more with a 422). */
export function extensionLeft(state: ComplaintState): number {
  const used = (state.current.extensions ?? []).reduce((sum, extension) => sum + extension.workingDays, 0);
  return Math.max(0, state.rules.maxExtensionWorkingDays - used);
}

/** Rows for the item's own summary: the procedure and the stage it is at. */
export function complaintRows(state: ComplaintState): [string, Child][] {
  return [
    ['Procedure', procedureTitle(state)],
    ['Stage', `${state.current.name} (stage ${state.stage} of ${state.timescales.length})`],
  ];
}

const by = (who: { name: string } | undefined) => (who ? ` by ${who.name}` : '');

function requestText(record: ComplaintStageRecord): string {
  const request = record.request;
  if (!request) return `${dateTime(record.startedAt)}: the complaint arrived`;
  const how =
    request.via === 'family_link'
      ? 'the family asked with their escalation link'
      : `the family asked by ${words(request.via).toLowerCase()} (recorded${by(request.recordedBy)})`;
  return `${dateTime(request.at)}: ${how}, ${request.inTime ? 'in time' : 'after the time their answer gave them (late)'}`;
}

function dueText(record: ComplaintStageRecord): string {
  // A review panel stage's response deadline follows the panel's date, not an extension.
  if (record.panelBy)
    return record.panelOn
      ? `${date(record.dueBy)} (counted from the panel’s date)`
      : 'Set when the panel’s date is recorded';
  const moved = record.dueBy !== record.originalDueBy;
  return `${date(record.dueBy)}${moved ? ` (first due by ${date(record.originalDueBy)})` : ''}`;
}

function nextText(record: ComplaintStageRecord): Child {
  if (record.next) return `The family may ask for ${record.next.name} until ${date(record.next.askBy)}.`;
  if (record.ombudsman)
    return [
      `The council’s procedure has ended. The family may go to the ${record.ombudsman.name} (`,
      h('a', { class: 'govuk-link', href: record.ombudsman.url, rel: 'noreferrer' }, record.ombudsman.url),
      `). ${record.ombudsman.timeLimit}`,
    ];
  return '';
}

/** One stage's card: when it began and how, its deadlines and extensions, the panel, the answer. */
function stageCard(state: ComplaintState, record: ComplaintStageRecord): HTMLElement {
  const current = record.stage === state.stage;
  const rules = state.timescales[record.stage - 1];
  const rows: [string, Child][] = [['Started', requestText(record)]];
  if (record.request?.reason)
    rows.push([
      'What the family said is still wrong',
      h('span', { class: 'app-pre-wrap' }, record.request.reason),
    ]);
  rows.push(
    ['Acknowledge by', date(record.acknowledgeBy)],
    ['Acknowledged', record.acknowledgedAt ? dateTime(record.acknowledgedAt) : 'Not yet'],
  );
  if (rules?.reviewPanel || record.panelBy) {
    rows.push(
      ['Panel to meet by', date(record.panelBy)],
      ['Panel held on', record.panelOn ? date(record.panelOn) : 'Not recorded yet'],
    );
  }
  rows.push([record.panelBy ? 'Response due by' : 'Answer due by', dueText(record)]);
  if (record.extensions?.length) {
    rows.push([
      'Extended',
      h(
        'ul',
        { class: 'govuk-list' },
        record.extensions.map((extension) =>
          h(
            'li',
            {},
            `By ${extension.workingDays} working day${extension.workingDays === 1 ? '' : 's'}, from ${date(extension.from)} to ${date(extension.to)}, on ${dateTime(extension.at)}${by(extension.by)}. Why: `,
            h('span', { class: 'app-pre-wrap' }, extension.reason),
          ),
        ),
      ),
    ]);
  }
  rows.push([
    'Answered',
    record.answeredAt ? `${dateTime(record.answeredAt)}${by(record.answeredBy)}` : 'Not yet',
  ]);
  if (record.answeredAt) {
    rows.push(
      ['Outcome', words(record.outcome)],
      ['On time', record.answeredOnTime ? 'Yes' : `No: it was due by ${date(record.dueBy)}`],
    );
    // The item's own response is the current stage's, shown above as "Our response".
    if (!current && record.response)
      rows.push(['Our response', h('span', { class: 'app-pre-wrap' }, record.response)]);
    rows.push(['What the family may do next', nextText(record)]);
  }
  return summaryCard(
    `${record.name}${current ? ' (current)' : ''}`,
    rows,
    current ? { 'data-current-stage': String(record.stage) } : {},
  );
}

/** Every stage reached, oldest first; the last is the current one. */
export function stagesSection(state: ComplaintState): Child[] {
  return [
    h('h2', { class: 'govuk-heading-m' }, 'Complaint stages'),
    paragraph(
      `${procedureTitle(state)}. The deadlines above are the current stage’s; each stage’s own record is below.`,
    ),
    state.records.map((record) => stageCard(state, record)),
  ];
}

/**
 * What an answer said the family may do next, kept in this page's memory from the answer until
 * the item is next drawn: the escalation link is made by the API for that answer only and is not
 * stored, so the console shows it once, right after the answer.
 */
const answered = new Map<string, AnsweredNextStep>();

export function rememberAnswer(id: string, nextStep: AnsweredNextStep | undefined): void {
  if (nextStep) answered.set(id, nextStep);
}

/** The next step the last answer gave, once: taking it forgets it. */
export function takeAnswer(id: string): AnsweredNextStep | undefined {
  const nextStep = answered.get(id);
  answered.delete(id);
  return nextStep;
}

/** Right after an answer: the family's escalation link to copy into the letter, or the Ombudsman. */
export function nextStepPanel(context: Context, nextStep: AnsweredNextStep): HTMLElement {
  if (nextStep.kind === 'ombudsman') {
    return h(
      'section',
      { class: 'govuk-inset-text', 'aria-labelledby': 'next-step-heading' },
      h('h2', { class: 'govuk-heading-m', id: 'next-step-heading' }, 'Tell the family about the Ombudsman'),
      paragraph(
        `This was the last stage of the council’s procedure. Put this in your answer: if they are still unhappy, they can go to the ${nextStep.name}, `,
        h('a', { class: 'govuk-link', href: nextStep.url, rel: 'noreferrer' }, nextStep.url),
        '.',
      ),
      paragraph(nextStep.timeLimit),
    );
  }
  const address = nextStep.link?.url ?? nextStep.link?.token ?? '';
  const field = textInput({
    name: 'escalationLink',
    id: 'escalation-link',
    label: nextStep.link?.url ? 'The family’s escalation link' : 'The family’s escalation code',
    hint: nextStep.link?.url
      ? undefined
      : 'The family page’s address is not configured (FAMILY_PAGE_URL), so this is the code alone.',
    value: address,
    spellcheck: false,
  });
  const input = field.querySelector('input') as HTMLInputElement;
  input.readOnly = true;
  input.addEventListener('focus', () => input.select());
  const copy = button('Copy link', { type: 'button' }, true);
  copy.addEventListener('click', () => {
    input.select();
    navigator.clipboard.writeText(address).then(
      () => {
        copy.textContent = 'Link copied';
        context.announce('Link copied');
      },
      () => context.announce('The link could not be copied: it is selected, so copy it with Ctrl+C.'),
    );
  });
  return h(
    'section',
    { class: 'govuk-inset-text', 'aria-labelledby': 'next-step-heading' },
    h('h2', { class: 'govuk-heading-m', id: 'next-step-heading' }, 'Put the escalation link in your answer'),
    paragraph(
      `The family may ask for ${nextStep.name} until ${date(nextStep.askBy)}. With this link they can ask for it themselves; they can also ask by phone, letter or email.`,
    ),
    warningText(
      'Copy the link now. It is shown only this once: the service does not keep it, so it cannot be shown again once you leave this screen, reload it or do anything else on it.',
    ),
    field,
    copy,
  );
}
