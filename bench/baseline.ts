// The baseline for `npm run bench`: a bundle that only creates a DynamoDB document client, the
// least any of our functions could load. Our functions' cold starts are measured against it.
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

export const client = DynamoDBDocumentClient.from(new DynamoDBClient({}));
export const handler = async () => ({ statusCode: 200 });
