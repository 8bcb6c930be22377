import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  claimDataDir,
  DataDirInUseError,
  ensureCursorKeyFile,
  runningStack,
} from '../../infra/local/data-dir';
import { loadOrCreateDevKeys } from '../../infra/local/dev-auth';
import { spawnWithOutput, waitForOutput } from '../support/spawned';

/**
 * One stack per DATA_DIR, told by a lock the kernel keeps (infra/local/data-dir.ts): a real
 * process holds the claim, is killed with SIGKILL, and the folder is free the moment it is gone.
 */
const dirs: string[] = [];
const newDataDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'yswd-claim-'));
  dirs.push(dir);
  return dir;
};
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

const holdClaim = (dataDir: string, env: NodeJS.ProcessEnv = process.env) =>
  spawnWithOutput(process.execPath, ['--import', 'tsx', 'test/support/data-dir-holder.ts', dataDir, '4100'], {
    env,
  });

describe('the claim on a DATA_DIR', () => {
  it('ignores a note left behind by a killed stack, even when its process id belongs to a live process', () => {
    const dataDir = newDataDir();
    // What a stack killed with SIGKILL leaves: its note, naming a process id that is (again) alive.
    const stale = { command: 'npm start', pid: process.pid, port: 4000, dynamoDbPort: 4001 };
    writeFileSync(join(dataDir, 'npm-start.json'), JSON.stringify(stale));
    expect(runningStack(dataDir)).toBeUndefined();
    expect(() => claimDataDir(dataDir)).not.toThrow();
  });

  it('refuses a second claim while the holder lives, naming it, and is free once SIGKILL has ended it', {
    timeout: 60_000,
  }, async () => {
    const dataDir = newDataDir();
    const holder = holdClaim(dataDir);
    await waitForOutput(holder, 'claimed with a lock');

    const refused = (() => {
      try {
        claimDataDir(dataDir);
      } catch (error) {
        return error;
      }
    })();
    expect(refused).toBeInstanceOf(DataDirInUseError);
    expect((refused as Error).message).toBe(
      `Another npm start (process ${holder.child.pid}, API on port 4100) already uses ${dataDir}. Stop it, or set DATA_DIR to another folder.`,
    );
    expect(runningStack(dataDir)).toMatchObject({ pid: holder.child.pid, port: 4100, serving: true });

    holder.child.kill('SIGKILL');
    await holder.exited;
    expect(runningStack(dataDir)).toBeUndefined();
    expect(claimDataDir(dataDir).locked).toBe(true);
  });

  it('is the same lock where flock(1) is missing and perl takes it (macOS)', {
    timeout: 60_000,
  }, async () => {
    const dataDir = newDataDir();
    // A PATH on which there is perl but no flock.
    const bin = newDataDir();
    symlinkSync(
      execFileSync('sh', ['-c', 'command -v perl'], { encoding: 'utf8' }).trim(),
      join(bin, 'perl'),
    );
    const holder = holdClaim(dataDir, { ...process.env, PATH: bin });
    try {
      await waitForOutput(holder, 'claimed with a lock');
      // This process takes flock(1): it sees perl's lock.
      expect(() => claimDataDir(dataDir)).toThrow(DataDirInUseError);
      expect(runningStack(dataDir)?.pid).toBe(holder.child.pid);
    } finally {
      holder.child.kill('SIGKILL');
      await holder.exited;
    }
    expect(runningStack(dataDir)).toBeUndefined();
  });
});

describe('the keys npm start keeps in DATA_DIR', () => {
  it('replaces an empty cursor key or sign-in key (a crash while an older version wrote it) with a whole one', async () => {
    const dataDir = newDataDir();
    writeFileSync(join(dataDir, 'cursor-signing-key'), '');
    writeFileSync(join(dataDir, 'dev-jwt-key.json'), '');

    const keyFile = ensureCursorKeyFile(dataDir);
    expect(readFileSync(keyFile, 'utf8').trim()).toMatch(/^[\w-]{43}$/);
    expect(statSync(keyFile).mode & 0o777).toBe(0o600);
    await expect(loadOrCreateDevKeys(dataDir)).resolves.toHaveProperty('privateKey');
    expect(statSync(join(dataDir, 'dev-jwt-key.json')).mode & 0o777).toBe(0o600);
    // Kept from then on: a second start reads the same keys.
    const key = readFileSync(keyFile, 'utf8');
    ensureCursorKeyFile(dataDir);
    expect(readFileSync(keyFile, 'utf8')).toBe(key);
  });
});
