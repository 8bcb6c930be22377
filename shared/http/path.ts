import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { ItemId } from '../domain/officer-input';
import { normaliseReference } from '../domain/reference';
import { parseWith } from './parse';

/** The `{id}` of an item route. A feedback reference as a parent reads it (`k7qm-92pd`) is accepted too. */
export function itemIdOf(event: APIGatewayProxyEventV2): string {
  return parseWith(ItemId, normaliseReference(event.pathParameters?.id ?? ''));
}
