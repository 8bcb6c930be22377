import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { PROJECT_ID_PATTERN } from '../domain/project';
import { ITEM_ID_PATTERN, normaliseReference } from '../domain/reference';
import { ValidationError } from './parse';

/**
 * Path parameters are checked with plain patterns, not zod: routes that take no body then carry
 * no schema library at all, which keeps their cold start near a bare SDK client's.
 */
function pathParameter(value: string, pattern: RegExp, message: string): string {
  if (!pattern.test(value)) throw new ValidationError([{ path: 'id', message }]);
  return value;
}

/** The `{id}` of an item route. A feedback reference as a parent reads it (`k7qm-92pd`) is accepted too. */
export function itemIdOf(event: APIGatewayProxyEventV2): string {
  return pathParameter(
    normaliseReference(event.pathParameters?.id ?? ''),
    ITEM_ID_PATTERN,
    'Not an id this service gives out',
  );
}

export function projectIdOf(event: APIGatewayProxyEventV2): string {
  return pathParameter(
    event.pathParameters?.id ?? '',
    PROJECT_ID_PATTERN,
    'Use 1-63 lower-case letters, digits and hyphens, starting with a letter or digit',
  );
}
