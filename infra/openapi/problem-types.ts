/**
 * Every problem type the API answers with (RFC 9457 `type`, relative to the API's address), for
 * the OpenAPI document and docs/api.md. A test reads the source for `problemType('…')` and fails if
 * one is missing here, so a new refusal is described when it is added.
 */
export interface ProblemTypeDoc {
  status: number;
  title: string;
  when: string;
}

export const PROBLEM_TYPES: Record<string, ProblemTypeDoc> = {
  'validation-error': {
    status: 400,
    title: 'Your request is not valid',
    when: 'A field, query parameter, path id or header is wrong; `errors` names every failing one.',
  },
  'malformed-json': { status: 400, title: 'Malformed JSON', when: 'The body is not valid JSON.' },
  unauthenticated: {
    status: 401,
    title: 'Sign in required',
    when: 'No officer access token, or one that is forged, expired or has no expiry.',
  },
  forbidden: {
    status: 403,
    title: 'Not allowed',
    when: 'The token lacks the officer scope, or the group (officer, admin) the route needs.',
  },
  'invalid-family-link': {
    status: 400,
    title: 'Your request is not valid',
    when: 'A family link that this service did not sign, was edited, or was made for something else; `errors` names `token`.',
  },
  'not-found': { status: 404, title: 'Not found', when: 'No feedback, event or update with that id.' },
  conflict: {
    status: 409,
    title: 'Conflict with the current state',
    when: 'A step the record cannot take now (e.g. closing feedback nobody answered, publishing a published update).',
  },
  'final-stage': {
    status: 409,
    title: 'Conflict with the current state',
    when: 'A complaint answered at the last stage of its procedure has no next stage: the family can go to the Ombudsman (the detail names it).',
  },
  'escalation-window-closed': {
    status: 409,
    title: 'Conflict with the current state',
    when: 'The family’s own link came after the time their answer gave them to ask for the next stage; an officer can still record a late request.',
  },
  'feedback-anonymised': {
    status: 409,
    title: 'Conflict with the current state',
    when: 'A step on feedback whose personal data was removed (by the retention schedule or at the family’s request), such as escalating it: record a new complaint instead.',
  },
  'feedback-still-open': {
    status: 409,
    title: 'Conflict with the current state',
    when: 'Erasing feedback that is not closed: answer and close it first; `errors` names each item.',
  },
  'precondition-failed': {
    status: 412,
    title: 'Precondition failed',
    when: 'If-Match names a version that is no longer current: read again, then decide.',
  },
  'payload-too-large': { status: 413, title: 'Request body too large', when: 'The body is over 32 KiB.' },
  'unsupported-media-type': {
    status: 415,
    title: 'Unsupported media type',
    when: 'The body is not sent as application/json.',
  },
  unprocessable: {
    status: 422,
    title: 'Your request cannot be processed',
    when: 'Well formed, but names something that cannot take it (an unknown or closed project, a linked item that does not exist).',
  },
  'personal-data': {
    status: 422,
    title: 'Public text identifies someone',
    when: 'Publishing (or editing a published) update whose public text identifies someone: an email, UK phone number or postcode, a feedback reference, or a linked submitter’s name, email or phone. `errors` names each field and what was found.',
  },
  'idempotency-key-reused': {
    status: 422,
    title: 'Idempotency-Key already used for a different request',
    when: 'The same Idempotency-Key came with a different body.',
  },
  'precondition-required': {
    status: 428,
    title: 'Precondition required',
    when: 'A change to an existing record without If-Match (send the ETag of your last read).',
  },
  'internal-error': {
    status: 500,
    title: 'Something went wrong on our side',
    when: 'A fault of ours; quote the correlationId.',
  },
  'temporarily-unavailable': {
    status: 503,
    title: 'Service temporarily unavailable',
    when: 'Storage (or another dependency) is busy, slow or unreachable; retry after Retry-After seconds.',
  },
  'calendar-unavailable': {
    status: 503,
    title: 'Deadline calendar unavailable',
    when: 'A deadline falls past the end of the bank-holiday table; the detail names where it ends.',
  },
};
