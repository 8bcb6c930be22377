/**
 * The family page behind the stop link in every "tell me what happens" message
 * (`/family/stop-messages.html#<token>`): the token is read from the address's fragment, which the
 * browser never sends to any server, and POSTed to `/stop-messages` when the family presses the
 * button (never on load: a mail scanner that opens links must not stop anyone's messages). The
 * API's answers are the only rules: this page shows them.
 */
import { h, shortDate } from '../embed/common';

/** What a stop link's token looks like (shared/domain/family-links.ts); only the server can tell a real one. */
const TOKEN_SHAPE = /^[A-Za-z0-9]{1,64}\.stop-messages\.\d{1,2}\.[A-Za-z0-9_-]{22}$/;
const TITLE = document.title;

interface State {
  reference: string;
  keepInformed: 'yes' | 'withdrawn' | 'never_asked';
  withdrawnAt?: string;
}

const root = document.getElementById('stop-messages') as HTMLElement;
const api = (root.dataset.api?.trim() || window.location.origin).replace(/\/+$/, '');

function tokenOfAddress(): string {
  try {
    return decodeURIComponent(window.location.hash.slice(1)).trim();
  } catch {
    return '';
  }
}

const ASK_ANOTHER_WAY =
  'You can also ask us to stop by phone or by letter: quote the reference in the message you were sent.';

/** A message in place of the form, focused so a screen reader reads it at once. */
function notice(title: string, ...lines: string[]): void {
  document.title = `${title} – ${TITLE}`;
  const element = h(
    'div',
    { class: 'yswd-notice', tabindex: -1, role: 'region', 'aria-labelledby': 'notice-title' },
    h('h2', { class: 'yswd-heading-m', id: 'notice-title' }, title),
    ...lines.filter(Boolean).map((line) => h('p', { class: 'yswd-body' }, line)),
  );
  root.replaceChildren(element);
  element.focus();
}

function stopped(state: State): void {
  document.title = `Messages stopped – ${TITLE}`;
  const when = state.withdrawnAt ? shortDate(state.withdrawnAt) : undefined;
  const panel = h(
    'div',
    { class: 'yswd-panel', tabindex: -1, role: 'region', 'aria-labelledby': 'panel-title' },
    h('h2', { class: 'yswd-panel__title', id: 'panel-title' }, 'We will not send you any more messages'),
    h(
      'p',
      { class: 'yswd-panel__body' },
      'About your reference',
      h('br'),
      h('strong', { class: 'yswd-reference' }, state.reference),
    ),
  );
  root.replaceChildren(
    panel,
    h(
      'p',
      { class: 'yswd-body' },
      state.keepInformed === 'never_asked'
        ? 'You did not ask us to send you messages about this.'
        : `You stopped them${when ? ` on ${when}` : ''}. If you stopped them more than once, that is fine: you do not need to do anything else.`,
    ),
    h(
      'p',
      { class: 'yswd-body' },
      'This does not change anything else about your feedback. We will still reply to you if we need to.',
    ),
  );
  panel.focus();
}

async function stop(token: string, button: HTMLButtonElement): Promise<void> {
  let response: Response;
  button.setAttribute('aria-disabled', 'true');
  try {
    response = await fetch(`${api}/stop-messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ token }),
      // No cookies, and the page's address (with the token) is sent to no one.
      credentials: 'omit',
      referrerPolicy: 'no-referrer',
    });
  } catch {
    button.removeAttribute('aria-disabled');
    notice('Sorry, we could not stop your messages', 'Check your connection and try again.', ASK_ANOTHER_WAY);
    return;
  }
  if (response.ok) {
    stopped((await response.json()) as State);
  } else if (response.status === 400) {
    notice(
      'This link does not work',
      'Open the whole link from your message, exactly as it was sent.',
      ASK_ANOTHER_WAY,
    );
  } else if (response.status === 404) {
    notice('We could not find your feedback', ASK_ANOTHER_WAY);
  } else {
    notice('Sorry, there is a problem with the service', 'Try again later.', ASK_ANOTHER_WAY);
  }
}

function form(token: string): HTMLFormElement {
  const button = h('button', { type: 'submit', class: 'yswd-button' }, 'Stop messages') as HTMLButtonElement;
  const element = h(
    'form',
    { novalidate: true },
    h(
      'p',
      { class: 'yswd-body' },
      'You asked us to tell you what happens with your feedback: when we answer it, and when we publish a change that answers it. If you stop these messages, we will not send you any more.',
    ),
    button,
  ) as HTMLFormElement;
  let sending = false;
  element.addEventListener('submit', (event) => {
    event.preventDefault();
    if (sending) return;
    sending = true;
    void stop(token, button).finally(() => {
      sending = false;
    });
  });
  return element;
}

const token = tokenOfAddress();
if (!TOKEN_SHAPE.test(token)) {
  notice(
    'This link does not work',
    'Open the whole link from your message, exactly as it was sent.',
    ASK_ANOTHER_WAY,
  );
} else {
  document.title = TITLE;
  root.replaceChildren(form(token));
}
