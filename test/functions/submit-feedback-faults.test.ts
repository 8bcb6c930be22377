import { PutCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { makeHandler } from '../../functions/submit-feedback/handler';
import { intakeDeps } from '../support/deps';
import { createTestTable, type TestTable } from '../support/dynamo';
import { invoke } from '../support/events';
import { mockTableForWriteFaults, restoreTable } from '../support/faults';

const complaint = {
  kind: 'complaint',
  message: 'Private words about my daughter',
  submitterRole: 'parent_or_carer',
  contact: { email: 'private.parent@example.com' },
  consentToContact: true,
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

/** Everything the function logs while `run` runs (Powertools writes JSON lines to stdout and stderr). */
async function captureLogs(run: () => Promise<void>): Promise<string> {
  const lines: string[] = [];
  const capture = (chunk: string | Uint8Array) => {
    lines.push(String(chunk));
    return true;
  };
  const spies = [
    vi.spyOn(process.stdout, 'write').mockImplementation(capture),
    vi.spyOn(process.stderr, 'write').mockImplementation(capture),
  ];
  try {
    await run();
  } finally {
    for (const spy of spies) spy.mockRestore();
  }
  return lines.join('');
}

describe('POST /feedback when DynamoDB misbehaves', () => {
  const db = () => mockTableForWriteFaults(table);
  afterEach(() => restoreTable(table));

  it('answers throttling with 503 and Retry-After, a problem the caller can act on', async () => {
    const mock = db();
    const throttled = Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' });
    // With contact details, intake's write is a transaction (the subject lookup entries with it).
    mock.on(PutCommand).rejects(throttled).on(TransactWriteCommand).rejects(throttled);

    const response = await invoke(makeHandler(intakeDeps(table)), post());

    expect(response.status).toBe(503);
    expect(response.headers['retry-after']).toBe('2');
    expect(response.body.type).toBe('/problems/temporarily-unavailable');
  });

  it('answers a timeout with 503', async () => {
    const timeout = Object.assign(new Error('socket timed out'), { name: 'TimeoutError' });
    db().on(PutCommand).rejects(timeout).on(TransactWriteCommand).rejects(timeout);
    const response = await invoke(makeHandler(intakeDeps(table)), post());
    expect(response.status).toBe(503);
  });

  it('answers an unexpected fault with a 500 that leaks nothing, and logs its correlation id without personal data', async () => {
    const fault = new Error('ValidationException: internal detail sk=abc');
    db().on(PutCommand).rejects(fault).on(TransactWriteCommand).rejects(fault);
    let response: Awaited<ReturnType<typeof invoke>> | undefined;

    const logs = await captureLogs(async () => {
      response = await invoke(makeHandler(intakeDeps(table)), post());
    });

    expect(response?.status).toBe(500);
    expect(response?.headers['content-type']).toBe('application/problem+json');
    expect(response?.body.correlationId).toBe(response?.correlationId);
    expect(response?.headers['x-correlation-id']).toBe(response?.correlationId);
    const body = JSON.stringify(response?.body);
    expect(body).not.toContain('internal detail');
    expect(body).not.toMatch(/at .*\.ts:\d+/);
    expect(logs).toContain(response?.correlationId);
    expect(logs).toContain('internal detail');
    expect(logs).not.toContain('Private words');
    expect(logs).not.toContain('private.parent@example.com');
  });
});
