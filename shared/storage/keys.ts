import { createHash } from 'node:crypto';

/**
 * Key vocabulary of the one table. Access patterns first; no request or sweep uses Scan.
 *
 * | entity          | PK               | SK                 | GSI1 (open items by deadline)        |
 * | --------------- | ---------------- | ------------------ | ------------------------------------ |
 * | Feedback        | FEEDBACK#<id>    | META               | OPEN#<shard> / <dueAt>#FEEDBACK#<id> |
 * | Project         | PROJECTS         | PROJECT#<id>       |                                      |
 * | Idempotency     | IDEMPOTENCY      | <op>#<hash of key> |  (Powertools record, expires by TTL) |
 *
 * - feedback by id, or by the reference a parent reads out (the id is the reference without its
 *   hyphen, so one conditional PutItem keeps references unique): GetItem FEEDBACK#<id> / META
 * - every saved project: Query PROJECTS (a few dozen at most, so one small partition)
 * - open items past their deadline: Query GSI1 per shard with GSI1SK < now
 */
export const feedbackKey = (id: string) => ({ PK: `FEEDBACK#${id}`, SK: 'META' });

/** Powertools idempotency records; IAM lets public functions delete only in this partition. */
export const IDEMPOTENCY_PARTITION = 'IDEMPOTENCY';

export const PROJECTS_PARTITION = 'PROJECTS';
export const projectKey = (id: string) => ({ PK: PROJECTS_PARTITION, SK: `PROJECT#${id}` });

/** Spreads open items over a few partitions so no one partition takes every write. */
export const OPEN_SHARDS = 4;
export function openShardOf(id: string): number {
  return createHash('sha256').update(id).digest().readUInt8(0) % OPEN_SHARDS;
}
export const openByDeadlineKey = (id: string, type: string, dueAt: string) => ({
  GSI1PK: `OPEN#${openShardOf(id)}`,
  GSI1SK: `${dueAt}#${type}#${id}`,
});
