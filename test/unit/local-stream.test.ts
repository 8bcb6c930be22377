import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { shardsInOrder } from '../../infra/local/local-stream';

describe("the local stream reader's shard order", () => {
  it('reads every shard once, each parent before its children, whatever order DescribeStream gives (property)', () => {
    // A lineage: shard i's parent is an earlier shard (or none, or one already trimmed away).
    const lineage = fc
      .array(fc.integer({ min: -2, max: 30 }), { minLength: 1, maxLength: 20 })
      .map((parents) =>
        parents.map((parent, i) => ({
          ShardId: `shard-${i}`,
          ...(parent === -2
            ? { ParentShardId: 'shard-trimmed' }
            : parent >= 0 && parent < i
              ? { ParentShardId: `shard-${parent}` }
              : {}),
        })),
      );
    fc.assert(
      fc.property(
        lineage,
        fc.infiniteStream(fc.double({ min: 0, max: 1, noNaN: true })),
        (shards, randoms) => {
          const given = [...shards].sort(() => (randoms.next().value as number) - 0.5);
          const ordered = shardsInOrder(given).map((shard) => shard.ShardId);
          expect([...ordered].sort()).toEqual(shards.map((shard) => shard.ShardId).sort());
          for (const shard of shards) {
            if (shard.ParentShardId && shards.some((s) => s.ShardId === shard.ParentShardId))
              expect(ordered.indexOf(shard.ParentShardId)).toBeLessThan(ordered.indexOf(shard.ShardId));
          }
        },
      ),
    );
  });
});
