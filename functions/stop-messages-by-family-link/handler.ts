import middy from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2 } from 'aws-lambda';
import { familyLinkKey } from '../../shared/config/family-link-key';
import { systemClock } from '../../shared/domain/clock';
import { StopMessagesInput } from '../../shared/domain/keep-informed-input';
import { type StopMessagesDeps, stopMessagesByFamilyLink } from '../../shared/domain/stop-messages';
import { httpApi } from '../../shared/http/middleware';
import { parseWith } from '../../shared/http/parse';
import { ok } from '../../shared/http/responses';
import { feedbackRepository } from '../../shared/storage/repositories';

/**
 * POST /stop-messages {token}: the family stops the messages they asked for, with the stop link in
 * one of them (the family page at /family/stop-messages.html sends it). Public: the signed token
 * is the only credential. A repeat answers the same state and changes nothing.
 */
export const makeHandler = (deps: StopMessagesDeps) =>
  middy<APIGatewayProxyEventV2, APIGatewayProxyResultV2>()
    .use(httpApi({ jsonBody: true }))
    .handler(async (event) => {
      const input = parseWith(StopMessagesInput, event.body);
      return ok(await stopMessagesByFamilyLink(deps, input));
    });

export const handler = makeHandler({
  feedback: feedbackRepository(),
  now: systemClock,
  linkKey: familyLinkKey,
});
