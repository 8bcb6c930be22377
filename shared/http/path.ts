import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import type * as z from 'zod/mini';
import { ProjectId } from '../domain/feedback-submission';
import { ItemId } from '../domain/officer-input';
import { normaliseReference } from '../domain/reference';
import { fieldErrorsOf, ValidationError } from './parse';

/** A path parameter checked against its schema; errors name it (`id`), not the body. */
function pathParameter<S extends z.ZodMiniType>(
  event: APIGatewayProxyEventV2,
  name: string,
  schema: S,
  value?: string,
) {
  const result = schema.safeParse(value ?? event.pathParameters?.[name] ?? '');
  if (!result.success) {
    throw new ValidationError(fieldErrorsOf(result.error).map((error) => ({ ...error, path: name })));
  }
  return result.data as z.output<S>;
}

/** The `{id}` of an item route. A feedback reference as a parent reads it (`k7qm-92pd`) is accepted too. */
export function itemIdOf(event: APIGatewayProxyEventV2): string {
  return pathParameter(event, 'id', ItemId, normaliseReference(event.pathParameters?.id ?? ''));
}

export function projectIdOf(event: APIGatewayProxyEventV2): string {
  return pathParameter(event, 'id', ProjectId);
}
