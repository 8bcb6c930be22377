import { documentClient, tableName } from './client';
import { createEventRepository } from './event-repository';
import { createFeedbackRepository } from './feedback-repository';
import { createProjectRepository } from './project-repository';
import { createUpdateRepository } from './update-repository';

/**
 * The real repositories on the configured table, one of each per process. Separate factories, so
 * a function's bundle holds only the storage code it uses.
 */
export const feedbackRepository = () => createFeedbackRepository(documentClient(), tableName());

export const projectRepository = () =>
  createProjectRepository(documentClient(), tableName(), {
    cacheTtlMs: Number(process.env.PROJECT_CACHE_SECONDS ?? 60) * 1000,
  });

export const eventRepository = () => createEventRepository(documentClient(), tableName());

export const updateRepository = () => createUpdateRepository(documentClient(), tableName());
