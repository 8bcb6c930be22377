/**
 * <you-said-we-did-form api="https://…" project="short-breaks">: a family's feedback form for a
 * Local Offer page, in light DOM so the council's styles apply. The API's answers are the only
 * rules: its `errors[].path` are mapped to fields, its reference and reply-by date are shown.
 */
import { countCharacters, MESSAGE_MAX_CHARACTERS } from './characters';
import { apiBase, BASE_CSS, ensureStyles, h, longDate, nextIdPrefix, visuallyHidden } from './common';
import { FORM_CSS } from './form-styles';

const KINDS = [
  { value: 'feedback', label: 'Feedback', hint: 'Tell us what you think, good or bad, or suggest an idea.' },
  { value: 'compliment', label: 'Compliment', hint: 'Tell us about something that went well.' },
  {
    value: 'complaint',
    label: 'Complaint',
    hint: 'Tell us about something that went wrong. We follow the council’s complaints procedure.',
  },
] as const;

const ROLES = [
  { value: 'child_or_young_person', label: 'A child or young person' },
  { value: 'parent_or_carer', label: 'A parent or carer' },
  { value: 'professional', label: 'A professional' },
  { value: 'other', label: 'Someone else' },
] as const;

const SATISFACTION = [
  { value: '1', emoji: '😞', label: 'Very unhappy' },
  { value: '2', emoji: '🙁', label: 'Unhappy' },
  { value: '3', emoji: '😐', label: 'Neither happy nor unhappy' },
  { value: '4', emoji: '🙂', label: 'Happy' },
  { value: '5', emoji: '😀', label: 'Very happy' },
  { value: '', emoji: '', label: 'I would rather not say' },
] as const;

/** How a kind reads in "Thank you for your …". */
const KIND_WORDS: Record<string, string> = {
  feedback: 'feedback',
  compliment: 'compliment',
  complaint: 'complaint',
};

/**
 * Choices the API names by their codes ("Choose one of: parent_or_carer, …") are worded here for
 * people; which fields are wrong is still only the server's call.
 */
const CHOICE_MESSAGES: Record<string, string> = {
  kind: 'Select feedback, compliment or complaint',
  submitterRole: 'Select who is writing',
  consentToContact: 'Tick the box to agree that we may contact you, or leave out your contact details',
};
const REQUIRED_MESSAGES: Record<string, string> = {
  message: 'Enter your message',
  projectId: 'Select what your message is about',
};

interface FieldError {
  path: string;
  message: string;
}

interface Receipt {
  reference: string;
  kind: string;
  respondBy: string;
}

interface Project {
  id: string;
  title: string;
}

/** An attempt: the body sent and the key it was sent with, reused while the body is unchanged. */
interface Attempt {
  body: string;
  key: string;
}

function newKey(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  return Array.from(crypto.getRandomValues(new Uint8Array(16)), (byte) =>
    byte.toString(16).padStart(2, '0'),
  ).join('');
}

const scriptUrl = import.meta.url;

export class YouSaidWeDidForm extends HTMLElement {
  #prefix = nextIdPrefix('form');
  #attempt: Attempt | undefined;
  #sending = false;
  #form!: HTMLFormElement;
  #summary!: HTMLDivElement;
  #status!: HTMLDivElement;
  #button!: HTMLButtonElement;
  #countMessage!: HTMLDivElement;
  #countStatus!: HTMLDivElement;
  #countTimer: ReturnType<typeof setTimeout> | undefined;
  #projectGroup: HTMLDivElement | undefined;
  #rendered = false;

  connectedCallback() {
    if (this.#rendered) return;
    this.#rendered = true;
    ensureStyles(this, 'yswd-base-styles', BASE_CSS);
    ensureStyles(this, 'yswd-form-styles', FORM_CSS);
    this.#render();
    if (!this.getAttribute('project')) void this.#loadProjects();
  }

  get #api() {
    return apiBase(this, scriptUrl);
  }

  #id(name: string) {
    return `${this.#prefix}-${name}`;
  }

  #render() {
    const p = (name: string) => this.#id(name);
    this.#summary = h('div', {
      class: 'yswd-error-summary',
      tabindex: -1,
      'aria-labelledby': p('summary-title'),
      hidden: true,
    });
    this.#status = h('div', { class: 'yswd-visually-hidden', role: 'status', 'aria-live': 'polite' });

    // One radio group for every question; the satisfaction scale adds its own class and an emoji
    // before each label (hidden from screen readers, which read the words).
    const radios = (
      name: string,
      options: readonly { value: string; label: string; hint?: string; emoji?: string }[],
      groupClass = 'yswd-radios',
    ) =>
      h(
        'div',
        { class: groupClass },
        ...options.map((option, index) => {
          const id = index === 0 ? p(name) : p(`${name}-${index + 1}`);
          const hintId = `${id}-hint`;
          return h(
            'div',
            { class: 'yswd-radios__item' },
            h('input', {
              class: 'yswd-radios__input',
              type: 'radio',
              id,
              name,
              value: option.value,
              'aria-describedby': option.hint ? hintId : undefined,
            }),
            h(
              'label',
              { class: 'yswd-label yswd-radios__label', for: id },
              option.emoji ? h('span', { class: 'yswd-emoji', 'aria-hidden': 'true' }, option.emoji) : null,
              option.label,
            ),
            option.hint ? h('div', { class: 'yswd-hint yswd-radios__hint', id: hintId }, option.hint) : null,
          );
        }),
      );

    const errorMessage = (name: string) =>
      h('p', { class: 'yswd-error-message', id: p(`${name}-error`), hidden: true });

    const fieldset = (name: string, legend: string, hint: string | undefined, ...content: Node[]) =>
      h(
        'div',
        { class: 'yswd-form-group', 'data-field': name },
        h(
          'fieldset',
          {
            class: 'yswd-fieldset',
            'aria-describedby': hint ? p(`${name}-hint`) : undefined,
          },
          h('legend', { class: 'yswd-fieldset__legend' }, legend),
          hint ? h('div', { class: 'yswd-hint', id: p(`${name}-hint`) }, hint) : null,
          errorMessage(name),
          ...content,
        ),
      );

    const input = (
      name: string,
      label: string,
      attributes: Record<string, string | boolean | undefined>,
      hint?: string,
    ) =>
      h(
        'div',
        { class: 'yswd-form-group', 'data-field': name },
        h('label', { class: 'yswd-label', for: p(name) }, label),
        hint ? h('div', { class: 'yswd-hint', id: p(`${name}-hint`) }, hint) : null,
        errorMessage(name),
        h('input', {
          class: 'yswd-input',
          id: p(name),
          name,
          'aria-describedby': hint ? p(`${name}-hint`) : undefined,
          ...attributes,
        }),
      );

    const textarea = h('textarea', {
      class: 'yswd-textarea',
      id: p('message'),
      name: 'message',
      rows: 8,
      'aria-describedby': `${p('message-hint')} ${p('message-info')}`,
    });
    this.#countMessage = h(
      'div',
      { class: 'yswd-hint yswd-character-count__message', 'aria-hidden': 'true' },
      this.#remainingText(0),
    );
    this.#countStatus = h('div', { class: 'yswd-visually-hidden', 'aria-live': 'polite' });
    textarea.addEventListener('input', () => this.#updateCount());

    const fixedProject = this.getAttribute('project');
    if (!fixedProject) {
      this.#projectGroup = h(
        'div',
        { class: 'yswd-form-group', 'data-field': 'projectId', hidden: true },
        h('label', { class: 'yswd-label', for: p('projectId') }, 'What is your message about?'),
        errorMessage('projectId'),
        h('select', { class: 'yswd-select', id: p('projectId'), name: 'projectId' }),
      );
    }

    this.#button = h('button', { class: 'yswd-button', type: 'submit' }, 'Send');

    this.#form = h(
      'form',
      { class: 'yswd-form', novalidate: true, 'aria-label': this.getAttribute('form-label') || 'Feedback' },
      this.#summary,
      fieldset('kind', 'What would you like to send?', undefined, radios('kind', KINDS)),
      h(
        'div',
        { class: 'yswd-form-group yswd-character-count', 'data-field': 'message' },
        h('label', { class: 'yswd-label yswd-label--bold', for: p('message') }, 'Your message'),
        h(
          'div',
          { class: 'yswd-hint', id: p('message-hint') },
          'Tell us what happened or what you think. Please do not include other people’s personal details.',
        ),
        errorMessage('message'),
        textarea,
        h(
          'div',
          { class: 'yswd-visually-hidden', id: p('message-info') },
          `You can enter up to ${MESSAGE_MAX_CHARACTERS.toLocaleString('en-GB')} characters`,
        ),
        this.#countMessage,
        this.#countStatus,
      ),
      fieldset('submitterRole', 'Who is writing?', undefined, radios('submitterRole', ROLES)),
      this.#projectGroup ?? null,
      fieldset(
        'satisfaction',
        'How do you feel about the service? (optional)',
        undefined,
        radios('satisfaction', SATISFACTION, 'yswd-radios yswd-satisfaction'),
      ),
      fieldset(
        'contact',
        'Your contact details (optional)',
        'Give these if you would like a reply. We need an email address or a phone number.',
        input('name', 'Full name', { type: 'text', autocomplete: 'name', spellcheck: 'false' }),
        input('email', 'Email address', { type: 'email', autocomplete: 'email', spellcheck: 'false' }),
        input('phone', 'Phone number', { type: 'tel', autocomplete: 'tel' }, 'For example, 07700 900 982'),
        h(
          'div',
          { class: 'yswd-form-group', 'data-field': 'consentToContact' },
          errorMessage('consentToContact'),
          h(
            'div',
            { class: 'yswd-checkboxes__item' },
            h('input', {
              class: 'yswd-checkboxes__input',
              type: 'checkbox',
              id: p('consentToContact'),
              name: 'consentToContact',
              value: 'yes',
            }),
            h(
              'label',
              { class: 'yswd-label yswd-checkboxes__label', for: p('consentToContact') },
              'I agree that the council may contact me about this',
            ),
          ),
        ),
        // "Tell me what happens" (shared/domain/keep-informed.ts, wording tell-me-what-happens/v1):
        // a change to these words is a new KEEP_INFORMED_WORDING.
        h(
          'div',
          { class: 'yswd-form-group', 'data-field': 'keepMeInformed' },
          errorMessage('keepMeInformed'),
          h(
            'div',
            { class: 'yswd-checkboxes__item' },
            h('input', {
              class: 'yswd-checkboxes__input',
              type: 'checkbox',
              id: p('keepMeInformed'),
              name: 'keepMeInformed',
              value: 'yes',
              'aria-describedby': p('keepMeInformed-hint'),
            }),
            h(
              'label',
              { class: 'yswd-label yswd-checkboxes__label', for: p('keepMeInformed') },
              'Tell me what happens',
            ),
            h(
              'div',
              { class: 'yswd-hint yswd-checkboxes__hint', id: p('keepMeInformed-hint') },
              'We will send you one message when we answer this, and one when we publish a change because of it. We send it to your email address, or as a text to your mobile. Each message has a link to stop them.',
            ),
          ),
        ),
      ),
      // The honeypot: off-screen, out of the tab order and hidden from assistive technology, so
      // only a bot fills it in. The API answers a bot like a person and keeps nothing.
      h(
        'div',
        { class: 'yswd-honeypot', 'aria-hidden': 'true' },
        h('label', { for: p('website') }, 'Leave this empty'),
        h('input', { id: p('website'), name: 'website', type: 'text', tabindex: -1, autocomplete: 'off' }),
      ),
      this.#button,
      this.#status,
    );
    this.#form.addEventListener('submit', (event) => {
      event.preventDefault();
      void this.#submit();
    });
    this.#summary.addEventListener('click', (event) => this.#followSummaryLink(event));
    this.replaceChildren(this.#form);
  }

  #remainingText(count: number) {
    const left = MESSAGE_MAX_CHARACTERS - count;
    const number = Math.abs(left).toLocaleString('en-GB');
    const unit = Math.abs(left) === 1 ? 'character' : 'characters';
    return left >= 0 ? `You have ${number} ${unit} remaining` : `You have ${number} ${unit} too many`;
  }

  #updateCount() {
    const textarea = this.#field('message') as HTMLTextAreaElement;
    const count = countCharacters(textarea.value);
    const text = this.#remainingText(count);
    this.#countMessage.textContent = text;
    const over = count > MESSAGE_MAX_CHARACTERS;
    this.#countMessage.classList.toggle('yswd-error-message', over);
    this.#countMessage.classList.toggle('yswd-hint', !over);
    textarea.classList.toggle('yswd-textarea--error', over);
    // Announced once typing pauses, not on every key.
    clearTimeout(this.#countTimer);
    this.#countTimer = setTimeout(() => {
      this.#countStatus.textContent = text;
    }, 1000);
  }

  async #loadProjects() {
    const group = this.#projectGroup;
    const select = group?.querySelector('select');
    if (!group || !select) return;
    try {
      const response = await fetch(`${this.#api}/projects`, { headers: { accept: 'application/json' } });
      if (!response.ok) throw new Error(String(response.status));
      const { projects } = (await response.json()) as { projects: Project[] };
      // With one project there is nothing to choose: the API's default takes it.
      if (projects.length < 2) return;
      select.replaceChildren(...projects.map((project) => h('option', { value: project.id }, project.title)));
      group.hidden = false;
    } catch {
      // Without the list the form still works: the API files feedback under its general project.
    }
  }

  #field(name: string): HTMLElement | null {
    return this.querySelector(`#${CSS.escape(this.#id(name))}`);
  }

  #value(name: string): string {
    const checked = this.#form.querySelector<HTMLInputElement>(`[name="${name}"]:checked`);
    if (checked) return checked.value;
    const field = this.#form.elements.namedItem(name);
    return field && 'value' in field ? String(field.value) : '';
  }

  /** The request body: only what the family filled in, so the API's rules decide the rest. */
  #payload(): Record<string, unknown> {
    const body: Record<string, unknown> = {};
    const kind = this.#value('kind');
    if (kind) body.kind = kind;
    body.message = (this.#field('message') as HTMLTextAreaElement).value;
    const role = this.#value('submitterRole');
    if (role) body.submitterRole = role;
    const project =
      this.getAttribute('project') || (this.#projectGroup?.hidden ? '' : this.#value('projectId'));
    if (project) body.projectId = project;
    const satisfaction = this.#value('satisfaction');
    if (satisfaction) body.satisfaction = Number(satisfaction);
    const contact: Record<string, string> = {};
    for (const name of ['name', 'email', 'phone']) {
      const value = this.#value(name).trim();
      if (value) contact[name] = value;
    }
    if (Object.keys(contact).length) {
      body.contact = contact;
      body.consentToContact = (this.#field('consentToContact') as HTMLInputElement).checked;
    }
    // Sent when ticked, with or without contact details: the API says what else it needs.
    if ((this.#field('keepMeInformed') as HTMLInputElement).checked) body.keepMeInformed = true;
    const honeypot = this.#value('website');
    if (honeypot) body.website = honeypot;
    return body;
  }

  async #submit() {
    if (this.#sending) return;
    const body = JSON.stringify(this.#payload());
    // One key per attempt: pressing Send again after a failure resends the same body with the
    // same key, so the API stores it once; a changed message is a new attempt with a new key.
    if (this.#attempt?.body !== body) this.#attempt = { body, key: newKey() };
    const attempt = this.#attempt;
    this.#setSending(true);
    let response: Response;
    try {
      response = await fetch(`${this.#api}/feedback`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'idempotency-key': attempt.key },
        body,
      });
    } catch {
      this.#setSending(false);
      this.#showProblem(
        'We could not reach the service. Check your internet connection, then press Send again. Your message has not been lost.',
      );
      return;
    }
    this.#setSending(false);
    if (response.status === 201 || response.status === 200) {
      const receipt = (await response.json().catch(() => undefined)) as Receipt | undefined;
      if (receipt?.reference) {
        this.#attempt = undefined;
        this.#showReceipt(receipt);
        return;
      }
      // Stored, but the answer was cut short: the same key brings the same receipt back.
      this.#showProblem(
        'We could not read the answer from the service. Press Send again: your message will not be sent twice.',
      );
      return;
    }
    const problem = (await response.json().catch(() => ({}))) as { errors?: FieldError[]; detail?: string };
    if (response.status === 400 || response.status === 422) {
      // Refused, so nothing was stored under this key: the corrected message is a new attempt.
      this.#attempt = undefined;
      const errors = problem.errors?.length
        ? problem.errors
        : [{ path: '', message: problem.detail ?? 'Your message could not be sent' }];
      this.#showErrors(errors);
      return;
    }
    if (response.status === 409) {
      this.#showProblem(
        'We are still sending your message. Wait a few seconds, then press Send again. Your message has not been lost.',
      );
    } else if (response.status === 429) {
      this.#showProblem(
        'We have had several messages from your connection in a short time. Wait a few minutes, then press Send again. Your message has not been lost.',
      );
    } else if (response.status === 503) {
      this.#showProblem(
        'The service is busy. Wait a minute, then press Send again. Your message has not been lost.',
      );
    } else {
      this.#showProblem(
        'Sorry, something went wrong on our side. Press Send again in a few minutes. Your message has not been lost.',
      );
    }
  }

  #setSending(sending: boolean) {
    this.#sending = sending;
    this.#button.setAttribute('aria-disabled', String(sending));
    this.#button.textContent = sending ? 'Sending…' : 'Send';
    this.#status.textContent = sending ? 'Sending your message' : '';
  }

  /** Clears every field's error state. */
  #clearErrors() {
    for (const group of this.querySelectorAll('.yswd-form-group--error')) {
      group.classList.remove('yswd-form-group--error');
    }
    for (const message of this.querySelectorAll<HTMLElement>('p.yswd-error-message')) {
      message.hidden = true;
      message.replaceChildren();
    }
    for (const control of this.querySelectorAll('[aria-invalid]')) {
      control.removeAttribute('aria-invalid');
      const describedBy = (control.getAttribute('aria-describedby') ?? '')
        .split(' ')
        .filter((id) => id && !id.endsWith('-error'));
      if (describedBy.length) control.setAttribute('aria-describedby', describedBy.join(' '));
      else control.removeAttribute('aria-describedby');
    }
  }

  /** The form field an API error path belongs to. */
  #fieldFor(path: string): string | undefined {
    const field = path === 'contact' ? 'email' : path.startsWith('contact.') ? path.slice(8) : path;
    return this.#field(field) ? field : undefined;
  }

  #wording(path: string, message: string) {
    if (CHOICE_MESSAGES[path]) return CHOICE_MESSAGES[path];
    if (message === 'Required' && REQUIRED_MESSAGES[path]) return REQUIRED_MESSAGES[path];
    return message;
  }

  #showErrors(errors: FieldError[]) {
    this.#clearErrors();
    const items: { text: string; target?: string }[] = [];
    for (const error of errors) {
      const text = this.#wording(error.path, error.message);
      const field = this.#fieldFor(error.path);
      if (!field) {
        items.push({ text });
        continue;
      }
      const control = this.#field(field);
      const message = this.#field(`${field}-error`);
      const group = control?.closest('.yswd-form-group[data-field]');
      const fieldsetGroup = control?.closest('fieldset')?.closest('.yswd-form-group');
      const errorGroup = ['kind', 'submitterRole', 'satisfaction'].includes(field) ? fieldsetGroup : group;
      errorGroup?.classList.add('yswd-form-group--error');
      if (message && !message.textContent) {
        message.replaceChildren(visuallyHidden('Error: '), text);
        message.hidden = false;
      }
      // Radios are described through their fieldset; other controls name their own message.
      const described = ['kind', 'submitterRole', 'satisfaction'].includes(field)
        ? control?.closest('fieldset')
        : control;
      if (described && message) {
        const ids = new Set((described.getAttribute('aria-describedby') ?? '').split(' ').filter(Boolean));
        ids.add(message.id);
        described.setAttribute('aria-describedby', [...ids].join(' '));
      }
      control?.setAttribute('aria-invalid', 'true');
      items.push({ text, target: this.#id(field) });
    }
    this.#renderSummary(items);
  }

  #showProblem(text: string) {
    this.#clearErrors();
    this.#renderSummary([{ text }]);
  }

  #renderSummary(items: { text: string; target?: string }[]) {
    this.#summary.replaceChildren(
      h(
        'div',
        { role: 'alert' },
        h('h2', { class: 'yswd-error-summary__title', id: this.#id('summary-title') }, 'There is a problem'),
        h(
          'ul',
          { class: 'yswd-error-summary__list' },
          ...items.map((item) =>
            h('li', {}, item.target ? h('a', { href: `#${item.target}` }, item.text) : item.text),
          ),
        ),
      ),
    );
    this.#summary.hidden = false;
    this.#summary.focus();
    this.#summary.scrollIntoView?.({ block: 'start' });
  }

  /** GOV.UK's error summary: a link moves focus to its field and shows the field's label too. */
  #followSummaryLink(event: MouseEvent) {
    const link = (event.target as HTMLElement).closest('a');
    const id = link?.getAttribute('href')?.slice(1);
    const target = id ? document.getElementById(id) : null;
    if (!target) return;
    event.preventDefault();
    const legendOrLabel =
      target.closest('fieldset')?.querySelector('legend') ?? this.querySelector(`label[for="${id}"]`);
    (legendOrLabel ?? target).scrollIntoView?.({ block: 'start' });
    target.focus({ preventScroll: true });
  }

  #showReceipt(receipt: Receipt) {
    const date = longDate(receipt.respondBy) ?? receipt.respondBy;
    const what = KIND_WORDS[receipt.kind] ?? 'message';
    const panel = h(
      'div',
      // Focused when shown, so a screen reader reads all of it: the thanks, the reference.
      { class: 'yswd-panel', tabindex: -1 },
      h('h2', { class: 'yswd-panel__title', id: this.#id('panel-title') }, `Thank you for your ${what}`),
      h(
        'div',
        { class: 'yswd-panel__body' },
        'Your reference is',
        h('br'),
        h('strong', { class: 'yswd-reference' }, receipt.reference),
      ),
    );
    const done = h(
      'div',
      { class: 'yswd-confirmation' },
      panel,
      h('p', { class: 'yswd-body yswd-reply-by' }, `We will reply by ${date}.`),
      h('p', { class: 'yswd-body' }, 'Please quote your reference if you contact us about this.'),
      h('button', { class: 'yswd-button yswd-button--secondary', type: 'button' }, 'Send something else'),
    );
    done.querySelector('button')?.addEventListener('click', () => {
      this.#render();
      if (!this.getAttribute('project')) void this.#loadProjects();
      this.querySelector<HTMLInputElement>('input[name="kind"]')?.focus();
    });
    this.replaceChildren(done);
    panel.focus();
    this.dispatchEvent(
      new CustomEvent('you-said-we-did:sent', {
        bubbles: true,
        detail: { reference: receipt.reference, respondBy: receipt.respondBy },
      }),
    );
  }
}

if (!customElements.get('you-said-we-did-form')) {
  customElements.define('you-said-we-did-form', YouSaidWeDidForm);
}
