import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_TIMEFRAMES } from '../../shared/config/default-projects';
import { timescalesFor } from '../../shared/domain/complaint-procedure';
import { startComplaint } from '../../shared/domain/complaint-stages';
import { readFamilyLink } from '../../shared/domain/family-links';
import {
  type FamilyMessageConfig,
  FamilyMessageConfigError,
  familyMessageFor,
  longDate,
  type Notice,
  noticesOf,
  owesNotices,
  TEMPLATE_PLACEHOLDERS,
} from '../../shared/domain/family-messages';
import { type Feedback, newFeedback } from '../../shared/domain/feedback';
import { respond } from '../../shared/domain/feedback-lifecycle';
import { isUkMobileNumber, keepInformedStateOf, messageChannelOf } from '../../shared/domain/keep-informed';
import type { DomainEvent } from '../../shared/events/schemas';
import { familyMessageConfigFromEnv, stopPageUrlOf } from '../../shared/notify/family-message-config';
import { TEST_NOW } from '../support/clock';
import { TEST_FAMILY_LINK_KEY } from '../support/signing';

const CONFIG: FamilyMessageConfig = {
  templates: {
    answered: { email: 'tpl-answered-email', sms: 'tpl-answered-sms' },
    update_published: { email: 'tpl-update-email', sms: 'tpl-update-sms' },
  },
  stopPageUrl: 'https://lo.example/family/stop-messages.html',
  escalationPageUrl: 'https://lo.example/family/escalate.html',
  updatePageUrlTemplate: 'https://lo.example/ysdw/{projectId}/{id}',
  homePageUrl: 'https://lo.example/ysdw',
};
const officer = { sub: 'sub-sam', name: 'Sam Officer' };

function consenting(
  overrides: { kind?: Feedback['kind']; contact?: Feedback['contact']; message?: string } = {},
): Feedback {
  const kind = overrides.kind ?? 'feedback';
  const feedback = newFeedback(
    'K7QM-92PD',
    {
      kind,
      message: overrides.message ?? 'The bus never came',
      submitterRole: 'parent_or_carer',
      projectId: 'general',
      channel: 'web',
      contact: overrides.contact ?? { name: 'Ada Okafor', email: 'ada@example.com' },
      consentToContact: true,
      keepMeInformed: true,
    },
    DEFAULT_TIMEFRAMES[kind],
    TEST_NOW,
  );
  if (kind !== 'complaint') return feedback;
  return startComplaint(
    feedback,
    'corporate',
    timescalesFor('corporate', { timeframe: DEFAULT_TIMEFRAMES.complaint }),
  );
}
const answered = (feedback: Feedback, response = 'We have fixed it') =>
  respond(
    feedback,
    { response, outcome: feedback.kind === 'complaint' ? 'upheld' : 'acted_on' },
    officer,
    TEST_NOW,
  ).feedback;

const envelope = {
  version: 1,
  source: 'you-said-we-did',
  occurredAt: TEST_NOW.toISOString(),
  projectId: 'general',
} as const;
const responded = (feedbackId: string, complaintStage?: number): DomainEvent => ({
  ...envelope,
  id: 'e1',
  type: 'feedback.responded',
  feedbackId,
  reference: 'K7QM-92PD',
  kind: 'complaint',
  ...(complaintStage ? { complaintStage } : {}),
  outcome: 'upheld',
  deadline: {
    stage: 'respond',
    dueBy: '2027-01-01',
    dueAt: TEST_NOW.toISOString(),
    met: true,
    workingDaysLate: 0,
  },
});
const published = (id: string, feedbackIds: string[], updateId = 'abcdefghjkmn'): DomainEvent => ({
  ...envelope,
  id,
  type: 'update.published',
  updateId,
  status: 'done',
  feedbackIds,
  eventIds: [],
});

describe('which changes owe a family a message', () => {
  it('one per complaint stage answered, one per update per linked feedback, named so a re-publish is the same notice', () => {
    expect(noticesOf(responded('K7QM92PD', 2)).map((n) => n.id)).toEqual(['K7QM92PD.answer.2']);
    expect(noticesOf(responded('K7QM92PD')).map((n) => n.id)).toEqual(['K7QM92PD.answer.1']);
    const first = noticesOf(published('v3', ['K7QM92PD', 'AAAA2222', 'K7QM92PD']));
    const again = noticesOf(published('v5', ['K7QM92PD', 'AAAA2222']));
    expect(first.map((n) => n.id)).toEqual(['K7QM92PD.update.abcdefghjkmn', 'AAAA2222.update.abcdefghjkmn']);
    expect(again.map((n) => n.id)).toEqual(first.map((n) => n.id));
    expect(owesNotices(published('v1', []))).toBe(false);
    expect(owesNotices({ ...published('v1', ['K7QM92PD']), type: 'update.unpublished' } as DomainEvent)).toBe(
      false,
    );
  });
});

describe('the message for a notice', () => {
  const answerNotice = (feedback: Feedback, stage = 1): Notice => ({
    id: `${feedback.id}.answer.${stage}`,
    feedbackId: feedback.id,
    type: 'answered',
    eventId: 'e1',
    stage,
    projectId: 'general',
  });

  it('emails when an email was given, with exactly the documented placeholders and a working stop link', () => {
    const feedback = answered(consenting());
    const message = familyMessageFor(answerNotice(feedback), feedback, CONFIG, TEST_FAMILY_LINK_KEY);
    if ('none' in message) throw new Error('expected a message');
    expect(message).toMatchObject({
      channel: 'email',
      to: 'ada@example.com',
      templateId: 'tpl-answered-email',
    });
    expect(Object.keys(message.personalisation).sort()).toEqual([...TEMPLATE_PLACEHOLDERS.answered].sort());
    expect(message.personalisation).toMatchObject({
      reference: 'K7QM-92PD',
      about: 'your feedback',
      link: CONFIG.homePageUrl,
    });
    const stop = new URL(String(message.personalisation.stop_link));
    expect(readFamilyLink(stop.hash.slice(1), TEST_FAMILY_LINK_KEY, 'stop-messages').feedbackId).toBe(
      feedback.id,
    );
    expect(message.reference).toBe(`${feedback.id}.answer.1`);
  });

  it('texts a UK mobile when there is no email; a landline alone, a withdrawal or no consent means no message', () => {
    const texted = consenting({ contact: { phone: '+44 (0)7700 900123' } });
    const message = familyMessageFor(answerNotice(texted), texted, CONFIG, TEST_FAMILY_LINK_KEY);
    expect(message).toMatchObject({
      channel: 'sms',
      to: '+44 (0)7700 900123',
      templateId: 'tpl-answered-sms',
    });
    const landline = { ...texted, contact: { phone: '01632 960 001' } };
    expect(familyMessageFor(answerNotice(landline), landline, CONFIG, TEST_FAMILY_LINK_KEY)).toEqual({
      none: 'no_way_to_reach',
    });
    const withdrawn = {
      ...texted,
      keepInformed: {
        ...(texted.keepInformed as NonNullable<Feedback['keepInformed']>),
        withdrawnAt: TEST_NOW.toISOString(),
      },
    };
    expect(familyMessageFor(answerNotice(withdrawn), withdrawn, CONFIG, TEST_FAMILY_LINK_KEY)).toEqual({
      none: 'withdrawn',
    });
    const { keepInformed: _, ...notAsked } = texted;
    expect(familyMessageFor(answerNotice(texted), notAsked, CONFIG, TEST_FAMILY_LINK_KEY)).toEqual({
      none: 'not_asked',
    });
    expect(familyMessageFor(answerNotice(texted), undefined, CONFIG, TEST_FAMILY_LINK_KEY)).toEqual({
      none: 'no_feedback',
    });
  });

  it('gives a complaint stage’s answer the escalation link and its date, and the last stage the Ombudsman', () => {
    const complaint = answered(consenting({ kind: 'complaint' }));
    const message = familyMessageFor(answerNotice(complaint), complaint, CONFIG, TEST_FAMILY_LINK_KEY);
    if ('none' in message) throw new Error('expected a message');
    const next = complaint.complaintStages?.[0]?.next;
    expect(message.personalisation.next_step).toBe(
      `If you are not happy with our answer, you can ask for ${next?.name} by ${longDate(String(next?.askBy))}:`,
    );
    const link = new URL(String(message.personalisation.link));
    expect(`${link.origin}${link.pathname}`).toBe(CONFIG.escalationPageUrl);
    expect(readFamilyLink(link.hash.slice(1), TEST_FAMILY_LINK_KEY, 'escalate')).toMatchObject({ stage: 1 });

    const last = {
      ...complaint,
      complaintStages: [
        {
          ...(complaint.complaintStages?.[0] as object),
          next: undefined,
          ombudsman: {
            name: 'Local Government and Social Care Ombudsman',
            url: 'https://www.lgo.org.uk',
            timeLimit: '12 months',
          },
        },
      ],
    } as Feedback;
    const final = familyMessageFor(answerNotice(last), last, CONFIG, TEST_FAMILY_LINK_KEY);
    expect(final).toMatchObject({ personalisation: { link: 'https://www.lgo.org.uk' } });
  });

  it('links an update’s message to the update’s own page', () => {
    const feedback = consenting();
    const [notice] = noticesOf(published('v1', [feedback.id], 'pqrstvwxyz23'));
    const message = familyMessageFor(notice as Notice, feedback, CONFIG, TEST_FAMILY_LINK_KEY);
    if ('none' in message) throw new Error('expected a message');
    expect(Object.keys(message.personalisation).sort()).toEqual(
      [...TEMPLATE_PLACEHOLDERS.update_published].sort(),
    );
    expect(message).toMatchObject({
      templateId: 'tpl-update-email',
      personalisation: { link: 'https://lo.example/ysdw/general/pqrstvwxyz23' },
    });
  });

  it('refuses to go without a template id or a stop page: configuration, retried, never a message without its stop link', () => {
    const feedback = consenting();
    const notice = answerNotice(feedback);
    expect(() =>
      familyMessageFor(
        notice,
        feedback,
        { ...CONFIG, templates: { ...CONFIG.templates, answered: { email: undefined, sms: 'x' } } },
        TEST_FAMILY_LINK_KEY,
      ),
    ).toThrow(FamilyMessageConfigError);
    expect(() =>
      familyMessageFor(notice, feedback, { ...CONFIG, stopPageUrl: undefined }, TEST_FAMILY_LINK_KEY),
    ).toThrow(FamilyMessageConfigError);
  });

  it('never carries the family’s words, name or address, nor the officer’s answer, whatever they are', () => {
    const text = fc.string({ minLength: 12, maxLength: 60 }).filter((s) => /[a-z]{6}/i.test(s));
    fc.assert(
      fc.property(text, text, text, fc.boolean(), (words, name, response, complaint) => {
        const feedback = answered(
          consenting({
            kind: complaint ? 'complaint' : 'feedback',
            message: words,
            contact: { name, email: 'z@example.com' },
          }),
          response,
        );
        const message = familyMessageFor(answerNotice(feedback), feedback, CONFIG, TEST_FAMILY_LINK_KEY);
        if ('none' in message) return false;
        const shown = JSON.stringify(message.personalisation);
        return ![words, name, response, 'z@example.com'].some((secret) => shown.includes(secret));
      }),
    );
  });
});

describe('consent and how a family is reached', () => {
  it('takes UK mobiles as people write them, and nothing else, for texts', () => {
    for (const mobile of ['07700 900982', '+447700900982', '0044 7700 900982', '+44 (0)7700-900-982'])
      expect(isUkMobileNumber(mobile), mobile).toBe(true);
    for (const other of ['01632 960001', '+33 6 12 34 56 78', '0770090098', '08001111'])
      expect(isUkMobileNumber(other), other).toBe(false);
    expect(messageChannelOf({ email: 'a@example.com', phone: '07700900982' })).toBe('email');
    expect(messageChannelOf({ phone: '01632 960001' })).toBeUndefined();
  });

  it('records when, how and to which wording it was given, and shows its state without contact details', () => {
    const feedback = consenting();
    expect(feedback.keepInformed).toEqual({
      givenAt: TEST_NOW.toISOString(),
      givenVia: 'web',
      wording: 'tell-me-what-happens/v1',
    });
    expect(keepInformedStateOf(feedback)).toEqual({
      reference: 'K7QM-92PD',
      keepInformed: 'yes',
      givenAt: TEST_NOW.toISOString(),
    });
  });

  it('reads its configuration from the environment; the stop page defaults to beside the escalation page', () => {
    expect(stopPageUrlOf({ FAMILY_PAGE_URL: 'https://lo.example/family/escalate.html' })).toBe(
      'https://lo.example/family/stop-messages.html',
    );
    expect(stopPageUrlOf({})).toBeUndefined();
    expect(familyMessageConfigFromEnv({ NOTIFY_TEMPLATE_ANSWERED_SMS: ' abc ' }).templates.answered).toEqual({
      email: undefined,
      sms: 'abc',
    });
    expect(longDate('2027-03-09')).toBe('9 March 2027');
  });
});
