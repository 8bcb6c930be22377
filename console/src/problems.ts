/**
 * Problem details (RFC 9457) from the API, turned into what a GOV.UK form shows: the error summary
 * (every message, each linking to its field) and each field's own message. Pure, unit-tested.
 */
export interface FieldError {
  path: string;
  message: string;
}

export interface Problem {
  type?: string;
  title?: string;
  status?: number;
  detail?: string;
  errors?: FieldError[];
}

export interface FormErrors {
  /** In the order the API gave them; `field` is undefined for errors no field on the form owns. */
  summary: { field: string | undefined; message: string }[];
  /** The first message for each field, shown beside it. */
  byField: Map<string, string>;
}

/**
 * The form field an error path belongs to: the field of that exact name, else the nearest
 * enclosing one (`feedbackIds.2` → `feedbackIds`, `timeframes.complaint` → none unless a field
 * has that name), else none.
 */
export function fieldFor(path: string, fields: readonly string[]): string | undefined {
  const parts = path.split('.');
  for (let length = parts.length; length > 0; length--) {
    const candidate = parts.slice(0, length).join('.');
    if (fields.includes(candidate)) return candidate;
  }
  return undefined;
}

/** The messages a form shows for a problem; a problem without `errors` is one message for the form. */
export function formErrorsOf(problem: Problem, fields: readonly string[]): FormErrors {
  const errors = problem.errors?.length
    ? problem.errors
    : [{ path: '', message: problem.detail ?? problem.title ?? 'Something went wrong. Try again.' }];
  const summary = errors.map((error) => ({ field: fieldFor(error.path, fields), message: error.message }));
  const byField = new Map<string, string>();
  for (const { field, message } of summary) if (field && !byField.has(field)) byField.set(field, message);
  return { summary, byField };
}

/** The problem type's last segment: `/problems/personal-data` → `personal-data`. */
export const problemKind = (problem: Problem) => problem.type?.split('/').pop() ?? '';
