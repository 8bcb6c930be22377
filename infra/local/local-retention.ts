import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { RetentionPeriods } from '../../shared/retention/retention-periods';
import { type RetentionReport, runRetention } from '../../shared/retention/run-retention';
import { createAnonymisationStore } from '../../shared/storage/anonymisation-store';
import { localClient } from './dynamodb-local';

/**
 * The retention job on a laptop: the same domain code as the Lambda, on DynamoDB Local.
 * `npm start` runs it once a day (and once soon after it starts); `npm run retention` runs it
 * once, at any instant (`--now`).
 */
export async function runLocalRetention(options: {
  dynamoDbPort: number;
  tableName: string;
  periods: RetentionPeriods;
  now: Date;
  maxItems?: number;
}): Promise<RetentionReport> {
  const client = localClient(options.dynamoDbPort);
  const db = DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
  try {
    return await runRetention({
      store: createAnonymisationStore(db, options.tableName),
      periods: options.periods,
      now: () => options.now,
      ...(options.maxItems ? { maxItems: options.maxItems } : {}),
    });
  } finally {
    client.destroy();
  }
}

/** One line a person reads: what the run did, with the references of what it anonymised. */
export function describeRetention(report: RetentionReport): string {
  const done = report.anonymised.map((item) => `${item.id.slice(0, 4)}-${item.id.slice(4)} (${item.kind})`);
  return [
    `Retention as of ${report.at}: read ${report.read} closed item(s) old enough to check, anonymised ${report.anonymised.length}${
      done.length ? `: ${done.join(', ')}` : ''
    }`,
    ...(report.failed.length
      ? [`  ${report.failed.length} failed (run again): ${report.failed.map((f) => f.id).join(', ')}`]
      : []),
    ...(report.more ? ['  More are due: run again to continue.'] : []),
  ].join('\n');
}
