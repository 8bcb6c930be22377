import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * What `npm start` keeps in `DATA_DIR` besides DynamoDB Local's files: the development keys that
 * sign list cursors and family links and key the subject lookup, and a note saying which process serves from this folder (so
 * `npm run token` can tell whether a running stack will accept what it signs).
 */
const CURSOR_KEY_FILE = 'cursor-signing-key';
const FAMILY_LINK_KEY_FILE = 'family-link-key';
const SUBJECT_LOOKUP_KEY_FILE = 'subject-lookup-key';
const RUNNING_FILE = 'npm-start.json';

/** The cursor key file, made (32 random bytes, mode 0600) if missing and tightened if too open. */
export const ensureCursorKeyFile = (dataDir: string) => ensureKeyFile(dataDir, CURSOR_KEY_FILE);

/** The family-link key file, likewise: links made by one `npm start` work after a restart. */
export const ensureFamilyLinkKeyFile = (dataDir: string) => ensureKeyFile(dataDir, FAMILY_LINK_KEY_FILE);

/** The subject lookup key file, likewise: families stay findable by their details after a restart. */
export const ensureSubjectLookupKeyFile = (dataDir: string) =>
  ensureKeyFile(dataDir, SUBJECT_LOOKUP_KEY_FILE);

function ensureKeyFile(dataDir: string, name: string): string {
  mkdirSync(dataDir, { recursive: true });
  const file = join(dataDir, name);
  if (!existsSync(file)) {
    writeFileSync(file, `${randomBytes(32).toString('base64url')}\n`, { mode: 0o600, flag: 'wx' });
  } else if ((statSync(file).mode & 0o077) !== 0) {
    chmodSync(file, 0o600);
  }
  return file;
}

/**
 * DynamoDB Local's own folder (`DATA_DIR/dynamodb`): its database file holds families' messages and
 * contact details, and Java writes it readable by everyone (0644), so the folder is this user's alone
 * (0700, tightened if found looser). DATA_DIR itself is left as it is: it may be a folder the user
 * shares with other things.
 */
export function ensurePrivateDatabaseDir(dir: string): string {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  if ((statSync(dir).mode & 0o077) !== 0) chmodSync(dir, 0o700);
  return dir;
}

/**
 * What a running `npm start` tells other commands about itself, in its DATA_DIR: `npm run token`
 * warns when no stack uses the folder's key, and `npm run sweep` uses this stack's DynamoDB Local
 * instead of starting a second one on the same data.
 */
export interface RunningStack {
  pid: number;
  port: number;
  dynamoDbPort: number;
  tableName: string;
  startedAt: string;
}

export function recordRunningStack(dataDir: string, stack: RunningStack): void {
  writeFileSync(join(dataDir, RUNNING_FILE), `${JSON.stringify(stack)}\n`, { mode: 0o600 });
}

/** Removes the note, if it is still ours (a second `npm start` may have replaced it). */
export function forgetRunningStack(dataDir: string, pid: number): void {
  if (runningStack(dataDir)?.pid === pid) rmSync(join(dataDir, RUNNING_FILE), { force: true });
}

/** The stack serving from this folder, if its process is still alive. */
export function runningStack(dataDir: string): RunningStack | undefined {
  let stack: RunningStack;
  try {
    stack = JSON.parse(readFileSync(join(dataDir, RUNNING_FILE), 'utf8')) as RunningStack;
  } catch {
    return undefined;
  }
  if (!Number.isInteger(stack.pid) || stack.pid <= 0) return undefined;
  try {
    process.kill(stack.pid, 0);
    return stack;
  } catch (error) {
    // EPERM: alive, but another user's; anything else: gone.
    return (error as NodeJS.ErrnoException).code === 'EPERM' ? stack : undefined;
  }
}
