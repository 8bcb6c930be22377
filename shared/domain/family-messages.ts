import type { DomainEvent } from '../events/schemas';
import { complaintStateOf } from './complaint-stages';
import { familyLinkUrl, signFamilyLink } from './family-links';
import type { Feedback } from './feedback';
import { keepsInformed, type MessageChannel, messageChannelOf } from './keep-informed';

/**
 * Closing the loop: what a family who ticked "tell me what happens" is sent, and when. Pure: the
 * reaction that claims, sends and records each message is shared/events/reactions/tell-families.ts.
 *
 * Two kinds of change, one message each:
 * - `answered`: an officer answered their feedback (`feedback.responded`); each stage of a complaint
 *   is answered once, so each stage's answer is one message;
 * - `update_published`: a "You said, we did" update linking their feedback was published
 *   (`update.published`). One message per update per feedback, ever: editing it, or unpublishing
 *   and publishing it again, sends nothing more (the notice id names the update, not the event).
 *
 * A message holds their reference, what happened (the template's words), links, and never anyone's
 * words: not the family's message, not the officer's answer, not the update's text.
 */
export const FAMILY_MESSAGE_TYPES = ['answered', 'update_published'] as const;
export type FamilyMessageType = (typeof FAMILY_MESSAGE_TYPES)[number];

/** One message owed to one family for one change. Its id is the Notify `reference`, and once-only. */
export interface Notice {
  /** `<feedbackId>.answer.<stage>` or `<feedbackId>.update.<updateId>`. */
  id: string;
  feedbackId: string;
  type: FamilyMessageType;
  /** The domain event that made it owed. */
  eventId: string;
  /** answered: the complaint stage answered (1 for anything that is not a complaint). */
  stage?: number;
  /** update_published: the update, and its project (for its page's address). */
  updateId?: string;
  projectId: string;
}

/** The events the reaction takes: the others are never offered to it. */
export function owesNotices(event: DomainEvent): boolean {
  return (
    event.type === 'feedback.responded' || (event.type === 'update.published' && event.feedbackIds.length > 0)
  );
}

/** The notices an event means, one per feedback it names. */
export function noticesOf(event: DomainEvent): Notice[] {
  if (event.type === 'feedback.responded') {
    const stage = event.complaintStage ?? 1;
    return [
      {
        id: `${event.feedbackId}.answer.${stage}`,
        feedbackId: event.feedbackId,
        type: 'answered',
        eventId: event.id,
        stage,
        projectId: event.projectId,
      },
    ];
  }
  if (event.type === 'update.published') {
    return [...new Set(event.feedbackIds)].map((feedbackId) => ({
      id: `${feedbackId}.update.${event.updateId}`,
      feedbackId,
      type: 'update_published',
      eventId: event.id,
      updateId: event.updateId,
      projectId: event.projectId,
    }));
  }
  return [];
}

/** Notify template ids, one per message type and channel (configuration: docs/operators.md). */
export type FamilyTemplates = Record<FamilyMessageType, Record<MessageChannel, string | undefined>>;

export interface FamilyMessageConfig {
  templates: FamilyTemplates;
  /** The stop page (`…/family/stop-messages.html`): every message links to it. */
  stopPageUrl?: string | undefined;
  /** The escalation page (`…/family/escalate.html`): a complaint stage's answer links to it. */
  escalationPageUrl?: string | undefined;
  /** The Local Offer page of one update: `{id}` and `{projectId}` filled in (FEED_ITEM_URL_TEMPLATE). */
  updatePageUrlTemplate: string;
  /** The Local Offer's "You said, we did" page: where an answer that is not a complaint's links. */
  homePageUrl: string;
}

/** A message exactly as Notify is asked to send it. */
export interface FamilyMessage {
  channel: MessageChannel;
  templateId: string;
  /** The email address or mobile number: personal data, never logged. */
  to: string;
  /** The template's placeholders (docs/operators.md lists them): no one's words. */
  personalisation: Record<string, string>;
  /** The notice id: Notify keeps it, so a retry can ask whether it was sent. */
  reference: string;
}

/** Configuration missing in this deployment: retried (and alarmed on), never skipped. */
export class FamilyMessageConfigError extends Error {
  override name = 'FamilyMessageConfigError';
}

/** Why no message goes to this family for this notice (nothing is owed, nothing is lost). */
export type NoMessage = 'no_feedback' | 'not_asked' | 'withdrawn' | 'no_way_to_reach';

export function noMessageReason(feedback: Feedback | undefined): NoMessage | undefined {
  if (!feedback) return 'no_feedback';
  if (!feedback.keepInformed) return 'not_asked';
  if (feedback.keepInformed.withdrawnAt) return 'withdrawn';
  if (!keepsInformed(feedback)) return 'no_way_to_reach';
  return undefined;
}

const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];
/** `2027-03-12` as `12 March 2027` (GOV.UK's date style), without Intl in the projector. */
export function longDate(date: string): string {
  const [year, month, day] = date.split('-').map(Number);
  return `${day} ${MONTHS[(month ?? 1) - 1]} ${year}`;
}

const ABOUT: Record<Feedback['kind'], string> = {
  complaint: 'your complaint',
  feedback: 'your feedback',
  compliment: 'your compliment',
};

/** The answered message's next step and link: escalation, the Ombudsman, or what families changed. */
function answerNextStep(
  feedback: Feedback,
  stage: number,
  config: FamilyMessageConfig,
  key: Uint8Array,
): { next_step: string; link: string } {
  const state = complaintStateOf(feedback);
  const record = state?.records.find((candidate) => candidate.stage === stage) ?? state?.current;
  if (record?.next) {
    if (!config.escalationPageUrl) throw new FamilyMessageConfigError('No escalation page (FAMILY_PAGE_URL)');
    const token = signFamilyLink({ feedbackId: feedback.id, purpose: 'escalate', stage }, key);
    return {
      next_step: `If you are not happy with our answer, you can ask for ${record.next.name} by ${longDate(record.next.askBy)}:`,
      link: familyLinkUrl(config.escalationPageUrl, token),
    };
  }
  if (record?.ombudsman) {
    return {
      next_step: `If you are still not happy, you can ask the ${record.ombudsman.name} to look at your complaint:`,
      link: record.ombudsman.url,
    };
  }
  return {
    next_step: 'You can see what we have changed because of what families have told us:',
    link: config.homePageUrl,
  };
}

/**
 * The message this notice means for this family, or why there is none. Throws
 * FamilyMessageConfigError when the deployment lacks a template id or a page address.
 */
export function familyMessageFor(
  notice: Notice,
  feedback: Feedback | undefined,
  config: FamilyMessageConfig,
  /** The family-link key: every message carries a stop link, an answer perhaps an escalation link. */
  key: Uint8Array,
): FamilyMessage | { none: NoMessage } {
  const none = noMessageReason(feedback);
  if (none || !feedback) return { none: none ?? 'no_feedback' };
  const channel = messageChannelOf(feedback.contact) as MessageChannel;
  const to = (channel === 'email' ? feedback.contact?.email : feedback.contact?.phone) as string;
  const templateId = config.templates[notice.type][channel];
  if (!templateId) throw new FamilyMessageConfigError(`No Notify template for ${notice.type} by ${channel}`);
  if (!config.stopPageUrl) throw new FamilyMessageConfigError('No stop page (FAMILY_STOP_PAGE_URL)');
  const stopToken = signFamilyLink({ feedbackId: feedback.id, purpose: 'stop-messages', stage: 0 }, key);
  const common = { reference: feedback.reference, stop_link: familyLinkUrl(config.stopPageUrl, stopToken) };
  const personalisation =
    notice.type === 'answered'
      ? {
          ...common,
          about: ABOUT[feedback.kind],
          ...answerNextStep(feedback, notice.stage ?? 1, config, key),
        }
      : {
          ...common,
          link: config.updatePageUrlTemplate
            .replaceAll('{id}', encodeURIComponent(notice.updateId ?? ''))
            .replaceAll('{projectId}', encodeURIComponent(notice.projectId)),
        };
  return { channel, templateId, to, personalisation, reference: notice.id };
}

/** The placeholders each template must have, by type: what docs/operators.md lists. */
export const TEMPLATE_PLACEHOLDERS: Record<FamilyMessageType, readonly string[]> = {
  answered: ['reference', 'about', 'next_step', 'link', 'stop_link'],
  update_published: ['reference', 'link', 'stop_link'],
};
