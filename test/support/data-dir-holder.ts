/**
 * Holds a DATA_DIR's claim as `npm start` does, without the rest of the stack, for the tests that
 * kill the holder: `node --import tsx test/support/data-dir-holder.ts <dataDir> <port>`. Prints
 * `claimed` once the folder is its own, then waits to be killed.
 */
import { claimDataDir } from '../../infra/local/data-dir';

const [dataDir = '', port = '0'] = process.argv.slice(2);
const claim = claimDataDir(dataDir);
claim.record({
  command: 'npm start',
  pid: process.pid,
  port: Number(port),
  dynamoDbPort: Number(port) + 1,
  tableName: 'holder',
  startedAt: new Date(0).toISOString(),
  serving: true,
});
process.stdout.write(`claimed ${claim.locked ? 'with a lock' : 'without a lock'}\n`);
setInterval(() => undefined, 1 << 30);
