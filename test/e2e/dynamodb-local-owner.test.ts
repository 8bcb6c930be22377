import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { dynamoDbLocalTree, waitUntilGone } from '../support/processes';
import { spawnWithOutput, waitForOutput } from '../support/spawned';

/**
 * DynamoDB Local never outlives the process that started it, however that process dies: the test
 * run's (vitest killed with SIGKILL, or Ctrl-C twice) and npm start's alike, since both start it
 * through infra/local/dynamodb-local.ts. Here the owner is a small process of its own, killed with
 * SIGKILL, which runs no code of its own on the way out.
 */
async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

const startOwner = (port: number) =>
  spawnWithOutput(process.execPath, ['--import', 'tsx', 'test/support/dynamodb-owner.ts', String(port)]);

describe('DynamoDB Local started by a process that is then killed with SIGKILL', () => {
  it('ends, Java and its launcher with it, once it answered', { timeout: 120_000 }, async () => {
    const port = await freePort();
    const owner = startOwner(port);
    await waitForOutput(owner, 'ready');
    const tree = dynamoDbLocalTree(port);
    expect(tree.map((p) => p.comm)).toContain('java');

    owner.child.kill('SIGKILL');
    await owner.exited;
    // Not this process's children: no exit event reaches here, so /proc is watched, with a bound.
    expect(await waitUntilGone(tree.map((p) => p.pid))).toEqual([]);
    expect(dynamoDbLocalTree(port)).toEqual([]);
  });

  it('ends when the owner is killed during start-up, before DynamoDB Local answers', {
    timeout: 120_000,
  }, async () => {
    const port = await freePort();
    const owner = startOwner(port);
    await waitForOutput(owner, 'spawned');
    const launched = dynamoDbLocalTree(port);
    expect(launched.length).toBeGreaterThan(0);

    owner.child.kill('SIGKILL');
    await owner.exited;
    // Java may still be being started by the launcher as the owner dies; it must go all the same.
    expect(await waitUntilGone(launched.map((p) => p.pid))).toEqual([]);
    expect(dynamoDbLocalTree(port)).toEqual([]);
  });
});
