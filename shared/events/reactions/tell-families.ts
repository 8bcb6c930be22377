import {
  type FamilyMessageConfig,
  familyMessageFor,
  type Notice,
  noMessageReason,
  noticesOf,
  owesNotices,
} from '../../domain/family-messages';
import type { Feedback } from '../../domain/feedback';
import type { MessageChannel } from '../../domain/keep-informed';
import { type FamilyMessenger, UndeliverableMessageError } from '../../notify/family-messenger';
import { eachEvent, type Reaction } from '../projection';

/**
 * Close the loop: a family who ticked "tell me what happens" gets one message when their feedback
 * is answered and one when an update linking it is published (shared/domain/family-messages.ts),
 * exactly one per change however often the stream delivers it. Like the overdue alerts, each
 * message is claimed, sent, recorded:
 *
 * 1. The feedback is read (consistently) for its consent and contact details, which events never
 *    carry: withdrawn, never asked, or no email or mobile: nothing is sent, nothing is written.
 * 2. Claim: a conditional write of the notice (NOTICE#<feedbackId> / <noticeId>), keyed by a
 *    deterministic id (`<feedbackId>.answer.<stage>`, `<feedbackId>.update.<updateId>`). Already
 *    sent (or refused for good): done. Claimed before, by an attempt that stopped (a crash, a
 *    timeout, a lost answer): it may have sent, so Notify is asked first, by `reference` (the
 *    notice id), and what it has is recorded instead of sending again.
 * 3. Send, then record it sent with Notify's id. Notify refusing the recipient for good is
 *    recorded as not sent (officers see it); anything else fails the event, which the stream
 *    retries (partial batch response), then gives up to the dead-letter queue: never lost silently.
 */
export const TELL_FAMILIES_REACTION = 'tell-families';

export type NoticeClaim = 'claimed' | 'resumed' | 'finished';

export interface NoticeStore {
  /** Claims the notice; `resumed` when an earlier attempt claimed it and did not finish. */
  claim(notice: Notice, channel: MessageChannel, now: Date): Promise<NoticeClaim>;
  /** Whether the notice was claimed and not finished (an attempt stopped half-way), or finished. */
  state(notice: Notice): Promise<'claimed' | 'finished' | undefined>;
  sent(notice: Notice, sent: { notificationId: string; templateId?: string; at: Date }): Promise<void>;
  notSent(notice: Notice, reason: string, at: Date): Promise<void>;
}

export interface TellFamiliesDeps {
  notices: NoticeStore;
  feedback: { get(id: string): Promise<Feedback | undefined> };
  messenger: FamilyMessenger;
  /** Read on each message, so a fault in it is retried like any other (never at import time). */
  config: () => FamilyMessageConfig;
  /** The family-link key (stop and escalation links). */
  linkKey: () => Promise<Uint8Array>;
  now: () => Date;
  /** Ids, types and reasons only: never an address or anyone's words. */
  log?: (message: string, details: Record<string, unknown>) => void;
}

export function tellFamilies(deps: TellFamiliesDeps): Reaction {
  const log = deps.log ?? (() => undefined);

  async function tell(notice: Notice): Promise<void> {
    const feedback = await deps.feedback.get(notice.feedbackId);
    const none = noMessageReason(feedback);
    if (none) {
      // Consent withdrawn (or the details erased) after an attempt that claimed and stopped: the
      // claim is settled with what Notify has, so the notice never stays half-way.
      if (none !== 'not_asked' && (await deps.notices.state(notice)) === 'claimed') {
        const found = await deps.messenger.find(notice.id);
        if (found) await deps.notices.sent(notice, { notificationId: found.notificationId, at: deps.now() });
        else await deps.notices.notSent(notice, none, deps.now());
      }
      return;
    }
    const message = familyMessageFor(notice, feedback, deps.config(), await deps.linkKey());
    if ('none' in message) return;
    const claim = await deps.notices.claim(notice, message.channel, deps.now());
    if (claim === 'finished') return;
    const found = claim === 'resumed' ? await deps.messenger.find(notice.id) : undefined;
    let notificationId: string;
    try {
      ({ notificationId } = found ?? (await deps.messenger.send(message)));
    } catch (error) {
      if (!(error instanceof UndeliverableMessageError)) throw error;
      log('family message refused by Notify', { noticeId: notice.id, code: error.code });
      await deps.notices.notSent(notice, `undeliverable: ${error.code}`, deps.now());
      return;
    }
    await deps.notices.sent(notice, { notificationId, templateId: message.templateId, at: deps.now() });
  }

  return eachEvent({
    name: TELL_FAMILIES_REACTION,
    wants: owesNotices,
    // One notice after another, in order: the first that fails stops the event, and its retry
    // finds the ones before it finished.
    async handle(event) {
      for (const notice of noticesOf(event)) await tell(notice);
    },
  });
}
