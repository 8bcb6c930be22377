import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
  chmodSync,
  closeSync,
  ftruncateSync,
  linkSync,
  mkdirSync,
  openSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { join } from 'node:path';

/**
 * What `npm start` keeps in `DATA_DIR` besides DynamoDB Local's files: the development keys that
 * sign list cursors and family links and key the subject lookup, and the claim saying which
 * process serves from this folder
 * (so a second `npm start` is refused, `npm run token` can tell whether a running stack will
 * accept what it signs, and `npm run sweep` can use that stack's DynamoDB Local).
 */
const CURSOR_KEY_FILE = 'cursor-signing-key';
const FAMILY_LINK_KEY_FILE = 'family-link-key';
const SUBJECT_LOOKUP_KEY_FILE = 'subject-lookup-key';
const RUNNING_FILE = 'npm-start.json';

/**
 * Creates `file` with `content` (mode 0600) unless it exists, all or nothing: written under a
 * temporary name, then linked into place, so a crash mid-write never leaves an empty or half key
 * (which would fail every later start), and of two processes racing, one wins and both read it.
 */
export function createFileOnce(file: string, content: string): void {
  const temporary = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  writeFileSync(temporary, content, { mode: 0o600, flag: 'wx' });
  try {
    linkSync(temporary, file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  } finally {
    rmSync(temporary, { force: true });
  }
}

/** True when the file is missing, or empty (a crash while an older version wrote it in place). */
export function missingOrEmpty(file: string): boolean {
  try {
    return statSync(file).size === 0;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return true;
    throw error;
  }
}

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
  if (missingOrEmpty(file)) {
    rmSync(file, { force: true });
    createFileOnce(file, `${randomBytes(32).toString('base64url')}\n`);
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
  /** Which command holds the folder: `npm start`, or `npm run sweep` with a DynamoDB Local of its own. */
  command: 'npm start' | 'npm run sweep';
  pid: number;
  port: number;
  dynamoDbPort: number;
  tableName: string;
  startedAt: string;
  /** False while it starts (DynamoDB Local and the table not ready yet), true once it serves. */
  serving: boolean;
}

/**
 * How a folder is claimed: an exclusive flock(2) on `DATA_DIR/npm-start.json`, held through a
 * descriptor `npm start` opens and keeps until it ends. The kernel drops the lock when the process
 * ends, however it ends (Ctrl-C, SIGKILL of its process group, the OOM killer, a crash), and a
 * zombie or a reused process id holds nothing: so a note left behind by a killed stack never blocks
 * a restart, and a stack that really runs is always found. The note's content (ports, table) is
 * believed only while its lock is held.
 *
 * Node has no flock, so a helper takes it on the open file passed as its descriptor 3: flock(1)
 * (util-linux, like unshare), or perl's flock where flock(1) is missing (macOS ships perl). A flock
 * lock belongs to the open file, not to the helper, so it stays with this process's descriptor
 * after the helper exits. Node opens files close-on-exec, so Java and the other children never
 * inherit it.
 */
type LockResult = 'locked' | 'busy' | 'unsupported';
const CONFLICT = 75;

function lockOpenFile(fd: number, mode: 'exclusive' | 'shared', waitSeconds: number): LockResult {
  const options = { stdio: ['ignore', 'ignore', 'pipe', fd] as ('ignore' | 'pipe' | number)[] };
  const flock = spawnSync(
    'flock',
    [
      mode === 'shared' ? '--shared' : '--exclusive',
      ...(waitSeconds > 0 ? ['--timeout', String(waitSeconds)] : ['--nonblock']),
      '--conflict-exit-code',
      String(CONFLICT),
      '3',
    ],
    options,
  );
  const errorOf = (result: ReturnType<typeof spawnSync>) =>
    result.error ?? new Error(`${result.stderr}`.trim() || `exit ${result.status}`);
  if (!flock.error) {
    if (flock.status === 0) return 'locked';
    if (flock.status === CONFLICT) return 'busy';
    throw new Error(`flock could not lock ${RUNNING_FILE}: ${errorOf(flock).message}`);
  }
  if ((flock.error as NodeJS.ErrnoException).code !== 'ENOENT') throw flock.error;
  const tries = Math.max(1, waitSeconds * 10);
  const perl = spawnSync(
    'perl',
    [
      '-MFcntl=:flock',
      '-e',
      `open(my $f, "<&=3") or exit 2; for (1..${tries}) { exit 0 if flock($f, ${mode === 'shared' ? 'LOCK_SH' : 'LOCK_EX'} | LOCK_NB); select(undef, undef, undef, 0.1) if $_ < ${tries} } exit ${CONFLICT}`,
    ],
    options,
  );
  if (!perl.error) {
    if (perl.status === 0) return 'locked';
    if (perl.status === CONFLICT) return 'busy';
    throw new Error(`perl could not lock ${RUNNING_FILE}: ${errorOf(perl).message}`);
  }
  if ((perl.error as NodeJS.ErrnoException).code === 'ENOENT') return 'unsupported';
  throw perl.error;
}

function readNote(file: string): RunningStack | undefined {
  try {
    const stack = JSON.parse(readFileSync(file, 'utf8')) as RunningStack;
    return Number.isInteger(stack.pid) && stack.pid > 0 ? stack : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Where no lock helper exists, the note's process id is all there is to go on (a stack killed a
 * moment ago can still look alive this way: the reason for the lock everywhere else).
 */
function aliveByPid(note: RunningStack | undefined): RunningStack | undefined {
  if (!note || note.pid === process.pid) return undefined;
  try {
    process.kill(note.pid, 0);
    return note;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM' ? note : undefined;
  }
}

/** A second `npm start` on a folder already served: says which process, on which port. */
export class DataDirInUseError extends Error {
  constructor(
    readonly dataDir: string,
    readonly other: RunningStack | undefined,
  ) {
    super(
      other?.command === 'npm run sweep'
        ? `npm run sweep (process ${other.pid}) is using ${dataDir} with a DynamoDB Local of its own. Wait for it to finish, or set DATA_DIR to another folder.`
        : `Another npm start (${other ? `process ${other.pid}, API on port ${other.port}` : 'still starting'}) already uses ${dataDir}. Stop it, or set DATA_DIR to another folder.`,
    );
    this.name = 'DataDirInUseError';
  }
}

export interface DataDirClaim {
  /** False where neither flock(1) nor perl exists: a second start cannot be detected there. */
  locked: boolean;
  /** Writes what this stack is (ports, table, whether it serves yet) for other commands to read. */
  record(stack: RunningStack): void;
}

/**
 * Claims the folder for this process until it ends (see above), or throws DataDirInUseError.
 * Waits up to a second for the lock: a stack killed a moment ago may not have finished dying, and
 * `npm run token` or `npm run sweep` may be holding a shared lock for the instant they look.
 */
export function claimDataDir(dataDir: string): DataDirClaim {
  mkdirSync(dataDir, { recursive: true });
  const file = join(dataDir, RUNNING_FILE);
  const fd = openSync(file, 'a+', 0o600);
  const result = lockOpenFile(fd, 'exclusive', 1);
  const other =
    result === 'busy' ? readNote(file) : result === 'unsupported' ? aliveByPid(readNote(file)) : undefined;
  if (result === 'busy' || other) {
    closeSync(fd);
    throw new DataDirInUseError(dataDir, other);
  }
  // Deliberately never closed: the descriptor is the claim, and the kernel closes it at exit.
  return {
    locked: result === 'locked',
    record(stack) {
      ftruncateSync(fd, 0);
      writeSync(fd, `${JSON.stringify(stack)}\n`);
    },
  };
}

/**
 * The stack serving from this folder, if one holds the folder's claim, whatever state its note is
 * in. Takes a shared lock for an instant: granted means nobody holds the exclusive one.
 */
export function runningStack(dataDir: string): RunningStack | undefined {
  const file = join(dataDir, RUNNING_FILE);
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch {
    return undefined;
  }
  try {
    const result = lockOpenFile(fd, 'shared', 0);
    if (result === 'locked') return undefined;
    const note = readNote(file);
    return result === 'busy' ? note : aliveByPid(note);
  } finally {
    closeSync(fd);
  }
}
