/**
 * A tiny DOM builder, as the Local Offer components use (embed/common.ts): text is always text,
 * never markup, so nothing the API returns (a family's message, an officer's reply) can become
 * HTML. Event handlers are passed as `on<event>` functions.
 */
export type Child = Node | string | number | false | null | undefined | Child[];
type Handler = (event: Event) => void;
export type Attributes = Record<string, string | number | boolean | undefined | null | Handler>;

export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attributes: Attributes = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === null || value === false) continue;
    if (typeof value === 'function') element.addEventListener(name.slice(2), value);
    else element.setAttribute(name, value === true ? '' : String(value));
  }
  append(element, children);
  return element;
}

export function append(parent: Node, children: Child[]): void {
  for (const child of children) {
    if (child === false || child === null || child === undefined) continue;
    if (Array.isArray(child)) append(parent, child);
    else parent.appendChild(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

/** A group of nodes without a wrapper. */
export function fragment(...children: Child[]): DocumentFragment {
  const result = document.createDocumentFragment();
  append(result, children);
  return result;
}

/** Text only screen readers hear. */
export const hidden = (text: string) => h('span', { class: 'govuk-visually-hidden' }, text);
