import type { MiddlewareObj } from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2 } from 'aws-lambda';
import type { FieldError } from '../domain/errors';
import { ValidationError } from './parse';

/**
 * Field names no request of this API uses, refused wherever they appear in a JSON body, with a
 * message that names them: `__proto__` and `constructor` (with `prototype`, the names prototype
 * pollution goes through). middy's parser already refuses `__proto__`, and `constructor` holding a
 * `prototype`, but only as "not valid JSON", which sends a developer looking for a syntax error that
 * is not there; a plain `constructor` or `prototype` would get zod's "not recognised". One rule
 * for the three, at any depth, before any schema or code sees the body.
 */
export const FORBIDDEN_FIELD_NAMES: readonly string[] = ['__proto__', 'constructor', 'prototype'];
export const FORBIDDEN_FIELD_MESSAGE = 'This field name is not allowed';

/** Every forbidden key in a parsed JSON value, by its dotted path (array items by index). */
export function forbiddenFieldNames(value: unknown, path: string[] = []): FieldError[] {
  if (Array.isArray(value))
    return value.flatMap((item, index) => forbiddenFieldNames(item, [...path, String(index)]));
  if (!value || typeof value !== 'object') return [];
  // Own keys as JSON.parse made them: a `__proto__` key is an own property there, not the prototype.
  return Object.entries(value).flatMap(([key, item]) => [
    ...(FORBIDDEN_FIELD_NAMES.includes(key)
      ? [{ path: [...path, key].join('.'), message: FORBIDDEN_FIELD_MESSAGE }]
      : []),
    ...forbiddenFieldNames(item, [...path, key]),
  ]);
}

/**
 * The refusal for a body middy's parser turned down: when the text is valid JSON after all, the
 * parser refused a forbidden key, so every such key is named; otherwise undefined (it is malformed).
 */
export function forbiddenFieldsRefusal(event: APIGatewayProxyEventV2): ValidationError | undefined {
  if (typeof event.body !== 'string') return undefined;
  const text = event.isBase64Encoded ? Buffer.from(event.body, 'base64').toString('utf8') : event.body;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return undefined;
  }
  const errors = forbiddenFieldNames(parsed);
  return errors.length ? new ValidationError(errors) : undefined;
}

/** After parsing: the names middy's parser lets through (`prototype`, a plain `constructor`). */
export const forbiddenFieldNamesRefused: MiddlewareObj<APIGatewayProxyEventV2, APIGatewayProxyResultV2> = {
  before: (request) => {
    const errors = forbiddenFieldNames(request.event.body);
    if (errors.length) throw new ValidationError(errors);
  },
};
