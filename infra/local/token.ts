/**
 * `npm run token -- --role officer|admin|none [--name "Sam Officer"] [--expires-in=3600]`
 * Prints a development access token for the local API (signed with the key in DATA_DIR).
 */
import { parseArgs } from 'node:util';
import { runningStack } from './data-dir';
import { loadOrCreateDevKeys, signDevToken } from './dev-auth';
import { applyLocalClock, localConfig } from './local-env';

const usage =
  'usage: npm run token -- --role officer|admin|none [--name "Sam Officer"] [--expires-in=SECONDS]';

async function main() {
  const { values } = parseArgs({
    options: {
      role: { type: 'string', default: 'officer' },
      name: { type: 'string' },
      'expires-in': { type: 'string' },
    },
  });
  const role = values.role;
  if (role !== 'officer' && role !== 'admin' && role !== 'none')
    throw new Error(`unknown role '${role}'. ${usage}`);
  const expiresIn = values['expires-in'] === undefined ? undefined : Number(values['expires-in']);
  if (expiresIn !== undefined && !Number.isInteger(expiresIn))
    throw new Error(`--expires-in takes whole seconds. ${usage}`);
  // Signed in the local API's time: with CLOCK_NOW set for `npm start`, set it here too.
  applyLocalClock();
  const { dataDir } = localConfig();
  if (runningStack(dataDir)?.command !== 'npm start') {
    // The token is still printed (a stack may be started later), but a 401 should not puzzle anyone.
    console.error(
      `npm run token: warning: no running npm start uses ${dataDir}. This token is signed with that folder's key, so only a stack started with DATA_DIR=${dataDir} will accept it.`,
    );
  }
  const keys = await loadOrCreateDevKeys(dataDir);
  const token = await signDevToken(keys, {
    role,
    ...(values.name ? { name: values.name } : {}),
    ...(expiresIn === undefined ? {} : { expiresInSeconds: expiresIn }),
  });
  process.stdout.write(`${token}\n`);
}

main().catch((error: Error) => {
  console.error(`npm run token: ${error.message}`);
  process.exit(2);
});
