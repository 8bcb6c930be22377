import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { GetCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { makeHandler as acknowledgeHandler } from '../../functions/acknowledge-feedback/handler';
import { deadlineAfter } from '../../shared/domain/working-days';
import { createFeedbackRepository } from '../../shared/storage/feedback-repository';
import { TEST_NOW, testClock } from '../support/clock';
import { createTestTable, type TestTable } from '../support/dynamo';
import { invoke, officerClaims } from '../support/events';

let table: TestTable;
beforeAll(async () => {
  table = await createTestTable();
});
afterAll(async () => table.drop());

const acknowledgeBy = deadlineAfter(TEST_NOW, 5);
const respondBy = deadlineAfter(TEST_NOW, 15);
const stored = {
  id: 'FFFF2345',
  reference: 'FFFF-2345',
  kind: 'complaint',
  projectId: 'general',
  status: 'received',
  message: 'x',
  submitterRole: 'parent_or_carer',
  channel: 'web',
  consentToContact: false,
  receivedAt: TEST_NOW.toISOString(),
  timeframe: { acknowledgeWorkingDays: 5, respondWorkingDays: 15 },
  acknowledgeBy: acknowledgeBy.date,
  acknowledgeDueAt: acknowledgeBy.dueAt,
  respondBy: respondBy.date,
  respondDueAt: respondBy.dueAt,
  version: 1,
};

const acknowledge = () =>
  invoke(acknowledgeHandler({ feedback: createFeedbackRepository(table.db, table.name), now: testClock() }), {
    method: 'POST',
    path: '/officer/feedback/FFFF2345/acknowledge',
    pathParameters: { id: 'FFFF2345' },
    headers: { 'if-match': '"1"' },
    claims: officerClaims('officer'),
  });

describe('officer writes when DynamoDB cancels the transaction', () => {
  afterEach(() => {
    mockClient(table.db).restore();
  });

  it('answers a transaction conflict (another officer writing at that moment) with 412, not 500', async () => {
    const mock = mockClient(table.db);
    mock.on(GetCommand).resolves({ Item: { PK: 'FEEDBACK#FFFF2345', SK: 'META', ...stored } });
    mock.on(TransactWriteCommand).rejects(
      new TransactionCanceledException({
        message: 'Transaction cancelled',
        $metadata: {},
        CancellationReasons: [{ Code: 'TransactionConflict' }, { Code: 'None' }],
      }),
    );
    const response = await acknowledge();
    expect(response.status).toBe(412);
  });

  it('answers throttling with 503 and Retry-After', async () => {
    const mock = mockClient(table.db);
    mock.on(GetCommand).resolves({ Item: { PK: 'FEEDBACK#FFFF2345', SK: 'META', ...stored } });
    mock
      .on(TransactWriteCommand)
      .rejects(Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' }));
    const response = await acknowledge();
    expect(response.status).toBe(503);
    expect(response.headers['retry-after']).toBe('2');
  });
});
