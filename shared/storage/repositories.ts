import { idempotencyStore } from '../http/idempotency';
import { documentClient, dynamoClient, tableName } from './client';
import { createFeedbackRepository } from './feedback-repository';
import { createProjectRepository } from './project-repository';

let built: ReturnType<typeof build> | undefined;

function build() {
  const db = documentClient();
  const table = tableName();
  return {
    feedback: createFeedbackRepository(db, table),
    projects: createProjectRepository(db, table, {
      cacheTtlMs: Number(process.env.PROJECT_CACHE_SECONDS ?? 60) * 1000,
    }),
    idempotency: idempotencyStore(dynamoClient(), table),
  };
}

/** The real repositories on the configured table, built once per process. */
export function repositories() {
  built ??= build();
  return built;
}
