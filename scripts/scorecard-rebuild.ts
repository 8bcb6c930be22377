/**
 * `npm run scorecard:rebuild [-- --write] [--settle-seconds 10] [--aws]`: the scorecard's counters
 * rebuilt from the table (shared/scorecard/rebuild.ts). A dry run by default: it prints every
 * counter whose live value differs from the rebuild. `--write` replaces those counters with the
 * rebuilt ones (after a settle time, refusing if the projector changed anything meanwhile).
 *
 * Locally it uses the DynamoDB Local of an `npm start` with the same DATA_DIR, or starts its own on
 * that data. With `--aws` it uses the table named by TABLE_NAME with the usual AWS credentials and
 * region (AWS_PROFILE, AWS_REGION): it reads with Query and BatchGetItem, never Scan.
 */
import '../infra/local/quiet-sdk-warning';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { runningStack } from '../infra/local/data-dir';
import {
  ensureTable,
  LocalStackError,
  localClient,
  type RunningDynamoDbLocal,
  startDynamoDbLocal,
} from '../infra/local/dynamodb-local';
import { localConfig } from '../infra/local/local-env';
import { describeRebuild, rebuildScorecard } from '../shared/scorecard/rebuild';
import { createScorecardRepository } from '../shared/storage/scorecard-repository';

const USAGE = 'Usage: npm run scorecard:rebuild -- [--write] [--settle-seconds 10] [--aws]';

function usage(message: string): never {
  console.error(`npm run scorecard:rebuild: ${message}\n${USAGE}`);
  process.exit(2);
}

async function answers(client: DynamoDBClient): Promise<boolean> {
  try {
    await client.send(new ListTablesCommand({}));
    return true;
  } catch {
    return false;
  }
}

async function main() {
  let values: { write?: boolean; 'settle-seconds'?: string; aws?: boolean };
  try {
    ({ values } = parseArgs({
      options: {
        write: { type: 'boolean' },
        'settle-seconds': { type: 'string' },
        aws: { type: 'boolean' },
      },
      allowPositionals: false,
    }));
  } catch (error) {
    usage((error as Error).message);
  }
  const settleText = values['settle-seconds'] ?? '10';
  const settleSeconds = /^\d{1,4}$/.test(settleText) ? Number(settleText) : Number.NaN;
  if (!Number.isFinite(settleSeconds)) usage(`--settle-seconds must be a whole number, got '${settleText}'`);

  let own: RunningDynamoDbLocal | undefined;
  let client: DynamoDBClient;
  let tableName: string;
  try {
    if (values.aws) {
      tableName = process.env.TABLE_NAME ?? usage('--aws needs TABLE_NAME (the deployed table’s name)');
      client = new DynamoDBClient({});
      console.log(`Using the table ${tableName} in AWS.`);
    } else {
      const config = localConfig();
      const running = runningStack(config.dataDir);
      tableName = running?.tableName ?? config.tableName;
      client = running ? localClient(running.dynamoDbPort) : localClient(config.dynamoDbPort);
      if (running && (await answers(client))) {
        console.log(`Using the DynamoDB Local of npm start (pid ${running.pid}).`);
      } else {
        client.destroy();
        own = await startDynamoDbLocal({
          port: config.dynamoDbPort,
          dataDir: join(config.dataDir, 'dynamodb'),
        });
        client = localClient(config.dynamoDbPort);
        await ensureTable(client, tableName);
        console.log(`npm start is not running with DATA_DIR ${config.dataDir}: started DynamoDB Local.`);
      }
    }
    const db = DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
    const write = values.write === true;
    const report = await rebuildScorecard(createScorecardRepository(db, tableName), {
      write,
      // With no projector running (our own DynamoDB Local), nothing can move in the meantime.
      settle: own ? undefined : () => new Promise((resolve) => setTimeout(resolve, settleSeconds * 1000)),
    });
    for (const line of describeRebuild(report, write)) console.log(line);
    if (report.refused) process.exitCode = 1;
    client.destroy();
  } catch (error) {
    console.error(`npm run scorecard:rebuild: ${error instanceof LocalStackError ? error.message : error}`);
    process.exitCode = 1;
  } finally {
    await own?.stop();
  }
}

void main();
