/**
 * `npm run sweep -- --now 2027-01-15T09:00:00Z`: one overdue sweep as if at that instant, against
 * the local data. Uses the DynamoDB Local of an `npm start` running with the same DATA_DIR, or
 * starts its own on that data when none is. Alerts go to `<DATA_DIR>/outbox.jsonl`; it prints what
 * it sent. `--now` in the future is how to try reminders without waiting a week.
 */
import './quiet-sdk-warning';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { systemClock } from '../../shared/domain/clock';
import { claimDataDir, DataDirInUseError, runningStack } from './data-dir';
import {
  ensureTable,
  LocalStackError,
  localClient,
  type RunningDynamoDbLocal,
  startDynamoDbLocal,
} from './dynamodb-local';
import { applyLocalClock, localConfig } from './local-env';
import { localOfficerAppUrl, outboxPath, runLocalSweep } from './local-sweep';

function usage(message: string): never {
  console.error(`npm run sweep: ${message}\nUsage: npm run sweep -- [--now 2027-01-15T09:00:00Z]`);
  process.exit(2);
}

async function answers(port: number): Promise<boolean> {
  const client = localClient(port);
  try {
    await client.send(new ListTablesCommand({}));
    return true;
  } catch {
    return false;
  } finally {
    client.destroy();
  }
}

async function main() {
  let values: { now?: string | undefined };
  try {
    ({ values } = parseArgs({ options: { now: { type: 'string' } }, allowPositionals: false }));
  } catch (error) {
    usage((error as Error).message);
  }
  // Without --now, "now" is the local runtime's clock: the real one, or CLOCK_NOW's as for npm start.
  applyLocalClock();
  const now = values.now === undefined ? systemClock() : new Date(values.now);
  if (Number.isNaN(now.getTime()) || (values.now !== undefined && !/^\d{4}-\d{2}-\d{2}T/.test(values.now))) {
    usage(`--now must be an ISO 8601 instant such as 2027-01-15T09:00:00Z, got '${values.now}'`);
  }

  const config = localConfig();
  const running = runningStack(config.dataDir);
  let own: RunningDynamoDbLocal | undefined;
  let port = running?.dynamoDbPort;
  const tableName = running?.tableName ?? config.tableName;
  try {
    if (
      running &&
      !(running.command === 'npm start' && running.serving && port !== undefined && (await answers(port)))
    ) {
      // Its DynamoDB Local owns the data: a second one on the same files is never started.
      throw new LocalStackError(
        running.command === 'npm start'
          ? `npm start (process ${running.pid}) uses ${config.dataDir} but is not serving yet: run the sweep again once it says "Ctrl-C to stop".`
          : `another npm run sweep (process ${running.pid}) is using ${config.dataDir}: wait for it to finish.`,
      );
    }
    if (running && port !== undefined) {
      console.log(`Using the DynamoDB Local of npm start (pid ${running?.pid}) on port ${port}.`);
    } else {
      port = config.dynamoDbPort;
      // The folder is this sweep's until it ends: an npm start meanwhile is refused, not run on the same files.
      claimDataDir(config.dataDir).record({
        command: 'npm run sweep',
        pid: process.pid,
        port: config.port,
        dynamoDbPort: port,
        tableName,
        startedAt: systemClock().toISOString(),
        serving: false,
      });
      own = await startDynamoDbLocal({ port, dataDir: join(config.dataDir, 'dynamodb') });
      const client = localClient(port);
      await ensureTable(client, tableName);
      client.destroy();
      console.log(
        `npm start is not running with DATA_DIR ${config.dataDir}: started DynamoDB Local on port ${port}.`,
      );
    }
    const report = await runLocalSweep({
      dynamoDbPort: port,
      tableName,
      dataDir: config.dataDir,
      officerAppUrl: localOfficerAppUrl(config.port),
      now,
    });
    console.log(
      `Swept as of ${report.at}: read ${report.read} open item(s), sent ${report.sent.length} alert(s)${
        report.failed.length ? `, ${report.failed.length} failed` : ''
      } → ${outboxPath(config.dataDir)}`,
    );
  } catch (error) {
    console.error(
      `npm run sweep: ${error instanceof LocalStackError || error instanceof DataDirInUseError ? error.message : error}`,
    );
    process.exitCode = 1;
  } finally {
    await own?.stop();
  }
}

void main();
