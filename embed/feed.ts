/**
 * <you-said-we-did-feed api="https://…" project="short-breaks" status="done" limit="10">: the
 * published "You said, we did" updates from `GET /feed` (JSON Feed 1.1), in light DOM. It shows
 * only what the feed carries, which identifies no one: counts, never people.
 */
import { apiBase, BASE_CSS, ensureStyles, h, shortDate } from './common';
import { FEED_CSS } from './feed-styles';

const STATUS_LABELS: Record<string, string> = {
  done: 'Done',
  in_progress: 'In progress',
  planned: 'Planned',
  not_possible: 'Not possible',
};

/** How each count reads: [one, many]. */
const COUNT_WORDS: Record<string, [string, string]> = {
  parentsAndCarers: ['parent or carer', 'parents and carers'],
  parent_or_carer: ['parent or carer', 'parents and carers'],
  childrenAndYoungPeople: ['young person', 'young people'],
  child_or_young_person: ['young person', 'young people'],
  professionals: ['professional', 'professionals'],
  professional: ['professional', 'professionals'],
  other: ['other person', 'other people'],
  events: ['co-production event', 'co-production events'],
};

interface Extension {
  status?: string;
  reason?: string | null;
  expectedBy?: string | null;
  project?: { id?: string; title?: string };
  counts?: Record<string, unknown>;
  easyRead?: string | null;
  youSaid?: string;
  weDid?: string;
}

interface FeedItem {
  id: string;
  url?: string;
  title?: string;
  content_text?: string;
  date_published?: string;
  date_modified?: string;
  _you_said_we_did?: Extension;
}

interface JsonFeed {
  items?: FeedItem[];
  next_url?: string;
}

/** One count as words: numbers and the feed's own wording ("fewer than 5") alike; none for 0. */
function countPhrase(key: string, value: unknown): string | undefined {
  const [one, many] = COUNT_WORDS[key] ?? [key, key.replace(/([A-Z])/g, ' $1').toLowerCase()];
  if (typeof value === 'number') {
    if (value <= 0) return undefined;
    return `${value.toLocaleString('en-GB')} ${value === 1 ? one : many}`;
  }
  if (typeof value === 'string' && value.trim()) return `${value.trim()} ${many}`;
  if (value && typeof value === 'object') {
    const shown =
      (value as { display?: unknown; value?: unknown }).display ?? (value as { value?: unknown }).value;
    return countPhrase(key, shown);
  }
  return undefined;
}

/** The order counts are read in, whatever order the feed sends them: people first, then events. */
const COUNT_ORDER = Object.keys(COUNT_WORDS);

/**
 * "12 parents and carers, fewer than 5 young people, 1 co-production event", from flat counts (the
 * feed's shape) or counts nested under `voices`; zeros are left out.
 */
export function countsText(counts: Record<string, unknown> | undefined): string | undefined {
  if (!counts) return undefined;
  const entries: [string, unknown][] = [];
  for (const [key, value] of Object.entries(counts)) {
    if (key === 'voices' && value && typeof value === 'object') entries.push(...Object.entries(value));
    else if (key !== 'total' && key !== 'threshold') entries.push([key, value]);
  }
  const rank = (key: string) =>
    COUNT_ORDER.includes(key) ? COUNT_ORDER.indexOf(key) : COUNT_ORDER.length - 1;
  entries.sort(([a], [b]) => rank(a) - rank(b));
  const parts = entries
    .map(([key, value]) => countPhrase(key, value))
    .filter((part): part is string => Boolean(part));
  return parts.length ? parts.join(', ') : undefined;
}

/** "You said" and "We did", from the extension if it has them, else from `content_text`. */
function saidAndDid(item: FeedItem): { said?: string; did?: string } {
  const extension = item._you_said_we_did ?? {};
  if (extension.youSaid || extension.weDid) return { said: extension.youSaid, did: extension.weDid };
  // "You said: …\n\nWe did: …", and "\n\nWhy not: …" when not possible (the reason is shown apart).
  const match = /^\s*You said:\s*([\s\S]*?)\s*We did:\s*([\s\S]*?)\s*(?:Why not:[\s\S]*)?$/.exec(
    item.content_text ?? '',
  );
  return match ? { said: match[1], did: match[2] } : { said: item.content_text };
}

const scriptUrl = import.meta.url;

export class YouSaidWeDidFeed extends HTMLElement {
  #list!: HTMLOListElement;
  #more!: HTMLButtonElement;
  #status!: HTMLParagraphElement;
  #live!: HTMLDivElement;
  #next: string | undefined;
  #shown = 0;
  #rendered = false;

  connectedCallback() {
    if (this.#rendered) return;
    this.#rendered = true;
    ensureStyles(this, 'yswd-base-styles', BASE_CSS);
    ensureStyles(this, 'yswd-feed-styles', FEED_CSS);
    this.#render();
    void this.#load(this.#firstUrl(), false);
  }

  get #api() {
    return apiBase(this, scriptUrl);
  }

  get #level() {
    const level = Number(this.getAttribute('heading-level') ?? 3);
    return Number.isInteger(level) && level >= 2 && level <= 5 ? level : 3;
  }

  #query(): URLSearchParams {
    const query = new URLSearchParams();
    const project = this.getAttribute('project');
    const status = this.getAttribute('status');
    const limit = this.getAttribute('limit');
    if (project) query.set('projectId', project);
    if (status) query.set('status', status);
    if (limit && /^\d+$/.test(limit)) query.set('limit', limit);
    return query;
  }

  #firstUrl() {
    const query = this.#query().toString();
    return `${this.#api}/feed${query ? `?${query}` : ''}`;
  }

  #rssUrl() {
    const query = this.#query();
    query.delete('limit');
    const text = query.toString();
    return `${this.#api}/feed.xml${text ? `?${text}` : ''}`;
  }

  #render() {
    this.#status = h('p', { class: 'yswd-body yswd-feed__status' }, 'Loading updates…');
    this.#list = h('ol', { class: 'yswd-feed__list', role: 'list' });
    this.#more = h(
      'button',
      { class: 'yswd-button yswd-button--secondary', type: 'button', hidden: true },
      'Show more updates',
    );
    this.#more.addEventListener('click', () => {
      if (this.#next) void this.#load(this.#next, true);
    });
    this.#live = h('div', { class: 'yswd-visually-hidden', role: 'status', 'aria-live': 'polite' });
    this.replaceChildren(
      h(
        'div',
        { class: 'yswd-feed' },
        this.#status,
        this.#list,
        this.#more,
        this.#live,
        h(
          'p',
          { class: 'yswd-body yswd-feed__rss' },
          h('a', { href: this.#rssUrl(), type: 'application/rss+xml' }, 'Follow these updates by RSS'),
          ' (paste this link into a feed reader)',
        ),
      ),
    );
  }

  async #load(url: string, more: boolean) {
    this.setAttribute('aria-busy', 'true');
    this.#more.setAttribute('aria-disabled', 'true');
    try {
      const response = await fetch(url, { headers: { accept: 'application/feed+json, application/json' } });
      if (!response.ok) throw new Error(`feed answered ${response.status}`);
      const feed = (await response.json()) as JsonFeed;
      const items = feed.items ?? [];
      const nodes = items.map((item) => this.#item(item));
      this.#list.append(...nodes);
      this.#shown += items.length;
      this.#next = feed.next_url ? new URL(feed.next_url, `${this.#api}/`).href : undefined;
      this.#more.hidden = !this.#next;
      this.#status.hidden = this.#shown > 0;
      if (this.#shown === 0) this.#status.textContent = 'There are no updates to show yet.';
      if (more) {
        this.#live.textContent = `${items.length} more ${items.length === 1 ? 'update' : 'updates'} shown`;
        // Focus the first new update, so keyboard users carry on reading where the new ones start.
        nodes[0]?.querySelector<HTMLElement>('.yswd-update__title')?.focus();
      }
    } catch {
      const message = more
        ? 'We could not load more updates. Please try again later.'
        : 'We cannot show the updates at the moment. Please try again later, or follow them by RSS.';
      if (more) this.#live.textContent = message;
      else {
        this.#status.textContent = message;
        this.#status.classList.add('yswd-feed__error');
        this.#status.hidden = false;
      }
    } finally {
      this.removeAttribute('aria-busy');
      this.#more.removeAttribute('aria-disabled');
    }
  }

  #item(item: FeedItem): HTMLLIElement {
    const extension = item._you_said_we_did ?? {};
    const level = this.#level;
    const heading = (text: string, depth: number) =>
      h(`h${Math.min(depth, 6)}` as 'h3', { class: 'yswd-update__heading' }, text);
    const { said, did } = saidAndDid(item);
    const status = extension.status ?? '';
    const counts = countsText(extension.counts);
    const date = item.date_modified ?? item.date_published;
    const dateText = date ? shortDate(date) : undefined;
    const expected = extension.expectedBy ? shortDate(extension.expectedBy) : undefined;
    const title = h(
      `h${level}` as 'h3',
      { class: 'yswd-update__title', tabindex: -1 },
      item.title ?? 'Update',
    );
    return h(
      'li',
      { class: 'yswd-feed__item' },
      h(
        'article',
        { class: 'yswd-update', 'data-id': item.id },
        title,
        h(
          'p',
          { class: 'yswd-update__meta' },
          STATUS_LABELS[status]
            ? h('strong', { class: `yswd-tag yswd-tag--${status.replace(/_/g, '-')}` }, STATUS_LABELS[status])
            : null,
          extension.project?.title
            ? h('span', { class: 'yswd-update__project' }, extension.project.title)
            : null,
        ),
        said ? heading('You said', level + 1) : null,
        said ? h('p', { class: 'yswd-body' }, said) : null,
        did ? heading('We did', level + 1) : null,
        did ? h('p', { class: 'yswd-body' }, did) : null,
        extension.reason ? heading('Why we cannot do this', level + 1) : null,
        extension.reason ? h('p', { class: 'yswd-body' }, extension.reason) : null,
        expected && status !== 'done' && status !== 'not_possible'
          ? h('p', { class: 'yswd-body' }, `Expected by ${expected}`)
          : null,
        counts ? h('p', { class: 'yswd-body yswd-update__counts' }, `In response to ${counts}.`) : null,
        dateText && date
          ? h(
              'p',
              { class: 'yswd-hint yswd-update__date' },
              item.date_modified && item.date_modified !== item.date_published ? 'Updated ' : 'Published ',
              h('time', { datetime: date }, dateText),
            )
          : null,
        extension.easyRead
          ? h(
              'details',
              { class: 'yswd-details' },
              h('summary', { class: 'yswd-details__summary' }, h('span', {}, 'Easy read')),
              h('div', { class: 'yswd-details__text' }, extension.easyRead),
            )
          : null,
      ),
    );
  }
}

if (!customElements.get('you-said-we-did-feed')) {
  customElements.define('you-said-we-did-feed', YouSaidWeDidFeed);
}
