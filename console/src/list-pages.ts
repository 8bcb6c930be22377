/**
 * The cursors of the list pages seen so far, per list and set of filters, in memory: "Previous"
 * goes back to a page the officer has seen without the API having to page backwards, and a
 * cursor never appears in an address. After a reload only page 1 is known again.
 */
const seen = new Map<string, (string | undefined)[]>();

/** The cursor that reads `page` (1-based) of this list; undefined for page 1; null when unknown. */
export function cursorOf(list: string, page: number): string | undefined | null {
  if (page <= 1) return undefined;
  return seen.get(list)?.[page - 1] ?? null;
}

/** Records that the page after `page` is read with `next`. */
export function rememberNext(list: string, page: number, next: string | undefined): void {
  const cursors = seen.get(list) ?? [undefined];
  cursors.length = page;
  if (next) cursors[page] = next;
  seen.set(list, cursors);
}

/** The list's identity: its name and filters, without the page number. */
export function listKey(name: string, query: URLSearchParams): string {
  const filters = new URLSearchParams(query);
  filters.delete('page');
  filters.sort();
  return `${name}?${filters.toString()}`;
}

export function pageOf(query: URLSearchParams): number {
  const page = Number(query.get('page') ?? '1');
  return Number.isInteger(page) && page >= 1 && page <= 10_000 ? page : 1;
}
