import { createAnonymisationStore } from './anonymisation-store';
import { createAuditLog } from './audit-log';
import { documentClient, tableName } from './client';
import { createSubjectLookup } from './subject-lookup';

/** The retention and subject-access storage on the configured table, one of each per process. */
export const anonymisationStore = () => createAnonymisationStore(documentClient(), tableName());
export const subjectLookup = () => createSubjectLookup(documentClient(), tableName());
export const auditLog = () => createAuditLog(documentClient(), tableName());
