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
import { runningStack } from './data-dir';
import {
  ensureTable,
  LocalStackError,
  localClient,
  type RunningDynamoDbLocal,
  startDynamoDbLocal,
} from './dynamodb-local';
import { localConfig } from './local-env';
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
  // The one place the real clock is read: when no --now is given, "now" means now.
  const now = values.now === undefined ? new Date() : new Date(values.now);
  if (Number.isNaN(now.getTime()) || (values.now !== undefined && !/^\d{4}-\d{2}-\d{2}T/.test(values.now))) {
    usage(`--now must be an ISO 8601 instant such as 2027-01-15T09:00:00Z, got '${values.now}'`);
  }

  const config = localConfig();
  const running = runningStack(config.dataDir);
  let own: RunningDynamoDbLocal | undefined;
  let port = running?.dynamoDbPort;
  const tableName = running?.tableName ?? config.tableName;
  try {
    if (port !== undefined && (await answers(port))) {
      console.log(`Using the DynamoDB Local of npm start (pid ${running?.pid}) on port ${port}.`);
    } else {
      port = config.dynamoDbPort;
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
    console.error(`npm run sweep: ${error instanceof LocalStackError ? error.message : error}`);
    process.exitCode = 1;
  } finally {
    await own?.stop();
  }
}

void main();
