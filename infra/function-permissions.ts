import type { ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { Effect, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { HandlerName } from '../shared/http/routes';
import { IDEMPOTENCY_PARTITION, PROJECTS_PARTITION } from '../shared/storage/keys';

/**
 * Least privilege, per function: the DynamoDB actions each one uses, on the items it uses them on
 * (dynamodb:LeadingKeys limits the partition keys a request may touch). Typed by HandlerName, so a
 * new function cannot be deployed without deciding its permissions here. No function may Scan,
 * and nothing public can delete anything but its own expired-or-failed idempotency record.
 */
type Grant = { actions: string[]; partitions: string[] };

export const FUNCTION_PERMISSIONS: Record<HandlerName, Grant[]> = {
  health: [],
  'route-not-found': [],
  'list-projects': [{ actions: ['dynamodb:Query'], partitions: [PROJECTS_PARTITION] }],
  'submit-feedback': [
    { actions: ['dynamodb:Query'], partitions: [PROJECTS_PARTITION] },
    { actions: ['dynamodb:PutItem'], partitions: ['FEEDBACK#*'] },
    // Powertools idempotency: claim, read, complete, and delete its record if the request failed.
    {
      actions: ['dynamodb:PutItem', 'dynamodb:GetItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem'],
      partitions: [IDEMPOTENCY_PARTITION],
    },
  ],
};

export function statementsFor(handler: HandlerName, table: ITableV2): PolicyStatement[] {
  return FUNCTION_PERMISSIONS[handler].map(
    (grant) =>
      new PolicyStatement({
        effect: Effect.ALLOW,
        actions: grant.actions,
        resources: [table.tableArn],
        conditions: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': grant.partitions } },
      }),
  );
}
