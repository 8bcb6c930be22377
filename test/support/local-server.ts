import type { AddressInfo } from 'node:net';
import { createLocalServer, type LocalServerOptions } from '../../infra/local/server';

/** The local server on a free loopback port, as `npm start` runs it (without DynamoDB Local). */
export async function startLocalServer(options: LocalServerOptions = {}) {
  const server = createLocalServer(options);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    async close() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
