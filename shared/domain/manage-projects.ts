import type { Actor } from '../auth/officer';
import { GENERAL_PROJECT_ID } from '../config/default-projects';
import { DomainError, PreconditionRequiredError, StaleVersionError } from './errors';
import { BOOKKEEPING, changesBetween, type HistoryEntry } from './history';
import type { Project } from './project';
import type { ProjectInput } from './project-input';

/** A project as officers see it: with its version (0 for a checked-in default never saved). */
export interface StoredProject extends Project {
  version: number;
  updatedAt?: string;
  updatedBy?: Actor;
}

export interface ProjectAdminRepository {
  listStored(): Promise<StoredProject[]>;
  getStored(id: string): Promise<StoredProject | undefined>;
  save(project: StoredProject, entry: HistoryEntry, expectedVersion: number): Promise<void>;
}

export interface ManageProjectsDeps {
  projects: ProjectAdminRepository;
  now: () => Date;
}

/**
 * Creates or replaces a project. Replacing one that exists (a checked-in default included) needs
 * the version the admin last saw, so no one's change is lost. New timeframes apply to feedback
 * received from now on: stored items keep the deadlines they were given.
 */
export async function saveProject(
  deps: ManageProjectsDeps,
  id: string,
  input: ProjectInput,
  expectedVersion: number | undefined,
  actor: Actor,
): Promise<StoredProject> {
  if (id === GENERAL_PROJECT_ID && !input.active) {
    throw new DomainError('invalid', 'The general project always stays open.', [
      { path: 'active', message: 'Feedback that names no project goes to general, so it cannot be closed' },
    ]);
  }
  const current = await deps.projects.getStored(id);
  if (current && expectedVersion === undefined) throw new PreconditionRequiredError();
  if (current && current.version !== expectedVersion) throw new StaleVersionError(id);
  if (!current && expectedVersion !== undefined && expectedVersion !== 0) throw new StaleVersionError(id);
  const at = deps.now().toISOString();
  const { description, ...rest } = input;
  const version = (current?.version ?? 0) + 1;
  const project: StoredProject = {
    id,
    ...rest,
    ...(description ? { description } : {}),
    version,
    updatedAt: at,
    updatedBy: actor,
  };
  const entry: HistoryEntry = {
    version,
    at,
    actor,
    action: current ? 'update' : 'create',
    changes: changesBetween<Partial<StoredProject>>(current ?? {}, project, [...BOOKKEEPING]),
  };
  // A default that was never saved has no stored record yet: create it (version 0 → 1).
  await deps.projects.save(project, entry, current?.version ?? 0);
  return project;
}
