import { createServer } from 'node:net';
import type { TestProject } from 'vitest/node';
import { type RunningDynamoDbLocal, startDynamoDbLocal } from '../../infra/local/dynamodb-local';

declare module 'vitest' {
  export interface ProvidedContext {
    dynamoDbEndpoint: string;
    /** The run's "now" (ISO): TEST_NOW, or the real time read once here. See test/support/clock.ts. */
    testNow: string;
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

/**
 * The instant the whole run takes as "now": TEST_NOW when set (any ISO instant, e.g.
 * 2027-12-24T23:30:00Z), else the real time, read once, here, so every test file shares it and a
 * failing run can be repeated at the same instant.
 */
function testNow(): Date {
  const raw = process.env.TEST_NOW;
  if (raw === undefined || raw === '') return new Date();
  const instant = new Date(raw);
  if (!/^\d{4}-\d{2}-\d{2}T/.test(raw) || Number.isNaN(instant.getTime())) {
    throw new Error(`TEST_NOW must be an ISO instant like 2027-12-24T23:30:00Z, got '${raw}'`);
  }
  return instant;
}

/** One in-memory DynamoDB Local for the whole run: the real engine, not a fake, started once. */
export async function setup(project: TestProject) {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
  const now = testNow();
  console.log(
    `test clock: ${now.toISOString()} (${process.env.TEST_NOW ? 'TEST_NOW' : 'the real time'}; repeat with TEST_NOW=${now.toISOString()})`,
  );
  project.provide('testNow', now.toISOString());
  dynamo = await startDynamoDbLocal({ port: await freePort() });
  project.provide('dynamoDbEndpoint', dynamo.endpoint);
}

export async function teardown() {
  await dynamo?.stop();
}
