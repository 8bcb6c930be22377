import { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import type { DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '../../infra/local/dynamodb-local';
import { LocalStream, memoryCheckpoints } from '../../infra/local/local-stream';
import { passesStreamFilter } from '../../shared/events/stream-filter';
import type { TestTable } from './dynamo';

/**
 * A test table's real stream on the run's DynamoDB Local, read with the local stream reader's own
 * code (infra/local/local-stream.ts): each call returns the records written since the last, as
 * Lambda would deliver them (before its filter).
 */
export function streamOf(table: TestTable) {
  const streams = new DynamoDBStreamsClient({
    endpoint: process.env.DYNAMODB_ENDPOINT,
    region: LOCAL_REGION,
    credentials: LOCAL_CREDENTIALS,
  });
  const stream = new LocalStream({
    db: table.client,
    streams,
    tableName: table.name,
    checkpoints: memoryCheckpoints(),
    pageSize: 1000,
  });
  return {
    async newRecords(): Promise<DynamoDBRecord[]> {
      const records: DynamoDBRecord[] = [];
      await stream.pass(async (page) => {
        records.push(...page);
        return {};
      });
      return records;
    },
    destroy: () => streams.destroy(),
  };
}

/** The batch Lambda would invoke the projector with: the records its filter criteria let through. */
export const lambdaBatch = (records: readonly DynamoDBRecord[]): DynamoDBStreamEvent => ({
  Records: records.filter(passesStreamFilter),
});

/** The records from the one with this sequence number on: what Lambda redelivers after a partial failure. */
export function from(records: readonly DynamoDBRecord[], sequenceNumber: string): DynamoDBRecord[] {
  const index = records.findIndex((record) => record.dynamodb?.SequenceNumber === sequenceNumber);
  if (index === -1) throw new Error(`no record ${sequenceNumber} in the batch`);
  return records.slice(index);
}
