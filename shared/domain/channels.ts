/**
 * How feedback reached the service. A plain list, apart from the zod schema that checks it
 * (feedback-submission.ts), so code that only reads stored feedback (the projector) does not
 * bundle zod for it.
 */
export const CHANNELS = ['web', 'event', 'email', 'phone', 'letter', 'in_person'] as const;
