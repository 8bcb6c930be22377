import type { Actor } from '../auth/officer';
import type { SentAlert } from './overdue';

/** One accountable change: who, when, what (each changed field, before → after). Never edited. */
export interface HistoryEntry {
  version: number;
  at: string;
  actor: Actor;
  action: string;
  changes: Record<string, { from: unknown; to: unknown }>;
  /** Why, in the officer's words, where the change needs one (a procedure change, an extension). */
  reason?: string;
  /** Set on the entries the overdue sweep writes when it sends an alert (shared/domain/overdue.ts). */
  alert?: SentAlert;
}

/** The fields whose values differ between two versions of a record, as before → after. */
export function changesBetween<T extends object>(
  before: T,
  after: T,
  ignore: readonly string[] = [],
): HistoryEntry['changes'] {
  const changes: HistoryEntry['changes'] = {};
  const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
  for (const key of keys) {
    if (ignore.includes(key)) continue;
    const from = (before as Record<string, unknown>)[key];
    const to = (after as Record<string, unknown>)[key];
    if (canonical(from) !== canonical(to)) changes[key] = { from: from ?? null, to: to ?? null };
  }
  return changes;
}

/** JSON with object keys sorted: storage does not keep the order maps were written in. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, inner: unknown) =>
    inner && typeof inner === 'object' && !Array.isArray(inner)
      ? Object.fromEntries(Object.entries(inner).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : inner,
  );
}

/** Fields every versioned record carries that are bookkeeping, not content. */
export const BOOKKEEPING = ['version', 'updatedAt', 'updatedBy'] as const;
