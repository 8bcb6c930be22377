import * as z from 'zod/mini';
import './zod-messages';
import { MAX_FAMILY_LINK_LENGTH } from './family-links';

/** The body the family's stop page sends to `POST /stop-messages`. Strict: unknown fields are refused. */
export const StopMessagesInput = z.strictObject({
  token: z
    .string('Use the link exactly as it was sent to you')
    .check(z.minLength(1, 'Use the link exactly as it was sent to you'), z.maxLength(MAX_FAMILY_LINK_LENGTH)),
});
export type StopMessagesInput = z.infer<typeof StopMessagesInput>;
