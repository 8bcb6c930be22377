import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import axiosIsNotBundled from '../../infra/no-axios';
import {
  isNotifyApiKey,
  NotifyKeyNotSetError,
  notifyApiKey,
  useNotifyApiKeySource,
} from '../../shared/config/notify-api-key';
import { UndeliverableMessageError } from '../../shared/notify/family-messenger';
import { govukNotifyMessenger, refusalOf } from '../../shared/notify/govuk-notify-messenger';
import { NotifyHttpError } from '../../shared/notify/notify-rest-client';
import { FAKE_NOTIFY_KEY, FAKE_SERVICE_ID, type FakeNotify, startFakeNotify } from '../support/fake-notify';

/**
 * The GOV.UK Notify adapter on its own: notifications-node-client (its JWT, paths and payloads)
 * over our fetch transport, against a fake Notify that checks the JWT as Notify does; and how
 * Notify's refusals are sorted into "never" and "perhaps later".
 */
let notify: FakeNotify;
beforeAll(async () => {
  notify = await startFakeNotify();
});
afterAll(async () => notify.close());
afterEach(() => {
  notify.reset();
  useNotifyApiKeySource(undefined);
});

const refused = (status: number, error: string, message: string) =>
  new NotifyHttpError({ status, data: { status_code: status, errors: [{ error, message }] } });

describe('the GOV.UK Notify adapter', () => {
  it('sends an email and a text with their reference, signed as Notify expects, and finds each by reference', async () => {
    const messenger = govukNotifyMessenger({ apiKey: async () => FAKE_NOTIFY_KEY, baseUrl: notify.url });

    const email = await messenger.send({
      channel: 'email',
      templateId: 'f2d6c8b4-0c5d-4a43-9e6e-0e0e2f9c1a11',
      to: 'parent@example.com',
      personalisation: { reference: 'K7QM-92PD' },
      reference: 'K7QM92PD.answer.1',
    });
    await messenger.send({
      channel: 'sms',
      templateId: 'a1d6c8b4-0c5d-4a43-9e6e-0e0e2f9c1a11',
      to: '07700900982',
      personalisation: { reference: 'K7QM-92PD' },
      reference: 'K7QM92PD.update.abcdefghjkmn',
    });

    expect(notify.requests).toEqual(['POST /v2/notifications/email', 'POST /v2/notifications/sms']);
    expect(notify.notifications.map((n) => n.body)).toEqual([
      {
        email_address: 'parent@example.com',
        template_id: 'f2d6c8b4-0c5d-4a43-9e6e-0e0e2f9c1a11',
        personalisation: { reference: 'K7QM-92PD' },
        reference: 'K7QM92PD.answer.1',
      },
      {
        phone_number: '07700900982',
        template_id: 'a1d6c8b4-0c5d-4a43-9e6e-0e0e2f9c1a11',
        personalisation: { reference: 'K7QM-92PD' },
        reference: 'K7QM92PD.update.abcdefghjkmn',
      },
    ]);
    expect(await messenger.find('K7QM92PD.answer.1')).toEqual({ notificationId: email.notificationId });
    expect(await messenger.find('K7QM92PD.answer.2')).toBeUndefined();
  });

  it('passes a refused key (403) on as it is, to be retried and alarmed on, never as undeliverable', async () => {
    const wrongKey = `other-${FAKE_SERVICE_ID}-00000000-0000-4000-8000-000000000000`;
    const messenger = govukNotifyMessenger({ apiKey: async () => wrongKey, baseUrl: notify.url });

    const sending = messenger.send({
      channel: 'email',
      templateId: 't',
      to: 'a@example.com',
      personalisation: {},
      reference: 'r',
    });

    await expect(sending).rejects.toBeInstanceOf(NotifyHttpError);
    await expect(sending).rejects.not.toBeInstanceOf(UndeliverableMessageError);
    expect(notify.notifications).toEqual([]);
  });

  it('sorts refusals: the recipient refused for good is undeliverable, naming only the field; the rest may pass later', () => {
    expect(refusalOf(refused(400, 'ValidationError', 'phone_number Not a UK mobile number'))?.code).toBe(
      'ValidationError phone_number',
    );
    expect(refusalOf(refused(400, 'ValidationError', 'email_address Not a valid email address'))?.code).toBe(
      'ValidationError email_address',
    );
    expect(
      refusalOf(refused(400, 'BadRequestError', "Can't send to this recipient using a team-only API key")),
    ).toBeInstanceOf(UndeliverableMessageError);
    for (const later of [
      refused(400, 'BadRequestError', 'Template not found'),
      refused(400, 'BadRequestError', 'Missing personalisation: stop_link'),
      refused(403, 'AuthError', 'Invalid token: API key not found'),
      refused(429, 'RateLimitError', 'Exceeded rate limit for key type LIVE of 3000 requests per 60 seconds'),
      refused(500, 'Exception', 'Internal server error'),
      new TypeError('fetch failed'),
    ])
      expect(refusalOf(later)).toBeUndefined();
  });

  it('refuses the stack’s placeholder secret until an operator puts a Notify key in it', async () => {
    useNotifyApiKeySource(() => Buffer.from('k3Jd8sPq0wZxY7vB2nM5cR9tL4hG6fA1'));
    await expect(notifyApiKey()).rejects.toBeInstanceOf(NotifyKeyNotSetError);
    useNotifyApiKeySource(() => Buffer.from(`${FAKE_NOTIFY_KEY}\n`));
    await expect(notifyApiKey()).resolves.toBe(FAKE_NOTIFY_KEY);
    expect(isNotifyApiKey(FAKE_NOTIFY_KEY)).toBe(true);
  });

  it('leaves axios out of Lambda bundles: the stand-in only says why if anything ever calls it', () => {
    expect(() => axiosIsNotBundled()).toThrow(/setClient/);
  });
});
