import { type DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { DEFAULT_PROJECTS } from '../config/default-projects';
import type { Project } from '../domain/project';
import type { ProjectRepository } from '../domain/receive-feedback';
import { PROJECTS_PARTITION } from './keys';
import { translateStorageError } from './storage-errors';

export interface ProjectRepositoryOptions {
  /**
   * How long a Lambda may reuse the project list it read. Projects change rarely and every
   * submission needs one, so a short cache saves a read per request; an officer's change reaches
   * every function within this time.
   */
  cacheTtlMs: number;
  now?: () => number;
}

function fromRecord(record: Record<string, unknown>): Project {
  const {
    PK: _pk,
    SK: _sk,
    type: _type,
    version: _version,
    updatedAt: _u,
    updatedBy: _b,
    ...project
  } = record;
  return project as unknown as Project;
}

/** Saved projects, over the checked-in defaults: a saved project replaces the default of the same id. */
export const createProjectRepository = (
  db: DynamoDBDocumentClient,
  table: string,
  { cacheTtlMs, now = Date.now }: ProjectRepositoryOptions,
): ProjectRepository => {
  let cached: { at: number; projects: Project[] } | undefined;

  async function readAll(): Promise<Project[]> {
    const saved: Project[] = [];
    let ExclusiveStartKey: Record<string, unknown> | undefined;
    try {
      do {
        const page = await db.send(
          new QueryCommand({
            TableName: table,
            KeyConditionExpression: 'PK = :pk',
            ExpressionAttributeValues: { ':pk': PROJECTS_PARTITION },
            ExclusiveStartKey,
          }),
        );
        saved.push(...(page.Items ?? []).map(fromRecord));
        ExclusiveStartKey = page.LastEvaluatedKey;
      } while (ExclusiveStartKey);
    } catch (error) {
      translateStorageError(error);
    }
    const byId = new Map<string, Project>(DEFAULT_PROJECTS.map((project) => [project.id, project]));
    for (const project of saved) byId.set(project.id, project);
    return [...byId.values()].sort((a, b) => a.title.localeCompare(b.title, 'en-GB'));
  }

  async function all(): Promise<Project[]> {
    if (cached && now() - cached.at < cacheTtlMs) return cached.projects;
    const projects = await readAll();
    cached = { at: now(), projects };
    return projects;
  }

  return {
    list: all,
    async get(id) {
      return (await all()).find((project) => project.id === id);
    },
  };
};
