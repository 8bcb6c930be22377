import { deltaOf } from '../../scorecard/contributions';
import { scorecardAdditions } from '../../storage/scorecard-repository';
import type { Projection } from '../projection';

/**
 * The public scorecard's counters (shared/scorecard/): for each item change, what the item adds
 * now minus what it added before (`deltaOf`), as ADDs on its project's months, in the transaction
 * of the change's first event's marker. From the change, not the events: the scorecard needs the
 * satisfaction score, which events deliberately leave out (every bus subscriber would get it with
 * the reference), and each complaint stage's own dates; and counts that are a function of item
 * state are what makes the live figures equal a rebuild from the table.
 */
export const scorecardProjection: Projection = {
  name: 'scorecard',
  partitions: ['SCORECARD#*'],
  itemsForChange: (change, context) => scorecardAdditions(context.tableName, deltaOf(change)),
};
