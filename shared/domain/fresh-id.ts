/** A repository's answer when the id drawn for a new record is already used. */
export class IdTakenError extends Error {}

/** Ids are drawn at random, so a clash is rare; a few draws bound the work if the generator repeats itself. */
const DRAWS = 5;

/**
 * Runs `create`, which draws a new id and stores the record under it, again for as long as the id
 * turns out to be taken (at most DRAWS times). Any other failure, or the last clash, goes to the caller.
 * Feedback intake does not use this: there a clash may be the same submission retried (see receive-feedback).
 */
export async function createWithFreshId<T>(create: () => Promise<T>): Promise<T> {
  for (let draw = 1; ; draw++) {
    try {
      return await create();
    } catch (error) {
      if (!(error instanceof IdTakenError) || draw === DRAWS) throw error;
    }
  }
}
