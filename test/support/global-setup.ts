import { createServer } from 'node:net';
import type { TestProject } from 'vitest/node';
import { type RunningDynamoDbLocal, startDynamoDbLocal } from '../../infra/local/dynamodb-local';

declare module 'vitest' {
  export interface ProvidedContext {
    dynamoDbEndpoint: string;
  }
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

let dynamo: RunningDynamoDbLocal | undefined;

/** One in-memory DynamoDB Local for the whole run: the real engine, not a fake, started once. */
export async function setup(project: TestProject) {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
  dynamo = await startDynamoDbLocal({ port: await freePort() });
  project.provide('dynamoDbEndpoint', dynamo.endpoint);
}

export async function teardown() {
  await dynamo?.stop();
}
