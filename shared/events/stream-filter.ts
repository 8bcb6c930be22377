/**
 * Which stream records reach the projector: Lambda's event filter patterns for the event source
 * (infra/constructs/domain-events.ts), and, with the matcher below, the same filter in `npm start`'s
 * stream reader. Only items a domain event can come from pass: feedback, events and updates'
 * META items, and alert records turning sent. Not the projector's own markers (DOMAINEVENT#), nor
 * what projections write, nor history entries, projects or alert claims: Lambda is not even invoked
 * for those, which is also what keeps the projector's writes from coming back to it.
 */
export const STREAM_FILTER_PATTERNS = [
  {
    dynamodb: {
      Keys: {
        PK: { S: [{ prefix: 'FEEDBACK#' }, { prefix: 'EVENT#' }, { prefix: 'UPDATE#' }] },
        SK: { S: ['META'] },
      },
    },
  },
  {
    dynamodb: {
      Keys: { PK: { S: [{ prefix: 'FEEDBACK#' }, { prefix: 'EVENT#' }] }, SK: { S: [{ prefix: 'ALERT#' }] } },
      NewImage: { alertState: { S: ['sent'] } },
    },
  },
] as const;

type Matcher = string | { prefix: string };
type Pattern = { readonly [key: string]: Pattern | readonly Matcher[] };

/**
 * Whether a record passes Lambda's filter, for the subset of its pattern syntax used above (exact
 * strings and prefixes, nested objects): a record passes when any pattern matches it.
 */
export function passesStreamFilter(record: unknown): boolean {
  return STREAM_FILTER_PATTERNS.some((pattern) => matches(pattern as unknown as Pattern, record));
}

function matches(pattern: Pattern, value: unknown): boolean {
  if (!value || typeof value !== 'object') return false;
  return Object.entries(pattern).every(([key, inner]) => {
    const field = (value as Record<string, unknown>)[key];
    if (!Array.isArray(inner)) return matches(inner as Pattern, field);
    return (
      typeof field === 'string' &&
      (inner as readonly Matcher[]).some((m) =>
        typeof m === 'string' ? field === m : field.startsWith(m.prefix),
      )
    );
  });
}
