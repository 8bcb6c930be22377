import type { Actor } from '../auth/officer';
import { endOfLondonDay, type IsoDate } from './london-time';
import type { AlertProgress } from './overdue';
import { addWorkingDays } from './working-days';

export const EVENT_TYPES = [
  'workshop',
  'forum',
  'survey',
  'focus_group',
  'consultation',
  'drop_in',
  'other',
] as const;
export type EventType = (typeof EVENT_TYPES)[number];

/** planned → held → reported_back: the people who came are told what came of it. */
export const EVENT_STATUSES = ['planned', 'held', 'reported_back'] as const;
export type EventStatus = (typeof EVENT_STATUSES)[number];

export interface Participants {
  childrenAndYoungPeople: number;
  parentsAndCarers: number;
  professionals: number;
}

/** A co-production event: a workshop, forum or survey where officers heard families. */
export interface CoproductionEvent extends AlertProgress {
  id: string;
  title: string;
  projectId: string;
  type: EventType;
  heldOn: IsoDate;
  participants: Participants;
  accessibility: string[];
  whatWeHeard?: string;
  status: EventStatus;
  /** The project's report-back working days after the event: by then participants hear the outcome. */
  reportBackBy: IsoDate;
  reportBackDueAt: string;
  createdAt: string;
  createdBy: Actor;
  updatedAt: string;
  updatedBy: Actor;
  version: number;
}

export function reportBackDeadline(
  heldOn: IsoDate,
  workingDays: number,
): { reportBackBy: IsoDate; reportBackDueAt: string } {
  const reportBackBy = addWorkingDays(heldOn, workingDays);
  return { reportBackBy, reportBackDueAt: endOfLondonDay(reportBackBy).toISOString() };
}

/** Status only moves forward; a skipped step is refused too (an event is held before it is reported back). */
export function canMove(from: EventStatus, to: EventStatus): boolean {
  return from === to || EVENT_STATUSES.indexOf(to) === EVENT_STATUSES.indexOf(from) + 1;
}
