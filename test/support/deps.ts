import type { SubmitFeedbackDeps } from '../../functions/submit-feedback/handler';
import type { Contact } from '../../shared/domain/feedback-submission';
import { newReference } from '../../shared/domain/reference';
import { subjectKeysOf } from '../../shared/retention/subject-keys';
import { createEventRepository } from '../../shared/storage/event-repository';
import { createFeedbackRepository } from '../../shared/storage/feedback-repository';
import { noticesOfFeedback } from '../../shared/storage/notice-repository';
import { createProjectRepository } from '../../shared/storage/project-repository';
import { testClock } from './clock';
import type { TestTable } from './dynamo';
import { TEST_FAMILY_LINK_KEY, TEST_SUBJECT_LOOKUP_KEY } from './signing';

/** The real repositories on a test table, with no project cache so tests see their own writes. */
export function intakeDeps(
  table: TestTable,
  overrides: Partial<SubmitFeedbackDeps> = {},
): SubmitFeedbackDeps {
  return {
    feedback: createFeedbackRepository(table.db, table.name),
    projects: createProjectRepository(table.db, table.name, { cacheTtlMs: 0 }),
    now: testClock(),
    newReference: () => newReference(),
    subjectKeys: async (contact) => subjectKeysOf(contact, TEST_SUBJECT_LOOKUP_KEY),
    ...overrides,
  };
}

/** Officer-side dependencies on a test table, with a clock tests can set. */
export function officerDeps(table: TestTable, now: () => Date = testClock()) {
  return {
    feedback: createFeedbackRepository(table.db, table.name),
    projects: createProjectRepository(table.db, table.name, { cacheTtlMs: 0 }),
    events: createEventRepository(table.db, table.name),
    now,
    newReference: () => newReference(),
    subjectKeys: async (contact: Contact) => subjectKeysOf(contact, TEST_SUBJECT_LOOKUP_KEY),
    linkKey: async () => TEST_FAMILY_LINK_KEY,
    messages: (feedbackId: string) => noticesOfFeedback(table.db, table.name, feedbackId),
  };
}
