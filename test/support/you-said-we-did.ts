import { randomInt } from 'node:crypto';
import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { DEFAULT_TIMEFRAMES } from '../../shared/config/default-projects';
import { type CoproductionEvent, reportBackDeadline } from '../../shared/domain/event';
import { type Feedback, newFeedback } from '../../shared/domain/feedback';
import type { SubmitterRole } from '../../shared/domain/feedback-submission';
import { londonDateOf } from '../../shared/domain/london-time';
import type { FeedbackKind } from '../../shared/domain/project';
import { newReference } from '../../shared/domain/reference';
import { newUpdateId } from '../../shared/domain/update';
import { createEventRepository } from '../../shared/storage/event-repository';
import { createFeedbackRepository } from '../../shared/storage/feedback-repository';
import { createProjectRepository } from '../../shared/storage/project-repository';
import { createUpdateRepository } from '../../shared/storage/update-repository';
import { TEST_NOW } from './clock';
import type { TestTable } from './dynamo';
import { apiEvent, type RequestSpec, testContext } from './events';

/**
 * The instant these tests treat as "now": TEST_NOW when the run sets it, else a fixed instant.
 * Every date in the tests is taken relative to it and handed to the code as its clock, so no
 * outcome depends on the real date.
 */
/** The run's test instant (test/support/clock.ts): TEST_NOW, or the real time read once. */
export const BASE_NOW = TEST_NOW;
export const minutesAfterBase = (minutes: number) => new Date(BASE_NOW.getTime() + minutes * 60_000);

/** A clock that stands still until told to move. */
export function steppingClock(start: Date = BASE_NOW) {
  let current = start.getTime();
  return Object.assign(() => new Date(current), {
    advance(minutes: number) {
      current += minutes * 60_000;
    },
  });
}

export function updateDeps(table: TestTable, now: () => Date = () => BASE_NOW) {
  return {
    updates: createUpdateRepository(table.db, table.name),
    projects: createProjectRepository(table.db, table.name, { cacheTtlMs: 0 }),
    now,
    newId: () => newUpdateId(randomInt),
  };
}

export interface SeedFeedback {
  kind?: FeedbackKind;
  submitterRole?: SubmitterRole;
  projectId?: string;
  message?: string;
  contact?: { name?: string; email?: string; phone?: string };
  receivedAt?: Date;
}

/** Feedback as intake stores it, through the real repository, received when the test says. */
export async function seedFeedback(table: TestTable, seed: SeedFeedback = {}): Promise<Feedback> {
  const feedback = newFeedback(
    newReference(),
    {
      kind: seed.kind ?? 'complaint',
      message: seed.message ?? 'The transport to school keeps changing without notice.',
      submitterRole: seed.submitterRole ?? 'parent_or_carer',
      projectId: seed.projectId ?? 'general',
      channel: 'web',
      ...(seed.contact ? { contact: seed.contact, consentToContact: true } : {}),
    },
    DEFAULT_TIMEFRAMES[seed.kind ?? 'complaint'],
    seed.receivedAt ?? BASE_NOW,
  );
  await createFeedbackRepository(table.db, table.name).create(feedback);
  return feedback;
}

/** A held co-production event, through the real repository. */
export async function seedEvent(
  table: TestTable,
  participants: CoproductionEvent['participants'],
  { projectId = 'general', heldOn = londonDateOf(BASE_NOW) }: { projectId?: string; heldOn?: string } = {},
): Promise<CoproductionEvent> {
  const actor = { sub: 'sub-sam', name: 'Sam Officer' };
  const at = BASE_NOW.toISOString();
  const event: CoproductionEvent = {
    id: newReference().replace('-', ''),
    title: 'Parent carer forum on transport',
    projectId,
    type: 'forum',
    heldOn,
    participants,
    accessibility: [],
    status: 'held',
    ...reportBackDeadline(heldOn, 20),
    createdAt: at,
    createdBy: actor,
    updatedAt: at,
    updatedBy: actor,
    version: 1,
  };
  await createEventRepository(table.db, table.name).create(event, {
    version: 1,
    at,
    actor,
    action: 'create',
    changes: {},
  });
  return event;
}

export interface RawResponse {
  status: number;
  headers: Record<string, string>;
  text: string;
}

type AnyHandler = (
  event: ReturnType<typeof apiEvent>,
  context: ReturnType<typeof testContext>,
) => Promise<unknown>;

/** Invokes a handler as Lambda would; the body is left as text (feeds are XML, reports CSV). */
export async function invokeRaw(handler: AnyHandler, spec: RequestSpec): Promise<RawResponse> {
  const result = JSON.parse(
    JSON.stringify(await handler(apiEvent(spec), testContext())),
  ) as APIGatewayProxyStructuredResultV2;
  return {
    status: result.statusCode ?? 200,
    headers: Object.fromEntries(
      Object.entries(result.headers ?? {}).map(([k, v]) => [k.toLowerCase(), String(v)]),
    ),
    text: result.body ?? '',
  };
}
