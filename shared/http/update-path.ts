import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { UPDATE_ID_PATTERN } from '../domain/update';
import { ValidationError } from './parse';

/** The `{id}` of an update route (update ids are 12 characters, unlike feedback references). */
export function updateIdOf(event: APIGatewayProxyEventV2): string {
  const id = (event.pathParameters?.id ?? '').toLowerCase();
  if (!UPDATE_ID_PATTERN.test(id)) {
    throw new ValidationError([{ path: 'id', message: 'Not an update id this service gives out' }]);
  }
  return id;
}
