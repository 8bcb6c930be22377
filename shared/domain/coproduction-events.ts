import type { Actor } from '../auth/officer';
import {
  DomainError,
  InvalidTransitionError,
  NotFoundError,
  StaleVersionError,
  UnknownProjectError,
} from './errors';
import { type CoproductionEvent, canMove, reportBackDeadline } from './event';
import type { EventInput, EventPatch } from './event-input';
import { createWithFreshId, IdTakenError } from './fresh-id';
import { BOOKKEEPING, changesBetween, type HistoryEntry } from './history';
import { londonDateOf } from './london-time';
import { eventRowOf, officerEventOf } from './officer-views';
import type { SentAlert } from './overdue';
import type { Page } from './page';
import type { ProjectRepository } from './project';
import { idOfReference } from './reference';

export interface EventSummary {
  id: string;
  title: string;
  projectId: string;
  type: CoproductionEvent['type'];
  heldOn: string;
  status: CoproductionEvent['status'];
  reportBackBy: string;
  version: number;
}

export interface EventRepository {
  /** Throws EventIdTakenError if the id is used (so the caller draws another). */
  create(event: CoproductionEvent, entry: HistoryEntry): Promise<void>;
  get(id: string): Promise<CoproductionEvent | undefined>;
  getWithHistory(
    id: string,
  ): Promise<{ event: CoproductionEvent; history: HistoryEntry[]; alerts: SentAlert[] } | undefined>;
  update(event: CoproductionEvent, entry: HistoryEntry, expectedVersion: number): Promise<void>;
  list(
    query: { projectId?: string; from?: string; to?: string },
    page: { limit: number; cursor?: string },
  ): Promise<Page<EventSummary>>;
}

export class EventIdTakenError extends IdTakenError {}

export interface EventDeps {
  events: EventRepository;
  projects: ProjectRepository;
  now: () => Date;
  newReference: () => string;
}

async function projectDays(deps: EventDeps, projectId: string): Promise<number> {
  const project = await deps.projects.get(projectId);
  // Closed projects still hold events: their participants are still owed a report-back.
  if (!project) throw new UnknownProjectError(projectId, { open: false });
  return project.eventReportBackWorkingDays;
}

/** An event cannot have been held (or reported back) before the day it is held on. */
function checkHeld(event: Pick<CoproductionEvent, 'status' | 'heldOn'>, now: Date): void {
  if (event.status !== 'planned' && event.heldOn > londonDateOf(now)) {
    throw new DomainError('invalid', 'An event cannot be held before its date.', [
      { path: 'status', message: `The event is on ${event.heldOn}: it is still planned until then` },
    ]);
  }
}

export async function recordEvent(
  deps: EventDeps,
  input: EventInput,
  actor: Actor,
): Promise<CoproductionEvent> {
  checkHeld(input, deps.now());
  const days = await projectDays(deps, input.projectId);
  const at = deps.now().toISOString();
  return createWithFreshId(async () => {
    const event: CoproductionEvent = {
      id: idOfReference(deps.newReference()),
      ...input,
      ...reportBackDeadline(input.heldOn, days),
      createdAt: at,
      createdBy: actor,
      updatedAt: at,
      updatedBy: actor,
      version: 1,
    };
    const entry: HistoryEntry = {
      version: 1,
      at,
      actor,
      action: 'create',
      changes: changesBetween<Partial<CoproductionEvent>>({}, event, [
        ...BOOKKEEPING,
        'createdAt',
        'createdBy',
        'updatedAt',
        'updatedBy',
      ]),
    };
    await deps.events.create(event, entry);
    return event;
  });
}

export async function eventWithHistory(deps: Pick<EventDeps, 'events'>, id: string) {
  const found = await deps.events.getWithHistory(id);
  if (!found) throw new NotFoundError('event', id);
  return { ...found, event: officerEventOf(found.event) };
}

export async function updateEvent(
  deps: EventDeps,
  id: string,
  expectedVersion: number,
  patch: EventPatch,
  actor: Actor,
): Promise<CoproductionEvent> {
  const current = await deps.events.get(id);
  if (!current) throw new NotFoundError('event', id);
  if (current.version !== expectedVersion) throw new StaleVersionError(id);
  if (patch.status && !canMove(current.status, patch.status)) {
    throw new InvalidTransitionError(`An event that is ${current.status} cannot become ${patch.status}.`);
  }
  if (current.status === 'reported_back' && (patch.heldOn !== undefined || patch.projectId !== undefined)) {
    throw new InvalidTransitionError(
      'This event has been reported back: its date and project can no longer change.',
    );
  }
  const { participants, ...fields } = patch;
  const next = { ...current, ...fields, participants: { ...current.participants, ...participants } };
  checkHeld(next, deps.now());
  // The report-back date follows the event: moved when its date or project changes.
  if (patch.heldOn !== undefined || patch.projectId !== undefined) {
    Object.assign(next, reportBackDeadline(next.heldOn, await projectDays(deps, next.projectId)));
  }
  const at = deps.now().toISOString();
  const updated: CoproductionEvent = {
    ...next,
    updatedAt: at,
    updatedBy: actor,
    version: current.version + 1,
  };
  const entry: HistoryEntry = {
    version: updated.version,
    at,
    actor,
    action: 'update',
    changes: changesBetween(current, updated, [...BOOKKEEPING, 'updatedAt', 'updatedBy']),
  };
  await deps.events.update(updated, entry, expectedVersion);
  return updated;
}

export async function listEvents(
  deps: Pick<EventDeps, 'events'>,
  query: { projectId?: string; from?: string; to?: string },
  page: { limit: number; cursor?: string },
): Promise<Page<EventSummary>> {
  const { items, cursor } = await deps.events.list(query, page);
  return { items: items.map(eventRowOf), ...(cursor ? { cursor } : {}) };
}
