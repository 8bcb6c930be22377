/**
 * `npm start`: DynamoDB Local, the table, and the HTTP API on one port, running the same handler
 * modules as Lambda. Ctrl-C or SIGTERM stops DynamoDB Local too.
 */
import './quiet-sdk-warning';
import type { ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { loadOrCreateDevKeys } from './dev-auth';
import {
  ensureTable,
  LocalStackError,
  localClient,
  type RunningDynamoDbLocal,
  startDynamoDbLocal,
} from './dynamodb-local';
import { applyFunctionEnvironment, localConfig } from './local-env';
import { clearLocalStackState, localOfficerAppUrl, runLocalSweep, writeLocalStackState } from './local-sweep';
import { createLocalServer } from './server';

async function main() {
  const config = localConfig();
  let dynamo: RunningDynamoDbLocal | undefined;
  // Known from the moment Java is spawned, before it answers: a signal during start-up stops it too.
  let java: ChildProcess | undefined;
  let stopping = false;

  const shutdown = async (code: number) => {
    if (stopping) return;
    stopping = true;
    clearInterval(sweeper);
    clearLocalStackState(config.dataDir);
    server?.close();
    server?.closeAllConnections();
    if (dynamo) await dynamo.stop();
    else java?.kill('SIGTERM');
    process.exit(code);
  };
  process.on('SIGINT', () => void shutdown(0));
  process.on('SIGTERM', () => void shutdown(0));
  process.on('SIGHUP', () => void shutdown(0));
  // Last resort: whatever happens to this process, do not leave a Java process behind.
  process.on('exit', () => java?.kill('SIGKILL'));
  // If whatever started us (npm, a terminal) dies without passing a signal on, we are re-parented:
  // stop rather than linger with Java holding its port.
  const parent = process.ppid;
  setInterval(() => {
    if (process.ppid !== parent) void shutdown(0);
  }, 1_000).unref();

  let server: ReturnType<typeof createLocalServer> | undefined;
  let sweeper: NodeJS.Timeout | undefined;
  try {
    dynamo = await startDynamoDbLocal({
      port: config.dynamoDbPort,
      dataDir: join(config.dataDir, 'dynamodb'),
      onSpawn: (child) => {
        java = child;
      },
    });
    const client = localClient(config.dynamoDbPort);
    const table = await ensureTable(client, config.tableName);
    client.destroy();
    applyFunctionEnvironment({ tableName: config.tableName, dynamoDbEndpoint: dynamo.endpoint });

    const devKeys = await loadOrCreateDevKeys(config.dataDir);
    server = createLocalServer({
      allowedOrigins: config.allowedOrigins,
      devKeys,
      log: (line) => console.log(line),
    });
    await new Promise<void>((resolve, reject) => {
      server?.once('error', reject);
      // Loopback only by default: development tokens are easy to make. HOST=0.0.0.0 to share.
      server?.listen(config.port, config.host, resolve);
    });
    // `npm run sweep` finds this stack's DynamoDB Local through DATA_DIR/local-stack.json.
    writeLocalStackState(config.dataDir, {
      pid: process.pid,
      dynamoDbPort: config.dynamoDbPort,
      tableName: config.tableName,
    });
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
        // The local runtime's clock is the real one, like Lambda's.
        now: new Date(),
      })
        .catch((error) => console.error('overdue sweep failed:', error))
        .finally(() => {
          sweeping = false;
        });
    }, 60_000);
    sweeper.unref();
    console.log(
      [
        `DynamoDB Local on ${dynamo.endpoint}, table '${config.tableName}' (${table}), data in ${config.dataDir}`,
        `you-said-we-did API on http://localhost:${config.port}  (try: curl http://localhost:${config.port}/projects)`,
        'Officer routes need a token: npm run token -- --role officer   (or --role admin)',
        `Overdue alerts: swept every minute into ${config.dataDir}/outbox.jsonl (try: npm run sweep -- --now <ISO instant>)`,
        'Ctrl-C to stop.',
      ].join('\n'),
    );
  } catch (error) {
    if (error instanceof LocalStackError) console.error(`npm start: ${error.message}`);
    else if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') {
      console.error(`npm start: port ${config.port} is already in use. Stop what uses it, or set PORT.`);
    } else console.error('npm start failed:', error);
    await shutdown(1);
  }
}

void main();
