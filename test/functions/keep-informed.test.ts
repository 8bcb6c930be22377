import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeHandler as getHandler } from '../../functions/get-feedback/handler';
import { makeHandler as familyStopHandler } from '../../functions/stop-messages-by-family-link/handler';
import { makeHandler as officerStopHandler } from '../../functions/stop-messages-for-family/handler';
import { makeHandler as submitHandler } from '../../functions/submit-feedback/handler';
import { signFamilyLink } from '../../shared/domain/family-links';
import { fromNow, HOUR_MS, TEST_NOW } from '../support/clock';
import { intakeDeps, officerDeps } from '../support/deps';
import { createTestTable, type TestTable } from '../support/dynamo';
import { invoke, officerClaims } from '../support/events';
import { TEST_FAMILY_LINK_KEY } from '../support/signing';

/**
 * "Tell me what happens" through the handlers: the consent given at intake (and refused without a
 * way to reach the family), and withdrawn by the family's stop link or by an officer.
 */
let table: TestTable;
beforeAll(async () => {
  table = await createTestTable();
});
afterAll(async () => table.drop());

const sam = officerClaims('officer', 'Sam Officer');
const base = {
  kind: 'feedback',
  submitterRole: 'parent_or_carer',
  message: 'The ramp at the centre is broken',
};

interface Problem {
  type?: string;
  errors?: { path: string; message: string }[];
}

async function submit(body: Record<string, unknown>) {
  return invoke(submitHandler(intakeDeps(table)), {
    method: 'POST',
    path: '/feedback',
    body: { ...base, ...body },
  });
}

async function get(id: string) {
  const response = await invoke(getHandler(officerDeps(table)), {
    path: `/officer/feedback/${id}`,
    pathParameters: { id },
    claims: sam,
  });
  return response.body as {
    version: number;
    keepInformed?: Record<string, unknown>;
    history: { action: string; actor: { sub: string; name: string }; changes: Record<string, unknown> }[];
  };
}

const familyStop = (body: unknown, now = fromNow(HOUR_MS)) =>
  invoke(
    familyStopHandler({
      feedback: officerDeps(table).feedback,
      now: () => now,
      linkKey: async () => TEST_FAMILY_LINK_KEY,
    }),
    { method: 'POST', path: '/stop-messages', body },
  );

const officerStop = (id: string, ifMatch: string | undefined, now = fromNow(HOUR_MS)) =>
  invoke(officerStopHandler({ feedback: officerDeps(table).feedback, now: () => now }), {
    method: 'POST',
    path: `/officer/feedback/${id}/stop-messages`,
    pathParameters: { id },
    headers: ifMatch === undefined ? {} : { 'if-match': ifMatch },
    claims: sam,
  });

const stopToken = (feedbackId: string) =>
  signFamilyLink({ feedbackId, purpose: 'stop-messages', stage: 0 }, TEST_FAMILY_LINK_KEY);

async function consented() {
  const response = await submit({
    contact: { email: 'parent@example.com' },
    consentToContact: true,
    keepMeInformed: true,
  });
  expect(response.status).toBe(201);
  return response.body as { id: string; reference: string };
}

describe('POST /feedback with keepMeInformed', () => {
  it('stores the consent: when, by which channel, to which wording; the receipt says nothing of it', async () => {
    const response = await submit({
      channel: 'phone',
      contact: { phone: '07700 900 982' },
      consentToContact: true,
      keepMeInformed: true,
    });

    expect(response.status).toBe(201);
    expect(response.body).not.toHaveProperty('keepInformed');
    const stored = await get(String(response.body.id));
    expect(stored.keepInformed).toEqual({
      givenAt: TEST_NOW.toISOString(),
      givenVia: 'phone',
      wording: 'tell-me-what-happens/v1',
    });
  });

  it('refuses it without contact details, or with only a landline, naming keepMeInformed; false needs nothing', async () => {
    const without = await submit({ keepMeInformed: true });
    const landline = await submit({
      contact: { phone: '01632 960 001' },
      consentToContact: true,
      keepMeInformed: true,
    });
    const notBoolean = await submit({
      contact: { email: 'a@example.com' },
      consentToContact: true,
      keepMeInformed: 'yes',
    });
    const declined = await submit({ keepMeInformed: false });

    for (const refused of [without, landline, notBoolean]) {
      expect(refused.status).toBe(400);
      expect((refused.body as Problem).errors?.map((e) => e.path)).toEqual(['keepMeInformed']);
    }
    expect((without.body as Problem).errors?.[0]?.message).toMatch(/email address or a UK mobile number/);
    expect(declined.status).toBe(201);
    expect((await get(String(declined.body.id))).keepInformed).toBeUndefined();
  });
});

describe('POST /stop-messages (the family’s stop link)', () => {
  it('withdraws the consent once, recorded as the family; a repeat answers the same and writes nothing', async () => {
    const { id, reference } = await consented();

    const first = await familyStop({ token: stopToken(id) });
    const again = await familyStop({ token: stopToken(id) }, fromNow(2 * HOUR_MS));

    const withdrawnAt = fromNow(HOUR_MS).toISOString();
    expect(first.status).toBe(200);
    expect(first.body).toEqual({
      reference,
      keepInformed: 'withdrawn',
      givenAt: TEST_NOW.toISOString(),
      withdrawnAt,
      withdrawnVia: 'stop_link',
    });
    expect(again.body).toEqual(first.body);
    const stored = await get(id);
    expect(stored.version).toBe(2);
    expect(stored.keepInformed).toMatchObject({ withdrawnAt, withdrawnVia: 'stop_link' });
    expect(stored.history.at(-1)).toMatchObject({
      action: 'withdraw_keep_informed',
      actor: { sub: 'family:stop-messages-link' },
    });
    expect(JSON.stringify(first.body)).not.toContain('parent@example.com');
  });

  it('refuses a forged, edited or other-purpose token with 400 naming token, and an unknown item with 404', async () => {
    const { id } = await consented();
    const good = stopToken(id);
    const edited = `${good.slice(0, -1)}${good.endsWith('A') ? 'B' : 'A'}`;
    const escalation = signFamilyLink(
      { feedbackId: id, purpose: 'escalate', stage: 0 },
      TEST_FAMILY_LINK_KEY,
    );
    const forged = signFamilyLink(
      { feedbackId: id, purpose: 'stop-messages', stage: 0 },
      Buffer.alloc(32, 7),
    );

    for (const token of [edited, escalation, forged, 'not a token', 42]) {
      // A token that is not even text is refused by the body's schema; the rest by the link's check.
      const response = await familyStop({ token });
      expect(response.status, String(token)).toBe(400);
      expect(response.body.type).toContain(
        typeof token === 'string' ? 'invalid-family-link' : 'validation-error',
      );
      expect((response.body as Problem).errors?.map((e) => e.path)).toEqual(['token']);
    }
    expect((await familyStop({ token: stopToken('ZZZZ2222') })).status).toBe(404);
    expect((await familyStop({ token: good, extra: 1 })).status).toBe(400);
    expect((await get(id)).version).toBe(1);
  });

  it('answers never_asked, writing nothing, for feedback given without it', async () => {
    const response = await submit({ contact: { email: 'x@example.com' }, consentToContact: true });
    const id = String(response.body.id);

    const stop = await familyStop({ token: stopToken(id) });

    expect(stop.body).toMatchObject({ keepInformed: 'never_asked' });
    expect((await get(id)).version).toBe(1);
  });
});

describe('POST /officer/feedback/{id}/stop-messages', () => {
  it('records the withdrawal with the officer’s name, behind If-Match; 409 when there is nothing to stop', async () => {
    const { id } = await consented();

    expect((await officerStop(id, undefined)).status).toBe(428);
    expect((await officerStop(id, '"7"')).status).toBe(412);
    const stopped = await officerStop(id, '"1"');
    const twice = await officerStop(id, '"2"');

    expect(stopped.status).toBe(200);
    expect(stopped.headers.etag).toBe('"2"');
    expect(stopped.body.keepInformed).toMatchObject({
      withdrawnVia: 'officer',
      withdrawnAt: fromNow(HOUR_MS).toISOString(),
    });
    expect(twice.status).toBe(409);
    const stored = await get(id);
    expect(stored.history.at(-1)).toMatchObject({
      action: 'withdraw_keep_informed',
      actor: { name: 'Sam Officer' },
    });
    const notAsked = await submit({});
    expect((await officerStop(String(notAsked.body.id), '"1"')).status).toBe(409);
  });
});
