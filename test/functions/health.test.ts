import { DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { handler, makeHandler } from '../../functions/health/handler';
import { createTestTable, type TestTable } from '../support/dynamo';
import { invoke } from '../support/events';
import { invokedViolations } from '../support/openapi-contract';

let table: TestTable;
beforeAll(async () => {
  table = await createTestTable();
});
afterAll(async () => table.drop());
afterEach(() => {
  process.env.TABLE_NAME = 'unset-use-a-test-table';
});

describe('GET /health', () => {
  it('answers 200 without touching the table', async () => {
    let reads = 0;
    const cheap = makeHandler({
      tableReachable: async () => {
        reads++;
      },
    });
    const response = await invoke(cheap, { path: '/health' });
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ status: 'ok' });
    expect(reads).toBe(0);
    // Anything but ready=true is the plain check too: never a 4xx or 5xx from a probe's query.
    expect((await invoke(cheap, { path: '/health', query: { ready: 'yes', x: '1' } })).status).toBe(200);
    expect(reads).toBe(0);
  });

  it('with ready=true, reads the table and answers 200 when it can', async () => {
    process.env.TABLE_NAME = table.name;
    const response = await invoke(handler, { path: '/health', query: { ready: 'true' } });
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ status: 'ready' });
    expect(invokedViolations({ path: '/health' }, response)).toEqual([]);
  });

  it('with ready=true, answers 503 problem+json with Retry-After when the table is missing', async () => {
    process.env.TABLE_NAME = `missing-${crypto.randomUUID()}`;
    const response = await invoke(handler, { path: '/health', query: { ready: 'true' } });
    expect(response.status).toBe(503);
    expect(response.headers['content-type']).toBe('application/problem+json');
    expect(Number(response.headers['retry-after'])).toBeGreaterThan(0);
    // As openapi.json describes it: a 503 is a documented answer of GET /health.
    expect(invokedViolations({ path: '/health' }, response)).toEqual([]);
  });

  it('with ready=true, answers 503 when DynamoDB cannot be reached', async () => {
    process.env.TABLE_NAME = table.name;
    const dynamo = mockClient(DynamoDBClient);
    dynamo
      .on(GetItemCommand)
      .rejects(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:8000'), { code: 'ECONNREFUSED' }));
    try {
      const response = await invoke(handler, { path: '/health', query: { ready: 'true' } });
      expect(response.status).toBe(503);
      expect(response.headers['retry-after']).toBeDefined();
      expect(dynamo.commandCalls(GetItemCommand)[0]?.args[0].input.Key).toEqual({
        PK: { S: 'HEALTH' },
        SK: { S: 'READY' },
      });
    } finally {
      dynamo.restore();
    }
  });
});
