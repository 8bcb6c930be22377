import * as z from 'zod/mini';
import './zod-messages';
import { OUTCOMES } from './feedback';
import { officerText } from './officer-fields';

/** The body of `POST /officer/feedback/{id}/respond`. */
export const FeedbackResponseInput = z.strictObject({
  response: officerText(10_000),
  outcome: z.enum(OUTCOMES, { error: `Choose one of: ${OUTCOMES.join(', ')}` }),
});
export type FeedbackResponseInput = z.infer<typeof FeedbackResponseInput>;
