import middy from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2 } from 'aws-lambda';
import { familyLinkKey } from '../../shared/config/family-link-key';
import { systemClock } from '../../shared/domain/clock';
import { FamilyEscalationInput } from '../../shared/domain/complaint-input';
import { escalateByFamilyLink, type FamilyEscalationDeps } from '../../shared/domain/family-escalation';
import { httpApi } from '../../shared/http/middleware';
import { parseWith } from '../../shared/http/parse';
import { ok } from '../../shared/http/responses';
import { feedbackRepository } from '../../shared/storage/repositories';

/**
 * POST /escalations {token, reason?}: a family asks for the next stage of their complaint with the
 * link their answer gave them (the family page at /family/escalate.html sends it). Public: the
 * signed token is the only credential. A repeat answers the same outcome and changes nothing.
 */
export const makeHandler = (deps: FamilyEscalationDeps) =>
  middy<APIGatewayProxyEventV2, APIGatewayProxyResultV2>()
    .use(httpApi({ jsonBody: true }))
    .handler(async (event) => {
      const input = parseWith(FamilyEscalationInput, event.body);
      return ok(await escalateByFamilyLink(deps, input));
    });

export const handler = makeHandler({
  feedback: feedbackRepository(),
  now: systemClock,
  linkKey: familyLinkKey,
});
