import { describe, expect, it } from 'vitest';
import { DEFAULT_TIMEFRAMES } from '../../shared/config/default-projects';
import type { CoproductionEvent } from '../../shared/domain/event';
import { type Feedback, newFeedback } from '../../shared/domain/feedback';
import {
  eventRowOf,
  feedbackRowOf,
  officerEventOf,
  officerFeedbackOf,
  officerUpdateOf,
  updateRowOf,
} from '../../shared/domain/officer-views';
import type { Update } from '../../shared/domain/update';
import { TEST_NOW } from '../support/clock';
import { openApiDocument } from '../support/openapi-contract';

/**
 * Officers' answers are allow-list views of the stored records (shared/domain/officer-views.ts):
 * every field the OpenAPI document describes, and nothing the record keeps for the machinery.
 */
const schemas = (
  openApiDocument as unknown as { components: { schemas: Record<string, { properties: object }> } }
).components.schemas;
const documented = (name: string) => Object.keys(schemas[name]?.properties ?? {}).sort();

const actor = { sub: 'officer-1', name: 'Sam Officer' };
const at = TEST_NOW.toISOString();
/** What storage keeps besides the record's own fields, had any of it reached the domain type. */
const storageExtras = {
  PK: 'X#1',
  SK: 'META',
  entity: 'X',
  GSI1PK: 'OPEN#0',
  GSI1SK: `${at}#X#1`,
  listRow: { id: '1' },
  feed: { id: '1' },
  alertSeries: 'acknowledge:2027-01-04',
  alertsSent: 2,
  lastAlertAt: at,
  nextAlertAt: at,
};
const INTERNAL = Object.keys(storageExtras).concat('intake', 'complaintAlert', 'subjectKeys');

const everyFeedbackField: Feedback = {
  ...newFeedback(
    'ABCD-2345',
    {
      kind: 'complaint',
      message: 'The transport to school was late again.',
      submitterRole: 'parent_or_carer',
      projectId: 'general',
      channel: 'web',
      satisfaction: 2,
      contact: { name: 'A Parent', email: 'parent@example.com', phone: '07700 900123' },
      consentToContact: true,
    },
    DEFAULT_TIMEFRAMES.complaint,
    TEST_NOW,
  ),
  status: 'closed',
  keepInformed: {
    givenAt: at,
    givenVia: 'web',
    wording: 'tell-me-what-happens/v1',
    withdrawnAt: at,
    withdrawnVia: 'stop_link',
  },
  acknowledgedAt: at,
  acknowledgedBy: actor,
  respondedAt: at,
  respondedBy: actor,
  response: 'We have spoken to the transport team.',
  outcome: 'upheld',
  closedAt: at,
  closedBy: actor,
  complaintProcedure: 'corporate',
  complaintStage: 1,
  complaintTimescales: [{ acknowledgeWorkingDays: 5, respondWorkingDays: 20 }],
  complaintStages: [{ stage: 1, name: 'Stage 1', startedAt: at }],
  reviewPanelOn: '2027-01-20',
  intake: { keyHash: 'key-fingerprint', requestHash: 'request-fingerprint' },
  // The subject lookup's keyed hashes (internal), and the anonymisation marker (shown).
  subjectKeys: ['email.keyed-hash'],
  anonymised: { at, by: actor, reason: 'erasure', note: 'Asked by letter' },
  // What storage adds for the sweep's index on a complaint.
  complaintAlert: { procedure: 'corporate', stage: 1 },
  ...storageExtras,
} as unknown as Feedback;

const everyEventField = {
  id: 'EVNT2345',
  title: 'Short breaks workshop',
  projectId: 'general',
  type: 'workshop',
  heldOn: '2027-01-04',
  participants: { childrenAndYoungPeople: 3, parentsAndCarers: 8, professionals: 2 },
  accessibility: ['step-free access'],
  whatWeHeard: 'More Saturday sessions.',
  status: 'held',
  reportBackBy: '2027-02-01',
  reportBackDueAt: at,
  createdAt: at,
  createdBy: actor,
  updatedAt: at,
  updatedBy: actor,
  version: 3,
  ...storageExtras,
} as CoproductionEvent;

const everyUpdateField = {
  id: 'update-1',
  projectId: 'general',
  projectTitle: 'General feedback about SEND services',
  title: 'Quieter waiting rooms',
  youSaid: 'Waiting rooms were too loud.',
  weDid: 'We added a quiet room.',
  status: 'not_possible',
  reason: 'The building is listed.',
  easyRead: 'We listened.',
  expectedBy: '2027-03-01',
  feedbackIds: ['ABCD2345'],
  eventIds: ['EVNT2345'],
  voices: { childrenAndYoungPeople: 1, parentsAndCarers: 2, professionals: 0, other: 0, events: 1 },
  published: true,
  publishedAt: at,
  publishedBy: actor,
  firstPublishedAt: at,
  modifiedAt: at,
  unpublishedAt: at,
  unpublishedBy: actor,
  createdAt: at,
  createdBy: actor,
  updatedAt: at,
  updatedBy: actor,
  version: 4,
  ...storageExtras,
} as Update;

describe('what officers read of a stored record', () => {
  it.each([
    ['Feedback', () => officerFeedbackOf(everyFeedbackField), everyFeedbackField],
    ['Event', () => officerEventOf(everyEventField), everyEventField],
    ['Update', () => officerUpdateOf(everyUpdateField), everyUpdateField],
  ])('%s: every documented field, as stored, and none of the machinery’s', (schema, view, stored) => {
    const before = structuredClone(stored);
    const shown = view() as unknown as Record<string, unknown>;
    expect(Object.keys(shown).sort()).toEqual(documented(schema));
    for (const [field, value] of Object.entries(shown))
      expect(value).toEqual(stored[field as keyof typeof stored]);
    for (const internal of INTERNAL) expect(shown).not.toHaveProperty(internal);
    // The stored record itself is left as it was.
    expect(stored).toEqual(before);
  });

  it('leaves out fields a record does not have, rather than showing them empty', () => {
    const { closedAt: _a, closedBy: _b, response: _c, outcome: _d, ...open } = everyFeedbackField;
    const shown = officerFeedbackOf({ ...open, status: 'responded' } as Feedback);
    expect(Object.keys(shown)).not.toContain('closedAt');
    expect(Object.keys(shown)).not.toContain('response');
  });

  it.each([
    ['FeedbackSummary', () => feedbackRowOf({ ...everyFeedbackField, ...storageExtras }, true)],
    ['EventSummary', () => eventRowOf({ ...everyEventField, ...storageExtras })],
    ['UpdateSummary', () => updateRowOf({ ...everyUpdateField, ...storageExtras })],
  ])('%s: a list row shows its documented fields only, whatever the stored row held', (schema, row) => {
    expect(Object.keys(row()).sort()).toEqual(documented(schema));
  });
});
