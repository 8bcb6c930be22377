import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import specs from '@asyncapi/specs';
import { marshall } from '@aws-sdk/util-dynamodb';
import { Ajv } from 'ajv';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ASYNCAPI_FILE, asyncApiText } from '../../scripts/event-schemas';
import { DEFAULT_TIMEFRAMES } from '../../shared/config/default-projects';
import { timescalesFor } from '../../shared/domain/complaint-procedure';
import { escalate, extendStage, startComplaint } from '../../shared/domain/complaint-stages';
import { type CoproductionEvent, reportBackDeadline } from '../../shared/domain/event';
import { type Feedback, newFeedback } from '../../shared/domain/feedback';
import { acknowledge, close, respond } from '../../shared/domain/feedback-lifecycle';
import { addDays, londonDateOf } from '../../shared/domain/london-time';
import { startOfLondonDay, workingDaysOverdue } from '../../shared/domain/overdue';
import { newReference } from '../../shared/domain/reference';
import type { Update } from '../../shared/domain/update';
import { addWorkingDays } from '../../shared/domain/working-days';
import { DOMAIN_EVENT_TYPES } from '../../shared/events/catalogue';
import { domainEventsOf } from '../../shared/events/domain-events-of';
import { domainEventId } from '../../shared/events/event-id';
import { type ItemChange, UnreadableItemError } from '../../shared/events/item-change';
import type { DomainEvent, DomainEventOf } from '../../shared/events/schemas';
import { passesStreamFilter } from '../../shared/events/stream-filter';
import { type Anonymisation, anonymisationChange, RETENTION_ACTOR } from '../../shared/retention/anonymise';
import { auditKey, domainEventMarkerKey, subjectLookupKey } from '../../shared/storage/keys';
import { HOUR_MS, TEST_NOW } from '../support/clock';
import {
  eventChange,
  feedbackChange,
  publishedTypes,
  schemaViolations,
  typesOf,
  updateChange,
} from '../support/domain-events';
import { CLEAN_WORDS, type GeneratedPerson, leaksOf, person } from '../support/privacy-arbitraries';

const officer = { sub: 'sub-sam', name: 'Sam Officer' };
const later = (hours: number) => new Date(TEST_NOW.getTime() + hours * HOUR_MS);

function complaint(overrides: Partial<Parameters<typeof newFeedback>[1]> = {}): Feedback {
  return newFeedback(
    newReference(),
    {
      kind: 'complaint',
      projectId: 'general',
      message: 'The taxi did not come again.',
      submitterRole: 'parent_or_carer',
      channel: 'web',
      ...overrides,
    },
    DEFAULT_TIMEFRAMES.complaint,
    TEST_NOW,
  );
}

/** Every event the change means, each checked against the published schema of its type. */
function eventsOf(change: ItemChange): DomainEvent[] {
  const events = domainEventsOf(change);
  for (const event of events) expect(schemaViolations(event), event.type).toEqual([]);
  return events;
}

function only<T extends DomainEvent['type']>(events: DomainEvent[], type: T): DomainEventOf<T> {
  expect(typesOf(events)).toEqual([type]);
  return events[0] as DomainEventOf<T>;
}

describe('feedback events', () => {
  it('say received, acknowledged, responded and closed, once each, with ids, kinds, dates and deadlines', () => {
    const received = complaint();
    const acknowledged = acknowledge(received, officer, later(2)).feedback;
    const responded = respond(
      acknowledged,
      { response: 'We are sorry.', outcome: 'upheld' },
      officer,
      later(5),
    ).feedback;
    const closed = close(responded, officer, later(6)).feedback;

    expect(only(eventsOf(feedbackChange(undefined, received)), 'feedback.received')).toEqual({
      id: domainEventId('feedback.received', `FEEDBACK#${received.id}`, 1),
      type: 'feedback.received',
      version: 1,
      source: 'you-said-we-did',
      occurredAt: received.receivedAt,
      projectId: 'general',
      feedbackId: received.id,
      reference: received.reference,
      kind: 'complaint',
      channel: 'web',
      acknowledgeBy: received.acknowledgeBy,
      respondBy: received.respondBy,
    });
    expect(only(eventsOf(feedbackChange(received, acknowledged)), 'feedback.acknowledged')).toMatchObject({
      occurredAt: later(2).toISOString(),
      feedbackId: received.id,
      deadline: {
        stage: 'acknowledge',
        dueBy: received.acknowledgeBy,
        dueAt: received.acknowledgeDueAt,
        met: true,
        workingDaysLate: 0,
      },
    });
    expect(only(eventsOf(feedbackChange(acknowledged, responded)), 'feedback.responded')).toMatchObject({
      occurredAt: later(5).toISOString(),
      outcome: 'upheld',
      deadline: { stage: 'respond', dueBy: received.respondBy, met: true, workingDaysLate: 0 },
    });
    expect(only(eventsOf(feedbackChange(responded, closed)), 'feedback.closed')).toMatchObject({
      occurredAt: later(6).toISOString(),
      outcome: 'upheld',
    });
  });

  it('say acknowledged then responded when an officer answers unacknowledged feedback', () => {
    const received = complaint();
    const answered = respond(received, { response: 'Done.', outcome: 'partly_upheld' }, officer, later(1));
    const events = eventsOf(feedbackChange(received, answered.feedback));
    expect(typesOf(events)).toEqual(['feedback.acknowledged', 'feedback.responded']);
    expect(new Set(events.map((event) => event.occurredAt))).toEqual(new Set([later(1).toISOString()]));
    expect(new Set(events.map((event) => event.id)).size).toBe(2);
  });

  it('say by how many working days a deadline was missed, as the overdue alerts count them', () => {
    const received = complaint();
    const threeDaysLate = new Date(
      startOfLondonDay(addWorkingDays(received.acknowledgeBy, 3)).getTime() + 12 * HOUR_MS,
    );
    const late = acknowledge(received, officer, threeDaysLate).feedback;
    expect(only(eventsOf(feedbackChange(received, late)), 'feedback.acknowledged').deadline).toEqual({
      stage: 'acknowledge',
      dueBy: received.acknowledgeBy,
      dueAt: received.acknowledgeDueAt,
      met: false,
      workingDaysLate: 3,
    });
  });

  it('count a deadline met up to the last millisecond of its day, missed from the next (property)', () => {
    const received = complaint();
    const dueAt = Date.parse(received.acknowledgeDueAt);
    fc.assert(
      fc.property(fc.integer({ min: -30 * 24 * 60, max: 30 * 24 * 60 }), (minutes) => {
        const at = new Date(dueAt + minutes * 60_000 + (minutes > 0 ? 0 : 0));
        const { deadline } = only(
          domainEventsOf(feedbackChange(received, acknowledge(received, officer, at).feedback)),
          'feedback.acknowledged',
        );
        expect(deadline.met).toBe(at.getTime() <= dueAt);
        expect(deadline.workingDaysLate).toBe(
          deadline.met ? 0 : workingDaysOverdue(received.acknowledgeBy, at),
        );
      }),
      { numRuns: 200 },
    );
  });

  it('say nothing for changes that move no stage: the sweep’s alert bookkeeping, index keys written again', () => {
    const received = complaint();
    const alerted: Feedback = {
      ...received,
      alertSeries: `acknowledge#${received.acknowledgeDueAt}`,
      alertsSent: 1,
      lastAlertAt: later(200).toISOString(),
      nextAlertAt: later(300).toISOString(),
    };
    expect(domainEventsOf(feedbackChange(received, alerted))).toEqual([]);
    expect(domainEventsOf(feedbackChange(received, received))).toEqual([]);
  });

  it('refuse an item that its key says is feedback but cannot be read as one, naming the field and no value', () => {
    const received = complaint({ message: 'Our son Tobias' });
    const { reference: _gone, ...broken } = feedbackChange(undefined, received).newImage as Record<
      string,
      unknown
    >;
    const read = () =>
      domainEventsOf({ keys: { PK: `FEEDBACK#${received.id}`, SK: 'META' }, newImage: broken });
    expect(read).toThrow(UnreadableItemError);
    expect(read).toThrow(/field 'reference'/);
    expect(read).not.toThrow(/Tobias/);
  });
});

describe('complaint stages', () => {
  const staged = () =>
    startComplaint(
      complaint(),
      'corporate',
      timescalesFor('corporate', { timeframe: DEFAULT_TIMEFRAMES.complaint }),
    );

  it('say which stage each event is about, and feedback.extended and feedback.escalated between stages, without the reasons', () => {
    const received = staged();
    expect(only(eventsOf(feedbackChange(undefined, received)), 'feedback.received').complaintStage).toBe(1);
    const acknowledged = acknowledge(received, officer, later(1)).feedback;
    const extended = extendStage(
      acknowledged,
      5,
      'Tobias’s school has not sent its records',
      officer,
      later(2),
    ).feedback;
    const extension = only(eventsOf(feedbackChange(acknowledged, extended)), 'feedback.extended');
    expect(extension).toMatchObject({
      occurredAt: later(2).toISOString(),
      feedbackId: received.id,
      complaintStage: 1,
      workingDays: 5,
      fromDueBy: received.respondBy,
      toDueBy: addWorkingDays(received.respondBy, 5),
    });
    const answered = respond(
      extended,
      { response: 'We are sorry.', outcome: 'not_upheld' },
      officer,
      later(3),
    ).feedback;
    // Answered against the extended deadline.
    expect(only(eventsOf(feedbackChange(extended, answered)), 'feedback.responded')).toMatchObject({
      complaintStage: 1,
      deadline: { stage: 'respond', dueBy: addWorkingDays(received.respondBy, 5), met: true },
    });
    const asked = later(30);
    const escalated = escalate(
      answered,
      { at: asked, via: 'family_link', reason: 'Tobias still has no place' },
      officer,
      later(31),
    ).feedback;
    const escalation = only(eventsOf(feedbackChange(answered, escalated)), 'feedback.escalated');
    expect(escalation).toMatchObject({
      occurredAt: asked.toISOString(),
      complaintStage: 2,
      fromStage: 1,
      complaintProcedure: 'corporate',
      requestedVia: 'family_link',
      inTime: true,
      acknowledgeBy: escalated.acknowledgeBy,
      respondBy: escalated.respondBy,
    });
    // Stage 2 is acknowledged in its turn: a new event, not a repeat of stage 1's.
    const stage2 = only(
      eventsOf(feedbackChange(escalated, acknowledge(escalated, officer, later(32)).feedback)),
      'feedback.acknowledged',
    );
    expect(stage2.complaintStage).toBe(2);
    expect(JSON.stringify([extension, escalation, stage2])).not.toMatch(/Tobias|records|place/);
  });
});

describe('feedback.anonymised', () => {
  it('says once, with ids, kind and why, when a closed item is anonymised; nothing else, and nothing when its history scrubbing finishes', () => {
    const answered = respond(
      complaint(),
      { response: 'We are sorry.', outcome: 'upheld' },
      officer,
      later(1),
    );
    const closed = close(answered.feedback, officer, later(2)).feedback;
    const at = later(3).toISOString();
    const { feedback: anonymised } = anonymisationChange(closed, {
      at,
      by: RETENTION_ACTOR,
      reason: 'retention',
      rule: { kind: 'complaint', period: 'P6Y', closedAt: closed.closedAt as string, dueAt: at },
    });

    const event = only(eventsOf(feedbackChange(closed, anonymised)), 'feedback.anonymised');
    expect(event).toEqual({
      id: domainEventId('feedback.anonymised', `FEEDBACK#${closed.id}`, anonymised.version),
      type: 'feedback.anonymised',
      version: 1,
      source: 'you-said-we-did',
      occurredAt: at,
      projectId: 'general',
      feedbackId: closed.id,
      reference: closed.reference,
      kind: 'complaint',
      complaintStage: 1,
      reason: 'retention',
    });
    const pending = {
      ...anonymised,
      anonymised: { ...(anonymised.anonymised as Anonymisation), historyPending: true },
    };
    expect(eventsOf(feedbackChange(pending, anonymised))).toEqual([]);
    expect(eventsOf(feedbackChange(anonymised, anonymised))).toEqual([]);
  });
});

describe('alert, event and update events', () => {
  const feedbackId = 'K7QM92PD';
  const claim = {
    PK: `FEEDBACK#${feedbackId}`,
    SK: 'ALERT#K7QM92PD.acknowledge.2026-12-03.000',
    entity: 'ALERT',
    alertId: 'K7QM92PD.acknowledge.2026-12-03.000',
    alertState: 'claimed',
    stage: 'acknowledge',
    type: 'first',
    sequence: 0,
    escalation: false,
    projectId: 'general',
    kind: 'complaint',
    claimToken: 'token',
    claimedAt: later(100).toISOString(),
    leaseUntil: later(101).toISOString(),
  };
  const { claimToken: _t, leaseUntil: _l, ...sentFields } = claim;
  const sent = {
    ...sentFields,
    alertState: 'sent',
    sentAt: later(100).toISOString(),
    messageId: 'sns-1',
    workingDaysOverdue: 1,
    team: 'send-service',
  };
  const alertChange = (before: object | undefined, after: object): ItemChange => ({
    keys: { PK: claim.PK, SK: claim.SK },
    oldImage: before as Record<string, unknown> | undefined,
    newImage: after as Record<string, unknown>,
  });

  it('say alert.sent once, when the sweep records an alert as sent, and nothing for its claim', () => {
    expect(domainEventsOf(alertChange(undefined, claim))).toEqual([]);
    expect(only(eventsOf(alertChange(claim, sent)), 'alert.sent')).toEqual({
      id: domainEventId('alert.sent', claim.PK, claim.alertId),
      type: 'alert.sent',
      version: 1,
      source: 'you-said-we-did',
      occurredAt: sent.sentAt,
      projectId: 'general',
      alertId: claim.alertId,
      entity: 'feedback',
      feedbackId,
      reference: 'K7QM-92PD',
      kind: 'complaint',
      stage: 'acknowledge',
      alertType: 'first',
      sequence: 0,
      escalation: false,
      workingDaysOverdue: 1,
      team: 'send-service',
    });
    expect(domainEventsOf(alertChange(sent, { ...sent, messageId: 'again' }))).toEqual([]);
    // A claim from a sweep older than the project on alert records gives no event.
    const { projectId: _p, ...oldSent } = sent;
    expect(domainEventsOf(alertChange(claim, oldSent))).toEqual([]);
  });

  const at = TEST_NOW.toISOString();
  const heldOn = londonDateOf(TEST_NOW);
  const event: CoproductionEvent = {
    id: 'H4PP3NED',
    title: 'Forum at Mrs Jones’s school',
    projectId: 'general',
    type: 'forum',
    heldOn,
    participants: { childrenAndYoungPeople: 3, parentsAndCarers: 9, professionals: 2 },
    accessibility: ['BSL interpreter'],
    whatWeHeard: 'Tobias said the buses are late',
    status: 'held',
    ...reportBackDeadline(heldOn, 20),
    createdAt: at,
    createdBy: officer,
    updatedAt: at,
    updatedBy: officer,
    version: 1,
  };

  it('say event.recorded when a co-production event is recorded, with counts and dates but not its words', () => {
    const recorded = only(eventsOf(eventChange(undefined, event)), 'event.recorded');
    expect(recorded).toEqual({
      id: domainEventId('event.recorded', 'EVENT#H4PP3NED', 1),
      type: 'event.recorded',
      version: 1,
      source: 'you-said-we-did',
      occurredAt: at,
      projectId: 'general',
      eventId: 'H4PP3NED',
      eventType: 'forum',
      status: 'held',
      heldOn,
      reportBackBy: event.reportBackBy,
      participants: { childrenAndYoungPeople: 3, parentsAndCarers: 9, professionals: 2 },
    });
    expect(JSON.stringify(recorded)).not.toMatch(/Jones|Tobias|BSL/);
    const reported = { ...event, status: 'reported_back' as const, version: 2 };
    expect(domainEventsOf(eventChange(event, reported))).toEqual([]);
  });

  const draft: Update = {
    id: 'abcdefghjkmn',
    projectId: 'general',
    projectTitle: 'General feedback about SEND services',
    title: 'Taxis told in advance',
    youSaid: 'Taxis were late.',
    weDid: 'Firms now tell families a week ahead.',
    status: 'done',
    feedbackIds: [feedbackId, 'X4RT88BN'],
    eventIds: ['H4PP3NED'],
    voices: {
      total: 2,
      childrenAndYoungPeople: 0,
      parentsAndCarers: 2,
      professionals: 0,
      other: 0,
    } as unknown as Update['voices'],
    published: false,
    createdAt: at,
    createdBy: officer,
    updatedAt: at,
    updatedBy: officer,
    version: 1,
  };

  it('say update.published and update.unpublished when the flag changes, with the linked ids and no words', () => {
    expect(domainEventsOf(updateChange(undefined, draft))).toEqual([]);
    const published: Update = {
      ...draft,
      published: true,
      publishedAt: later(1).toISOString(),
      publishedBy: officer,
      modifiedAt: later(1).toISOString(),
      version: 2,
    };
    const first = only(eventsOf(updateChange(draft, published)), 'update.published');
    expect(first).toEqual({
      id: domainEventId('update.published', 'UPDATE#abcdefghjkmn', 2),
      type: 'update.published',
      version: 1,
      source: 'you-said-we-did',
      occurredAt: later(1).toISOString(),
      projectId: 'general',
      updateId: 'abcdefghjkmn',
      status: 'done',
      feedbackIds: [feedbackId, 'X4RT88BN'],
      eventIds: ['H4PP3NED'],
    });
    const edited = { ...published, weDid: 'Firms tell families ten days ahead.', version: 3 };
    expect(domainEventsOf(updateChange(published, edited))).toEqual([]);
    const unpublished: Update = {
      ...edited,
      published: false,
      unpublishedAt: later(2).toISOString(),
      unpublishedBy: officer,
      version: 4,
    };
    expect(only(eventsOf(updateChange(edited, unpublished)), 'update.unpublished')).toMatchObject({
      occurredAt: later(2).toISOString(),
      feedbackIds: [feedbackId, 'X4RT88BN'],
    });
    const again = { ...unpublished, published: true, publishedAt: later(3).toISOString(), version: 5 };
    const second = only(eventsOf(updateChange(unpublished, again)), 'update.published');
    expect(second.id).not.toBe(first.id);
  });

  it('say nothing for history entries, projects, markers or anything a projection writes', () => {
    const bookkeeping: ItemChange[] = [
      { keys: { PK: 'FEEDBACK#K7QM92PD', SK: 'HISTORY#00000002' }, newImage: { action: 'acknowledge' } },
      { keys: { PK: 'PROJECTS', SK: 'PROJECT#general' }, newImage: { id: 'general' } },
      { keys: { PK: 'PROJECT#general', SK: 'HISTORY#00000001' }, newImage: {} },
      { keys: domainEventMarkerKey('x'), newImage: { type: 'feedback.received' } },
      { keys: { PK: 'SCORECARD#general', SK: '2026-12' }, newImage: { received: 3 } },
      { keys: { PK: 'FEEDBACK#K7QM92PD', SK: 'META' }, oldImage: { id: 'K7QM92PD' } },
    ];
    for (const change of bookkeeping) expect(domainEventsOf(change), change.keys.PK).toEqual([]);
  });
});

describe('event ids', () => {
  it('are the same for the same change and differ for anything else (property)', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...DOMAIN_EVENT_TYPES),
        fc.string({ minLength: 1 }),
        fc.nat(),
        fc.nat(),
        (type, subject, a, b) => {
          const id = domainEventId(type, subject, a);
          expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
          expect(domainEventId(type, subject, a)).toBe(id);
          expect(domainEventId(type, subject, b) === id).toBe(a === b);
        },
      ),
    );
  });
});

describe('privacy', () => {
  const vocabulary = (events: DomainEvent[]) =>
    new Set(
      [
        ...JSON.stringify(events)
          .toLowerCase()
          .matchAll(/[a-z]+/g),
      ].map((m) => m[0]),
    );

  /** A feedback item's whole life, an event and an update, every free-text field full of one person. */
  function lifeOf(p: GeneratedPerson, kind: Feedback['kind']): ItemChange[] {
    const said = `${p.first} ${p.last} (${p.email}, ${p.phone}, ${p.reference}) ${p.message}`;
    const arrived = newFeedback(
      newReference(),
      {
        kind,
        projectId: 'general',
        message: said,
        submitterRole: p.role,
        channel: 'email',
        contact: { name: `${p.first} ${p.last}`, email: p.email, phone: p.phone },
        consentToContact: true,
        satisfaction: 4,
      },
      DEFAULT_TIMEFRAMES[kind],
      TEST_NOW,
    );
    // Complaints follow the corporate procedure, as intake starts them, and are extended and escalated.
    const received = startComplaint(
      arrived,
      'corporate',
      timescalesFor('corporate', { timeframe: DEFAULT_TIMEFRAMES[kind] }),
    );
    const actor = { sub: `sub-${p.first}`, name: `${p.first} ${p.last}` };
    const extended =
      kind === 'complaint' ? extendStage(received, 2, said, actor, later(0.5)).feedback : received;
    const answered = respond(extended, { response: said, outcome: 'upheld' }, actor, later(1)).feedback;
    const closed = close(answered, actor, later(2)).feedback;
    const stages =
      kind === 'complaint'
        ? [
            feedbackChange(received, extended),
            feedbackChange(
              closed,
              escalate(
                closed,
                { at: later(3), via: 'email', recordedBy: actor, reason: said },
                actor,
                later(3),
              ).feedback,
            ),
          ]
        : [];
    const heldOn = addDays(londonDateOf(TEST_NOW), -1);
    const event: CoproductionEvent = {
      id: received.id,
      title: said,
      projectId: 'general',
      type: 'workshop',
      heldOn,
      participants: { childrenAndYoungPeople: 1, parentsAndCarers: 1, professionals: 0 },
      accessibility: [said],
      whatWeHeard: said,
      status: 'held',
      ...reportBackDeadline(heldOn, 20),
      createdAt: received.receivedAt,
      createdBy: actor,
      updatedAt: received.receivedAt,
      updatedBy: actor,
      version: 1,
    };
    const update: Update = {
      id: 'abcdefghjkmn',
      projectId: 'general',
      projectTitle: said,
      title: said,
      youSaid: said,
      weDid: said,
      status: 'not_possible',
      reason: said,
      easyRead: said,
      feedbackIds: [received.id],
      eventIds: [],
      voices: {} as Update['voices'],
      published: false,
      createdAt: received.receivedAt,
      createdBy: actor,
      updatedAt: received.receivedAt,
      updatedBy: actor,
      version: 1,
    };
    const published = {
      ...update,
      published: true,
      publishedAt: later(3).toISOString(),
      publishedBy: actor,
      version: 2,
    };
    return [
      feedbackChange(undefined, received),
      ...stages.slice(0, 1),
      feedbackChange(extended, answered),
      feedbackChange(answered, closed),
      ...stages.slice(1),
      eventChange(undefined, event),
      updateChange(undefined, update),
      updateChange(update, published),
    ];
  }

  it('no event carries a family’s words, name, email, phone or a pasted reference, nor an officer’s text or name (property)', () => {
    const baseline = lifeOf(
      {
        first: 'Xq',
        last: 'Zv',
        email: 'a@b.cd',
        phone: '0',
        role: 'other',
        message: 'm',
        reference: 'ZZZZ-ZZZZ',
      },
      'complaint',
    ).flatMap(domainEventsOf);
    const reserved = new Set([...vocabulary(baseline), ...CLEAN_WORDS]);
    fc.assert(
      fc.property(
        person(reserved),
        fc.constantFrom('complaint', 'feedback', 'compliment' as const),
        (p, kind) => {
          const events = lifeOf(p, kind).flatMap(eventsOf);
          const complaint = kind === 'complaint';
          expect(typesOf(events)).toEqual([
            'feedback.received',
            ...(complaint ? ['feedback.extended'] : []),
            'feedback.acknowledged',
            'feedback.responded',
            'feedback.closed',
            ...(complaint ? ['feedback.escalated'] : []),
            'event.recorded',
            'update.published',
          ]);
          const output = JSON.stringify(events);
          // The event's own reference is its subject; a reference pasted into text is someone else's.
          expect(leaksOf(output, [p])).toEqual([]);
          expect(output).not.toContain('secretmarker');
          expect(output).not.toContain('satisfaction');
        },
      ),
      { numRuns: 60 },
    );
  });
});

describe('the stream filter (Lambda’s filter criteria, and npm start’s reader)', () => {
  const asRecord = (change: ItemChange) => ({
    dynamodb: {
      Keys: marshall(change.keys),
      ...(change.newImage
        ? {
            NewImage: marshall(change.newImage, {
              removeUndefinedValues: true,
              convertClassInstanceToMap: true,
            }),
          }
        : {}),
    },
  });

  it('lets through every change a domain event comes from, and none of the bookkeeping', () => {
    const received = complaint();
    const acknowledged = acknowledge(received, officer, later(1)).feedback;
    const eventful: ItemChange[] = [
      feedbackChange(undefined, received),
      feedbackChange(received, acknowledged),
      {
        keys: { PK: 'EVENT#H4PP3NED', SK: 'ALERT#H4PP3NED.report_back.2026-12-03.000' },
        newImage: { alertState: 'sent' },
      },
    ];
    for (const change of eventful) expect(passesStreamFilter(asRecord(change)), change.keys.SK).toBe(true);
    const bookkeeping: ItemChange[] = [
      { keys: { PK: 'FEEDBACK#K7QM92PD', SK: 'HISTORY#00000002' }, newImage: { version: 2 } },
      { keys: { PK: 'FEEDBACK#K7QM92PD', SK: 'ALERT#x' }, newImage: { alertState: 'claimed' } },
      { keys: domainEventMarkerKey('x'), newImage: { type: 'feedback.received' } },
      { keys: { PK: 'PROJECTS', SK: 'PROJECT#general' }, newImage: {} },
      { keys: { PK: 'SCORECARD#general', SK: 'META' }, newImage: {} },
      // Retention's own records: the subject lookup and the audit.
      { keys: subjectLookupKey('email.x', 'K7QM92PD'), newImage: { feedbackId: 'K7QM92PD' } },
      { keys: auditKey(later(1).toISOString(), 'anonymise', 'K7QM92PD'), newImage: {} },
    ];
    for (const change of bookkeeping)
      expect(passesStreamFilter(asRecord(change)), change.keys.PK).toBe(false);
  });
});

describe('the published schemas (asyncapi.json)', () => {
  it('are current: run `npm run events:schema` after changing shared/events/schemas.ts', () => {
    expect(readFileSync(ASYNCAPI_FILE, 'utf8')).toBe(asyncApiText());
  });

  it('describe every type in the catalogue, as a valid AsyncAPI 3.0 document', () => {
    expect(publishedTypes().sort()).toEqual([...DOMAIN_EVENT_TYPES].sort());
    // The specification bundles the draft-07 meta-schema itself: Ajv's own copy would clash with it.
    const ajv = new Ajv({
      allErrors: true,
      strict: false,
      validateFormats: false,
      meta: false,
      validateSchema: false,
    });
    const validate = ajv.compile(specs.schemas['3.0.0'] as object);
    const document = JSON.parse(
      readFileSync(fileURLToPath(new URL('../../asyncapi.json', import.meta.url)), 'utf8'),
    );
    expect(validate(document), JSON.stringify(validate.errors?.slice(0, 3))).toBe(true);
  });

  it('refuse an event with a field the catalogue does not name', () => {
    const event = domainEventsOf(feedbackChange(undefined, complaint()))[0];
    expect(schemaViolations(event)).toEqual([]);
    expect(schemaViolations({ ...event, message: 'The taxi did not come again.' })).not.toEqual([]);
    expect(schemaViolations({ ...event, type: 'feedback.deleted' })).not.toEqual([]);
  });
});

describe('stream records as the projector reads them', () => {
  it('take the change time in epoch seconds from Lambda, or from an ISO date in a record fetched for a redrive', async () => {
    const { streamRecordOf } = await import('../../functions/project-stream/handler');
    const keys = marshall({ PK: 'FEEDBACK#K7QM92PD', SK: 'META' });
    const at = Math.floor(TEST_NOW.getTime() / 1000);
    const fromLambda = streamRecordOf({ dynamodb: { ApproximateCreationDateTime: at, Keys: keys as never } });
    const fromCli = streamRecordOf({
      dynamodb: {
        ApproximateCreationDateTime: new Date(at * 1000).toISOString() as never,
        Keys: keys as never,
      },
    });
    expect(fromLambda.changedAt).toBe(at);
    expect(fromCli.changedAt).toBe(at);
    expect(streamRecordOf({ dynamodb: { Keys: keys as never } }).changedAt).toBe(0);
    expect(fromLambda.read()).toEqual({
      keys: { PK: 'FEEDBACK#K7QM92PD', SK: 'META' },
      oldImage: undefined,
      newImage: undefined,
    });
    expect(() => streamRecordOf({ dynamodb: {} }).read()).toThrow(/without a PK and SK/);
  });
});
