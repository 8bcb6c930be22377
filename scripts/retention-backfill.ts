/**
 * `npm run retention:backfill`: once, after deploying retention onto a table that already holds
 * feedback, or after rotating the subject lookup key (infra/retention-backfill.ts). In AWS, with
 * credentials that may Scan and write the table and read the key's secret:
 *   TABLE_NAME=<TableName output> SUBJECT_LOOKUP_KEY_SECRET_ARN=<the secret's ARN> AWS_REGION=eu-west-2 \
 *     npm run retention:backfill
 * Locally `npm start` does it by itself when it finds an older table.
 */
import '../infra/local/quiet-sdk-warning';
import { backfillRetention } from '../infra/retention-backfill';
import { subjectLookupKey } from '../shared/config/subject-lookup-key';
import { documentClient, tableName } from '../shared/storage/client';

async function main() {
  const table = tableName();
  const report = await backfillRetention(documentClient(), table, await subjectLookupKey());
  console.log(
    `Backfilled ${table}: read ${report.read} feedback item(s), updated ${report.updated}${
      report.changed ? `, ${report.changed} changed meanwhile (run again)` : ''
    }.`,
  );
}

main().catch((error: unknown) => {
  console.error(`npm run retention:backfill: ${error instanceof Error ? error.message : error}`);
  process.exitCode = 1;
});
