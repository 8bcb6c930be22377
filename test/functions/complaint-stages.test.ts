import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeHandler as acknowledgeHandler } from '../../functions/acknowledge-feedback/handler';
import { makeHandler as procedureHandler } from '../../functions/choose-complaint-procedure/handler';
import { makeHandler as familyHandler } from '../../functions/escalate-by-family-link/handler';
import { makeHandler as escalateHandler } from '../../functions/escalate-complaint/handler';
import { makeHandler as extendHandler } from '../../functions/extend-complaint-stage/handler';
import { makeHandler as getHandler } from '../../functions/get-feedback/handler';
import { makeHandler as panelHandler } from '../../functions/record-review-panel/handler';
import { makeHandler as respondHandler } from '../../functions/respond-to-feedback/handler';
import { makeHandler as submitHandler } from '../../functions/submit-feedback/handler';
import { LGSCO } from '../../shared/domain/complaint-procedure';
import { TemporarilyUnavailableError } from '../../shared/domain/errors';
import { signFamilyLink } from '../../shared/domain/family-links';
import { addDays, londonDateOf } from '../../shared/domain/london-time';
import { addWorkingDays } from '../../shared/domain/working-days';
import { DAY_MS, fromNow, HOUR_MS, TEST_NOW } from '../support/clock';
import { intakeDeps, officerDeps } from '../support/deps';
import { createTestTable, type TestTable } from '../support/dynamo';
import { invoke, officerClaims } from '../support/events';
import { TEST_FAMILY_LINK_KEY } from '../support/signing';

let table: TestTable;
beforeAll(async () => {
  table = await createTestTable();
  // A children's social care project: its complaints follow the Children Act procedure.
  await table.db.send(
    new PutCommand({
      TableName: table.name,
      Item: {
        PK: 'PROJECTS',
        SK: 'PROJECT#childrens-social-care',
        id: 'childrens-social-care',
        title: 'Children’s social care',
        serviceArea: 'Social care',
        timeframes: {
          feedback: { acknowledgeWorkingDays: 5, respondWorkingDays: 20 },
          compliment: { acknowledgeWorkingDays: 5, respondWorkingDays: 10 },
          complaint: { acknowledgeWorkingDays: 3, respondWorkingDays: 15 },
        },
        complaintProcedure: 'childrens',
        eventReportBackWorkingDays: 20,
        alertTeam: 'social-care',
        active: true,
        version: 1,
      },
    }),
  );
});
afterAll(async () => table.drop());

const sam = officerClaims('officer', 'Sam Officer');
const PAGE = 'https://council.example/family/escalate.html';

interface Body {
  id: string;
  reference: string;
  version: number;
  status: string;
  respondBy: string;
  acknowledgeBy: string;
  complaintStage?: number;
  complaintProcedure?: string;
  complaintStages?: Record<string, unknown>[];
  nextStep?: { kind: string; stage?: number; askBy?: string; link?: { token: string; url?: string } };
  history?: { action: string; reason?: string; actor: { name: string } }[];
}

const deps = (now: Date) => ({ ...officerDeps(table, () => now), familyPageUrl: PAGE });
const familyDeps = (now: Date) => ({
  feedback: officerDeps(table).feedback,
  now: () => now,
  linkKey: async () => TEST_FAMILY_LINK_KEY,
});

async function submit(body: Record<string, unknown> = {}, receivedAt = TEST_NOW) {
  const response = await invoke(submitHandler(intakeDeps(table, { now: () => receivedAt })), {
    method: 'POST',
    path: '/feedback',
    body: { kind: 'complaint', submitterRole: 'parent_or_carer', message: 'Still no transport', ...body },
  });
  expect(response.status).toBe(201);
  return response.body as unknown as Body;
}

type Step = 'acknowledge' | 'respond' | 'procedure' | 'extend' | 'escalate' | 'review-panel';
const HANDLERS = {
  acknowledge: acknowledgeHandler,
  respond: respondHandler,
  procedure: procedureHandler,
  extend: extendHandler,
  escalate: escalateHandler,
  'review-panel': panelHandler,
} as const;

async function step(step: Step, id: string, ifMatch: string | undefined, body?: unknown, now = TEST_NOW) {
  const response = await invoke(HANDLERS[step](deps(now)), {
    method: 'POST',
    path: `/officer/feedback/${id}/${step}`,
    pathParameters: { id },
    headers: ifMatch === undefined ? {} : { 'if-match': ifMatch },
    ...(body === undefined ? {} : { body }),
    claims: sam,
  });
  return {
    ...response,
    body: response.body as unknown as Body & { errors?: { path: string }[]; type?: string },
  };
}

const get = async (id: string) =>
  (
    await invoke(getHandler(deps(TEST_NOW)), {
      path: `/officer/feedback/${id}`,
      pathParameters: { id },
      claims: sam,
    })
  ).body as unknown as Body;

async function family(body: unknown, now = TEST_NOW) {
  const response = await invoke(familyHandler(familyDeps(now)), {
    method: 'POST',
    path: '/escalations',
    body,
  });
  return response as typeof response & { body: Record<string, unknown> & { errors?: { path: string }[] } };
}

const answer = { response: 'We have arranged transport from Monday.', outcome: 'partly_upheld' };

/** A complaint acknowledged and answered at stage 1, at the given instants. */
async function answeredAtStage1(receivedAt = TEST_NOW, answeredAt = fromNow(HOUR_MS)) {
  const { id } = await submit({}, receivedAt);
  expect((await step('acknowledge', id, '"1"', undefined, receivedAt)).status).toBe(200);
  const answered = await step('respond', id, '"2"', answer, answeredAt);
  expect(answered.status).toBe(200);
  return { id, answered: answered.body };
}

describe('a corporate complaint, walked through its stages', () => {
  it('answers stage 1 with the escalation link, takes the family’s request once, and ends with the Ombudsman', async () => {
    const answeredAt = fromNow(HOUR_MS);
    const { id, answered } = await answeredAtStage1(TEST_NOW, answeredAt);
    expect(answered).toMatchObject({
      status: 'responded',
      complaintStage: 1,
      complaintProcedure: 'corporate',
    });
    const askBy = addWorkingDays(londonDateOf(answeredAt), 20);
    expect(answered.nextStep).toMatchObject({ kind: 'next_stage', stage: 2, name: 'Stage 2', askBy });
    const token = answered.nextStep?.link?.token as string;
    expect(token).toMatch(new RegExp(`^${id}\\.escalate\\.1\\.[A-Za-z0-9_-]{22}$`));
    // In the fragment, never the query string.
    expect(answered.nextStep?.link?.url).toBe(`${PAGE}#${token}`);

    const askedAt = fromNow(2 * DAY_MS);
    const first = await family({ token, reason: 'The transport still does not come.' }, askedAt);
    expect(first.status).toBe(200);
    expect(first.body).toEqual({
      reference: answered.reference,
      procedure: 'corporate',
      stage: 2,
      stageName: 'Stage 2',
      requestedAt: askedAt.toISOString(),
      acknowledgeBy: addWorkingDays(londonDateOf(askedAt), 5),
      respondBy: addWorkingDays(londonDateOf(askedAt), 25),
    });
    // No one's words in the family's answer.
    expect(JSON.stringify(first.body)).not.toContain('transport still');

    // Clicked again, later: the same outcome, nothing written twice.
    const again = await family({ token }, fromNow(3 * DAY_MS));
    expect(again).toMatchObject({ status: 200, body: first.body });
    const stage2 = await get(id);
    expect(stage2).toMatchObject({ status: 'received', complaintStage: 2, version: 4 });
    expect(stage2.history?.map((entry) => entry.action)).toEqual(['acknowledge', 'respond', 'escalate']);
    expect(stage2.history?.[2]?.actor.name).toBe('The family (escalation link)');
    expect(stage2.complaintStages?.[1]).toMatchObject({
      stage: 2,
      request: { via: 'family_link', reason: 'The transport still does not come.', inTime: true },
    });

    const extended = await step(
      'extend',
      id,
      '"4"',
      { extendByWorkingDays: 10, reason: 'We are waiting for the bus company.' },
      askedAt,
    );
    expect(extended.status).toBe(200);
    expect(extended.body.respondBy).toBe(addWorkingDays(londonDateOf(askedAt), 35));
    const final = await step(
      'respond',
      id,
      '"5"',
      { response: 'Our final answer.', outcome: 'upheld' },
      fromNow(4 * DAY_MS),
    );
    expect(final.status).toBe(200);
    expect(final.body.nextStep).toEqual({ kind: 'ombudsman', ...LGSCO });
    expect(final.body.complaintStages?.[1]).toMatchObject({
      ombudsman: LGSCO,
      answeredOnTime: true,
      extendedTo: extended.body.respondBy,
    });

    // The stage 1 link still answers what it did (with stage 2's answer date as it now stands);
    // a stage 2 link cannot go beyond the last stage.
    expect(await family({ token }, fromNow(5 * DAY_MS))).toMatchObject({
      status: 200,
      body: { ...first.body, respondBy: extended.body.respondBy },
    });
    const beyond = signFamilyLink({ feedbackId: id, purpose: 'escalate', stage: 2 }, TEST_FAMILY_LINK_KEY);
    const refused = await family({ token: beyond }, fromNow(5 * DAY_MS));
    expect(refused.status).toBe(409);
    expect(refused.body).toMatchObject({ type: '/problems/final-stage' });
    expect(String(refused.body.detail)).toContain(LGSCO.name);
  });

  it('records the family’s phone request (when and how), and refuses one before the answer', async () => {
    const { id } = await submit();
    const early = await step('escalate', id, '"1"', { requestedAt: TEST_NOW.toISOString(), via: 'phone' });
    expect(early.status).toBe(409);
    expect((await step('respond', id, '"1"', answer, fromNow(HOUR_MS))).status).toBe(200);
    const future = await step(
      'escalate',
      id,
      '"2"',
      { requestedAt: fromNow(DAY_MS).toISOString(), via: 'phone' },
      fromNow(2 * HOUR_MS),
    );
    expect(future.status).toBe(400);
    expect(future.body.errors).toEqual([{ path: 'requestedAt', message: expect.any(String) }]);
    const bad = await step('escalate', id, '"2"', { requestedAt: 'yesterday', via: 'pigeon', extra: 1 });
    expect(bad.status).toBe(400);
    expect(bad.body.errors?.map((error) => error.path).sort()).toEqual(['extra', 'requestedAt', 'via']);

    const askedAt = fromNow(2 * HOUR_MS);
    const escalated = await step(
      'escalate',
      id,
      '"2"',
      { requestedAt: askedAt.toISOString(), via: 'phone', reason: 'Asked on the phone' },
      fromNow(3 * HOUR_MS),
    );
    expect(escalated.status).toBe(200);
    expect(escalated.headers.etag).toBe('"3"');
    expect(escalated.body).toMatchObject({
      status: 'received',
      complaintStage: 2,
      acknowledgeBy: addWorkingDays(londonDateOf(askedAt), 5),
    });
    expect(escalated.body.complaintStages?.[1]).toMatchObject({
      request: { at: askedAt.toISOString(), via: 'phone', recordedBy: { name: 'Sam Officer' }, inTime: true },
    });
    expect((await get(id)).history?.at(-1)).toMatchObject({
      action: 'escalate',
      actor: { name: 'Sam Officer' },
    });
  });
});

describe('the officer routes refuse what they cannot do', () => {
  it('needs If-Match (428), refuses a stale one (412), an unknown id (404), and changes nothing', async () => {
    const { id } = await submit();
    const body = { extendByWorkingDays: 2, reason: 'Waiting for records' };
    expect((await step('extend', id, undefined, body)).status).toBe(428);
    expect((await step('extend', id, '"9"', body)).status).toBe(412);
    expect((await step('extend', 'ZZZZ2222', '"1"', body)).status).toBe(404);
    expect((await step('procedure', id, undefined, { procedure: 'childrens', reason: 'x' })).status).toBe(
      428,
    );
    expect((await step('review-panel', id, '"9"', { heldOn: londonDateOf(TEST_NOW) })).status).toBe(412);
    expect(
      (await step('escalate', 'ZZZZ2222', '"1"', { requestedAt: TEST_NOW.toISOString(), via: 'letter' }))
        .status,
    ).toBe(404);
    expect((await get(id)).version).toBe(1);
  });

  it('refuses an extension beyond the maximum with 422 naming extendByWorkingDays, and bad bodies with 400', async () => {
    const { id } = await submit();
    const beyond = await step('extend', id, '"1"', { extendByWorkingDays: 11, reason: 'Complex' });
    expect(beyond.status).toBe(422);
    expect(beyond.body.errors).toEqual([
      { path: 'extendByWorkingDays', message: expect.stringContaining('At most 10') },
    ]);
    const noReason = await step('extend', id, '"1"', { extendByWorkingDays: 3 });
    expect(noReason.status).toBe(400);
    expect(noReason.body.errors).toEqual([{ path: 'reason', message: 'Required' }]);
    const zero = await step('extend', id, '"1"', { extendByWorkingDays: 0, reason: '  ' });
    expect(zero.body.errors?.map((error) => error.path).sort()).toEqual(['extendByWorkingDays', 'reason']);
    const granted = await step('extend', id, '"1"', { extendByWorkingDays: 7, reason: 'Complex' });
    expect(granted.status).toBe(200);
    const rest = await step('extend', id, '"2"', { extendByWorkingDays: 4, reason: 'More' });
    expect(rest.status).toBe(422);
    expect(rest.body.errors?.[0]?.path).toBe('extendByWorkingDays');
    expect((await get(id)).history?.map((entry) => [entry.action, entry.reason])).toEqual([
      ['extend', 'Complex'],
    ]);
  });

  it('answers 503 and stores nothing when the family-link key cannot be read for the answer', async () => {
    const { id } = await submit();
    const busy = {
      ...deps(TEST_NOW),
      linkKey: async () => {
        throw new TemporarilyUnavailableError(new Error('Rate exceeded'));
      },
    };
    const response = await invoke(respondHandler(busy), {
      method: 'POST',
      path: `/officer/feedback/${id}/respond`,
      pathParameters: { id },
      headers: { 'if-match': '"1"' },
      body: answer,
      claims: sam,
    });
    expect(response.status).toBe(503);
    expect(response.headers['retry-after']).toBe('2');
    expect(await get(id)).toMatchObject({ version: 1, status: 'received' });
  });

  it('refuses stage steps on feedback that is not a complaint (409)', async () => {
    const { id } = await submit({ kind: 'feedback' });
    expect((await step('extend', id, '"1"', { extendByWorkingDays: 1, reason: 'x' })).status).toBe(409);
    expect((await step('procedure', id, '"1"', { procedure: 'childrens', reason: 'x' })).status).toBe(409);
    const answered = await step('respond', id, '"1"', { response: 'Thanks', outcome: 'noted' });
    expect(answered.body).not.toHaveProperty('nextStep');
  });

  it('moves a complaint about children’s social care to the Children Act procedure before acknowledgement, not after', async () => {
    const { id } = await submit();
    const moved = await step('procedure', id, '"1"', {
      procedure: 'childrens',
      reason: 'About a child in need plan',
    });
    expect(moved.status).toBe(200);
    expect(moved.body).toMatchObject({
      complaintProcedure: 'childrens',
      respondBy: addWorkingDays(londonDateOf(TEST_NOW), 10),
    });
    expect((await get(id)).history?.[0]).toMatchObject({
      action: 'choose_procedure',
      reason: 'About a child in need plan',
    });
    expect((await step('procedure', id, '"2"', { procedure: 'cheese', reason: 'x' })).status).toBe(400);
    expect((await step('acknowledge', id, '"2"')).status).toBe(200);
    const late = await step('procedure', id, '"3"', { procedure: 'corporate', reason: 'Changed my mind' });
    expect(late.status).toBe(409);
  });

  it('records a review panel only at a Children Act stage 3 (409 otherwise)', async () => {
    const { id } = await submit();
    const refused = await step('review-panel', id, '"1"', { heldOn: londonDateOf(TEST_NOW) });
    expect(refused.status).toBe(409);
    const bad = await step('review-panel', id, '"1"', { heldOn: 'next week' });
    expect(bad.status).toBe(400);
    expect(bad.body.errors?.[0]?.path).toBe('heldOn');
  });
});

describe('a Children Act complaint: three stages, the panel setting the last deadline', () => {
  it('follows its project’s procedure from intake, and ends with the Ombudsman after the panel', async () => {
    const received = await submit({ projectId: 'childrens-social-care' });
    const { id } = received;
    expect(received.respondBy).toBe(addWorkingDays(londonDateOf(TEST_NOW), 10));
    let version = 1;
    for (const stage of [1, 2]) {
      const at = fromNow(stage * DAY_MS);
      const answered = await step('respond', id, `"${version++}"`, answer, at);
      expect(answered.body.nextStep).toMatchObject({ kind: 'next_stage', stage: stage + 1 });
      const token = answered.body.nextStep?.link?.token as string;
      expect((await family({ token }, at)).status).toBe(200);
      version++;
    }
    const stage3 = await get(id);
    const askedOn = londonDateOf(fromNow(2 * DAY_MS));
    expect(stage3).toMatchObject({ complaintStage: 3, respondBy: addWorkingDays(askedOn, 30) });
    const tooSoon = await step('respond', id, `"${version}"`, answer, fromNow(3 * DAY_MS));
    expect(tooSoon.status).toBe(409);
    const heldOn = addWorkingDays(askedOn, 15);
    const panel = await step('review-panel', id, `"${version}"`, { heldOn }, fromNow(3 * DAY_MS));
    expect(panel.status).toBe(200);
    expect(panel.body).toMatchObject({ respondBy: addWorkingDays(heldOn, 20), reviewPanelOn: heldOn });
    const final = await step('respond', id, `"${version + 1}"`, answer, fromNow(4 * DAY_MS));
    expect(final.body.nextStep).toMatchObject({ kind: 'ombudsman', url: 'https://www.lgo.org.uk' });
  });
});

describe('POST /escalations: the family’s own link', () => {
  it('refuses a forged, an edited, a wrongly purposed or a missing token with 400 naming token', async () => {
    const { id, answered } = await answeredAtStage1();
    const token = answered.nextStep?.link?.token as string;
    const forged = signFamilyLink({ feedbackId: id, purpose: 'escalate', stage: 1 }, Buffer.alloc(32, 7));
    const edited = `${token.slice(0, -1)}${token.endsWith('A') ? 'B' : 'A'}`;
    const otherStage = token.replace('.escalate.1.', '.escalate.2.');
    const stop = signFamilyLink({ feedbackId: id, purpose: 'stop-messages', stage: 1 }, TEST_FAMILY_LINK_KEY);
    for (const bad of [forged, edited, otherStage, stop, 'nonsense', `${token}x`]) {
      const refused = await family({ token: bad });
      expect(refused.status, bad).toBe(400);
      expect(refused.body).toMatchObject({ type: '/problems/invalid-family-link' });
      expect(refused.body.errors).toEqual([{ path: 'token', message: expect.any(String) }]);
    }
    for (const body of [{}, { token: 12 }, { token, colour: 'red' }, { token, reason: 'x'.repeat(5001) }]) {
      const refused = await family(body);
      expect(refused.status).toBe(400);
      expect(refused.body.type).toBe('/problems/validation-error');
    }
    expect((await get(id)).complaintStage).toBe(1);
  });

  it('answers 404 for a genuine link to a complaint that is not there', async () => {
    const token = signFamilyLink(
      { feedbackId: 'ZZZZ2222', purpose: 'escalate', stage: 1 },
      TEST_FAMILY_LINK_KEY,
    );
    expect((await family({ token })).status).toBe(404);
  });

  it('refuses a request after the window (409 escalation-window-closed), which an officer can still record', async () => {
    const answeredAt = fromNow(HOUR_MS);
    const { id, answered } = await answeredAtStage1(TEST_NOW, answeredAt);
    const askBy = answered.nextStep?.askBy as string;
    const late = new Date(`${addDays(askBy, 1)}T12:00:00Z`);
    const refused = await family({ token: answered.nextStep?.link?.token }, late);
    expect(refused.status).toBe(409);
    expect(refused.body).toMatchObject({ type: '/problems/escalation-window-closed' });
    expect(String(refused.body.detail)).toContain(askBy);
    const recorded = await step(
      'escalate',
      id,
      '"3"',
      { requestedAt: late.toISOString(), via: 'letter' },
      late,
    );
    expect(recorded.body.complaintStages?.[1]).toMatchObject({ request: { inTime: false } });
  });

  it('refuses a stage not yet answered (409), and takes two requests at once as one escalation', async () => {
    const { id } = await submit();
    const early = signFamilyLink({ feedbackId: id, purpose: 'escalate', stage: 1 }, TEST_FAMILY_LINK_KEY);
    expect((await family({ token: early })).status).toBe(409);
    expect((await step('respond', id, '"1"', answer, fromNow(HOUR_MS))).status).toBe(200);
    const at = fromNow(2 * HOUR_MS);
    const [one, two] = await Promise.all([family({ token: early }, at), family({ token: early }, at)]);
    expect([one.status, two.status]).toEqual([200, 200]);
    expect(one.body).toEqual(two.body);
    const read = await get(id);
    expect(read.history?.filter((entry) => entry.action === 'escalate')).toHaveLength(1);
    expect(read.complaintStages).toHaveLength(2);
  });
});
