import { type DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { DEFAULT_PROJECTS } from '../config/default-projects';
import type { ProjectAdminRepository, StoredProject } from '../domain/manage-projects';
import { DEFAULT_ALERT_SETTINGS } from '../domain/overdue';
import type { Project, ProjectRepository } from '../domain/project';
import { PROJECTS_PARTITION, projectHistoryPartition, projectKey } from './keys';
import { translateStorageError } from './storage-errors';
import { partition, withoutKeys, writeVersion } from './versioned-records';

export interface ProjectRepositoryOptions {
  /**
   * How long a Lambda may reuse the project list it read. Projects change rarely and every
   * submission needs one, so a short cache saves a read per request; an officer's change reaches
   * every function within this time.
   */
  cacheTtlMs: number;
  /** Milliseconds on a monotonic clock: the cache's age is a duration, not a date. */
  now?: () => number;
}

/** The project without bookkeeping, as intake and the public see it. */
function projectOf(stored: StoredProject): Project {
  const { version: _v, updatedAt: _at, updatedBy: _by, ...project } = stored;
  return project;
}

/** Projects saved before overdue alerts existed have no alert settings: they get the defaults. */
function withAlertSettings(project: StoredProject): StoredProject {
  return { ...DEFAULT_ALERT_SETTINGS, ...project };
}

/** Saved projects, over the checked-in defaults (version 0): a saved project replaces the default of the same id. */
export const createProjectRepository = (
  db: DynamoDBDocumentClient,
  table: string,
  { cacheTtlMs, now = () => performance.now() }: ProjectRepositoryOptions,
): ProjectRepository & ProjectAdminRepository => {
  let cached: { at: number; projects: Project[] } | undefined;

  async function readAll(): Promise<StoredProject[]> {
    const saved = (await partition(db, table, PROJECTS_PARTITION)).map((item) =>
      withAlertSettings(withoutKeys<StoredProject>(item)),
    );
    const byId = new Map<string, StoredProject>(
      DEFAULT_PROJECTS.map((project) => [project.id, { ...project, version: 0 }]),
    );
    for (const project of saved) byId.set(project.id, project);
    return [...byId.values()].sort((a, b) => a.title.localeCompare(b.title, 'en-GB'));
  }

  async function all(): Promise<Project[]> {
    if (cached && now() - cached.at < cacheTtlMs) return cached.projects;
    const projects = (await readAll()).map(projectOf);
    cached = { at: now(), projects };
    return projects;
  }

  return {
    list: all,
    async get(id) {
      return (await all()).find((project) => project.id === id);
    },
    listStored: readAll,
    async getStored(id) {
      try {
        const { Item } = await db.send(
          new GetCommand({ TableName: table, Key: projectKey(id), ConsistentRead: true }),
        );
        if (Item) return withAlertSettings(withoutKeys<StoredProject>(Item));
      } catch (error) {
        translateStorageError(error);
      }
      const fallback = DEFAULT_PROJECTS.find((project) => project.id === id);
      return fallback && { ...fallback, version: 0 };
    },
    async save(project, entry, expectedVersion) {
      await writeVersion(
        db,
        table,
        project.id,
        { ...projectKey(project.id), entity: 'PROJECT', ...project },
        entry,
        expectedVersion,
        projectHistoryPartition(project.id),
      );
      cached = undefined;
    },
  };
};
