import type { EventSummary } from './coproduction-events';
import type { CoproductionEvent } from './event';
import type { Feedback } from './feedback';
import type { UpdateSummary } from './manage-updates';
import type { FeedbackSummary } from './triage-feedback';
import type { Update } from './update';

/**
 * What officers read of each record, in every officer answer (an item, a list row, the answer to a
 * change): fields named one by one, an allow-list, never "the stored item minus some". The stored
 * item keeps more than officers need: index keys and the list row, `intake` (the fingerprints a
 * retried submission is recognised by), the sweep's alert bookkeeping (`alertSeries`, `alertsSent`,
 * `lastAlertAt`, `nextAlertAt`: officers get the alerts list instead), an update's public copy
 * (`feed`). None of that reaches an officer, and a field added to a stored type stays off their
 * screens until it is named here (and described in infra/openapi/response-schemas.ts).
 */
function pick<T extends object, K extends keyof T>(record: T, fields: readonly K[]): Pick<T, K> {
  const view: Partial<Pick<T, K>> = {};
  for (const field of fields) if (record[field] !== undefined) view[field] = record[field];
  return view as Pick<T, K>;
}

export const OFFICER_FEEDBACK_FIELDS = [
  'id',
  'reference',
  'kind',
  'projectId',
  'status',
  'message',
  'submitterRole',
  'channel',
  'satisfaction',
  'contact',
  'consentToContact',
  'keepInformed',
  'receivedAt',
  'timeframe',
  'acknowledgeBy',
  'acknowledgeDueAt',
  'respondBy',
  'respondDueAt',
  'acknowledgedAt',
  'acknowledgedBy',
  'respondedAt',
  'respondedBy',
  'response',
  'outcome',
  'closedAt',
  'closedBy',
  'complaintProcedure',
  'complaintStage',
  'complaintTimescales',
  'complaintStages',
  'reviewPanelOn',
  'version',
  // When and why its personal data was removed (shared/retention/anonymise.ts).
  'anonymised',
] as const satisfies readonly (keyof Feedback)[];
export type OfficerFeedback = Pick<Feedback, (typeof OFFICER_FEEDBACK_FIELDS)[number]>;
export const officerFeedbackOf = (feedback: Feedback): OfficerFeedback =>
  pick(feedback, OFFICER_FEEDBACK_FIELDS);

export const OFFICER_EVENT_FIELDS = [
  'id',
  'title',
  'projectId',
  'type',
  'heldOn',
  'participants',
  'accessibility',
  'whatWeHeard',
  'status',
  'reportBackBy',
  'reportBackDueAt',
  'createdAt',
  'createdBy',
  'updatedAt',
  'updatedBy',
  'version',
] as const satisfies readonly (keyof CoproductionEvent)[];
export type OfficerEvent = Pick<CoproductionEvent, (typeof OFFICER_EVENT_FIELDS)[number]>;
export const officerEventOf = (event: CoproductionEvent): OfficerEvent => pick(event, OFFICER_EVENT_FIELDS);

export const OFFICER_UPDATE_FIELDS = [
  'id',
  'projectId',
  'projectTitle',
  'title',
  'youSaid',
  'weDid',
  'status',
  'reason',
  'easyRead',
  'expectedBy',
  'feedbackIds',
  'eventIds',
  'voices',
  'published',
  'publishedAt',
  'publishedBy',
  'firstPublishedAt',
  'modifiedAt',
  'unpublishedAt',
  'unpublishedBy',
  'createdAt',
  'createdBy',
  'updatedAt',
  'updatedBy',
  'version',
] as const satisfies readonly (keyof Update)[];
export type OfficerUpdate = Pick<Update, (typeof OFFICER_UPDATE_FIELDS)[number]>;
export const officerUpdateOf = (update: Update): OfficerUpdate => pick(update, OFFICER_UPDATE_FIELDS);

/** List rows, read from what the list indexes copy: picked the same way, so an old row's extras stay. */
const FEEDBACK_ROW_FIELDS = [
  'id',
  'reference',
  'kind',
  'projectId',
  'status',
  'receivedAt',
  'acknowledgeBy',
  'respondBy',
  'version',
  'complaintProcedure',
  'complaintStage',
] as const satisfies readonly (keyof FeedbackSummary)[];
export const feedbackRowOf = (row: Omit<FeedbackSummary, 'overdue'>, overdue: boolean): FeedbackSummary => ({
  ...pick(row, FEEDBACK_ROW_FIELDS),
  overdue,
});

const EVENT_ROW_FIELDS = [
  'id',
  'title',
  'projectId',
  'type',
  'heldOn',
  'status',
  'reportBackBy',
  'version',
] as const satisfies readonly (keyof EventSummary)[];
export const eventRowOf = (row: EventSummary): EventSummary => pick(row, EVENT_ROW_FIELDS);

const UPDATE_ROW_FIELDS = [
  'id',
  'projectId',
  'title',
  'status',
  'published',
  'publishedAt',
  'modifiedAt',
  'updatedAt',
  'version',
] as const satisfies readonly (keyof UpdateSummary)[];
export const updateRowOf = (row: UpdateSummary): UpdateSummary => pick(row, UPDATE_ROW_FIELDS);
