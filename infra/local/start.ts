/**
 * `npm start`: DynamoDB Local, the table, and the HTTP API on one port, running the same handler
 * modules as Lambda, and the projector on the table's stream (domain events into
 * DATA_DIR/events.jsonl). Ctrl-C or SIGTERM stops DynamoDB Local too; so does this process's death
 * by any other means (SIGKILL, a crash): DynamoDB Local's launcher watches a pipe from this process.
 */
import './quiet-sdk-warning';
import type { ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { buildConsole } from '../../console/build';
import { buildEmbed } from '../../embed/build';
import { buildFamilyPages } from '../../family/build';
import { subjectLookupKey } from '../../shared/config/subject-lookup-key';
import { systemClock } from '../../shared/domain/clock';
import {
  parseRetentionPeriods,
  periodsByKind,
  RETENTION_PERIODS_ENV,
  type RetentionPeriods,
} from '../../shared/retention/retention-periods';
import { backfillRetention } from '../retention-backfill';
import {
  claimDataDir,
  type DataDirClaim,
  DataDirInUseError,
  ensureCursorKeyFile,
  ensureFamilyLinkKeyFile,
  ensureSubjectLookupKeyFile,
} from './data-dir';
import { loadOrCreateDevKeys } from './dev-auth';
import {
  ensureTable,
  LocalStackError,
  localClient,
  type RunningDynamoDbLocal,
  startDynamoDbLocal,
  stopLauncher,
} from './dynamodb-local';
import {
  applyFunctionEnvironment,
  applyLocalClock,
  applyLocalFamilyMessages,
  applyLocalFamilyPageUrl,
  applyLocalFeedUrls,
  localConfig,
} from './local-env';
import { describeRetention, runLocalRetention } from './local-retention';
import { createLocalSignIn, localConsoleConfig } from './local-sign-in';
import { localOfficerAppUrl, runLocalSweep } from './local-sweep';
import { createLocalServer } from './server';
import {
  eventsOutboxPath,
  familyOutboxPath,
  type RunningStreamReader,
  startStreamReader,
} from './stream-reader';

const noop = () => undefined;

async function main() {
  const config = localConfig();
  const clockStart = applyLocalClock();
  let dynamo: RunningDynamoDbLocal | undefined;
  // Known from the moment it is spawned, before DynamoDB Local answers: a stop during start-up
  // waits for it too, so nothing of this stack outlives this process's exit.
  let launcher: ChildProcess | undefined;
  let stopping = false;

  const shutdown = async (code: number) => {
    if (stopping) return;
    stopping = true;
    clearInterval(sweeper);
    clearTimeout(retentionTimer);
    server?.close();
    server?.closeAllConnections();
    // The pass in flight finishes first: its checkpoint and events file stay consistent.
    await streamReader?.stop();
    if (dynamo) await dynamo.stop();
    else if (launcher) await stopLauncher(launcher);
    // The folder's claim goes with this process (the kernel drops its lock): nothing to undo.
    process.exit(code);
  };
  process.on('SIGINT', () => void shutdown(0));
  process.on('SIGTERM', () => void shutdown(0));
  process.on('SIGHUP', () => void shutdown(0));
  // If whatever started us (npm, a terminal) dies without passing a signal on, we are re-parented:
  // stop rather than linger holding the API's port and the folder's claim.
  const parent = process.ppid;
  setInterval(() => {
    if (process.ppid !== parent) void shutdown(0);
  }, 1_000).unref();

  let server: ReturnType<typeof createLocalServer> | undefined;
  let sweeper: NodeJS.Timeout | undefined;
  let retentionTimer: NodeJS.Timeout | undefined;
  let streamReader: RunningStreamReader | undefined;
  try {
    // Checked before anything starts: a wrong setting must not anonymise on the wrong schedule.
    let retentionPeriods: RetentionPeriods;
    try {
      retentionPeriods = parseRetentionPeriods(process.env[RETENTION_PERIODS_ENV]);
    } catch (error) {
      throw new LocalStackError((error as Error).message);
    }
    // First of all, before anything touches the data: one stack per folder. Held until this
    // process ends, however it ends, so a stack killed a moment ago never blocks its restart.
    const claim: DataDirClaim = claimDataDir(config.dataDir);
    const stack = {
      command: 'npm start' as const,
      pid: process.pid,
      port: config.port,
      dynamoDbPort: config.dynamoDbPort,
      tableName: config.tableName,
      startedAt: systemClock().toISOString(),
    };
    claim.record({ ...stack, serving: false });
    if (!claim.locked)
      console.warn(
        `npm start: neither flock nor perl is installed, so a second npm start on ${config.dataDir} cannot be detected: start only one.`,
      );
    let javaSpawned: () => void = () => undefined;
    const spawned = new Promise<void>((resolve) => {
      javaSpawned = resolve;
    });
    const starting = startDynamoDbLocal({
      port: config.dynamoDbPort,
      dataDir: join(config.dataDir, 'dynamodb'),
      onSpawn: (child) => {
        launcher = child;
        javaSpawned();
      },
      onWarning: (message) => console.warn(message),
    });
    // Awaited below; a failure meanwhile must not count as unhandled.
    starting.catch(() => undefined);
    // The builds below hold the event loop: Java is spawned first, so it starts meanwhile.
    await Promise.race([spawned, starting.then(noop, noop)]);
    // While Java starts (a second or two), what does not need it: the functions' environment, the
    // sign-in keys, and the pages, built fresh on every start, never stale.
    applyFunctionEnvironment({
      tableName: config.tableName,
      dynamoDbEndpoint: `http://127.0.0.1:${config.dynamoDbPort}`,
      cursorKeyFile: ensureCursorKeyFile(config.dataDir),
      familyLinkKeyFile: ensureFamilyLinkKeyFile(config.dataDir),
      subjectLookupKeyFile: ensureSubjectLookupKeyFile(config.dataDir),
    });
    applyLocalFeedUrls(config.port);
    applyLocalFamilyPageUrl(config.port);
    applyLocalFamilyMessages(config.port);
    const devKeys = await loadOrCreateDevKeys(config.dataDir);
    // The Local Offer components (esbuild, about 100 ms).
    const embed = buildEmbed(join(config.dataDir, 'embed'));
    // The officer console (esbuild and GOV.UK Frontend's Sass, about a second).
    const officerConsole = buildConsole(join(config.dataDir, 'console'));
    const family = buildFamilyPages(join(config.dataDir, 'family'));

    dynamo = await starting;
    // Without its database the API can only answer 500s: say so and stop, rather than limp on.
    dynamo.process.once('exit', (code, signal) => {
      if (stopping) return;
      console.error(
        `npm start: DynamoDB Local stopped unexpectedly (${signal ?? `exit code ${code}`}), so the API cannot work. Stopping; run npm start again.`,
      );
      void shutdown(1);
    });
    const client = localClient(config.dynamoDbPort);
    const table = await ensureTable(client, config.tableName);
    if (table === 'updated') {
      // An older table: closed feedback into the retention index, contact details into the subject
      // lookup (infra/retention-backfill.ts), as an operator does once in AWS.
      const backfilled = await backfillRetention(
        DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } }),
        config.tableName,
        await subjectLookupKey(),
      );
      if (backfilled.updated) console.log(`Retention: ${backfilled.updated} stored item(s) backfilled`);
    }
    client.destroy();
    server = createLocalServer({
      allowedOrigins: config.allowedOrigins,
      devKeys,
      site: {
        embed,
        family,
        samplePage: fileURLToPath(new URL('../../embed/sample/index.html', import.meta.url)),
        console: { build: officerConsole, config: localConsoleConfig() },
      },
      signIn: createLocalSignIn(devKeys, { stylesheet: `/console/${officerConsole.stylesheet}` }),
      log: (line) => console.log(line),
    });
    await new Promise<void>((resolve, reject) => {
      server?.once('error', reject);
      // Loopback only by default: development tokens are easy to make. HOST=0.0.0.0 to share.
      server?.listen(config.port, config.host, resolve);
    });
    // Domain events from the table's stream, by the Lambda projector's own code. Started after the
    // server: a reader that fails logs and retries, it never keeps the API from serving.
    streamReader = await startStreamReader({
      dynamoDbPort: config.dynamoDbPort,
      tableName: config.tableName,
      dataDir: config.dataDir,
    });
    void streamReader
      .caughtUp()
      .then(() =>
        console.log("Domain events: the table's stream is read to its end; new ones follow as they happen"),
      );
    // `npm run token` and `npm run sweep` find this stack through its DATA_DIR.
    claim.record({ ...stack, serving: true });
    // The overdue sweep every minute, as EventBridge Scheduler runs it in AWS (every 15).
    let sweeping = false;
    sweeper = setInterval(() => {
      if (sweeping) return;
      sweeping = true;
      runLocalSweep({
        dynamoDbPort: config.dynamoDbPort,
        tableName: config.tableName,
        dataDir: config.dataDir,
        officerAppUrl: localOfficerAppUrl(config.port),
        // The local runtime's clock (the real one, or CLOCK_NOW's), like Lambda's.
        now: systemClock(),
      })
        .catch((error) => console.error('overdue sweep failed:', error))
        .finally(() => {
          sweeping = false;
        });
    }, 60_000);
    sweeper.unref();
    // The retention job soon after start, then daily, as EventBridge Scheduler runs it in AWS.
    const retain = () => {
      runLocalRetention({
        dynamoDbPort: config.dynamoDbPort,
        tableName: config.tableName,
        periods: retentionPeriods,
        now: systemClock(),
      })
        .then((report) => {
          if (report.anonymised.length || report.failed.length) console.log(describeRetention(report));
        })
        .catch((error) => console.error('retention job failed:', error))
        .finally(() => {
          if (stopping) return;
          retentionTimer = setTimeout(retain, 24 * 60 * 60_000);
          retentionTimer.unref();
        });
    };
    retentionTimer = setTimeout(retain, 60_000);
    retentionTimer.unref();
    console.log(
      [
        `DynamoDB Local on ${dynamo.endpoint}, table '${config.tableName}' (${table}), data in ${config.dataDir}`,
        dynamo.isolated
          ? '  (in a private network namespace: reachable from this machine only, through 127.0.0.1)'
          : '  (WARNING: reachable from the network, see above)',
        `Sample Local Offer page (feedback form, "You said, we did" feed, scorecard): http://localhost:${config.port}/`,
        `you-said-we-did API on http://localhost:${config.port}  (try: curl http://localhost:${config.port}/projects)`,
        `Officer console: http://localhost:${config.port}/console  (local development sign-in: choose a name and a role)`,
        'Officer routes need a token: npm run token -- --role officer   (or --role admin)',
        `Family page (a complaint answer's escalation link opens it): ${process.env.FAMILY_PAGE_URL}#<token>`,
        ...(clockStart
          ? [`Clock: CLOCK_NOW set, the API's time started at ${clockStart.toISOString()}`]
          : []),
        `Overdue alerts: swept every minute into ${config.dataDir}/outbox.jsonl (try: npm run sweep -- --now <ISO instant>)`,
        `Retention: closed feedback anonymised after ${Object.entries(periodsByKind(retentionPeriods))
          .map(([kind, period]) => `${kind} ${period}`)
          .join(', ')}, checked daily (try: npm run retention -- --now <ISO instant>)`,
        `Domain events: projected from the table's stream into ${eventsOutboxPath(config.dataDir)}, one JSON line each`,
        process.env.NOTIFY_API_KEY
          ? "Families' messages (tell me what happens): sent through GOV.UK Notify (NOTIFY_API_KEY is set)"
          : `Families' messages (tell me what happens): into ${familyOutboxPath(config.dataDir)}, as Notify would be sent them`,
        'Ctrl-C to stop.',
      ].join('\n'),
    );
  } catch (error) {
    if (error instanceof LocalStackError || error instanceof DataDirInUseError)
      console.error(`npm start: ${error.message}`);
    else if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') {
      console.error(`npm start: port ${config.port} is already in use. Stop what uses it, or set PORT.`);
    } else console.error('npm start failed:', error);
    await shutdown(1);
  }
}

void main();
