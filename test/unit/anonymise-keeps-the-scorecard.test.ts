import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { anonymisedFeedback, RETENTION_ACTOR } from '../../shared/retention/anonymise';
import { contributionsOf } from '../../shared/scorecard/contributions';
import { feedbackRecord } from '../../shared/storage/feedback-repository';
import { TEST_NOW } from '../support/clock';
import { life, walk } from '../support/scorecard-walks';

/**
 * Retention and the scorecard meet here: anonymising an item (shared/retention/anonymise.ts keeps
 * an allow-list of fields) must move no count (shared/scorecard/contributions.ts reads its own
 * list). If either list changes so that a scored field is dropped, the live scorecard would stop
 * at that record (UncountedChangeError) and the rebuild would disagree with published figures.
 */
describe('anonymising feedback and the scorecard', () => {
  it('moves no count, whatever life the item had (property)', () => {
    fc.assert(
      fc.property(life, (generated) => {
        const { received, changes } = walk(generated, TEST_NOW);
        const last = changes.at(-1)?.feedback ?? received;
        const anonymised = anonymisedFeedback(last, {
          at: TEST_NOW.toISOString(),
          by: RETENTION_ACTOR,
          reason: 'retention',
        });
        const keys = { PK: `FEEDBACK#${last.id}`, SK: 'META' };
        expect(anonymised.message).toBe('');
        expect(contributionsOf(keys, feedbackRecord(anonymised))).toEqual(
          contributionsOf(keys, feedbackRecord(last)),
        );
      }),
      { numRuns: 200 },
    );
  });
});
