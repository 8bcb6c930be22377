import type { FamilyMessage } from '../domain/family-messages';

/**
 * Where families' messages go: GOV.UK Notify in AWS (govuk-notify-messenger.ts), the family outbox
 * locally (family-outbox.ts). A port, not an AWS client: the reaction (shared/events/reactions/
 * tell-families.ts) is tested with each, and the Notify adapter against a fake Notify over HTTP.
 */
export interface FamilyMessenger {
  /**
   * Sends one message; its `reference` is the notice id. Throws UndeliverableMessageError when
   * Notify refuses this recipient for good (not a mobile, a team key's list); any other error
   * means "perhaps later" and the stream retries it.
   */
  send(message: FamilyMessage): Promise<{ notificationId: string }>;
  /** The message sent with this reference, if there is one (a retry after a crash asks first). */
  find(reference: string): Promise<{ notificationId: string } | undefined>;
}

/** Notify will never take this message for this recipient: recorded as not sent, never retried. */
export class UndeliverableMessageError extends Error {
  constructor(
    /** What was refused, in Notify's words for the field and error type: never the address. */
    readonly code: string,
  ) {
    super(`Notify refused the recipient (${code})`);
    this.name = 'UndeliverableMessageError';
  }
}
