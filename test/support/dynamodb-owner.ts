/**
 * A process that owns a DynamoDB Local, as the test run (global-setup) and `npm start` do, for the
 * tests that kill the owner: `node --import tsx test/support/dynamodb-owner.ts <port>`. Prints
 * `spawned` as soon as the launcher is started, `ready` once DynamoDB Local answers, then waits
 * to be killed.
 */
import { startDynamoDbLocal } from '../../infra/local/dynamodb-local';

const port = Number(process.argv[2]);
await startDynamoDbLocal({
  port,
  onSpawn: () => process.stdout.write('spawned\n'),
  onWarning: () => undefined,
});
process.stdout.write('ready\n');
setInterval(() => undefined, 1 << 30);
