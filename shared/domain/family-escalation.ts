import {
  complaintStateOf,
  type EscalationOutcome,
  EscalationWindowClosedError,
  escalate,
  escalationOutcomeOf,
  FinalStageError,
} from './complaint-stages';
import { InvalidTransitionError, NotFoundError, StaleVersionError } from './errors';
import { readFamilyLink } from './family-links';
import type { Feedback } from './feedback';
import { londonDateOf } from './london-time';
import type { TriageRepository } from './triage-feedback';

/** Who the history says made the change when a family used their own link: no officer did. */
export const FAMILY_ACTOR = { sub: 'family:escalation-link', name: 'The family (escalation link)' };

export interface FamilyEscalationDeps {
  feedback: Pick<TriageRepository, 'get' | 'update'>;
  now: () => Date;
  /** The family-link key (shared/config/family-link-key.ts). */
  linkKey: () => Promise<Uint8Array>;
}

/** A retry after losing a race re-reads the item; two more than a family could ever click. */
const ATTEMPTS = 3;

/**
 * A family asks for the next stage with the link their last answer gave them. The token is checked
 * first (forged, edited or another purpose: 400). Then, against the stored complaint:
 * - already escalated from that stage (by this link, by an officer, or by a double click, two
 *   requests racing included): the same answer again, and nothing is written twice;
 * - the last stage: 409 final-stage; the window passed: 409 escalation-window-closed;
 * - otherwise the next stage starts today, recorded as asked `via: family_link`.
 */
export async function escalateByFamilyLink(
  deps: FamilyEscalationDeps,
  input: { token: string; reason?: string | undefined },
): Promise<EscalationOutcome> {
  const link = readFamilyLink(input.token, await deps.linkKey(), 'escalate');
  for (let attempt = 1; ; attempt++) {
    const current = await deps.feedback.get(link.feedbackId);
    if (!current) throw new NotFoundError('complaint', link.feedbackId);
    const already = alreadyEscalated(current, link.stage);
    if (already) return already;
    const now = deps.now();
    const state = complaintStateOf(current);
    if (!state || state.stage !== link.stage) {
      throw new InvalidTransitionError(`${current.reference} is not at stage ${link.stage}.`);
    }
    if (current.status === 'responded' || current.status === 'closed') {
      if (!state.current.next) throw new FinalStageError(current, state);
      if (londonDateOf(now) > state.current.next.askBy)
        throw new EscalationWindowClosedError(state.current.next.askBy, state.current.next.name);
    }
    const change = escalate(
      current,
      { at: now, via: 'family_link', ...(input.reason ? { reason: input.reason } : {}) },
      FAMILY_ACTOR,
      now,
    );
    try {
      await deps.feedback.update(change, current.version);
      return escalationOutcomeOf(change.feedback, link.stage + 1) as EscalationOutcome;
    } catch (error) {
      // Someone else wrote first (the same family on another device, an officer): read again and
      // answer as things now stand.
      if (!(error instanceof StaleVersionError) || attempt === ATTEMPTS) throw error;
    }
  }
}

/** The outcome of the escalation from `stage`, if it already happened. */
function alreadyEscalated(feedback: Feedback, stage: number): EscalationOutcome | undefined {
  const state = complaintStateOf(feedback);
  if (!state || state.stage <= stage) return undefined;
  return escalationOutcomeOf(feedback, stage + 1);
}
