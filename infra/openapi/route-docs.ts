import type * as z from 'zod/v4/core';
import { EventInput, EventListParams, EventPatch } from '../../shared/domain/event-input';
import { FeedbackListParams } from '../../shared/domain/feedback-list-params';
import { FeedbackResponseInput } from '../../shared/domain/feedback-response-input';
import { FeedbackSubmission } from '../../shared/domain/feedback-submission';
import { ProjectInput } from '../../shared/domain/project-input';
import type { ROUTES } from '../../shared/http/routes';
import * as schemas from './response-schemas';

/**
 * The description of each route in the route table, keyed by its handler name. Adding a route to
 * shared/http/routes.ts means adding its entry here (test/unit/openapi.test.ts fails until it is),
 * then `npm run openapi` to regenerate openapi.json. Request schemas are the zod schemas the
 * handler validates with, so the document cannot drift from what is enforced.
 */
export type RouteHandlerName = (typeof ROUTES)[number]['handler'];

export interface RouteDoc {
  summary: string;
  description?: string;
  tag: 'Public' | 'Officer: feedback' | 'Officer: projects' | 'Officer: events' | 'API';
  /** The query string, as the zod schema the handler parses it with. */
  query?: z.$ZodType;
  /** The JSON body, as the zod schema the handler parses it with. */
  body?: z.$ZodType;
  /** If-Match with the ETag of the caller's last read (missing: 428; stale: 412). */
  ifMatch?: boolean;
  /** The optional Idempotency-Key header. */
  idempotencyKey?: boolean;
  /** The success answer. */
  success: {
    status: 200 | 201;
    description: string;
    schema: z.$ZodType;
    /** Response headers beyond content-type. */
    headers?: ('etag' | 'location' | 'cache-control')[];
  };
  /** Problem types this route may answer with, beyond those every route of its kind has. */
  problems?: string[];
  /** Touches no storage: cannot be 503 temporarily-unavailable. */
  noStorage?: boolean;
}

const feedbackStep = (action: string, detail: string): RouteDoc => ({
  summary: `${action} feedback`,
  description: detail,
  tag: 'Officer: feedback',
  ifMatch: true,
  success: {
    status: 200,
    description: 'The feedback after the step; its ETag is the new version.',
    schema: schemas.Feedback,
    headers: ['etag'],
  },
  problems: ['not-found', 'conflict'],
});

export const ROUTE_DOCS: Record<RouteHandlerName, RouteDoc> = {
  health: {
    summary: 'Is the API up?',
    tag: 'API',
    success: { status: 200, description: 'The API and its function answer.', schema: schemas.Health },
    noStorage: true,
  },
  'get-openapi': {
    summary: 'This API description (OpenAPI 3.1)',
    description: 'Generated from the zod schemas that validate requests (`npm run openapi`).',
    tag: 'API',
    success: {
      status: 200,
      description: 'The OpenAPI 3.1 document.',
      schema: schemas.OpenApiDocument,
      headers: ['cache-control'],
    },
    noStorage: true,
  },
  'list-projects': {
    summary: 'Open projects a family can give feedback on',
    description: 'With each project’s timeframes, so a form can promise a reply date.',
    tag: 'Public',
    success: {
      status: 200,
      description: 'The open projects (closed ones are not listed).',
      schema: schemas.PublicProjectList,
      headers: ['cache-control'],
    },
  },
  'submit-feedback': {
    summary: 'Send feedback, a compliment or a complaint',
    description:
      'Answers with a reference and the dates by which the family will hear back (working days, England and Wales bank holidays excluded). Send an Idempotency-Key to make retries safe.',
    tag: 'Public',
    body: FeedbackSubmission,
    idempotencyKey: true,
    success: { status: 201, description: 'Received: the receipt.', schema: schemas.Receipt },
    problems: ['unprocessable', 'request-in-progress', 'idempotency-key-reused', 'calendar-unavailable'],
  },
  'list-feedback': {
    summary: 'Feedback to triage, nearest deadline first',
    tag: 'Officer: feedback',
    query: FeedbackListParams,
    success: { status: 200, description: 'One page of summaries.', schema: schemas.FeedbackPage },
  },
  'get-feedback': {
    summary: 'One piece of feedback, with its history',
    description: 'The id may be given as the reference the family reads out (ABCD-2345).',
    tag: 'Officer: feedback',
    success: {
      status: 200,
      description: 'The feedback and every change made to it.',
      schema: schemas.FeedbackWithHistory,
      headers: ['etag'],
    },
    problems: ['not-found'],
  },
  'acknowledge-feedback': feedbackStep(
    'Acknowledge',
    'Tells the record the family has been told who has it.',
  ),
  'respond-to-feedback': {
    ...feedbackStep('Answer', 'Records the answer given to the family (acknowledging too, if needed).'),
    body: FeedbackResponseInput,
  },
  'close-feedback': feedbackStep('Close', 'Closes answered feedback.'),
  'list-all-projects': {
    summary: 'Every project, open or closed, with its version',
    tag: 'Officer: projects',
    success: { status: 200, description: 'All projects.', schema: schemas.ProjectList },
  },
  'save-project': {
    summary: 'Create or change a project (admin group)',
    description:
      'Creating needs no If-Match; changing an existing project (the defaults are version 0) does.',
    tag: 'Officer: projects',
    body: ProjectInput,
    ifMatch: true,
    success: {
      status: 200,
      description: 'The saved project; its ETag is the new version.',
      schema: schemas.StoredProject,
      headers: ['etag'],
    },
  },
  'record-event': {
    summary: 'Record a co-production event',
    description:
      'Works out the date by which its participants hear back (the project’s working days after it).',
    tag: 'Officer: events',
    body: EventInput,
    success: {
      status: 201,
      description: 'The event, at version 1.',
      schema: schemas.CoproductionEvent,
      headers: ['etag', 'location'],
    },
    problems: ['unprocessable', 'calendar-unavailable'],
  },
  'list-events': {
    summary: 'Co-production events, newest first',
    tag: 'Officer: events',
    query: EventListParams,
    success: { status: 200, description: 'One page of events.', schema: schemas.EventPage },
  },
  'get-event': {
    summary: 'One event, with its history',
    tag: 'Officer: events',
    success: {
      status: 200,
      description: 'The event and every change made to it.',
      schema: schemas.EventWithHistory,
      headers: ['etag'],
    },
    problems: ['not-found'],
  },
  'update-event': {
    summary: 'Change an event',
    description: 'Names only what changes. Status moves planned → held → reported_back.',
    tag: 'Officer: events',
    body: EventPatch,
    ifMatch: true,
    success: {
      status: 200,
      description: 'The event after the change; its ETag is the new version.',
      schema: schemas.CoproductionEvent,
      headers: ['etag'],
    },
    problems: ['not-found', 'conflict', 'unprocessable', 'calendar-unavailable'],
  },
};
