import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { DynamoDBRecord } from 'aws-lambda';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { makeHandler } from '../../functions/project-stream/handler';
import { readFamilyLink } from '../../shared/domain/family-links';
import { createUpdate, editUpdate, publishUpdate, unpublishUpdate } from '../../shared/domain/manage-updates';
import { receiveFeedback } from '../../shared/domain/receive-feedback';
import { stopMessagesByFamilyLink } from '../../shared/domain/stop-messages';
import { changeFeedback } from '../../shared/domain/triage-feedback';
import { outboxBus } from '../../shared/events/outbox-bus';
import type { ProjectorDeps } from '../../shared/events/project-stream';
import { publishToBus } from '../../shared/events/reactions/publish-to-bus';
import {
  type NoticeStore,
  type TellFamiliesDeps,
  tellFamilies,
} from '../../shared/events/reactions/tell-families';
import { passesStreamFilter } from '../../shared/events/stream-filter';
import { familyMessageConfigFromEnv } from '../../shared/notify/family-message-config';
import type { FamilyMessenger } from '../../shared/notify/family-messenger';
import { govukNotifyMessenger } from '../../shared/notify/govuk-notify-messenger';
import { createEventMarkerStore } from '../../shared/storage/event-marker-repository';
import { createFeedbackReader } from '../../shared/storage/feedback-reader';
import { noticePartition } from '../../shared/storage/keys';
import { createNoticeStore, noticesOfFeedback } from '../../shared/storage/notice-repository';
import { HOUR_MS, TEST_NOW, testClock } from '../support/clock';
import { officerDeps } from '../support/deps';
import { createTestTable, type TestTable } from '../support/dynamo';
import { FAKE_NOTIFY_KEY, type FakeNotify, startFakeNotify } from '../support/fake-notify';
import { TEST_FAMILY_LINK_KEY } from '../support/signing';
import { from, lambdaBatch, streamOf } from '../support/stream';
import { updateDeps } from '../support/you-said-we-did';

/**
 * Close the loop on DynamoDB Local's real stream: feedback given with "tell me what happens",
 * answered and linked from published updates through the domain functions; the projector (the
 * Lambda handler) fed the stream's records as Lambda would; messages sent through the real GOV.UK
 * Notify adapter to a fake Notify over HTTP (test/support/fake-notify.ts). Crashes are injected
 * into the ports between claim, send and record; redelivery is the same records again.
 */
const FAMILY_WORDS = 'Our son Kwame has had no speech therapy since March';
const FAMILY_EMAIL = 'kwame.parent@example.com';
const FAMILY_NAME = 'Efua Mensah';
const OFFICER_ANSWER = 'Dear Ms Mensah, a therapist starts on Monday';
const STOP_PAGE = 'https://localoffer.council.example/family/stop-messages.html';
const ESCALATE_PAGE = 'https://localoffer.council.example/family/escalate.html';
const ENV = {
  FAMILY_PAGE_URL: ESCALATE_PAGE,
  FAMILY_STOP_PAGE_URL: STOP_PAGE,
  FEED_ITEM_URL_TEMPLATE: 'https://localoffer.council.example/you-said-we-did/{id}',
  FEED_HOME_PAGE_URL: 'https://localoffer.council.example/you-said-we-did',
  NOTIFY_TEMPLATE_ANSWERED_EMAIL: '11111111-1111-4111-8111-111111111111',
  NOTIFY_TEMPLATE_ANSWERED_SMS: '22222222-2222-4222-8222-222222222222',
  NOTIFY_TEMPLATE_UPDATE_PUBLISHED_EMAIL: '33333333-3333-4333-8333-333333333333',
  NOTIFY_TEMPLATE_UPDATE_PUBLISHED_SMS: '44444444-4444-4444-8444-444444444444',
};

let table: TestTable;
let stream: ReturnType<typeof streamOf>;
let notify: FakeNotify;
const clock = testClock(TEST_NOW);
const sam = { sub: 'sub-sam', name: 'Sam Officer' };
const eventsDir = mkdtempSync(join(tmpdir(), 'yswd-family-'));

beforeAll(async () => {
  table = await createTestTable();
  stream = streamOf(table);
  notify = await startFakeNotify();
});
afterAll(async () => {
  stream.destroy();
  await notify.close();
  await table.drop();
  rmSync(eventsDir, { recursive: true, force: true });
});
beforeEach(async () => {
  notify.reset();
  await stream.newRecords();
});

function families(overrides: Partial<TellFamiliesDeps> = {}): TellFamiliesDeps {
  return {
    notices: createNoticeStore(table.db, table.name),
    feedback: createFeedbackReader(table.db, table.name),
    messenger: govukNotifyMessenger({ apiKey: async () => FAKE_NOTIFY_KEY, baseUrl: notify.url }),
    config: () => familyMessageConfigFromEnv(ENV),
    linkKey: async () => TEST_FAMILY_LINK_KEY,
    now: clock,
    ...overrides,
  };
}

function projector(family: Partial<TellFamiliesDeps> = {}, logs: string[] = []) {
  const deps: ProjectorDeps = {
    markers: createEventMarkerStore(table.db, table.name),
    projections: [],
    reactions: [
      publishToBus(outboxBus(join(eventsDir, 'events.jsonl'), () => undefined)),
      tellFamilies({
        ...families(family),
        log: (message, details) => logs.push(`${message} ${JSON.stringify(details)}`),
      }),
    ],
    tableName: table.name,
    now: clock,
    log: (message, details) => logs.push(`${message} ${JSON.stringify(details)}`),
  };
  return makeHandler(deps);
}

async function consenting(contact: { email?: string; phone?: string } = { email: FAMILY_EMAIL }) {
  const { receipt } = await receiveFeedback(
    { ...officerDeps(table, clock), now: clock },
    {
      kind: 'complaint',
      projectId: 'general',
      message: FAMILY_WORDS,
      submitterRole: 'parent_or_carer',
      channel: 'web',
      contact: { name: FAMILY_NAME, ...contact },
      consentToContact: true,
      keepMeInformed: true,
    },
  );
  return receipt;
}

const triage = () => ({ feedback: officerDeps(table).feedback, now: clock });
async function answer(id: string, version = 1) {
  await changeFeedback(triage(), id, version, sam, {
    action: 'respond',
    response: OFFICER_ANSWER,
    outcome: 'upheld',
  });
}
async function publishedUpdate(feedbackIds: string[]) {
  const updates = updateDeps(table, clock);
  const update = await createUpdate(
    updates,
    {
      projectId: 'general',
      title: 'Speech and language therapy',
      youSaid: 'Therapy sessions had stopped.',
      weDid: 'We hired two more therapists.',
      status: 'done',
      feedbackIds,
      eventIds: [],
    },
    sam,
  );
  await publishUpdate(updates, update.id, 1, sam);
  return update;
}

const batchOf = (records: DynamoDBRecord[]) => lambdaBatch(records);

describe('families told what came of their words, on the real stream', () => {
  it('sends exactly two messages for a reference (answered, update published), and none more when the batch is redelivered', async () => {
    // Prepare
    const receipt = await consenting();
    clock.advance(HOUR_MS);
    await answer(receipt.id);
    const update = await publishedUpdate([receipt.id]);
    const records = await stream.newRecords();

    // Act
    const response = await projector()(batchOf(records));
    const again = await projector()(batchOf(records));

    // Assess
    expect(response).toEqual({ batchItemFailures: [] });
    expect(again).toEqual({ batchItemFailures: [] });
    const [answered, published] = [
      notify.byReference(`${receipt.id}.answer.1`),
      notify.byReference(`${receipt.id}.update.${update.id}`),
    ];
    expect(answered).toHaveLength(1);
    expect(published).toHaveLength(1);
    expect(notify.notifications).toHaveLength(2);
    expect(answered[0]).toMatchObject({
      type: 'email',
      body: {
        email_address: FAMILY_EMAIL,
        template_id: ENV.NOTIFY_TEMPLATE_ANSWERED_EMAIL,
        personalisation: { reference: receipt.reference, about: 'your complaint' },
      },
    });
    expect(published[0]?.body).toMatchObject({
      template_id: ENV.NOTIFY_TEMPLATE_UPDATE_PUBLISHED_EMAIL,
      personalisation: {
        reference: receipt.reference,
        link: `https://localoffer.council.example/you-said-we-did/${update.id}`,
      },
    });
    // The links: a stop link for this feedback, an escalation link for the stage just answered.
    const personalisation = answered[0]?.body.personalisation ?? {};
    const stop = new URL(String(personalisation.stop_link));
    expect(`${stop.origin}${stop.pathname}`).toBe(STOP_PAGE);
    expect(readFamilyLink(stop.hash.slice(1), TEST_FAMILY_LINK_KEY, 'stop-messages')).toEqual({
      feedbackId: receipt.id,
      purpose: 'stop-messages',
      stage: 0,
    });
    const escalate = new URL(String(personalisation.link));
    expect(readFamilyLink(escalate.hash.slice(1), TEST_FAMILY_LINK_KEY, 'escalate')).toMatchObject({
      feedbackId: receipt.id,
      stage: 1,
    });
    // Nobody's words, in any message.
    const sent = JSON.stringify(notify.notifications.map((n) => n.body.personalisation));
    for (const words of [
      FAMILY_WORDS,
      'Kwame',
      FAMILY_NAME,
      OFFICER_ANSWER,
      'Mensah',
      'Sam Officer',
      'therapists',
    ])
      expect(sent).not.toContain(words);
    // Officers see what was sent, and how.
    const notices = await noticesOfFeedback(table.db, table.name, receipt.id);
    expect(notices.map((n) => [n.type, n.state, n.channel])).toEqual([
      ['answered', 'sent', 'email'],
      ['update_published', 'sent', 'email'],
    ]);
    expect(notices.map((n) => n.notificationId).sort()).toEqual(notify.notifications.map((n) => n.id).sort());
    expect(JSON.stringify(notices)).not.toContain(FAMILY_EMAIL);
    // The notices' own writes come back on the stream, and the filter keeps them from the projector.
    const own = await stream.newRecords();
    expect(own.some((record) => record.dynamodb?.Keys?.PK?.S === noticePartition(receipt.id))).toBe(true);
    expect(own.filter(passesStreamFilter)).toEqual([]);
  });

  it('sends one message when it crashes between claiming and sending, and on the retry', async () => {
    // Prepare: the first send never happens (the process died after its claim was written).
    const receipt = await consenting();
    await answer(receipt.id);
    const records = await stream.newRecords();
    const real = families().messenger;
    let crashes = 1;
    const crashing: FamilyMessenger = {
      send: async (message) => {
        if (crashes-- > 0) throw new Error('the process died before sending');
        return real.send(message);
      },
      find: (reference) => real.find(reference),
    };

    // Act
    const first = await projector({ messenger: crashing })(batchOf(records));
    expect(first.batchItemFailures).toHaveLength(1);
    const retry = await projector({ messenger: crashing })(
      batchOf(from(records, first.batchItemFailures[0]?.itemIdentifier ?? '')),
    );

    // Assess
    expect(retry).toEqual({ batchItemFailures: [] });
    expect(notify.byReference(`${receipt.id}.answer.1`)).toHaveLength(1);
    // The retry asked Notify before sending: the claim said an attempt had begun.
    expect(notify.requests.filter((r) => r === 'GET /v2/notifications')).toHaveLength(1);
  });

  it('sends one message when it crashes between sending and recording: the retry finds it in Notify by reference', async () => {
    // Prepare
    const receipt = await consenting();
    await answer(receipt.id);
    const records = await stream.newRecords();
    const store = createNoticeStore(table.db, table.name);
    let crashes = 1;
    const forgetful: NoticeStore = {
      ...store,
      sent: async (notice, sent) => {
        if (crashes-- > 0) throw new Error('the process died after sending');
        return store.sent(notice, sent);
      },
    };

    // Act
    const first = await projector({ notices: forgetful })(batchOf(records));
    const retry = await projector({ notices: forgetful })(
      batchOf(from(records, first.batchItemFailures[0]?.itemIdentifier ?? '')),
    );
    const redelivered = await projector()(batchOf(records));

    // Assess
    expect(first.batchItemFailures).toHaveLength(1);
    expect(retry).toEqual({ batchItemFailures: [] });
    expect(redelivered).toEqual({ batchItemFailures: [] });
    const sent = notify.byReference(`${receipt.id}.answer.1`);
    expect(sent).toHaveLength(1);
    const [notice] = await noticesOfFeedback(table.db, table.name, receipt.id);
    expect(notice).toMatchObject({ state: 'sent', notificationId: sent[0]?.id });
  });

  it('sends one message when Notify took it but the answer never came back (a timeout)', async () => {
    const receipt = await consenting();
    await answer(receipt.id);
    const records = await stream.newRecords();
    notify.failNextSends('drop-after-accepting');

    const first = await projector()(batchOf(records));
    const retry = await projector()(batchOf(from(records, first.batchItemFailures[0]?.itemIdentifier ?? '')));

    expect(first.batchItemFailures).toHaveLength(1);
    expect(retry).toEqual({ batchItemFailures: [] });
    expect(notify.byReference(`${receipt.id}.answer.1`)).toHaveLength(1);
  });

  it('retries when Notify is busy (429) or failing (500), and sends once when it recovers; nothing else is held back', async () => {
    const receipt = await consenting();
    await answer(receipt.id);
    const records = await stream.newRecords();
    notify.failNextSends(
      {
        status: 429,
        errors: [{ error: 'RateLimitError', message: 'Exceeded rate limit for key type LIVE' }],
      },
      { status: 500 },
    );
    const logs: string[] = [];

    const first = await projector({}, logs)(batchOf(records));
    const second = await projector(
      {},
      logs,
    )(batchOf(from(records, first.batchItemFailures[0]?.itemIdentifier ?? '')));
    const third = await projector(
      {},
      logs,
    )(batchOf(from(records, second.batchItemFailures[0]?.itemIdentifier ?? '')));

    expect(first.batchItemFailures).toHaveLength(1);
    expect(second.batchItemFailures).toHaveLength(1);
    expect(third).toEqual({ batchItemFailures: [] });
    expect(notify.byReference(`${receipt.id}.answer.1`)).toHaveLength(1);
    // The bus had every event at the first attempt: a Notify outage holds back only messages.
    const onBus = readFileSync(join(eventsDir, 'events.jsonl'), 'utf8');
    expect(onBus).toContain(`"feedbackId":"${receipt.id}"`);
    // Logged by id and reason, never by address.
    expect(logs.some((line) => line.includes('reaction failed') && line.includes('429'))).toBe(true);
    expect(logs.join('\n')).not.toContain(FAMILY_EMAIL);
  });

  it('records a message Notify refuses for good (not a mobile number) as not sent, and does not retry it', async () => {
    const receipt = await consenting({ phone: '07700 900 123' });
    await answer(receipt.id);
    const records = await stream.newRecords();
    notify.failNextSends({
      status: 400,
      errors: [{ error: 'ValidationError', message: 'phone_number Not a UK mobile number' }],
    });

    const response = await projector()(batchOf(records));

    expect(response).toEqual({ batchItemFailures: [] });
    expect(notify.notifications).toHaveLength(0);
    const [notice] = await noticesOfFeedback(table.db, table.name, receipt.id);
    expect(notice).toMatchObject({
      channel: 'sms',
      state: 'not_sent',
      notSentReason: 'undeliverable: ValidationError phone_number',
    });
    // Redelivered: still not sent, and Notify not asked again.
    await projector()(batchOf(records));
    expect(notify.requests.filter((r) => r.startsWith('POST'))).toHaveLength(1);
  });

  it('sends a text to a mobile when no email was given, and nothing to a family who did not ask', async () => {
    const texted = await consenting({ phone: '07700 900 456' });
    const { receipt: notAsked } = await receiveFeedback(
      { ...officerDeps(table, clock), now: clock },
      {
        kind: 'feedback',
        projectId: 'general',
        message: FAMILY_WORDS,
        submitterRole: 'parent_or_carer',
        channel: 'web',
        contact: { email: 'someone@example.com' },
        consentToContact: true,
      },
    );
    await answer(texted.id);
    await answer(notAsked.id);
    const records = await stream.newRecords();

    await projector()(batchOf(records));

    expect(notify.notifications.map((n) => [n.type, n.body.phone_number, n.body.template_id])).toEqual([
      ['sms', '07700 900 456', ENV.NOTIFY_TEMPLATE_ANSWERED_SMS],
    ]);
    expect(await noticesOfFeedback(table.db, table.name, notAsked.id)).toEqual([]);
  });

  it('one message per update per feedback: an edit, or unpublishing and publishing again, sends nothing more', async () => {
    const receipt = await consenting();
    const update = await publishedUpdate([receipt.id]);
    const updates = updateDeps(table, clock);
    await editUpdate(updates, update.id, 2, { weDid: 'We hired three more therapists.' }, sam);
    await unpublishUpdate(updates, update.id, 3, sam);
    await publishUpdate(updates, update.id, 4, sam);
    const records = await stream.newRecords();

    await projector()(batchOf(records));

    expect(notify.notifications).toHaveLength(1);
    expect(notify.byReference(`${receipt.id}.update.${update.id}`)).toHaveLength(1);
  });

  it('sends nothing after the family withdraws with their stop link, even for an answer already on the stream', async () => {
    // Prepare: answered; the family stops messages before the projector gets to it.
    const receipt = await consenting();
    await answer(receipt.id);
    const first = await stream.newRecords();
    await projector()(batchOf(first));
    expect(notify.notifications).toHaveLength(1);
    const stopLink = new URL(String(notify.notifications[0]?.body.personalisation?.stop_link));
    const stopDeps = {
      feedback: officerDeps(table).feedback,
      now: clock,
      linkKey: async () => TEST_FAMILY_LINK_KEY,
    };
    const state = await stopMessagesByFamilyLink(stopDeps, { token: stopLink.hash.slice(1) });
    expect(state).toMatchObject({ reference: receipt.reference, keepInformed: 'withdrawn' });

    // Act: an update linking it is published, and the first batch is redelivered.
    await publishedUpdate([receipt.id]);
    const later = await stream.newRecords();
    const response = await projector()(batchOf([...first, ...later]));

    // Assess
    expect(response).toEqual({ batchItemFailures: [] });
    expect(notify.notifications).toHaveLength(1);
    const { Items } = await table.db.send(
      new QueryCommand({
        TableName: table.name,
        KeyConditionExpression: 'PK = :pk',
        ExpressionAttributeValues: { ':pk': noticePartition(receipt.id) },
      }),
    );
    expect(Items).toHaveLength(1);
  });

  it('settles a claim left by a crash when the family withdrew before the retry: sent if Notify has it, else not sent', async () => {
    const receipt = await consenting();
    await answer(receipt.id);
    const records = await stream.newRecords();
    const real = families().messenger;
    const crashing: FamilyMessenger = {
      send: async () => {
        throw new Error('the process died before sending');
      },
      find: (reference) => real.find(reference),
    };
    const first = await projector({ messenger: crashing })(batchOf(records));
    const current = await officerDeps(table).feedback.get(receipt.id);
    await stopMessagesByFamilyLink(
      { feedback: officerDeps(table).feedback, now: clock, linkKey: async () => TEST_FAMILY_LINK_KEY },
      {
        token: (await import('../../shared/domain/family-links')).signFamilyLink(
          { feedbackId: receipt.id, purpose: 'stop-messages', stage: 0 },
          TEST_FAMILY_LINK_KEY,
        ),
      },
    );
    expect(current?.keepInformed?.withdrawnAt).toBeUndefined();

    const retry = await projector()(batchOf(from(records, first.batchItemFailures[0]?.itemIdentifier ?? '')));

    expect(retry).toEqual({ batchItemFailures: [] });
    expect(notify.notifications).toHaveLength(0);
    const [notice] = await noticesOfFeedback(table.db, table.name, receipt.id);
    expect(notice).toMatchObject({ state: 'not_sent', notSentReason: 'withdrawn' });
  });
});
