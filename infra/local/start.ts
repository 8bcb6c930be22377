/**
 * `npm start`: DynamoDB Local, the table, and the HTTP API on one port, running the same handler
 * modules as Lambda. Ctrl-C or SIGTERM stops DynamoDB Local too.
 */
import './quiet-sdk-warning';
import type { ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildEmbed } from '../../embed/build';
import { loadOrCreateDevKeys } from './dev-auth';
import {
  ensureTable,
  LocalStackError,
  localClient,
  type RunningDynamoDbLocal,
  startDynamoDbLocal,
} from './dynamodb-local';
import { applyFunctionEnvironment, localConfig } from './local-env';
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
    // The Local Offer components, built fresh on every start (esbuild, about 100 ms), never stale.
    const embed = buildEmbed(join(config.dataDir, 'embed'));
    server = createLocalServer({
      allowedOrigins: config.allowedOrigins,
      devKeys,
      site: { embed, samplePage: fileURLToPath(new URL('../../embed/sample/index.html', import.meta.url)) },
      log: (line) => console.log(line),
    });
    await new Promise<void>((resolve, reject) => {
      server?.once('error', reject);
      // Loopback only by default: development tokens are easy to make. HOST=0.0.0.0 to share.
      server?.listen(config.port, config.host, resolve);
    });
    console.log(
      [
        `DynamoDB Local on ${dynamo.endpoint}, table '${config.tableName}' (${table}), data in ${config.dataDir}`,
        `Sample Local Offer page (feedback form and "You said, we did" feed): http://localhost:${config.port}/`,
        `you-said-we-did API on http://localhost:${config.port}  (try: curl http://localhost:${config.port}/projects)`,
        'Officer routes need a token: npm run token -- --role officer   (or --role admin)',
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
