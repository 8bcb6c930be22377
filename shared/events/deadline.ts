import { workingDaysOverdue } from '../domain/overdue';
import type { DeadlineOutcome } from './schemas';

/**
 * Whether a stage was done by its deadline (the end of its London due date), and if not, by how
 * many working days it was missed: the same count the overdue alerts use (shared/domain/overdue.ts).
 */
export function deadlineOutcome(
  stage: DeadlineOutcome['stage'],
  dueBy: string,
  dueAt: string,
  doneAt: string,
): DeadlineOutcome {
  const met = Date.parse(doneAt) <= Date.parse(dueAt);
  return {
    stage,
    dueBy,
    dueAt,
    met,
    workingDaysLate: met ? 0 : workingDaysOverdue(dueBy, new Date(doneAt)),
  };
}
