import { CharacterCount, ErrorSummary, NotificationBanner, Radios, ServiceNavigation } from 'govuk-frontend';
import { type Child, fragment, h, hidden } from './dom';
import type { FormErrors } from './problems';

/**
 * GOV.UK Frontend components as DOM, with the Design System's markup and classes, and their
 * JavaScript started on whatever is drawn. Every form field is a `govuk-form-group` carrying
 * `data-field` (the API's name for it), so an API error can be shown beside the field it names.
 */
export const fieldId = (name: string) => `f-${name.replace(/[^A-Za-z0-9-]/g, '-')}`;

export function heading(text: string, caption?: string): HTMLElement {
  return h(
    'h1',
    { class: 'govuk-heading-l app-wrap', id: 'page-heading', tabindex: '-1' },
    caption ? h('span', { class: 'govuk-caption-l' }, caption) : null,
    text,
  );
}

export const paragraph = (...children: Child[]) => h('p', { class: 'govuk-body' }, ...children);
export const link = (href: string, ...children: Child[]) =>
  h('a', { class: 'govuk-link', href }, ...children);

export function backLink(href: string, text = 'Back'): HTMLElement {
  return h('a', { href, class: 'govuk-back-link' }, text);
}

export type TagColour =
  | 'grey'
  | 'green'
  | 'turquoise'
  | 'blue'
  | 'light-blue'
  | 'purple'
  | 'pink'
  | 'red'
  | 'orange'
  | 'yellow';
export const tag = (text: string, colour?: TagColour) =>
  h('strong', { class: `govuk-tag${colour ? ` govuk-tag--${colour}` : ''}` }, text);

export function button(
  text: string,
  attributes: Record<string, string | boolean | ((event: Event) => void)> = {},
  secondary = false,
) {
  return h(
    'button',
    {
      type: 'submit',
      class: `govuk-button${secondary ? ' govuk-button--secondary' : ''}`,
      'data-module': 'govuk-button',
      ...attributes,
    },
    text,
  );
}

export const buttonGroup = (...children: Child[]) => h('div', { class: 'govuk-button-group' }, ...children);

export function summaryList(rows: [string, Child][], attributes: Record<string, string> = {}): HTMLElement {
  return h(
    'dl',
    { class: 'govuk-summary-list', ...attributes },
    rows.map(([key, value]) =>
      h(
        'div',
        { class: 'govuk-summary-list__row' },
        h('dt', { class: 'govuk-summary-list__key' }, key),
        h(
          'dd',
          { class: 'govuk-summary-list__value app-wrap' },
          value === '' || value === undefined || value === null ? 'Not given' : value,
        ),
      ),
    ),
  );
}

/** GOV.UK's summary card: a titled summary list, one per record of a kind (each complaint stage). */
export function summaryCard(
  title: Child,
  rows: [string, Child][],
  attributes: Record<string, string> = {},
): HTMLElement {
  return h(
    'section',
    { class: 'govuk-summary-card', ...attributes },
    h(
      'div',
      { class: 'govuk-summary-card__title-wrapper' },
      h('h3', { class: 'govuk-summary-card__title' }, title),
    ),
    h('div', { class: 'govuk-summary-card__content' }, summaryList(rows)),
  );
}

export function table(
  caption: string,
  headings: string[],
  rows: Child[][],
  captionClass = 'govuk-table__caption--m',
): HTMLElement {
  return h(
    'div',
    { class: 'app-table-scroll' },
    h(
      'table',
      { class: 'govuk-table' },
      h('caption', { class: `govuk-table__caption ${captionClass}` }, caption),
      h(
        'thead',
        { class: 'govuk-table__head' },
        h(
          'tr',
          { class: 'govuk-table__row' },
          headings.map((text) => h('th', { scope: 'col', class: 'govuk-table__header' }, text)),
        ),
      ),
      h(
        'tbody',
        { class: 'govuk-table__body' },
        rows.map((cells) =>
          h(
            'tr',
            { class: 'govuk-table__row' },
            cells.map((cell, index) =>
              index === 0
                ? h('th', { scope: 'row', class: 'govuk-table__header app-wrap' }, cell)
                : h('td', { class: 'govuk-table__cell app-wrap' }, cell),
            ),
          ),
        ),
      ),
    ),
  );
}

export function pagination(previous: string | undefined, next: string | undefined): HTMLElement | null {
  if (!previous && !next) return null;
  const arrow = (direction: 'prev' | 'next') =>
    h(
      'span',
      { class: `govuk-pagination__link-title` },
      direction === 'prev' ? 'Previous' : 'Next',
      hidden(' page'),
    );
  return h(
    'nav',
    { class: 'govuk-pagination govuk-pagination--block', 'aria-label': 'Pagination' },
    previous
      ? h(
          'div',
          { class: 'govuk-pagination__prev' },
          h('a', { class: 'govuk-link govuk-pagination__link', href: previous, rel: 'prev' }, arrow('prev')),
        )
      : null,
    next
      ? h(
          'div',
          { class: 'govuk-pagination__next' },
          h('a', { class: 'govuk-link govuk-pagination__link', href: next, rel: 'next' }, arrow('next')),
        )
      : null,
  );
}

export function notificationBanner(content: Child, kind: 'success' | 'important' = 'important'): HTMLElement {
  const id = `banner-${kind}-title`;
  return h(
    'div',
    {
      class: `govuk-notification-banner${kind === 'success' ? ' govuk-notification-banner--success' : ''}`,
      // Both kinds here report the outcome of what the officer just did: announced and focused.
      role: 'alert',
      'aria-labelledby': id,
      'data-module': 'govuk-notification-banner',
    },
    h(
      'div',
      { class: 'govuk-notification-banner__header' },
      h(
        'h2',
        { class: 'govuk-notification-banner__title', id },
        kind === 'success' ? 'Success' : 'Important',
      ),
    ),
    h('div', { class: 'govuk-notification-banner__content' }, content),
  );
}

export const warningText = (text: string) =>
  h(
    'div',
    { class: 'govuk-warning-text' },
    h('span', { class: 'govuk-warning-text__icon', 'aria-hidden': 'true' }, '!'),
    h('strong', { class: 'govuk-warning-text__text' }, hidden('Warning'), text),
  );

export const insetText = (...children: Child[]) =>
  h('div', { class: 'govuk-inset-text app-pre-wrap app-wrap' }, ...children);

interface FieldOptions {
  name: string;
  label: string;
  hint?: string;
  value?: string | undefined;
  /** Class of the label (or legend), e.g. govuk-label--m. */
  labelClass?: string;
  /**
   * The control's id, when two forms on one screen have a field of the same name (each stage
   * action has its `reason`); by default made from the name.
   */
  id?: string;
}

const idOf = (options: FieldOptions) => options.id ?? fieldId(options.name);

/** A field's group: `data-field` is the API's name for it, `data-field-id` its control's id. */
function group(options: FieldOptions, extraClass: string, ...children: Child[]): HTMLElement {
  return h(
    'div',
    { class: `govuk-form-group${extraClass}`, 'data-field': options.name, 'data-field-id': idOf(options) },
    ...children,
  );
}

const hintOf = (options: FieldOptions) =>
  options.hint ? h('div', { class: 'govuk-hint', id: `${idOf(options)}-hint` }, options.hint) : null;
const describedBy = (options: FieldOptions) => (options.hint ? `${idOf(options)}-hint` : undefined);

export function textInput(
  options: FieldOptions & {
    type?: string;
    width?: string;
    inputmode?: string;
    autocomplete?: string;
    spellcheck?: boolean;
  },
): HTMLElement {
  return group(
    options,
    '',
    h('label', { class: `govuk-label ${options.labelClass ?? ''}`, for: idOf(options) }, options.label),
    hintOf(options),
    h('input', {
      class: `govuk-input${options.width ? ` govuk-input--width-${options.width}` : ''}`,
      id: idOf(options),
      name: options.name,
      type: options.type ?? 'text',
      value: options.value ?? '',
      inputmode: options.inputmode,
      autocomplete: options.autocomplete ?? 'off',
      spellcheck: options.spellcheck === undefined ? undefined : String(options.spellcheck),
      'aria-describedby': describedBy(options),
      'data-control': true,
    }),
  );
}

/** A textarea; with `maxlength`, GOV.UK's character count (it counts as the API does for plain text). */
export function textarea(options: FieldOptions & { rows?: number; maxlength?: number }): HTMLElement {
  const id = idOf(options);
  const control = h(
    'textarea',
    {
      class: `govuk-textarea${options.maxlength ? ' govuk-js-character-count' : ''}`,
      id,
      name: options.name,
      rows: options.rows ?? 5,
      'aria-describedby':
        [describedBy(options), options.maxlength ? `${id}-info` : undefined].filter(Boolean).join(' ') ||
        undefined,
      'data-control': true,
    },
    options.value ?? '',
  );
  const label = h('label', { class: `govuk-label ${options.labelClass ?? ''}`, for: id }, options.label);
  if (!options.maxlength) return group(options, '', label, hintOf(options), control);
  const counted = group(
    options,
    ' govuk-character-count',
    label,
    hintOf(options),
    control,
    h(
      'div',
      { id: `${id}-info`, class: 'govuk-hint govuk-character-count__message' },
      `You can enter up to ${options.maxlength.toLocaleString('en-GB')} characters`,
    ),
  );
  counted.setAttribute('data-module', 'govuk-character-count');
  counted.setAttribute('data-maxlength', String(options.maxlength));
  return counted;
}

export function select(options: FieldOptions & { items: { value: string; text: string }[] }): HTMLElement {
  return group(
    options,
    '',
    h('label', { class: `govuk-label ${options.labelClass ?? ''}`, for: idOf(options) }, options.label),
    hintOf(options),
    h(
      'select',
      {
        class: 'govuk-select',
        id: idOf(options),
        name: options.name,
        'aria-describedby': describedBy(options),
        'data-control': true,
      },
      options.items.map((item) =>
        h('option', { value: item.value, selected: item.value === (options.value ?? '') }, item.text),
      ),
    ),
  );
}

type Choice = { value: string; text: string; hint?: string };

function choices(
  kind: 'radios' | 'checkboxes',
  options: FieldOptions & { items: Choice[]; values?: string[]; inline?: boolean; small?: boolean },
): HTMLElement {
  const chosen = options.values ?? (options.value === undefined ? [] : [options.value]);
  const items = options.items.map((item, index) => {
    const id = index === 0 ? idOf(options) : `${idOf(options)}-${index + 1}`;
    return h(
      'div',
      { class: `govuk-${kind}__item` },
      h('input', {
        class: `govuk-${kind}__input`,
        id,
        name: options.name,
        type: kind === 'radios' ? 'radio' : 'checkbox',
        value: item.value,
        checked: chosen.includes(item.value),
        'aria-describedby': item.hint ? `${id}-item-hint` : undefined,
      }),
      h('label', { class: `govuk-label govuk-${kind}__label`, for: id }, item.text),
      item.hint
        ? h('div', { id: `${id}-item-hint`, class: `govuk-hint govuk-${kind}__hint` }, item.hint)
        : null,
    );
  });
  return group(
    options,
    '',
    h(
      'fieldset',
      {
        class: 'govuk-fieldset',
        'aria-describedby': describedBy(options),
        'data-describe': true,
      },
      h(
        'legend',
        { class: `govuk-fieldset__legend ${options.labelClass ?? 'govuk-fieldset__legend--s'}` },
        options.label,
      ),
      hintOf(options),
      h(
        'div',
        {
          class: `govuk-${kind}${options.inline ? ` govuk-${kind}--inline` : ''}${options.small ? ` govuk-${kind}--small` : ''}`,
          'data-module': `govuk-${kind}`,
          'data-control': true,
        },
        items,
      ),
    ),
  );
}

export const radios = (options: FieldOptions & { items: Choice[]; inline?: boolean; small?: boolean }) =>
  choices('radios', options);
export const checkboxes = (options: FieldOptions & { items: Choice[]; values?: string[]; small?: boolean }) =>
  choices('checkboxes', options);

/** GOV.UK's date input: day, month and year, read together as YYYY-MM-DD (see dateValue). */
export function dateInput(options: FieldOptions): HTMLElement {
  const [year, month, day] = (options.value ?? '').split('-');
  const part = (suffix: 'day' | 'month' | 'year', label: string, value: string | undefined, width: string) =>
    h(
      'div',
      { class: 'govuk-date-input__item' },
      h(
        'div',
        { class: 'govuk-form-group' },
        h(
          'label',
          {
            class: 'govuk-label govuk-date-input__label',
            for: suffix === 'day' ? idOf(options) : `${idOf(options)}-${suffix}`,
          },
          label,
        ),
        h('input', {
          class: `govuk-input govuk-date-input__input govuk-input--width-${width}`,
          id: suffix === 'day' ? idOf(options) : `${idOf(options)}-${suffix}`,
          name: `${options.name}.${suffix}`,
          type: 'text',
          inputmode: 'numeric',
          value: value ? String(Number(value)) : '',
        }),
      ),
    );
  return group(
    options,
    '',
    h(
      'fieldset',
      {
        class: 'govuk-fieldset',
        role: 'group',
        'aria-describedby': describedBy(options),
        'data-describe': true,
      },
      h(
        'legend',
        { class: `govuk-fieldset__legend ${options.labelClass ?? 'govuk-fieldset__legend--s'}` },
        options.label,
      ),
      hintOf(options),
      h(
        'div',
        { class: 'govuk-date-input', id: `${idOf(options)}-date`, 'data-control': true },
        part('day', 'Day', day, '2'),
        part('month', 'Month', month, '2'),
        part('year', 'Year', year, '4'),
      ),
    ),
  );
}

/** A date input's value as YYYY-MM-DD; '' when all three are empty; as typed (for the API to refuse) otherwise. */
export function dateValue(form: FormData, name: string): string {
  const [day, month, year] = (['day', 'month', 'year'] as const).map((part) =>
    String(form.get(`${name}.${part}`) ?? '').trim(),
  );
  if (!day && !month && !year) return '';
  return `${(year ?? '').padStart(4, '0')}-${(month ?? '').padStart(2, '0')}-${(day ?? '').padStart(2, '0')}`;
}

/**
 * Shows an API problem on the page: GOV.UK's error summary at the top of the main content (it
 * takes focus; each link moves to its field), and each field's message beside it.
 */
export function showErrors(main: HTMLElement, form: HTMLFormElement, errors: FormErrors): void {
  clearErrors(main);
  const groupOf = (field: string) => form.querySelector<HTMLElement>(`[data-field="${CSS.escape(field)}"]`);
  const controlId = (field: string) => groupOf(field)?.dataset.fieldId ?? fieldId(field);
  const summary = h(
    'div',
    { class: 'govuk-error-summary', 'data-module': 'govuk-error-summary' },
    h(
      'div',
      { role: 'alert' },
      h('h2', { class: 'govuk-error-summary__title' }, 'There is a problem'),
      h(
        'div',
        { class: 'govuk-error-summary__body' },
        h(
          'ul',
          { class: 'govuk-list govuk-error-summary__list' },
          errors.summary.map(({ field, message }) =>
            h('li', {}, field ? h('a', { href: `#${controlId(field)}` }, message) : message),
          ),
        ),
      ),
    ),
  );
  main.prepend(summary);
  for (const [field, message] of errors.byField) {
    const formGroup = groupOf(field);
    if (!formGroup) continue;
    formGroup.classList.add('govuk-form-group--error');
    const errorId = `${controlId(field)}-error`;
    const error = h('p', { id: errorId, class: 'govuk-error-message' }, hidden('Error:'), ` ${message}`);
    error.setAttribute('data-inline-error', '');
    const control = formGroup.querySelector<HTMLElement>('[data-control]');
    control?.before(error);
    for (const input of control?.matches('input, textarea, select')
      ? [control]
      : (control?.querySelectorAll<HTMLElement>('.govuk-input') ?? [])) {
      input.classList.add(
        input instanceof HTMLTextAreaElement
          ? 'govuk-textarea--error'
          : input instanceof HTMLSelectElement
            ? 'govuk-select--error'
            : 'govuk-input--error',
      );
    }
    const described = formGroup.querySelector<HTMLElement>('[data-describe]') ?? control;
    described?.setAttribute(
      'aria-describedby',
      [described.getAttribute('aria-describedby'), errorId].filter(Boolean).join(' '),
    );
  }
  new ErrorSummary(summary);
  if (!document.title.startsWith('Error: ')) document.title = `Error: ${document.title}`;
}

export function clearErrors(main: HTMLElement): void {
  // The outcome of what was done before (a success, a conflict) is old news once the next is tried.
  for (const old of main.querySelectorAll('.govuk-error-summary, .govuk-notification-banner')) old.remove();
  for (const error of main.querySelectorAll('[data-inline-error]')) {
    const errorId = error.id;
    for (const described of main.querySelectorAll(`[aria-describedby~="${errorId}"]`)) {
      const rest = (described.getAttribute('aria-describedby') ?? '')
        .split(' ')
        .filter((id) => id !== errorId);
      if (rest.length) described.setAttribute('aria-describedby', rest.join(' '));
      else described.removeAttribute('aria-describedby');
    }
    error.remove();
  }
  for (const element of main.querySelectorAll('.govuk-form-group--error'))
    element.classList.remove('govuk-form-group--error');
  for (const element of main.querySelectorAll(
    '.govuk-input--error, .govuk-textarea--error, .govuk-select--error',
  )) {
    element.classList.remove('govuk-input--error', 'govuk-textarea--error', 'govuk-select--error');
  }
  document.title = document.title.replace(/^Error: /, '');
}

/** Starts GOV.UK Frontend's JavaScript on what was just drawn. */
export function startComponents(root: HTMLElement): void {
  const each = (module: string, start: (element: HTMLElement) => void) => {
    const selector = `[data-module="${module}"]`;
    if (root.matches(selector)) start(root);
    for (const element of root.querySelectorAll<HTMLElement>(selector)) start(element);
  };
  each('govuk-character-count', (element) => new CharacterCount(element));
  each('govuk-radios', (element) => new Radios(element));
  each('govuk-notification-banner', (element) => new NotificationBanner(element));
  each('govuk-service-navigation', (element) => new ServiceNavigation(element));
}

export { fragment };
