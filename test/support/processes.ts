import { readdirSync, readFileSync } from 'node:fs';

/**
 * What /proc says about processes this run did not start itself (DynamoDB Local's Java, unshare and
 * the launcher, started by a process a test killed): no exit event reaches the tests for those, so
 * these look, and `waitUntilGone` looks again until they have ended or a generous bound has passed.
 */
export interface ProcessInfo {
  pid: number;
  comm: string;
  args: string[];
}

export function processes(): ProcessInfo[] {
  const found: ProcessInfo[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const comm = readFileSync(`/proc/${entry}/comm`, 'utf8').trim();
      const args = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0').filter(Boolean);
      // A zombie has an empty command line: it has ended, only its exit status is left to collect.
      if (args.length) found.push({ pid: Number(entry), comm, args });
    } catch {
      // The process ended while we looked.
    }
  }
  return found;
}

/** Processes whose command line contains `text` (a data folder, `-port 8123`), other than this one. */
export const processesMentioning = (text: string): ProcessInfo[] =>
  processes().filter((p) => p.pid !== process.pid && p.args.join(' ').includes(text));

/** The DynamoDB Local tree on a port: Java (`-port N`), and unshare and the launcher that run it. */
export function dynamoDbLocalTree(port: number): ProcessInfo[] {
  return processes().filter((p) => {
    const portAt = p.args.indexOf('-port');
    return portAt >= 0 && p.args[portAt + 1] === String(port);
  });
}

const alive = (pid: number) => {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Field 3, after the parenthesised name: Z is a zombie (ended, not yet collected by its parent).
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
};

/**
 * Resolves with the processes still alive once every one of `pids` has ended, or once `boundMs`
 * has passed (on the monotonic clock): the caller asserts the list is empty.
 */
export async function waitUntilGone(pids: number[], boundMs = 20_000): Promise<number[]> {
  const deadline = performance.now() + boundMs;
  for (;;) {
    const left = pids.filter(alive);
    if (left.length === 0 || performance.now() > deadline) return left;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
