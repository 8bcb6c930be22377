/**
 * Errors the domain raises on purpose. Each carries a `kind`; the HTTP layer maps kinds to status
 * codes in one place (shared/http/problem.ts), so no handler needs a try/catch.
 */
export type DomainErrorKind =
  | 'invalid'
  | 'unprocessable'
  | 'not_found'
  | 'conflict'
  | 'precondition_failed'
  | 'precondition_required'
  | 'unavailable'
  | 'calendar_unavailable';

export interface FieldError {
  /** Dotted path of the field, e.g. `contact.email`; empty for the body as a whole. */
  path: string;
  message: string;
}

export class DomainError extends Error {
  constructor(
    readonly kind: DomainErrorKind,
    message: string,
    readonly errors: FieldError[] = [],
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** The request is well formed but names something that cannot take it (e.g. an unknown project). */
export class UnknownProjectError extends DomainError {
  /** `open`: the project must also be taking feedback (closed ones still take events and report-backs). */
  constructor(projectId: string, { open = true }: { open?: boolean } = {}) {
    const message = `There is no ${open ? 'open ' : ''}project called '${projectId}'`;
    super('unprocessable', `${message}.`, [{ path: 'projectId', message }]);
  }
}

/** Storage is throttled or timed out: the client may retry, unlike a fault in our code. */
export class TemporarilyUnavailableError extends DomainError {
  constructor(cause: unknown) {
    super('unavailable', 'The service is busy. Please try again in a moment.');
    this.cause = cause;
  }
}

export class NotFoundError extends DomainError {
  constructor(what: string, id: string) {
    super('not_found', `There is no ${what} '${id}'.`);
  }
}

/** Someone else changed it since the caller read it: re-read, then decide again. */
export class StaleVersionError extends DomainError {
  constructor(id: string) {
    super('precondition_failed', `'${id}' has changed since you read it. Fetch it again to see the change.`);
  }
}

export class InvalidTransitionError extends DomainError {
  constructor(message: string) {
    super('conflict', message);
  }
}

export class PreconditionRequiredError extends DomainError {
  constructor() {
    super(
      'precondition_required',
      'Send If-Match with the ETag from your last read, so no one else’s change is overwritten.',
    );
  }
}
