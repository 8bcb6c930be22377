import { COMPLAINT_PROCEDURES, PROCEDURES } from '../../../shared/domain/complaint-procedure';
import { OFFICER_REQUEST_CHANNELS } from '../../../shared/domain/complaint-stages';
import type { Feedback } from '../../../shared/domain/feedback';
import { api, ProblemError } from '../api';
import { count, onSubmit, text } from '../app';
import { h } from '../dom';
import { keepDrafts } from '../drafts';
import { date, words } from '../format';
import { button, dateInput, dateValue, paragraph, radios, textarea, textInput } from '../govuk';
import type { FieldError } from '../problems';
import { isCalendarDate, londonInstant, parseTimeOfDay } from '../when';
import { complaintOf, extensionLeft } from './complaint-stages';
import type { FeedbackAction } from './feedback-item';

/**
 * The officers' steps on a complaint's stages, as entries of FEEDBACK_ACTIONS: choose the
 * procedure, extend the stage, record the review panel, ask for the next stage on the family's
 * behalf. Each sends If-Match with the version the screen read and goes through `onSubmit`, so a
 * 412, an ended session and a refusal are handled as every other form's are; what was typed is
 * kept (drafts) until it is saved.
 */
const OPEN = ['received', 'acknowledged'];
const WHAT = 'this complaint';

export const chooseProcedure: FeedbackAction = {
  name: 'choose-procedure',
  // Before acknowledgement: the acknowledgement tells the family its timescales.
  applies: (item) => complaintOf(item)?.stage === 1 && item.status === 'received',
  form: (context, item, etag) => {
    const state = complaintOf(item);
    const draft = `procedure:${item.id}`;
    const form = h(
      'form',
      { novalidate: true, 'aria-labelledby': 'procedure-heading' },
      h('h2', { class: 'govuk-heading-m', id: 'procedure-heading' }, 'Complaint procedure'),
      paragraph(
        'Choose the procedure before acknowledging the complaint: the acknowledgement tells the family its timescales. Stage 1’s deadlines are then counted again from when it arrived.',
      ),
      radios({
        name: 'procedure',
        label: 'Procedure',
        value: state?.procedure,
        items: COMPLAINT_PROCEDURES.map((value) => ({
          value,
          text: PROCEDURES[value].title,
          hint: value === state?.procedure ? 'It follows this one now.' : undefined,
        })),
      }),
      textarea({
        name: 'reason',
        id: 'procedure-reason',
        label: 'Why this procedure',
        hint: 'Kept in the history with your name, for example: about the child in need plan.',
        maxlength: 2_000,
        rows: 3,
      }),
      button('Change procedure'),
    );
    keepDrafts(form, draft);
    onSubmit(context, form, draft, WHAT, async (data) => {
      const procedure = data.get('procedure') ?? undefined;
      await api('POST', `/officer/feedback/${item.id}/procedure`, {
        ifMatch: etag,
        body: { procedure, reason: text(data, 'reason') },
      });
      const title = PROCEDURES[procedure as keyof typeof PROCEDURES]?.title ?? String(procedure);
      return { flash: `${item.reference} now follows ${title.charAt(0).toLowerCase()}${title.slice(1)}` };
    });
    return form;
  },
};

export const extendStage: FeedbackAction = {
  name: 'extend',
  applies: (item) => {
    const state = complaintOf(item);
    return !!state && OPEN.includes(item.status) && extensionLeft(state) > 0;
  },
  form: (context, item, etag) => {
    const state = complaintOf(item);
    if (!state) throw new Error('not a complaint');
    const { current, rules } = state;
    const left = extensionLeft(state);
    const draft = `extend:${item.id}`;
    const form = h(
      'form',
      { novalidate: true, 'aria-labelledby': 'extend-heading' },
      h('h2', { class: 'govuk-heading-m', id: 'extend-heading' }, `Extend ${current.name}`),
      paragraph(
        `The answer is due by ${date(current.dueBy)}. ${current.name} may be extended by at most ${rules.maxExtensionWorkingDays} working days in all${left < rules.maxExtensionWorkingDays ? `: ${left} are left` : ''}. Extend it before the deadline passes, and tell the family why.`,
      ),
      textInput({
        name: 'extendByWorkingDays',
        label: 'Working days to add',
        hint: `At most ${left}.`,
        width: '3',
        inputmode: 'numeric',
      }),
      textarea({
        name: 'reason',
        id: 'extend-reason',
        label: 'Why, as the family will be told',
        maxlength: 2_000,
        rows: 3,
      }),
      button(`Extend ${current.name}`),
    );
    keepDrafts(form, draft);
    onSubmit(context, form, draft, WHAT, async (data) => {
      const { data: extended } = await api<Feedback>('POST', `/officer/feedback/${item.id}/extend`, {
        ifMatch: etag,
        body: { extendByWorkingDays: count(data, 'extendByWorkingDays'), reason: text(data, 'reason') },
      });
      return {
        flash: `${current.name} of ${item.reference} extended: the answer is due by ${date(extended.respondBy)}`,
      };
    });
    return form;
  },
};

export const recordReviewPanel: FeedbackAction = {
  name: 'review-panel',
  applies: (item) => {
    const state = complaintOf(item);
    return !!state?.rules.reviewPanel && OPEN.includes(item.status);
  },
  form: (context, item, etag) => {
    const state = complaintOf(item);
    const panel = state?.rules.reviewPanel;
    if (!state || !panel) throw new Error('not a review panel stage');
    const { current } = state;
    const draft = `review-panel:${item.id}`;
    const form = h(
      'form',
      { novalidate: true, 'aria-labelledby': 'panel-heading' },
      h('h2', { class: 'govuk-heading-m', id: 'panel-heading' }, 'Review panel'),
      paragraph(
        `The panel must meet by ${date(current.panelBy)}. Its date sets the council’s response deadline: ${panel.reportWorkingDays + panel.responseWorkingDays} working days after it (the panel’s report within ${panel.reportWorkingDays}, the response within ${panel.responseWorkingDays} of the report). Record it before the response.`,
      ),
      dateInput({
        name: 'heldOn',
        label: 'Date of the panel',
        hint: 'For example, 4 3 2027',
        value: current.panelOn,
      }),
      button(current.panelOn ? 'Change the panel’s date' : 'Record the panel’s date'),
    );
    keepDrafts(form, draft);
    onSubmit(context, form, draft, WHAT, async (data) => {
      const { data: recorded } = await api<Feedback>('POST', `/officer/feedback/${item.id}/review-panel`, {
        ifMatch: etag,
        body: { heldOn: dateValue(data, 'heldOn') },
      });
      return {
        flash: `Review panel on ${date(recorded.reviewPanelOn)} recorded: the response is due by ${date(recorded.respondBy)}`,
      };
    });
    return form;
  },
};

/** The family's request as typed: a London date and time, checked here so each field gets its own message. */
function requestedAt(data: FormData): string {
  const day = dateValue(data, 'requestedAt');
  const time = parseTimeOfDay(text(data, 'requestedTime'));
  const errors: FieldError[] = [];
  if (!isCalendarDate(day))
    errors.push({ path: 'requestedAt', message: 'Enter the date they asked, for example 12 1 2027' });
  if (!time)
    errors.push({
      path: 'requestedTime',
      message: 'Enter the time they asked, for example 10:30am or 14:30',
    });
  if (errors.length || !time) throw new ProblemError(400, { errors });
  return londonInstant(day, time).toISOString();
}

export const escalateForFamily: FeedbackAction = {
  name: 'escalate',
  applies: (item) => {
    const state = complaintOf(item);
    return (item.status === 'responded' || item.status === 'closed') && !!state?.current.next;
  },
  form: (context, item, etag) => {
    const next = complaintOf(item)?.current.next;
    if (!next) throw new Error('no next stage');
    const draft = `escalate:${item.id}`;
    const form = h(
      'form',
      { novalidate: true, 'aria-labelledby': 'escalate-heading' },
      h('h2', { class: 'govuk-heading-m', id: 'escalate-heading' }, `The family asks for ${next.name}`),
      paragraph(
        `If they asked by phone, letter, email or in person, record it here: ${next.name}’s deadlines count from when they asked. They may ask until ${date(next.askBy)}; a later request is recorded as late. When they use their escalation link, it is recorded by itself.`,
      ),
      dateInput({ name: 'requestedAt', label: 'Date they asked', hint: 'For example, 12 1 2027' }),
      textInput({
        name: 'requestedTime',
        label: 'Time they asked',
        hint: 'UK time, for example 10:30am or 14:30',
        width: '5',
      }),
      radios({
        name: 'via',
        label: 'How they asked',
        items: OFFICER_REQUEST_CHANNELS.map((value) => ({ value, text: words(value) })),
      }),
      textarea({
        name: 'reason',
        id: 'escalate-reason',
        label: 'What they said is still wrong (optional)',
        hint: 'Their words: only officers see this.',
        maxlength: 5_000,
        rows: 4,
      }),
      button(`Start ${next.name}`),
    );
    keepDrafts(form, draft);
    onSubmit(context, form, draft, WHAT, async (data) => {
      const reason = text(data, 'reason');
      await api('POST', `/officer/feedback/${item.id}/escalate`, {
        ifMatch: etag,
        body: {
          requestedAt: requestedAt(data),
          via: data.get('via') ?? undefined,
          ...(reason ? { reason } : {}),
        },
      });
      return { flash: `${next.name} of ${item.reference} started` };
    });
    return form;
  },
};
