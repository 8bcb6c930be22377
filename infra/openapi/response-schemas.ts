import * as z from 'zod';
import { COMPLAINT_PROCEDURES } from '../../shared/domain/complaint-procedure';
import { REQUEST_CHANNELS } from '../../shared/domain/complaint-stages';
import { EVENT_STATUSES, EVENT_TYPES } from '../../shared/domain/event';
import { FAMILY_MESSAGE_TYPES } from '../../shared/domain/family-messages';
import { FEEDBACK_STATUSES, OUTCOMES } from '../../shared/domain/feedback';
import { CHANNELS, SUBMITTER_ROLES } from '../../shared/domain/feedback-submission';
import { WITHDRAWAL_ROUTES } from '../../shared/domain/keep-informed';
import { ALERT_STAGES } from '../../shared/domain/overdue';
import { FEEDBACK_KINDS } from '../../shared/domain/project';
import { UPDATE_STATUSES } from '../../shared/domain/update';

/**
 * What the API answers, as JSON Schemas for the OpenAPI document (request schemas are the very zod
 * schemas the handlers validate with; responses are plain TypeScript types in the domain, so they
 * are described here, once). Build-time only: nothing in functions/ imports this module. The
 * end-to-end tests validate real responses against these, so a drift fails the build.
 *
 * Every response object is closed (no property beyond those named; zod's output JSON Schema says
 * `additionalProperties: false`): a field added to a public answer, perhaps personal data, or to an
 * officer's, must be described here first, or the end-to-end contract checks fail.
 */
const dateTime = z.iso.datetime({ offset: true });
const date = z.iso.date();
const kind = z.enum(FEEDBACK_KINDS);

export const Actor = z.object({ sub: z.string(), name: z.string() }).meta({ id: 'Actor' });
const Timeframe = z.strictObject({
  acknowledgeWorkingDays: z.int().min(1),
  respondWorkingDays: z.int().min(1),
});
export const Timeframes = z
  .strictObject({ feedback: Timeframe, compliment: Timeframe, complaint: Timeframe })
  .meta({ id: 'Timeframes' });

export const FieldError = z
  .strictObject({
    path: z
      .string()
      .meta({ description: 'Dotted path of the field, e.g. contact.email; empty for the body' }),
    message: z.string(),
  })
  .meta({ id: 'FieldError' });

export const Problem = z
  .strictObject({
    type: z.string().meta({ description: 'A problem type (see the API description), or about:blank' }),
    title: z.string(),
    status: z.int(),
    detail: z.string(),
    instance: z.string().optional(),
    correlationId: z.string().optional(),
    errors: z
      .array(FieldError)
      .optional()
      .meta({ description: 'The failing fields (at most 20: moreErrors counts the rest)' }),
    moreErrors: z.int().min(1).optional().meta({ description: 'How many failing fields were left out' }),
  })
  .meta({ id: 'Problem', description: 'RFC 9457 problem details' });

export const Health = z
  .strictObject({
    status: z
      .enum(['ok', 'ready'])
      .meta({ description: 'ready: answered with ?ready=true, the table answered' }),
  })
  .meta({ id: 'Health' });

export const SentAlert = z
  .strictObject({
    alertId: z.string(),
    stage: z.enum(ALERT_STAGES),
    type: z.enum(['first', 'reminder', 'escalation']),
    sequence: z.int().min(0),
    escalation: z.boolean(),
    workingDaysOverdue: z.int(),
    team: z.string(),
    sentAt: dateTime,
    complaintStage: z
      .int()
      .min(1)
      .optional()
      .meta({ description: 'A complaint’s stage the alert was about' }),
  })
  .meta({ id: 'SentAlert', description: 'An overdue alert sent to the project’s team' });

export const PublicProject = z
  .strictObject({
    id: z.string(),
    title: z.string(),
    serviceArea: z.string(),
    description: z.string().optional(),
    timeframes: Timeframes,
  })
  .meta({ id: 'PublicProject' });
export const PublicProjectList = z
  .strictObject({ projects: z.array(PublicProject) })
  .meta({ id: 'PublicProjectList' });

export const Receipt = z
  .strictObject({
    id: z.string(),
    reference: z.string().meta({ description: 'What the family quotes, e.g. ABCD-2345' }),
    kind,
    projectId: z.string(),
    status: z.literal('received'),
    receivedAt: dateTime,
    acknowledgeBy: date,
    respondBy: date,
  })
  .meta({ id: 'Receipt', description: 'No personal data: only the reference and the reply dates' });

export const OmbudsmanRoute = z
  .strictObject({ name: z.string(), url: z.string(), timeLimit: z.string() })
  .meta({ id: 'OmbudsmanRoute', description: 'Where the family goes after the last stage' });

export const StageTimescales = z
  .strictObject({
    acknowledgeWorkingDays: z.int().min(0),
    answerWorkingDays: z.int().min(0),
    maxExtensionWorkingDays: z.int().min(0),
    askNextWithinWorkingDays: z.int().min(1).optional(),
    reviewPanel: z
      .strictObject({ reportWorkingDays: z.int().min(0), responseWorkingDays: z.int().min(0) })
      .optional(),
  })
  .meta({ id: 'StageTimescales', description: 'One stage’s working days, counted from its start' });

export const ComplaintStageRecord = z
  .strictObject({
    stage: z.int().min(1),
    name: z.string(),
    startedAt: dateTime,
    request: z
      .strictObject({
        at: dateTime,
        via: z.enum(REQUEST_CHANNELS),
        recordedBy: Actor.optional(),
        reason: z.string().optional().meta({ description: 'The family’s words: private' }),
        inTime: z.boolean(),
      })
      .optional(),
    acknowledgeBy: date,
    acknowledgeDueAt: dateTime,
    acknowledgedAt: dateTime.optional(),
    dueBy: date.meta({ description: 'The answer deadline now (extended, or set by the review panel)' }),
    dueAt: dateTime,
    originalDueBy: date,
    extendedTo: date.optional(),
    extensions: z
      .array(
        z.strictObject({
          at: dateTime,
          by: Actor,
          workingDays: z.int().min(1),
          from: date,
          to: date,
          reason: z
            .string()
            .optional()
            .meta({ description: 'What the family was told; absent once anonymised' }),
        }),
      )
      .optional(),
    panelBy: date.optional(),
    panelOn: date.optional(),
    answeredAt: dateTime.optional(),
    answeredBy: Actor.optional(),
    outcome: z.enum(OUTCOMES).optional(),
    response: z.string().optional(),
    answeredOnTime: z.boolean().optional(),
    next: z.strictObject({ stage: z.int().min(2), name: z.string(), askBy: date }).optional(),
    ombudsman: OmbudsmanRoute.optional(),
  })
  .meta({ id: 'ComplaintStageRecord', description: 'One stage of a complaint, as it happened' });

export const KeepInformedConsent = z
  .strictObject({
    givenAt: dateTime,
    givenVia: z
      .enum(CHANNELS)
      .meta({ description: 'The channel the feedback came by: web is the family’s own tick on the form' }),
    wording: z.string().meta({ description: 'The version of the words they agreed to' }),
    withdrawnAt: dateTime.optional(),
    withdrawnVia: z.enum(WITHDRAWAL_ROUTES).optional(),
  })
  .meta({
    id: 'KeepInformedConsent',
    description:
      '“Tell me what happens”: one message when it is answered, one per published update linking it; withdrawn, no more',
  });

export const KeepInformedState = z
  .strictObject({
    reference: z.string(),
    keepInformed: z.enum(['yes', 'withdrawn', 'never_asked']),
    givenAt: dateTime.optional(),
    withdrawnAt: dateTime.optional(),
    withdrawnVia: z.enum(WITHDRAWAL_ROUTES).optional(),
  })
  .meta({
    id: 'KeepInformedState',
    description: 'Whether the family is told what happens: no contact details, no one’s words',
  });

const complaintFields = {
  complaintProcedure: z.enum(COMPLAINT_PROCEDURES).optional(),
  complaintStage: z.int().min(1).optional(),
  complaintTimescales: z.array(StageTimescales).optional(),
  complaintStages: z.array(ComplaintStageRecord).optional(),
  reviewPanelOn: date.optional(),
};

const RetentionRule = z.strictObject({ kind, period: z.string(), closedAt: dateTime, dueAt: dateTime }).meta({
  id: 'RetentionRule',
  description: 'The retention rule that made it due: its kind’s period after closure',
});

export const Anonymisation = z
  .strictObject({
    at: dateTime,
    by: Actor.meta({ description: 'system:retention for the schedule; the admin for an erasure' }),
    reason: z.enum(['retention', 'erasure']),
    rule: RetentionRule.optional(),
    note: z.string().optional().meta({ description: 'Erasure: the admin’s note of the request' }),
    historyPending: z
      .boolean()
      .optional()
      .meta({ description: 'Only while a long history is still being scrubbed (the next run finishes it)' }),
  })
  .meta({
    id: 'Anonymisation',
    description:
      'Its personal data was removed: the message is empty; contact details, answers and reasons are gone, here and in its history',
  });

export const Feedback = z
  .object({
    id: z.string(),
    reference: z.string(),
    kind,
    projectId: z.string(),
    status: z.enum(FEEDBACK_STATUSES),
    message: z.string(),
    submitterRole: z.enum(SUBMITTER_ROLES),
    channel: z.enum(CHANNELS),
    satisfaction: z.int().min(1).max(5).optional(),
    contact: z.object({ name: z.string(), email: z.string(), phone: z.string() }).partial().optional(),
    consentToContact: z.boolean(),
    keepInformed: KeepInformedConsent.optional(),
    receivedAt: dateTime,
    timeframe: Timeframe,
    acknowledgeBy: date,
    acknowledgeDueAt: dateTime,
    respondBy: date,
    respondDueAt: dateTime,
    acknowledgedAt: dateTime.optional(),
    acknowledgedBy: Actor.optional(),
    respondedAt: dateTime.optional(),
    respondedBy: Actor.optional(),
    response: z.string().optional(),
    outcome: z.enum(OUTCOMES).optional(),
    closedAt: dateTime.optional(),
    closedBy: Actor.optional(),
    ...complaintFields,
    version: z.int().min(1),
    anonymised: Anonymisation.optional(),
  })
  .meta({
    id: 'Feedback',
    description:
      'Feedback as officers see it, with the family’s words and contact (shared/domain/officer-views.ts: no intake fingerprints, no alert bookkeeping)',
  });

export const HistoryEntry = z
  .object({
    version: z.int(),
    at: dateTime,
    actor: Actor,
    action: z.string(),
    changes: z.record(z.string(), z.object({ from: z.unknown(), to: z.unknown() })),
    reason: z.string().optional().meta({ description: 'Why, in the officer’s words (procedure, extension)' }),
    alert: SentAlert.optional().meta({ description: 'On the entries the overdue sweep writes' }),
  })
  .meta({ id: 'HistoryEntry', description: 'One accountable change: who, when, what' });

const EscalationLink = z
  .strictObject({
    token: z.string().meta({ description: 'The signed family link (shared/domain/family-links.ts)' }),
    url: z.string().optional().meta({ description: 'The family page, the token in its fragment' }),
  })
  .meta({ id: 'EscalationLink' });

export const NextStep = z
  .union([
    z.strictObject({
      kind: z.literal('next_stage'),
      stage: z.int().min(2),
      name: z.string(),
      askBy: date,
      link: EscalationLink.optional(),
    }),
    z.strictObject({ kind: z.literal('ombudsman'), ...OmbudsmanRoute.shape }),
  ])
  .meta({ id: 'NextStep', description: 'What the family may do after a complaint stage’s answer' });

export const AnsweredFeedback = z.object({ ...Feedback.shape, nextStep: NextStep.optional() }).meta({
  id: 'AnsweredFeedback',
  description: 'The feedback after its answer; a complaint says what comes next',
});

export const EscalationOutcome = z
  .strictObject({
    reference: z.string(),
    procedure: z.enum(COMPLAINT_PROCEDURES),
    stage: z.int().min(2),
    stageName: z.string(),
    requestedAt: dateTime,
    acknowledgeBy: date,
    respondBy: date,
    panelBy: date.optional(),
  })
  .meta({
    id: 'EscalationOutcome',
    description: 'The stage the family asked for: dates only, no one’s words',
  });

export const FamilyNotice = z
  .strictObject({
    noticeId: z.string().meta({ description: 'Also the message’s reference in GOV.UK Notify' }),
    type: z.enum(FAMILY_MESSAGE_TYPES),
    stage: z.int().min(1).optional().meta({ description: 'answered: the complaint stage answered' }),
    updateId: z.string().optional().meta({ description: 'update_published: the update' }),
    channel: z.enum(['email', 'sms']),
    state: z.enum(['claimed', 'sent', 'not_sent']).meta({
      description:
        'claimed: being sent (or an attempt stopped and will be retried); not_sent: see notSentReason',
    }),
    claimedAt: dateTime,
    sentAt: dateTime.optional(),
    notificationId: z.string().optional().meta({ description: 'GOV.UK Notify’s id for it' }),
    notSentReason: z.string().optional(),
  })
  .meta({
    id: 'FamilyNotice',
    description: 'A message to the family about this feedback: what and when, never its words or the address',
  });

export const FeedbackWithHistory = z
  .object({
    ...Feedback.shape,
    overdue: z.boolean().meta({
      description:
        'Past the current deadline (acknowledgement, then answer) and not yet met, by the service’s clock',
    }),
    history: z.array(HistoryEntry),
    alerts: z.array(SentAlert),
    messages: z.array(FamilyNotice),
  })
  .meta({ id: 'FeedbackWithHistory' });

export const FeedbackSummary = z
  .object({
    id: z.string(),
    reference: z.string(),
    kind,
    projectId: z.string(),
    status: z.enum(FEEDBACK_STATUSES),
    receivedAt: dateTime,
    acknowledgeBy: date,
    respondBy: date,
    overdue: z.boolean(),
    version: z.int(),
    complaintProcedure: z.enum(COMPLAINT_PROCEDURES).optional(),
    complaintStage: z.int().min(1).optional(),
  })
  .meta({ id: 'FeedbackSummary', description: 'A list row: no message, no contact details' });

const cursor = z
  .string()
  .optional()
  .meta({ description: 'Pass as ?cursor= for the next page; absent on the last' });
export const FeedbackPage = z
  .object({ items: z.array(FeedbackSummary), cursor })
  .meta({ id: 'FeedbackPage' });

const CorporateComplaints = z
  .strictObject({
    askForStage2WithinWorkingDays: z.int().min(1).optional(),
    stage1MaxExtensionWorkingDays: z.int().min(0).optional(),
    stage2AcknowledgeWorkingDays: z.int().min(1).optional(),
    stage2RespondWorkingDays: z.int().min(1).optional(),
    stage2MaxExtensionWorkingDays: z.int().min(0).optional(),
  })
  .meta({ id: 'CorporateComplaintSettings' });

export const StoredProject = z
  .object({
    id: z.string(),
    title: z.string(),
    serviceArea: z.string(),
    description: z.string().optional(),
    timeframes: Timeframes,
    eventReportBackWorkingDays: z.int(),
    alertTeam: z.string(),
    reminderWorkingDays: z.int().min(1).optional(),
    escalateAfterReminders: z.int().min(1).optional(),
    complaintProcedure: z.enum(COMPLAINT_PROCEDURES).optional(),
    corporateComplaints: CorporateComplaints.optional(),
    active: z.boolean(),
    version: z.int().min(0).meta({ description: '0 for a checked-in default never saved' }),
    updatedAt: dateTime.optional(),
    updatedBy: Actor.optional(),
  })
  .meta({ id: 'Project' });
export const ProjectList = z.object({ projects: z.array(StoredProject) }).meta({ id: 'ProjectList' });

export const CoproductionEvent = z
  .object({
    id: z.string(),
    title: z.string(),
    projectId: z.string(),
    type: z.enum(EVENT_TYPES),
    heldOn: date,
    participants: z.object({
      childrenAndYoungPeople: z.int(),
      parentsAndCarers: z.int(),
      professionals: z.int(),
    }),
    accessibility: z.array(z.string()),
    whatWeHeard: z.string().optional(),
    status: z.enum(EVENT_STATUSES),
    reportBackBy: date,
    reportBackDueAt: dateTime,
    createdAt: dateTime,
    createdBy: Actor,
    updatedAt: dateTime,
    updatedBy: Actor,
    version: z.int(),
  })
  .meta({ id: 'Event', description: 'An event as officers see it (no alert bookkeeping)' });
export const EventWithHistory = z
  .object({ ...CoproductionEvent.shape, history: z.array(HistoryEntry), alerts: z.array(SentAlert) })
  .meta({ id: 'EventWithHistory' });
export const EventSummary = z
  .object({
    id: z.string(),
    title: z.string(),
    projectId: z.string(),
    type: z.enum(EVENT_TYPES),
    heldOn: date,
    status: z.enum(EVENT_STATUSES),
    reportBackBy: date,
    version: z.int(),
  })
  .meta({ id: 'EventSummary' });
export const EventPage = z.object({ items: z.array(EventSummary), cursor }).meta({ id: 'EventPage' });

/** The OpenAPI document itself: described loosely (it describes itself). */
export const OpenApiDocument = z
  .looseObject({ openapi: z.string(), info: z.looseObject({}), paths: z.looseObject({}) })
  .meta({ id: 'OpenApiDocument' });

/** Counts are shown as themselves, or as "fewer than N" when small enough to single someone out. */
const shownCount = z.union([z.int().min(0), z.string().regex(/^fewer than \d+$/)]);
const PublicCounts = z
  .strictObject({
    childrenAndYoungPeople: shownCount,
    parentsAndCarers: shownCount,
    professionals: shownCount,
    other: shownCount,
    events: shownCount,
  })
  .meta({ id: 'PublicCounts', description: 'Voices answered, with small counts suppressed' });
const updateStatus = z.enum(UPDATE_STATUSES);

export const Update = z
  .object({
    id: z.string(),
    projectId: z.string(),
    projectTitle: z.string(),
    title: z.string(),
    youSaid: z.string(),
    weDid: z.string(),
    status: updateStatus,
    reason: z.string().optional(),
    easyRead: z.string().optional(),
    expectedBy: date.optional(),
    feedbackIds: z.array(z.string()),
    eventIds: z.array(z.string()),
    voices: z
      .object({
        childrenAndYoungPeople: z.int(),
        parentsAndCarers: z.int(),
        professionals: z.int(),
        other: z.int(),
        events: z.int(),
      })
      .meta({ description: 'Raw counts over the linked items (only suppressed counts are public)' }),
    published: z.boolean(),
    publishedAt: dateTime.optional(),
    publishedBy: Actor.optional(),
    firstPublishedAt: dateTime
      .optional()
      .meta({ description: 'When it was first published (kept when it is unpublished and published again)' }),
    modifiedAt: dateTime.optional().meta({ description: 'The public modified time' }),
    unpublishedAt: dateTime.optional(),
    unpublishedBy: Actor.optional(),
    createdAt: dateTime,
    createdBy: Actor,
    updatedAt: dateTime,
    updatedBy: Actor,
    version: z.int().min(1),
  })
  .meta({ id: 'Update', description: 'A "You said, we did" update as officers see it, with its links' });
export const UpdateWithHistory = z
  .object({ ...Update.shape, history: z.array(HistoryEntry) })
  .meta({ id: 'UpdateWithHistory' });
export const UpdateSummary = z
  .object({
    id: z.string(),
    projectId: z.string(),
    title: z.string(),
    status: updateStatus,
    published: z.boolean(),
    publishedAt: dateTime.optional(),
    modifiedAt: dateTime.optional(),
    updatedAt: dateTime,
    version: z.int(),
  })
  .meta({ id: 'UpdateSummary' });
export const UpdatePage = z.object({ items: z.array(UpdateSummary), cursor }).meta({ id: 'UpdatePage' });

const projectRef = z.strictObject({ id: z.string(), title: z.string() });

/** JSON Feed 1.1 (https://jsonfeed.org/version/1.1) with this service's extension: public, so closed. */
export const JsonFeedItem = z
  .strictObject({
    id: z.string(),
    url: z.string(),
    title: z.string(),
    content_text: z.string(),
    content_html: z.string(),
    date_published: dateTime,
    date_modified: dateTime,
    tags: z.array(z.string()),
    _you_said_we_did: z.strictObject({
      status: updateStatus,
      reason: z.string().nullable(),
      expectedBy: date.nullable(),
      project: projectRef,
      counts: PublicCounts,
      easyRead: z.string().nullable(),
    }),
  })
  .meta({ id: 'JsonFeedItem' });
export const JsonFeed = z
  .strictObject({
    version: z.literal('https://jsonfeed.org/version/1.1'),
    title: z.string(),
    home_page_url: z.string(),
    feed_url: z.string(),
    description: z.string(),
    language: z.string(),
    next_url: z.string().optional().meta({ description: 'The next page; absent on the last' }),
    items: z.array(JsonFeedItem),
  })
  .meta({ id: 'JsonFeed', description: 'Published updates, most recently modified first' });

export const RssFeed = z.string().meta({
  id: 'RssFeed',
  description:
    'RSS 2.0 (with atom:link self and next, and yswd:status, yswd:expectedBy and yswd:count extensions): the same items as /feed',
});

const reportCount = shownCount;
export const AnnualReport = z
  .strictObject({
    year: z.int(),
    smallCountThreshold: z.int().meta({ description: 'Counts from 1 to this minus 1 show as "fewer than"' }),
    updates: z.array(
      z.strictObject({
        id: z.string(),
        title: z.string(),
        project: projectRef,
        status: updateStatus,
        publishedAt: dateTime,
        modifiedAt: dateTime,
        expectedBy: date.nullable(),
        counts: PublicCounts,
      }),
    ),
    projects: z.array(
      z.strictObject({
        project: projectRef,
        feedbackReceived: z.strictObject({
          feedback: reportCount,
          compliment: reportCount,
          complaint: reportCount,
        }),
        updatesPublished: z.int(),
        eventsHeld: z.int(),
        participants: z.strictObject({
          childrenAndYoungPeople: reportCount,
          parentsAndCarers: reportCount,
          professionals: reportCount,
        }),
      }),
    ),
    get scorecard() {
      return Scorecard;
    },
  })
  .meta({
    id: 'AnnualReport',
    description: 'The year’s published updates and totals per project, identifying no one',
  });
export const AnnualReportCsv = z.string().meta({
  id: 'AnnualReportCsv',
  description:
    "RFC 4180 CSV, one header row, a row per update (section=update) then per project (section=project_total), then the year's scorecard in its own scorecard_… columns (section=scorecard_month, scorecard_project, scorecard_total); cells a spreadsheet would run as formulas start with a quote",
});

const outcome = z.strictObject({
  total: shownCount,
  onTime: shownCount,
  late: shownCount,
  onTimePercent: z.int().min(0).max(100).nullable().meta({
    description:
      'The share on time, from the middle of the shown on time and late bands; null when either is "fewer than"',
  }),
});
const timeliness = z.strictObject({
  acknowledged: outcome,
  answered: outcome,
  medianWorkingDaysToAnswer: z
    .number()
    .nullable()
    .meta({ description: 'Of the answers in the period; null when fewer than the threshold' }),
});
const scorecardFigures = {
  received: z.strictObject({ feedback: shownCount, compliment: shownCount, complaint: shownCount }),
  timeliness: z.strictObject({
    feedback: timeliness,
    compliment: timeliness,
    complaint: timeliness,
    complaintStages: z.array(
      z.strictObject({ stage: z.int().min(1), started: shownCount, ...timeliness.shape }),
    ),
  }),
  satisfaction: z.strictObject({
    responses: shownCount,
    byScore: z.strictObject({ 1: shownCount, 2: shownCount, 3: shownCount, 4: shownCount, 5: shownCount }),
  }),
  updatesPublished: shownCount,
};
const ScorecardFigures = z.strictObject(scorecardFigures).meta({ id: 'ScorecardFigures' });
export const Scorecard = z
  .strictObject({
    from: z.string().meta({ description: 'The first London month, YYYY-MM' }),
    to: z.string().meta({ description: 'The last London month, YYYY-MM' }),
    projectId: z.string().nullable(),
    smallCountThreshold: z.int().meta({
      description:
        'Counts from 1 to this minus 1 show as "fewer than"; others are rounded down to a multiple of it (the bottom of a band as wide)',
    }),
    months: z.array(z.strictObject({ month: z.string(), ...scorecardFigures })),
    projects: z.array(z.strictObject({ project: projectRef, ...scorecardFigures })),
    total: ScorecardFigures,
  })
  .meta({
    id: 'Scorecard',
    description:
      'Timeliness and satisfaction per London month, per project and in total, identifying no one: each count is shown on its own as "fewer than N" or rounded down to a multiple of N, so figures may not add up',
  });
export const ScorecardCsv = z.string().meta({
  id: 'ScorecardCsv',
  description:
    'RFC 4180 CSV, one header row, a row per month (section=month), per project (section=project) and the total (section=total); cells a spreadsheet would run as formulas start with a quote',
});

const matchedBy = z.enum(['email', 'phone', 'reference']);

export const SubjectAccessExport = z
  .strictObject({
    exportedAt: dateTime,
    exportedBy: Actor,
    searchedBy: z.array(matchedBy).meta({ description: 'What was searched by; never the values' }),
    items: z.array(
      z.strictObject({
        matchedBy: z.array(matchedBy).meta({ description: 'Which of the details given led to it' }),
        feedback: Feedback,
        history: z.array(HistoryEntry),
        alerts: z.array(SentAlert),
        messages: z.array(FamilyNotice).meta({ description: 'What the family was sent about it, and when' }),
        retention: z.strictObject({
          period: z.string().meta({ description: 'Its kind’s retention period after closure (ISO 8601)' }),
          anonymiseAfter: dateTime
            .optional()
            .meta({ description: 'Closed: when its personal data goes. Open: not yet known' }),
          anonymised: Anonymisation.optional(),
        }),
      }),
    ),
    truncated: z.boolean().meta({ description: 'More than 100 matched: search again by references' }),
    retentionPeriods: z.record(kind, z.string()),
  })
  .meta({
    id: 'SubjectAccessExport',
    description:
      'Everything held about one family (UK GDPR article 15), oldest first, with how long it is kept',
  });

export const ErasureOutcome = z
  .strictObject({
    erasedAt: dateTime,
    erasedBy: Actor,
    reason: z.string(),
    items: z.array(
      z.strictObject({
        id: z.string(),
        reference: z.string(),
        outcome: z.enum(['anonymised', 'already_anonymised']),
        anonymised: Anonymisation,
      }),
    ),
  })
  .meta({ id: 'ErasureOutcome', description: 'The items erased (anonymised) now, or before' });

export const RetentionAuditPage = z
  .strictObject({
    retentionPeriods: z.record(kind, z.string()),
    month: z.string(),
    records: z.array(
      z.strictObject({
        at: dateTime,
        action: z.enum(['anonymise', 'subject_access_export']),
        by: Actor,
        feedbackIds: z.array(z.string()),
        anonymisation: z
          .strictObject({
            reason: z.enum(['retention', 'erasure']),
            rule: RetentionRule.optional(),
            note: z.string().optional(),
          })
          .optional(),
        searchedBy: z.array(matchedBy).optional(),
        subject: z.string().meta({ description: 'The item, or the export’s request id' }),
        position: z.string().meta({ description: 'Pass as `after` to read on from here' }),
      }),
    ),
    next: z.string().optional().meta({ description: 'More this month: pass it as `after`' }),
  })
  .meta({ id: 'RetentionAuditPage', description: 'A month of anonymisations and subject-access exports' });
