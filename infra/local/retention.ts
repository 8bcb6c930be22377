/**
 * `npm run retention -- --now 2033-01-15T02:30:00Z`: one run of the retention job as if at that
 * instant, against the local data. Uses the DynamoDB Local of an `npm start` running with the same
 * DATA_DIR, or starts its own on that data when none is. Retention periods from RETENTION_PERIODS
 * (the defaults otherwise). `--now` years ahead is how to see feedback anonymised without waiting.
 */
import './quiet-sdk-warning';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { systemClock } from '../../shared/domain/clock';
import {
  parseRetentionPeriods,
  RETENTION_PERIODS_ENV,
  RetentionSettingsError,
} from '../../shared/retention/retention-periods';
import { runningStack } from './data-dir';
import {
  ensureTable,
  LocalStackError,
  localClient,
  type RunningDynamoDbLocal,
  startDynamoDbLocal,
} from './dynamodb-local';
import { applyLocalClock, localConfig } from './local-env';
import { describeRetention, runLocalRetention } from './local-retention';

function usage(message: string): never {
  console.error(`npm run retention: ${message}\nUsage: npm run retention -- [--now 2033-01-15T02:30:00Z]`);
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
  applyLocalClock();
  const now = values.now === undefined ? systemClock() : new Date(values.now);
  if (Number.isNaN(now.getTime()) || (values.now !== undefined && !/^\d{4}-\d{2}-\d{2}T/.test(values.now))) {
    usage(`--now must be an ISO 8601 instant such as 2033-01-15T02:30:00Z, got '${values.now}'`);
  }
  let periods: ReturnType<typeof parseRetentionPeriods>;
  try {
    periods = parseRetentionPeriods(process.env[RETENTION_PERIODS_ENV]);
  } catch (error) {
    if (error instanceof RetentionSettingsError) usage(error.message);
    throw error;
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
    const report = await runLocalRetention({ dynamoDbPort: port, tableName, periods, now });
    console.log(describeRetention(report));
    if (report.failed.length) process.exitCode = 1;
  } catch (error) {
    console.error(`npm run retention: ${error instanceof LocalStackError ? error.message : error}`);
    process.exitCode = 1;
  } finally {
    await own?.stop();
  }
}

void main();
