/**
 * The family page behind an escalation link (`/family/escalate.html#<token>`): the token is read
 * from the address's fragment, which the browser never sends to any server, and POSTed to
 * `/escalations` with what the family adds. The API's answers are the only rules: this page shows
 * them (the stage's dates, or why the link cannot be used now) and never decides anything itself.
 */
import { h, longDate } from '../embed/common';

/** What a link's token looks like (shared/domain/family-links.ts); only the server can tell a real one. */
const TOKEN_SHAPE = /^[A-Za-z0-9]{1,64}\.escalate\.\d{1,2}\.[A-Za-z0-9_-]{22}$/;
const TITLE = document.title;

interface Outcome {
  reference: string;
  stage: number;
  stageName: string;
  acknowledgeBy: string;
  respondBy: string;
  panelBy?: string;
}

interface Problem {
  type?: string;
  detail?: string;
  errors?: { path: string; message: string }[];
}

const root = document.getElementById('escalation') as HTMLElement;
const api = (root.dataset.api?.trim() || window.location.origin).replace(/\/+$/, '');

function tokenOfAddress(): string {
  try {
    return decodeURIComponent(window.location.hash.slice(1)).trim();
  } catch {
    return '';
  }
}

const ASK_ANOTHER_WAY =
  'You can still ask for the next stage by phone or by letter: quote the reference on the answer you were sent.';

/** A message in place of the form, focused so a screen reader reads it at once. */
function notice(title: string, ...lines: string[]): HTMLElement {
  document.title = `${title} – ${TITLE}`;
  const element = h(
    'div',
    { class: 'yswd-notice', tabindex: -1, role: 'region', 'aria-labelledby': 'notice-title' },
    h('h2', { class: 'yswd-heading-m', id: 'notice-title' }, title),
    ...lines.filter(Boolean).map((line) => h('p', { class: 'yswd-body' }, line)),
  );
  root.replaceChildren(element);
  element.focus();
  return element;
}

function success(outcome: Outcome): void {
  document.title = `Request received – ${TITLE}`;
  const panel = h(
    'div',
    { class: 'yswd-panel', tabindex: -1, role: 'region', 'aria-labelledby': 'panel-title' },
    h('h2', { class: 'yswd-panel__title', id: 'panel-title' }, 'We have your request'),
    h(
      'p',
      { class: 'yswd-panel__body' },
      'Your reference',
      h('br'),
      h('strong', { class: 'yswd-reference' }, outcome.reference),
    ),
  );
  const when = outcome.panelBy
    ? [
        `We will tell you by ${longDate(outcome.acknowledgeBy)} who is arranging it.`,
        `The review panel will meet by ${longDate(outcome.panelBy)}. The council will send you its response after the panel’s report.`,
      ]
    : [
        `We will tell you by ${longDate(outcome.acknowledgeBy)} who is dealing with it.`,
        `We will send you our answer by ${longDate(outcome.respondBy)}.`,
      ];
  root.replaceChildren(
    panel,
    h('h2', { class: 'yswd-heading-m' }, `${outcome.stageName} has started`),
    ...when.map((line) => h('p', { class: 'yswd-body' }, line)),
    h(
      'p',
      { class: 'yswd-body' },
      'If you asked more than once, we have only one request: you do not need to do anything else.',
    ),
  );
  panel.focus();
}

function form(token: string): HTMLFormElement {
  const group = h(
    'div',
    { class: 'yswd-form-group', id: 'reason-group' },
    h('label', { class: 'yswd-label', for: 'reason' }, 'What are you still unhappy about? (optional)'),
    h(
      'div',
      { class: 'yswd-hint', id: 'reason-hint' },
      'This helps whoever looks at your complaint next. You do not have to write anything.',
    ),
    h('textarea', {
      class: 'yswd-textarea',
      id: 'reason',
      name: 'reason',
      rows: 5,
      'aria-describedby': 'reason-hint',
    }),
  );
  const button = h('button', { type: 'submit', class: 'yswd-button' }, 'Ask for the next stage');
  const element = h(
    'form',
    { novalidate: true },
    h(
      'p',
      { class: 'yswd-body' },
      'If you are not happy with the answer to your complaint, you can ask us to look at it again at the next stage. We will tell you who is dealing with it and by when you will hear from us.',
    ),
    group,
    button,
  );
  let sending = false;
  element.addEventListener('submit', (event) => {
    event.preventDefault();
    if (sending) return;
    sending = true;
    button.setAttribute('aria-disabled', 'true');
    const reason = (element.querySelector('textarea') as HTMLTextAreaElement).value.trim();
    void send(token, reason, element).finally(() => {
      sending = false;
      button.removeAttribute('aria-disabled');
    });
  });
  return element;
}

/** A field the API refused (only `reason` can be): the GOV.UK error summary and the message by the field. */
function fieldError(element: HTMLFormElement, message: string): void {
  document.title = `Error: ${TITLE}`;
  element.querySelector('.yswd-error-summary')?.remove();
  const group = element.querySelector('#reason-group') as HTMLElement;
  group.classList.add('yswd-form-group--error');
  group.querySelector('.yswd-error-message')?.remove();
  const error = h(
    'p',
    { class: 'yswd-error-message', id: 'reason-error' },
    h('span', { class: 'yswd-visually-hidden' }, 'Error: '),
    message,
  );
  group.querySelector('textarea')?.before(error);
  const field = group.querySelector('textarea');
  field?.setAttribute('aria-describedby', 'reason-hint reason-error');
  field?.setAttribute('aria-invalid', 'true');
  const summary = h(
    'div',
    { class: 'yswd-error-summary', tabindex: -1, role: 'alert', 'aria-labelledby': 'summary-title' },
    h('h2', { class: 'yswd-error-summary__title', id: 'summary-title' }, 'There is a problem'),
    h('ul', { class: 'yswd-error-summary__list' }, h('li', {}, h('a', { href: '#reason' }, message))),
  );
  element.prepend(summary);
  summary.focus();
}

async function send(token: string, reason: string, element: HTMLFormElement): Promise<void> {
  let response: Response;
  try {
    response = await fetch(`${api}/escalations`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(reason ? { token, reason } : { token }),
      // No cookies, and the page's address (with the token) is sent to no one.
      credentials: 'omit',
      referrerPolicy: 'no-referrer',
    });
  } catch {
    notice('Sorry, we could not send your request', 'Check your connection and try again.', ASK_ANOTHER_WAY);
    return;
  }
  if (response.ok) {
    success((await response.json()) as Outcome);
    return;
  }
  const problem = ((await response.json().catch(() => ({}))) ?? {}) as Problem;
  const reasonError = problem.errors?.find((error) => error.path === 'reason');
  if (response.status === 400 && reasonError) {
    fieldError(element, reasonError.message);
  } else if (response.status === 400) {
    notice(
      'This link does not work',
      'Open the whole link from your letter or email, exactly as it was sent.',
      ASK_ANOTHER_WAY,
    );
  } else if (response.status === 404) {
    notice('We could not find your complaint', ASK_ANOTHER_WAY);
  } else if (response.status === 409) {
    // The server's own words: why this stage cannot be asked for now (the last stage, the time
    // passed, not answered yet). They name dates and the Ombudsman, never anyone's words.
    notice('You cannot ask for the next stage online', problem.detail ?? '', ASK_ANOTHER_WAY);
  } else {
    notice('Sorry, there is a problem with the service', 'Try again later.', ASK_ANOTHER_WAY);
  }
}

const token = tokenOfAddress();
if (TOKEN_SHAPE.test(token)) {
  root.replaceChildren(form(token));
} else {
  notice(
    'This link is not complete',
    'Open the whole link from your letter or email. If you copied it, check nothing was left off the end.',
    ASK_ANOTHER_WAY,
  );
}
