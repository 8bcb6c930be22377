import { type ChildProcess, type SpawnOptions, spawn } from 'node:child_process';

/**
 * A process the end-to-end tests start (`npm start`, the local stack, `npm run sweep`), with its
 * output kept, so tests wait on what it says and when it ends: events, never a timer.
 */
export interface Spawned {
  child: ChildProcess;
  /** Everything written to stdout and stderr so far. */
  output: () => string;
  /** The exit code (null when a signal ended it). */
  exited: Promise<number | null>;
  /**
   * Resolves when no process holds its output pipes any more: the process and everything it
   * started with them (npm's child, the local stack and its DynamoDB Local bridge). For `npm start`
   * this is the moment the stack has finished stopping, not just the moment npm died.
   */
  outputClosed: Promise<void>;
}

export function spawnWithOutput(
  command: string,
  args: string[],
  options: Omit<SpawnOptions, 'stdio'> = {},
): Spawned {
  let output = '';
  const child = spawn(command, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'] });
  const closed = [child.stdout, child.stderr].map(
    (stream) =>
      new Promise<void>((resolve) => {
        stream?.on('data', (chunk) => {
          output += chunk;
        });
        stream?.once('close', () => resolve());
      }),
  );
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, output: () => output, exited, outputClosed: Promise.all(closed).then(() => undefined) };
}

/**
 * Resolves when the output shows `text`, driven by the process's own output; rejects if it exits
 * first. The timer is only a backstop against hanging forever, not an ordering of events.
 */
export function waitForOutput(spawned: Spawned, text: string, timeoutMs = 120_000): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const { child, output } = spawned;
    const check = () => {
      if (!output().includes(text)) return;
      done();
      resolve();
    };
    const exitedEarly = () => {
      done();
      reject(new Error(`the process exited before '${text}' appeared; output:\n${output()}`));
    };
    const timer = setTimeout(() => {
      done();
      reject(new Error(`'${text}' did not appear; output so far:\n${output()}`));
    }, timeoutMs);
    const done = () => {
      clearTimeout(timer);
      child.stdout?.off('data', check);
      child.stderr?.off('data', check);
      child.off('exit', exitedEarly);
    };
    child.stdout?.on('data', check);
    child.stderr?.on('data', check);
    child.once('exit', exitedEarly);
    check();
  });
}
