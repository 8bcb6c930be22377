import type * as z from 'zod/mini';
import { DomainError, type FieldError } from '../domain/errors';

/**
 * Turns zod's issues into one error per field (the first found: a form shows one message per
 * field), naming each unknown field by its own path.
 */
export function fieldErrorsOf(error: z.core.$ZodError): FieldError[] {
  const all = error.issues.flatMap((issue): FieldError[] => {
    const at = issue.path.map(String);
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({
        path: [...at, key].join('.'),
        message: 'This field is not recognised',
      }));
    }
    // zod does not carry the input on its issues unless asked, so a missing field is recognised
    // by the English message ("… received undefined"); other type errors keep their message.
    if (issue.code === 'invalid_type' && /received undefined$/.test(issue.message)) {
      return [{ path: at.join('.'), message: 'Required' }];
    }
    return [{ path: at.join('.'), message: issue.message }];
  });
  const seen = new Set<string>();
  return all.filter((fieldError) => !seen.has(fieldError.path) && seen.add(fieldError.path));
}

export class ValidationError extends DomainError {
  constructor(errors: FieldError[]) {
    const count = errors.length;
    super('invalid', `${count} ${count === 1 ? 'field needs' : 'fields need'} correcting.`, errors);
  }
}

/** Validates a parsed body against a schema; every failing field is reported at once. */
export function parseWith<S extends z.ZodMiniType>(schema: S, value: unknown): z.output<S> {
  const result = schema.safeParse(value);
  if (!result.success) throw new ValidationError(fieldErrorsOf(result.error));
  return result.data;
}
