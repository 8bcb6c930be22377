import type { Actor } from '../auth/officer';
import {
  DomainError,
  type FieldError,
  InvalidTransitionError,
  NotFoundError,
  StaleVersionError,
  UnknownProjectError,
} from './errors';
import type { Participants } from './event';
import type { SubmitterRole } from './feedback-submission';
import { createWithFreshId, IdTakenError } from './fresh-id';
import { BOOKKEEPING, changesBetween, type HistoryEntry } from './history';
import { officerUpdateOf, updateRowOf } from './officer-views';
import type { Page } from './page';
import type { ProjectRepository } from './project';
import { countVoices } from './public-counts';
import { type KnownPerson, personalDataErrors } from './redaction';
import { PUBLIC_TEXT_FIELDS, ruleErrors, type Update, type UpdateStatus } from './update';
import type { UpdateInput, UpdatePatch } from './update-input';

/** What an update links to, read when linking and publishing. Contact details never leave the check. */
export interface LinkedFeedback {
  id: string;
  reference: string;
  submitterRole: SubmitterRole;
  contact?: { name?: string; email?: string; phone?: string };
}
export interface LinkedEvent {
  id: string;
  projectId: string;
  status: string;
  participants: Participants;
}

export interface UpdateSummary {
  id: string;
  projectId: string;
  title: string;
  status: UpdateStatus;
  published: boolean;
  publishedAt?: string;
  modifiedAt?: string;
  updatedAt: string;
  version: number;
}

export interface UpdateListQuery {
  projectId?: string;
  statuses: readonly UpdateStatus[];
  published: readonly boolean[];
}

export interface UpdateRepository {
  /** Throws UpdateIdTakenError if the id is used (so the caller draws another). */
  create(update: Update, entry: HistoryEntry): Promise<void>;
  get(id: string): Promise<Update | undefined>;
  getWithHistory(id: string): Promise<{ update: Update; history: HistoryEntry[] } | undefined>;
  /** The new version and its history entry, conditional on the version the officer saw. */
  save(update: Update, entry: HistoryEntry, expectedVersion: number): Promise<void>;
  list(query: UpdateListQuery, page: { limit: number; cursor?: string }): Promise<Page<UpdateSummary>>;
  /** The linked items that exist, by id (missing ones are absent). */
  linkedFeedback(ids: readonly string[]): Promise<Map<string, LinkedFeedback>>;
  linkedEvents(ids: readonly string[]): Promise<Map<string, LinkedEvent>>;
}

export class UpdateIdTakenError extends IdTakenError {}

export interface UpdateDeps {
  updates: UpdateRepository;
  projects: ProjectRepository;
  now: () => Date;
  newId: () => string;
}

const IGNORED = [...BOOKKEEPING, 'createdAt', 'createdBy', 'updatedAt', 'updatedBy', 'voices'];

async function projectTitleOf(deps: UpdateDeps, projectId: string): Promise<string> {
  const project = await deps.projects.get(projectId);
  // Closed projects are still answered: their families are owed what came of their feedback.
  if (!project) throw new UnknownProjectError(projectId, { open: false });
  return project.title;
}

interface Links {
  feedback: LinkedFeedback[];
  events: LinkedEvent[];
}

/** Every linked item must exist: each missing one is named by its place in the list (422). */
async function readLinks(deps: UpdateDeps, feedbackIds: string[], eventIds: string[]): Promise<Links> {
  const [feedback, events] = await Promise.all([
    deps.updates.linkedFeedback(feedbackIds),
    deps.updates.linkedEvents(eventIds),
  ]);
  const errors: FieldError[] = [
    ...feedbackIds.flatMap((id, index) =>
      feedback.has(id) ? [] : [{ path: `feedbackIds.${index}`, message: `There is no feedback '${id}'` }],
    ),
    ...eventIds.flatMap((id, index) =>
      events.has(id) ? [] : [{ path: `eventIds.${index}`, message: `There is no event '${id}'` }],
    ),
  ];
  if (errors.length) throw new DomainError('unprocessable', 'Some linked items do not exist.', errors);
  return {
    feedback: feedbackIds.map((id) => feedback.get(id) as LinkedFeedback),
    events: eventIds.map((id) => events.get(id) as LinkedEvent),
  };
}

function checkRules(update: Pick<Update, 'status' | 'reason' | 'expectedBy'>): void {
  const errors = ruleErrors(update);
  if (errors.length) {
    throw new DomainError(
      'invalid',
      `${errors.length === 1 ? 'A field needs' : 'Fields need'} correcting.`,
      errors,
    );
  }
}

/** Public text that identifies someone: a problem type of its own, so a form can say what to take out. */
export class PersonalDataError extends DomainError {
  readonly problemType = 'personal-data';
  constructor(errors: FieldError[]) {
    super(
      'unprocessable',
      'Public text must identify no one: take out the personal details named below, then publish.',
      errors,
    );
  }
}

/** Refuses (422) public text holding personal data, naming each field and what was found in it. */
function checkIdentifiesNoOne(update: Update, links: Links): void {
  const people: KnownPerson[] = links.feedback.map((item) => ({
    reference: item.reference,
    ...(item.contact ?? {}),
  }));
  const errors = personalDataErrors(
    Object.fromEntries(PUBLIC_TEXT_FIELDS.map((field) => [field, update[field]])),
    people,
  );
  if (errors.length) throw new PersonalDataError(errors);
}

const unique = (ids: readonly string[]) => [...new Set(ids)];

export async function createUpdate(deps: UpdateDeps, input: UpdateInput, actor: Actor): Promise<Update> {
  const feedbackIds = unique(input.feedbackIds);
  const eventIds = unique(input.eventIds);
  const at = deps.now().toISOString();
  const draft = {
    ...input,
    feedbackIds,
    eventIds,
  };
  checkRules(draft);
  const [projectTitle, links] = await Promise.all([
    projectTitleOf(deps, input.projectId),
    readLinks(deps, feedbackIds, eventIds),
  ]);
  return createWithFreshId(async () => {
    const update: Update = {
      id: deps.newId(),
      ...draft,
      projectTitle,
      voices: countVoices(links.feedback, links.events),
      published: false,
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
      changes: changesBetween<Partial<Update>>({}, update, IGNORED),
    };
    await deps.updates.create(update, entry);
    return update;
  });
}

export async function updateWithHistory(deps: Pick<UpdateDeps, 'updates'>, id: string) {
  const found = await deps.updates.getWithHistory(id);
  if (!found) throw new NotFoundError('update', id);
  return { ...found, update: officerUpdateOf(found.update) };
}

async function current(deps: UpdateDeps, id: string, expectedVersion: number): Promise<Update> {
  const found = await deps.updates.get(id);
  if (!found) throw new NotFoundError('update', id);
  if (found.version !== expectedVersion) throw new StaleVersionError(id);
  return found;
}

/** Saves the next version of an update: stamped with who and when, one version on, with its history entry. */
async function write(
  deps: UpdateDeps,
  before: Update,
  changed: Update,
  at: string,
  action: string,
  actor: Actor,
): Promise<Update> {
  const after: Update = { ...changed, updatedAt: at, updatedBy: actor, version: before.version + 1 };
  const entry: HistoryEntry = {
    version: after.version,
    at,
    actor,
    action,
    changes: changesBetween(before, after, IGNORED),
  };
  await deps.updates.save(after, entry, before.version);
  return after;
}

/**
 * Edits an update. A published one stays published: its public modified time moves, and its text
 * is checked for personal data again before the change is accepted.
 */
export async function editUpdate(
  deps: UpdateDeps,
  id: string,
  expectedVersion: number,
  patch: UpdatePatch,
  actor: Actor,
): Promise<Update> {
  const before = await current(deps, id, expectedVersion);
  const next: Update = { ...before };
  for (const [field, value] of Object.entries(patch)) {
    if (value === null) delete (next as unknown as Record<string, unknown>)[field];
    else if (value !== undefined) (next as unknown as Record<string, unknown>)[field] = value;
  }
  next.feedbackIds = unique(next.feedbackIds);
  next.eventIds = unique(next.eventIds);
  // Work that is done (or cannot be) has no date to come: a date left from before is dropped.
  if (patch.expectedBy === undefined && next.status !== 'planned' && next.status !== 'in_progress') {
    delete next.expectedBy;
  }
  checkRules(next);
  const [projectTitle, links] = await Promise.all([
    patch.projectId === undefined ? before.projectTitle : projectTitleOf(deps, next.projectId),
    readLinks(deps, next.feedbackIds, next.eventIds),
  ]);
  if (next.published) checkIdentifiesNoOne(next, links);
  const at = deps.now().toISOString();
  const changed: Update = {
    ...next,
    projectTitle,
    voices: countVoices(links.feedback, links.events),
    ...(next.published ? { modifiedAt: at } : {}),
  };
  return write(deps, before, changed, at, 'update', actor);
}

/** Makes an update public, once its text identifies no one. Records who and when. */
export async function publishUpdate(
  deps: UpdateDeps,
  id: string,
  expectedVersion: number,
  actor: Actor,
): Promise<Update> {
  const before = await current(deps, id, expectedVersion);
  if (before.published) throw new InvalidTransitionError('This update is already published.');
  checkRules(before);
  const [projectTitle, links] = await Promise.all([
    projectTitleOf(deps, before.projectId),
    readLinks(deps, before.feedbackIds, before.eventIds),
  ]);
  checkIdentifiesNoOne(before, links);
  const at = deps.now().toISOString();
  const changed: Update = {
    ...before,
    projectTitle,
    voices: countVoices(links.feedback, links.events),
    published: true,
    publishedAt: at,
    publishedBy: actor,
    modifiedAt: at,
  };
  return write(deps, before, changed, at, 'publish', actor);
}

/** Takes an update out of every public output in one write (its feed index keys go with it). */
export async function unpublishUpdate(
  deps: UpdateDeps,
  id: string,
  expectedVersion: number,
  actor: Actor,
): Promise<Update> {
  const before = await current(deps, id, expectedVersion);
  if (!before.published) throw new InvalidTransitionError('This update is not published.');
  const at = deps.now().toISOString();
  const changed: Update = {
    ...before,
    published: false,
    unpublishedAt: at,
    unpublishedBy: actor,
  };
  return write(deps, before, changed, at, 'unpublish', actor);
}

export async function listUpdates(
  deps: Pick<UpdateDeps, 'updates'>,
  filters: { projectId?: string; status?: UpdateStatus; published?: 'true' | 'false' },
  page: { limit: number; cursor?: string },
): Promise<Page<UpdateSummary>> {
  const { items, cursor } = await deps.updates.list(
    {
      ...(filters.projectId ? { projectId: filters.projectId } : {}),
      statuses: filters.status
        ? [filters.status]
        : (['planned', 'in_progress', 'done', 'not_possible'] as const),
      published: filters.published === undefined ? [true, false] : [filters.published === 'true'],
    },
    page,
  );
  return { items: items.map(updateRowOf), ...(cursor ? { cursor } : {}) };
}
