import type { Actor } from '../auth/officer';
import { type ComplaintProcedureName, timescalesFor } from './complaint-procedure';
import {
  chooseProcedure,
  escalate,
  extendStage,
  type RequestChannel,
  recordReviewPanel,
} from './complaint-stages';
import { NotFoundError, StaleVersionError } from './errors';
import type { Feedback } from './feedback';
import type { Change } from './feedback-change';
import type { IsoDate } from './london-time';
import type { ProjectRepository } from './project';
import type { TriageRepository } from './triage-feedback';

/**
 * Officers' steps on a complaint's stages, each guarded by the version the officer last saw (as
 * every officer change is: shared/domain/triage-feedback.ts), recorded with who, when, what and why.
 */
export type ComplaintCommand =
  | { action: 'choose_procedure'; procedure: ComplaintProcedureName; reason: string }
  | { action: 'extend'; workingDays: number; reason: string }
  | { action: 'escalate'; requestedAt: Date; via: Exclude<RequestChannel, 'family_link'>; reason?: string }
  | { action: 'record_review_panel'; heldOn: IsoDate };

export interface ManageComplaintsDeps {
  feedback: Pick<TriageRepository, 'get' | 'update'>;
  /** Read only to choose a procedure (the project's corporate settings). */
  projects?: Pick<ProjectRepository, 'get'>;
  now: () => Date;
}

export async function changeComplaint(
  deps: ManageComplaintsDeps,
  id: string,
  expectedVersion: number,
  actor: Actor,
  command: ComplaintCommand,
): Promise<Feedback> {
  const current = await deps.feedback.get(id);
  if (!current) throw new NotFoundError('feedback', id);
  if (current.version !== expectedVersion) throw new StaleVersionError(id);
  const now = deps.now();
  const change = await changeFor(deps, current, actor, now, command);
  await deps.feedback.update(change, expectedVersion);
  return change.feedback;
}

async function changeFor(
  deps: ManageComplaintsDeps,
  current: Feedback,
  actor: Actor,
  now: Date,
  command: ComplaintCommand,
): Promise<Change> {
  switch (command.action) {
    case 'choose_procedure': {
      // The stage 1 timeframe the complaint arrived under; the project's corporate settings as now.
      const project = await deps.projects?.get(current.projectId);
      const timescales = timescalesFor(command.procedure, {
        timeframe: current.timeframe,
        corporateComplaints: project?.corporateComplaints,
      });
      return chooseProcedure(current, command.procedure, timescales, command.reason, actor, now);
    }
    case 'extend':
      return extendStage(current, command.workingDays, command.reason, actor, now);
    case 'escalate':
      return escalate(
        current,
        {
          at: command.requestedAt,
          via: command.via,
          recordedBy: actor,
          ...(command.reason ? { reason: command.reason } : {}),
        },
        actor,
        now,
      );
    case 'record_review_panel':
      return recordReviewPanel(current, command.heldOn, actor, now);
  }
}
