/**
 * The message limit and how it is counted, exactly as the API does (shared/domain/
 * feedback-submission.ts): user-perceived characters (grapheme clusters) of the trimmed text, so a
 * family is never told "3 characters remaining" by the form and "too long" by the server.
 * A test checks the two agree on generated text.
 */
export const MESSAGE_MAX_CHARACTERS = 5000;

const graphemes = new Intl.Segmenter('en', { granularity: 'grapheme' });

export function countCharacters(text: string): number {
  let count = 0;
  for (const _ of graphemes.segment(text.trim())) count++;
  return count;
}
