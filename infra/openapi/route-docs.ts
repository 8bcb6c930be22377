import type * as z from 'zod/v4/core';
import {
  EscalationInput,
  ExtensionInput,
  FamilyEscalationInput,
  ProcedureInput,
  ReviewPanelInput,
} from '../../shared/domain/complaint-input';
import { EventInput, EventListParams, EventPatch } from '../../shared/domain/event-input';
import { FeedbackListParams } from '../../shared/domain/feedback-list-params';
import { FeedbackResponseInput } from '../../shared/domain/feedback-response-input';
import { FeedbackSubmission } from '../../shared/domain/feedback-submission';
import { StopMessagesInput } from '../../shared/domain/keep-informed-input';
import { ProjectInput } from '../../shared/domain/project-input';
import { UpdateInput, UpdateListParams, UpdatePatch } from '../../shared/domain/update-input';
import type { ROUTES } from '../../shared/http/routes';
import { AuditQuery, ErasureRequest, SubjectSearch } from '../../shared/retention/subject-access-input';
import { AnnualReportQuery, FeedQuery, HealthQuery, ScorecardQuery } from './hand-checked-queries';
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
  tag:
    | 'Public'
    | 'Officer: feedback'
    | 'Officer: projects'
    | 'Officer: events'
    | 'Officer: updates'
    | 'Admin: families’ data'
    | 'API';
  /** The query string, as the zod schema the handler parses it with (or hand-checked-queries.ts). */
  query?: z.$ZodType;
  /** False when no query value is ever refused (no 400 for it). */
  queryRefused?: boolean;
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
    /** application/json unless said (a feed, RSS): the schema then describes that body. */
    mediaType?: string;
    /** The same answer in another media type, chosen by a query parameter (the report's CSV). */
    alternative?: { mediaType: string; schema: z.$ZodType };
    /** Response headers beyond content-type. */
    headers?: SuccessHeader[];
  };
  /** Public cacheable GET: a strong ETag, and 304 (no body) to a matching If-None-Match. */
  notModified?: boolean;
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

export type SuccessHeader =
  | 'etag'
  | 'location'
  | 'cache-control'
  | 'content-disposition'
  | 'access-control-allow-origin'
  | 'idempotent-replayed';

const updateStep = (action: string, detail: string, problems: string[]): RouteDoc => ({
  summary: `${action} an update`,
  description: detail,
  tag: 'Officer: updates',
  ifMatch: true,
  success: {
    status: 200,
    description: 'The update after the step; its ETag is the new version.',
    schema: schemas.Update,
    headers: ['etag'],
  },
  problems: ['not-found', ...problems],
});

const feedQueryNote =
  'Anyone may read it (Access-Control-Allow-Origin: *, errors included). Cached for five minutes and served stale for a day while refreshing; send the ETag back as If-None-Match for a 304. Unknown query parameters are ignored.';

export const ROUTE_DOCS: Record<RouteHandlerName, RouteDoc> = {
  health: {
    summary: 'Is the API up? (?ready=true: and can it reach its table?)',
    description:
      'Plain, it touches no data. With ready=true it also reads one key of the table: 503 with Retry-After when the table does not answer.',
    tag: 'API',
    query: HealthQuery,
    queryRefused: false,
    success: {
      status: 200,
      description: 'ok: the API and its function answer; ready: the table answered too.',
      schema: schemas.Health,
    },
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
    success: {
      status: 201,
      description: 'Received: the receipt. A retry with the same key and body gets the same one again.',
      schema: schemas.Receipt,
      headers: ['idempotent-replayed'],
    },
    problems: ['unprocessable', 'idempotency-key-reused', 'calendar-unavailable'],
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
    ...feedbackStep(
      'Answer',
      'Records the answer given to the family (acknowledging too, if needed). A complaint’s answer is its current stage’s: `nextStep` names the next stage, the date by which the family may ask for it and their escalation link (put it in the letter), or at the last stage the Ombudsman route. A Children Act stage 3 response needs the review panel’s date first (409).',
    ),
    body: FeedbackResponseInput,
    success: {
      status: 200,
      description: 'The feedback after its answer; its ETag is the new version.',
      schema: schemas.AnsweredFeedback,
      headers: ['etag'],
    },
  },
  'close-feedback': feedbackStep('Close', 'Closes answered feedback.'),
  'choose-complaint-procedure': {
    ...feedbackStep(
      'Choose the procedure of a complaint (corporate or childrens)',
      'At stage 1, before it is acknowledged (409 after): a complaint about children’s social care follows the Children Act 1989 procedure (`childrens`). Its stage 1 deadlines are counted again from receipt; `reason` is recorded in the history entry.',
    ),
    summary: 'Choose the procedure a complaint follows',
    body: ProcedureInput,
  },
  'extend-complaint-stage': {
    ...feedbackStep(
      'Extend',
      'Moves the current stage’s answer deadline later by `extendByWorkingDays`, with the reason the family will be given. Within the procedure’s maximum for the stage (422 naming extendByWorkingDays beyond it), before the deadline passes, not at a review panel stage (409).',
    ),
    summary: 'Extend the answer deadline of a complaint’s current stage',
    body: ExtensionInput,
    problems: ['not-found', 'conflict', 'unprocessable', 'calendar-unavailable'],
  },
  'escalate-complaint': {
    ...feedbackStep(
      'Escalate',
      'The family asked for the next stage by phone, letter, email or in person, at `requestedAt`: the complaint is received again at the next stage, its deadlines counted from that day (a request after the window is recorded, with `inTime: false`). 409 before the stage’s answer; 409 final-stage at the last stage.',
    ),
    summary: 'Record the family’s request for the next stage of a complaint',
    body: EscalationInput,
    problems: ['not-found', 'conflict', 'final-stage', 'calendar-unavailable'],
  },
  'record-review-panel': {
    ...feedbackStep(
      'Record the review panel of',
      'Children Act stage 3 only (409 otherwise): the panel’s date sets the response deadline, 20 working days on (its report within 5, the council’s response within 15 of the report).',
    ),
    summary: 'Record the date of a Children Act review panel',
    body: ReviewPanelInput,
    problems: ['not-found', 'conflict', 'calendar-unavailable'],
  },
  'escalate-by-family-link': {
    summary: 'The family asks for the next stage of their complaint, with their link',
    description:
      'Sent by the family page (/family/escalate.html), which reads the token from its address’s fragment. The token is signed for one complaint and stage: forged, edited or for another purpose, 400 invalid-family-link naming `token`. A repeated request answers the same outcome and changes nothing. After the window: 409 escalation-window-closed; at the last stage: 409 final-stage.',
    tag: 'Public',
    body: FamilyEscalationInput,
    success: {
      status: 200,
      description: 'The stage now started (or already started by this link): its dates, no one’s words.',
      schema: schemas.EscalationOutcome,
    },
    problems: [
      'invalid-family-link',
      'not-found',
      'conflict',
      'final-stage',
      'escalation-window-closed',
      'calendar-unavailable',
    ],
  },
  'stop-messages-by-family-link': {
    summary: 'The family stops the messages telling them what happens, with the link in one',
    description:
      'Sent by the family page (/family/stop-messages.html), which reads the token from its address’s fragment. The token is signed for one piece of feedback and this purpose: forged, edited or for another purpose, 400 invalid-family-link naming `token`. Withdrawn already, or never asked for: the same answer, nothing written. No message is sent after it.',
    tag: 'Public',
    body: StopMessagesInput,
    success: {
      status: 200,
      description: 'Whether the family is still told what happens (withdrawn now): no contact details.',
      schema: schemas.KeepInformedState,
    },
    problems: ['invalid-family-link', 'not-found'],
  },
  'stop-messages-for-family': {
    ...feedbackStep(
      'Stop the messages of',
      'The family asked an officer to stop telling them what happens: recorded as withdrawn by `officer`, with the officer in the history, and no message goes after it. 409 when they never asked, or already stopped them.',
    ),
    summary: 'Record that the family no longer wants to be told what happens',
  },
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
  'create-update': {
    summary: 'Write a "You said, we did" update (a draft)',
    description:
      'Linked to the feedback (ids or references) and events it answers; their counts are kept on it. Not public until published.',
    tag: 'Officer: updates',
    body: UpdateInput,
    success: {
      status: 201,
      description: 'The draft, at version 1.',
      schema: schemas.Update,
      headers: ['etag', 'location'],
    },
    problems: ['unprocessable'],
  },
  'list-updates': {
    summary: 'Updates, most recently changed first',
    tag: 'Officer: updates',
    query: UpdateListParams,
    success: { status: 200, description: 'One page of summaries.', schema: schemas.UpdatePage },
  },
  'get-update': {
    summary: 'One update, with its links and history',
    tag: 'Officer: updates',
    success: {
      status: 200,
      description: 'The update and every change made to it.',
      schema: schemas.UpdateWithHistory,
      headers: ['etag'],
    },
    problems: ['not-found'],
  },
  'edit-update': {
    ...updateStep(
      'Change',
      'Names only what changes (null clears reason, easyRead or expectedBy). A published update stays published, and its public text is checked again: 422 /problems/personal-data names each field that identifies someone.',
      ['unprocessable', 'personal-data'],
    ),
    body: UpdatePatch,
  },
  'publish-update': updateStep(
    'Publish',
    'Makes it public in /feed, /feed.xml and the annual report, once its public text (title, youSaid, weDid, reason, easyRead) identifies no one: else 422 /problems/personal-data, naming each field and what was found.',
    ['conflict', 'unprocessable', 'personal-data'],
  ),
  'unpublish-update': updateStep('Unpublish', 'Takes it out of every public output at once.', ['conflict']),
  'annual-report': {
    summary: 'The yearly "You said, we did" report (regulation 56)',
    description:
      'The year’s published updates and totals per project, with small counts suppressed: it identifies no one, so it can go on the Local Offer as it is. format=csv answers text/csv (a download).',
    tag: 'Officer: updates',
    query: AnnualReportQuery,
    success: {
      status: 200,
      description: 'The report (as CSV with format=csv).',
      schema: schemas.AnnualReport,
      alternative: { mediaType: 'text/csv', schema: schemas.AnnualReportCsv },
      headers: ['cache-control', 'content-disposition'],
    },
  },
  'find-subject-data': {
    summary: 'Everything held about one family: a subject access export (admin group)',
    description:
      'Finds a family’s feedback by the email address or phone number they gave (however typed) and by references, any of them, and returns each item with its history, alerts and how long it is kept. A POST so the details never appear in a URL. Audit-recorded (who, when, which items; never the details). At most 100 items (`truncated` says if there were more).',
    tag: 'Admin: families’ data',
    body: SubjectSearch,
    success: { status: 200, description: 'The export.', schema: schemas.SubjectAccessExport },
  },
  'erase-subject-data': {
    summary: 'Erase (anonymise) a family’s closed feedback at their request (admin group)',
    description:
      'Anonymises each item named, now: the message, contact details, answers and reasons are removed from it and its history; its statistics stay. Every item must exist (422) and be closed (409 feedback-still-open): nothing is written otherwise. Audit-recorded with the reason. Repeating it is harmless (`already_anonymised`).',
    tag: 'Admin: families’ data',
    body: ErasureRequest,
    success: { status: 200, description: 'What was erased.', schema: schemas.ErasureOutcome },
    problems: ['unprocessable', 'feedback-still-open'],
  },
  'list-retention-audit': {
    summary: 'A month of anonymisations and subject access exports (admin group)',
    description:
      'Oldest first: the retention schedule’s anonymisations (with the rule), erasures (with the admin’s note) and exports, and the retention periods in force.',
    tag: 'Admin: families’ data',
    query: AuditQuery,
    success: { status: 200, description: 'One page of the month.', schema: schemas.RetentionAuditPage },
  },
  'get-feed': {
    summary: '"You said, we did" as JSON Feed 1.1',
    description: `Published updates, most recently modified first, with counts instead of people. ${feedQueryNote}`,
    tag: 'Public',
    query: FeedQuery,
    notModified: true,
    success: {
      status: 200,
      description: 'One page of the feed; next_url is the next.',
      schema: schemas.JsonFeed,
      mediaType: 'application/feed+json',
      headers: ['etag', 'cache-control', 'access-control-allow-origin'],
    },
  },
  'get-feed-rss': {
    summary: '"You said, we did" as RSS 2.0',
    description: `The same items as /feed, for feed readers and content management systems. ${feedQueryNote}`,
    tag: 'Public',
    query: FeedQuery,
    notModified: true,
    success: {
      status: 200,
      description: 'One page of the feed; an atom:link rel="next" names the next.',
      schema: schemas.RssFeed,
      mediaType: 'application/rss+xml',
      headers: ['etag', 'cache-control', 'access-control-allow-origin'],
    },
  },
  'get-scorecard': {
    summary: 'The timeliness and satisfaction scorecard',
    description: `Per London month, per project and in total: feedback received by kind, acknowledged and answered on time or late (complaints per stage), median working days to answer, satisfaction scores and updates published. Counts from 1 to 4 show as "fewer than 5" and every other count is rounded down to a multiple of 5 (the deployment's threshold: 25 means 25 to 29), so no subtraction recovers a hidden one. format=csv answers text/csv (a download). ${feedQueryNote}`,
    tag: 'Public',
    query: ScorecardQuery,
    notModified: true,
    success: {
      status: 200,
      description: 'The scorecard (as CSV with format=csv).',
      schema: schemas.Scorecard,
      alternative: { mediaType: 'text/csv', schema: schemas.ScorecardCsv },
      headers: ['etag', 'cache-control', 'access-control-allow-origin', 'content-disposition'],
    },
  },
};
