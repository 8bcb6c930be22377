import type { Actor } from '../auth/officer';
import { InvalidTransitionError, NotFoundError, StaleVersionError } from './errors';
import { readFamilyLink } from './family-links';
import type { Feedback } from './feedback';
import { type Change, changed } from './feedback-change';
import {
  FAMILY_STOP_ACTOR,
  type KeepInformedState,
  keepInformedStateOf,
  type WithdrawalRoute,
} from './keep-informed';
import type { TriageRepository } from './triage-feedback';

/**
 * Withdrawing "tell me what happens": by the family, with the stop link every message carries
 * (`/family/stop-messages.html#<token>`, the token signed for the purpose `stop-messages`), or by an
 * officer on their behalf. Either way a new version of the item with its history entry (who, when),
 * and every later message stops: the reaction reads the item before each one
 * (shared/events/reactions/tell-families.ts).
 */
export interface StopMessagesDeps {
  feedback: Pick<TriageRepository, 'get' | 'update'>;
  now: () => Date;
  /** The family-link key (shared/config/family-link-key.ts). */
  linkKey: () => Promise<Uint8Array>;
}

function withdrawn(current: Feedback, via: WithdrawalRoute, actor: Actor, now: Date): Change {
  if (!current.keepInformed) throw new Error(`${current.id} has no consent to withdraw`);
  return changed(
    current,
    {
      ...current,
      keepInformed: { ...current.keepInformed, withdrawnAt: now.toISOString(), withdrawnVia: via },
    },
    'withdraw_keep_informed',
    actor,
    now,
  );
}

/** A retry after losing a race re-reads the item; more than a family could click. */
const ATTEMPTS = 3;

/**
 * The family's stop link. The token is checked first (forged, edited or for another purpose: 400
 * invalid-family-link). Then: consent withdrawn already (this link again, another device, an
 * officer), or never given: the same answer, nothing written. Otherwise it is withdrawn now.
 */
export async function stopMessagesByFamilyLink(
  deps: StopMessagesDeps,
  input: { token: string },
): Promise<KeepInformedState> {
  const link = readFamilyLink(input.token, await deps.linkKey(), 'stop-messages');
  for (let attempt = 1; ; attempt++) {
    const current = await deps.feedback.get(link.feedbackId);
    if (!current) throw new NotFoundError('feedback', link.feedbackId);
    if (!current.keepInformed || current.keepInformed.withdrawnAt) return keepInformedStateOf(current);
    const change = withdrawn(current, 'stop_link', FAMILY_STOP_ACTOR, deps.now());
    try {
      await deps.feedback.update(change, current.version);
      return keepInformedStateOf(change.feedback);
    } catch (error) {
      if (!(error instanceof StaleVersionError) || attempt === ATTEMPTS) throw error;
    }
  }
}

/** An officer records the family's withdrawal (they phoned, wrote): If-Match, like every officer change. */
export async function stopMessagesForFamily(
  deps: Pick<StopMessagesDeps, 'feedback' | 'now'>,
  id: string,
  expectedVersion: number,
  actor: Actor,
): Promise<Feedback> {
  const current = await deps.feedback.get(id);
  if (!current) throw new NotFoundError('feedback', id);
  if (current.version !== expectedVersion) throw new StaleVersionError(id);
  if (!current.keepInformed) {
    throw new InvalidTransitionError(
      `${current.reference}: the family did not ask to be told what happens, so there is nothing to stop.`,
    );
  }
  if (current.keepInformed.withdrawnAt) {
    throw new InvalidTransitionError(
      `${current.reference}: messages were already stopped at ${current.keepInformed.withdrawnAt}.`,
    );
  }
  const change = withdrawn(current, 'officer', actor, deps.now());
  await deps.feedback.update(change, expectedVersion);
  return change.feedback;
}
