import type { Actor } from '../auth/officer';
import { complaintStateOf, type NextStep, nextStepOf } from './complaint-stages';
import { familyLinkUrl, signFamilyLink } from './family-links';
import type { Feedback, Outcome } from './feedback';
import { changeFeedback, type TriageDeps } from './triage-feedback';

export interface AnswerFeedbackDeps extends TriageDeps {
  /** The family-link key: read only when an answer leaves the family a next stage to ask for. */
  linkKey: () => Promise<Uint8Array>;
  /** The family page (`…/family/escalate.html`) the escalation link opens; without it, only the token. */
  familyPageUrl?: string | undefined;
}

/** The escalation link the officer puts in their letter: the token, in the page address's fragment. */
export interface EscalationLink {
  token: string;
  url?: string;
}

export type AnsweredNextStep = NextStep & { link?: EscalationLink };

/**
 * The officer's answer (shared/domain/feedback-lifecycle.ts `respond`), and for a complaint what
 * the family may do next: at a stage before the last, the next stage, by when to ask, and the
 * family's own escalation link (made from the key each time, never stored); at the last stage, the
 * Ombudsman.
 */
export async function answerFeedback(
  deps: AnswerFeedbackDeps,
  id: string,
  expectedVersion: number,
  actor: Actor,
  answer: { response: string; outcome: Outcome },
): Promise<Feedback & { nextStep?: AnsweredNextStep }> {
  // The key is read before the answer is written, when the answer will need it: a key that cannot
  // be read (Secrets Manager busy: 503) must not leave an answer stored without its link.
  let key: Uint8Array | undefined;
  const feedback = await changeFeedback(
    deps,
    id,
    expectedVersion,
    actor,
    { action: 'respond', ...answer },
    async (current) => {
      const state = complaintStateOf(current);
      if (state && state.stage < state.timescales.length) key = await deps.linkKey();
    },
  );
  const next = nextStepOf(feedback);
  if (!next) return feedback;
  if (next.kind !== 'next_stage') return { ...feedback, nextStep: next };
  const token = signFamilyLink(
    { feedbackId: feedback.id, purpose: 'escalate', stage: next.stage - 1 },
    key ?? (await deps.linkKey()),
  );
  const link = deps.familyPageUrl ? { token, url: familyLinkUrl(deps.familyPageUrl, token) } : { token };
  return { ...feedback, nextStep: { ...next, link } };
}
