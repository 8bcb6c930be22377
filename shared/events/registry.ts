import type { DomainEventBus } from './bus';
import type { Projection, Reaction } from './projection';
import { publishToBus } from './reactions/publish-to-bus';
import { type TellFamiliesDeps, tellFamilies } from './reactions/tell-families';

/**
 * Everything the projector runs for each domain event, in this order. Add a projection or a
 * reaction here (each in a file of its own: shared/events/projections/, shared/events/reactions/);
 * the Lambda handler and `npm start`'s stream reader both take their lists from here.
 *
 * Projections: none yet (the scorecard's counts come next). Their `partitions` are what the
 * projector's IAM policy lets it write (infra/constructs/domain-events.ts), so this module must
 * stay importable by CDK: no clients made at import time.
 */
export const PROJECTIONS: readonly Projection[] = [];

/** What reactions need from the runtime: AWS clients in Lambda, files under DATA_DIR locally. */
export interface ReactionDeps {
  bus: DomainEventBus;
  /** Families' messages: Notify in AWS, the family outbox locally. */
  families: TellFamiliesDeps;
}

export function reactionsFor(deps: ReactionDeps): Reaction[] {
  return [publishToBus(deps.bus), tellFamilies(deps.families)];
}
