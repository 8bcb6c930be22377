/**
 * What both Local Offer components share: a tiny DOM builder (text only, never innerHTML, so
 * nothing the API returns can become markup), the API address, dates as people read them, and
 * the default stylesheet. Each component bundles its own copy: a council may load only one.
 */

type Child = Node | string | false | null | undefined;
type Attributes = Record<string, string | number | boolean | undefined>;

/** An element with attributes (false/undefined ones left out) and text or element children. */
export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attributes: Attributes = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === false) continue;
    element.setAttribute(name, value === true ? '' : String(value));
  }
  for (const child of children) {
    if (child === false || child === null || child === undefined) continue;
    element.append(child);
  }
  return element;
}

/** Text only screen readers hear, e.g. "Error:" before a field's message. */
export const visuallyHidden = (text: string) => h('span', { class: 'yswd-visually-hidden' }, text);

/**
 * Where the API is: the `api` attribute, else the address the script came from. In AWS one
 * CloudFront address serves both, so a council's snippet needs no `api` at all.
 */
export function apiBase(element: HTMLElement, scriptUrl: string): string {
  const configured = element.getAttribute('api')?.trim();
  const base = configured || new URL(scriptUrl).origin;
  return base.replace(/\/+$/, '');
}

let instances = 0;
/** A prefix that keeps ids unique when a page has more than one component. */
export const nextIdPrefix = (name: string) => `yswd-${name}-${++instances}`;

const LONG_DATE = new Intl.DateTimeFormat('en-GB', {
  weekday: 'long',
  day: 'numeric',
  month: 'long',
  year: 'numeric',
  timeZone: 'Europe/London',
});
const DATE = new Intl.DateTimeFormat('en-GB', {
  day: 'numeric',
  month: 'long',
  year: 'numeric',
  timeZone: 'Europe/London',
});

/** A date-only value (`2026-12-16`) as the instant at noon UTC, the same calendar day in London. */
const asInstant = (value: string) =>
  new Date(/^\d{4}-\d{2}-\d{2}$/.test(value) ? `${value}T12:00:00Z` : value);

function joined(format: Intl.DateTimeFormat, value: string): string | undefined {
  const instant = asInstant(value);
  if (Number.isNaN(instant.getTime())) return undefined;
  // GOV.UK style has no commas ("Wednesday 16 December 2026"); some ICU versions add one.
  return format
    .formatToParts(instant)
    .filter((part) => part.type !== 'literal')
    .map((part) => part.value)
    .join(' ');
}

/** "Wednesday 16 December 2026", for a reply-by date. */
export const longDate = (value: string) => joined(LONG_DATE, value);
/** "16 December 2026". */
export const shortDate = (value: string) => joined(DATE, value);

/**
 * The default look: GOV.UK Design System patterns, in low-specificity `:where()` rules so a
 * council's own styles win, with colours, font and spacing as custom properties to theme.
 */
export const BASE_CSS = `
:where(you-said-we-did-form, you-said-we-did-feed, you-said-we-did-scorecard, yswd-scorecard) {
  --yswd-font: "GDS Transport", arial, sans-serif;
  --yswd-text: #0b0c0c;
  --yswd-secondary-text: #484949;
  --yswd-background: #ffffff;
  --yswd-link: #1d70b8;
  --yswd-link-visited: #54319f;
  --yswd-focus: #ffdd00;
  --yswd-focus-text: #0b0c0c;
  --yswd-error: #d4351c;
  --yswd-success: #00703c;
  --yswd-border: #b1b4b6;
  --yswd-input-border: #0b0c0c;
  --yswd-button: #00703c;
  --yswd-button-text: #ffffff;
  --yswd-button-shadow: #002d18;
  --yswd-space: 20px;
  display: block;
  font-family: var(--yswd-font);
  color: var(--yswd-text);
  font-size: 1.1875rem;
  line-height: 1.3;
  max-width: 40em;
}
:where(you-said-we-did-form, you-said-we-did-feed, you-said-we-did-scorecard, yswd-scorecard) *, :where(you-said-we-did-form, you-said-we-did-feed, you-said-we-did-scorecard, yswd-scorecard) *::before { box-sizing: border-box; }
:where(you-said-we-did-form, you-said-we-did-feed, you-said-we-did-scorecard, yswd-scorecard) [hidden] { display: none !important; }
:where(.yswd-visually-hidden) {
  position: absolute !important; width: 1px !important; height: 1px !important; margin: 0 !important;
  padding: 0 !important; overflow: hidden !important; clip: rect(0 0 0 0) !important;
  clip-path: inset(50%) !important; border: 0 !important; white-space: nowrap !important;
}
:where(you-said-we-did-form, you-said-we-did-feed, you-said-we-did-scorecard, yswd-scorecard) :where(a) { color: var(--yswd-link); text-decoration-thickness: max(1px, .0625rem); text-underline-offset: .1578em; }
:where(you-said-we-did-form, you-said-we-did-feed, you-said-we-did-scorecard, yswd-scorecard) :where(a:visited) { color: var(--yswd-link-visited); }
:where(you-said-we-did-form, you-said-we-did-feed, you-said-we-did-scorecard, yswd-scorecard) :where(a, button, input, select, textarea, summary, [tabindex]):focus-visible {
  outline: 3px solid var(--yswd-focus); outline-offset: 0; box-shadow: 0 0 0 7px var(--yswd-focus-text);
}
:where(you-said-we-did-form, you-said-we-did-feed, you-said-we-did-scorecard, yswd-scorecard) :where(a):focus-visible {
  background: var(--yswd-focus); color: var(--yswd-focus-text); box-shadow: 0 -2px var(--yswd-focus), 0 4px var(--yswd-focus-text); outline: 3px solid transparent; text-decoration: none;
}
:where(.yswd-button) {
  font: inherit; font-weight: 400; line-height: 1.2; display: inline-block; margin: 0 0 var(--yswd-space);
  padding: 8px 10px 7px; border: 2px solid transparent; border-radius: 0; color: var(--yswd-button-text);
  background: var(--yswd-button); box-shadow: 0 2px 0 var(--yswd-button-shadow); cursor: pointer; min-height: 44px;
}
:where(.yswd-button--secondary) { --yswd-button: #f3f2f1; --yswd-button-text: #0b0c0c; --yswd-button-shadow: #929191; }
:where(.yswd-button):focus-visible { background: var(--yswd-focus); color: var(--yswd-focus-text); box-shadow: inset 0 0 0 1px var(--yswd-focus), 0 2px 0 var(--yswd-focus-text); outline: 3px solid transparent; }
:where(.yswd-button[aria-disabled="true"]) { opacity: .5; cursor: progress; }
:where(.yswd-hint) { color: var(--yswd-secondary-text); margin: 0 0 15px; }
:where(.yswd-body) { margin: 0 0 var(--yswd-space); }
`;

/** Which stylesheets are on the page, shared by both components' bundles. */
const registry = globalThis as Record<symbol, Set<string> | undefined>;
const STYLES_KEY = Symbol.for('you-said-we-did.styles');
const added: Set<string> = registry[STYLES_KEY] ?? new Set<string>();
registry[STYLES_KEY] = added;

/**
 * Adds a stylesheet to the page once, unless the element opts out with `styles="none"`. A
 * constructed stylesheet where the browser has them: a Content-Security-Policy without
 * 'unsafe-inline' styles blocks a <style> element but not these.
 */
export function ensureStyles(element: HTMLElement, id: string, css: string) {
  if (element.getAttribute('styles') === 'none' || added.has(id)) return;
  added.add(id);
  try {
    const sheet = new CSSStyleSheet();
    sheet.replaceSync(css);
    document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet];
  } catch {
    document.head.append(h('style', { id }, css));
  }
}
