import { createServer, type Server, type Socket } from 'node:net';
import { DynamoDBDocumentClient, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { makeHandler as listFeedbackHandler } from '../../functions/list-feedback/handler';
import { makeHandler } from '../../functions/submit-feedback/handler';
import { FUNCTION_TIMEOUT_SECONDS } from '../../infra/function-defaults';
import { createDynamoClient, DYNAMODB_TIMEOUTS, MAX_SEQUENTIAL_CALLS } from '../../shared/storage/client';
import { createFeedbackRepository } from '../../shared/storage/feedback-repository';
import { createProjectRepository } from '../../shared/storage/project-repository';
import { intakeDeps, officerDeps } from '../support/deps';
import { createTestTable, type TestTable } from '../support/dynamo';
import { invoke, officerClaims } from '../support/events';
import { mockTableForWriteFaults, restoreTable } from '../support/faults';

/**
 * A failing dependency is a 503 with Retry-After, never a 500 and never an answer so late that
 * Lambda cuts the function off first.
 */

const complaint = {
  kind: 'complaint',
  message: 'Private words about my daughter',
  submitterRole: 'parent_or_carer',
};
const post = (headers: Record<string, string> = {}) => ({
  method: 'POST',
  path: '/feedback',
  body: complaint,
  headers,
});

let table: TestTable;
beforeAll(async () => {
  table = await createTestTable();
});
afterAll(async () => table.drop());

describe('DynamoDB faults, injected', () => {
  const db = () => mockTableForWriteFaults(table);
  afterEach(() => restoreTable(table));

  it.each([
    ['throttling', Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' })],
    [
      'exceeded throughput',
      Object.assign(new Error('Throughput'), { name: 'ProvisionedThroughputExceededException' }),
    ],
    ['a socket timeout', Object.assign(new Error('socket timed out'), { name: 'TimeoutError' })],
    ['a refused connection', Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' })],
    ['a reset connection', Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' })],
    [
      'a DynamoDB 500',
      Object.assign(new Error('Internal'), { name: 'InternalServerError', $fault: 'server' }),
    ],
  ])('answers %s on the write with 503, Retry-After and a problem', async (_name, fault) => {
    db().on(PutCommand).rejects(fault);
    const response = await invoke(
      makeHandler(intakeDeps(table)),
      post({ 'idempotency-key': crypto.randomUUID() }),
    );
    expect(response.status).toBe(503);
    expect(response.headers['retry-after']).toMatch(/^\d+$/);
    expect(response.headers['content-type']).toBe('application/problem+json');
    expect(response.body.type).toBe('/problems/temporarily-unavailable');
  });

  it('answers a timeout on the project read with 503 too', async () => {
    mockClient(table.db)
      .on(QueryCommand)
      .rejects(Object.assign(new Error('socket timed out'), { name: 'TimeoutError' }));
    const response = await invoke(makeHandler(intakeDeps(table)), post());
    expect(response.status).toBe(503);
    expect(response.headers['retry-after']).toBeDefined();
  });

  it('answers a timeout on an officer list with 503', async () => {
    mockClient(table.db)
      .on(QueryCommand)
      .rejects(Object.assign(new Error('connect ETIMEDOUT'), { code: 'ETIMEDOUT' }));
    const response = await invoke(listFeedbackHandler(officerDeps(table)), {
      method: 'GET',
      path: '/officer/feedback',
      claims: officerClaims('officer'),
    });
    expect(response.status).toBe(503);
    expect(response.headers['retry-after']).toBeDefined();
  });
});

describe('DynamoDB that accepts connections and never answers', () => {
  let stalled: Server;
  const sockets: Socket[] = [];
  let endpoint = '';
  beforeAll(async () => {
    stalled = createServer((socket) => {
      sockets.push(socket);
    });
    await new Promise<void>((resolve) => stalled.listen(0, '127.0.0.1', resolve));
    endpoint = `http://127.0.0.1:${(stalled.address() as { port: number }).port}`;
  });
  afterAll(async () => {
    for (const socket of sockets) socket.destroy();
    await new Promise((resolve) => stalled.close(resolve));
  });

  it('leaves room for every call a request makes before the function times out', () => {
    // Two calls one after the other (a project read, then the write), each cut off at its
    // deadline, and a second for everything else: still inside the function's timeout.
    expect(MAX_SEQUENTIAL_CALLS * DYNAMODB_TIMEOUTS.callDeadlineMs + 1_000).toBeLessThan(
      FUNCTION_TIMEOUT_SECONDS * 1_000,
    );
    expect(DYNAMODB_TIMEOUTS.maxAttempts).toBeGreaterThanOrEqual(2);
  });

  it('answers POST /feedback with 503 and Retry-After well before the function timeout', async () => {
    const client = createDynamoClient(endpoint);
    const db = DynamoDBDocumentClient.from(client);
    const handler = makeHandler({
      ...intakeDeps(table),
      feedback: createFeedbackRepository(db, table.name),
      projects: createProjectRepository(db, table.name, { cacheTtlMs: 0 }),
    });
    const started = performance.now();

    const response = await invoke(handler, post({ 'idempotency-key': crypto.randomUUID() }));

    const elapsed = performance.now() - started;
    client.destroy();
    expect(response.status).toBe(503);
    expect(response.headers['retry-after']).toBeDefined();
    expect(elapsed).toBeGreaterThanOrEqual(DYNAMODB_TIMEOUTS.callDeadlineMs - 50);
    expect(elapsed).toBeLessThan(MAX_SEQUENTIAL_CALLS * DYNAMODB_TIMEOUTS.callDeadlineMs + 1_000);
  });
});
