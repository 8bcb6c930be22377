import { join } from 'node:path';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { type SweepReport, sweepOverdue } from '../../shared/domain/sweep-overdue';
import { outboxAlertSender } from '../../shared/notify/outbox-sender';
import { createSweepStore } from '../../shared/storage/alert-repository';
import { createProjectRepository } from '../../shared/storage/project-repository';
import { localClient } from './dynamodb-local';

/**
 * The overdue sweep on a laptop: the same domain code as the Lambda, with the outbox
 * (`<DATA_DIR>/outbox.jsonl`) in place of SNS. `npm start` runs it every minute; `npm run sweep`
 * runs it once, at any instant (`--now`).
 */
export const outboxPath = (dataDir: string) => join(dataDir, 'outbox.jsonl');

/** Where alert links point locally: the officer console (`<url>/feedback/<id>`), unless OFFICER_APP_URL says otherwise. */
export const localOfficerAppUrl = (port: number) =>
  process.env.OFFICER_APP_URL || `http://localhost:${port}/console`;

export async function runLocalSweep(options: {
  dynamoDbPort: number;
  tableName: string;
  dataDir: string;
  officerAppUrl: string;
  now: Date;
  print?: (line: string) => void;
}): Promise<SweepReport> {
  const client = localClient(options.dynamoDbPort);
  const db = DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
  try {
    return await sweepOverdue({
      store: createSweepStore(db, options.tableName),
      projects: createProjectRepository(db, options.tableName, { cacheTtlMs: 0 }),
      sender: outboxAlertSender(outboxPath(options.dataDir), options.print),
      now: () => options.now,
      officerAppUrl: options.officerAppUrl,
    });
  } finally {
    client.destroy();
  }
}
