import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { answerFeedback } from '../../shared/domain/answer-feedback';
import type { Feedback } from '../../shared/domain/feedback';
import type { FeedbackSubmission } from '../../shared/domain/feedback-submission';
import { changeComplaint } from '../../shared/domain/manage-complaints';
import type { FeedbackKind } from '../../shared/domain/project';
import { receiveFeedback } from '../../shared/domain/receive-feedback';
import { idOfReference } from '../../shared/domain/reference';
import { changeFeedback } from '../../shared/domain/triage-feedback';
import { createAnonymisationStore } from '../../shared/storage/anonymisation-store';
import { subjectLookupPartition } from '../../shared/storage/keys';
import { DAY_MS } from './clock';
import { intakeDeps, officerDeps } from './deps';
import type { TestTable } from './dynamo';

/** Families' details the retention tests look for after anonymising: none may be left anywhere. */
export interface FamilyDetails {
  message: string;
  /** Their child's name, in their message and the reasons officers recorded. */
  child: string;
  name: string;
  email: string;
  phone: string;
  /** Words that only ever appear in the officers' free text about this family. */
  privateWords: string[];
}

export const sam = { sub: 'sub-sam', name: 'Sam Officer' };

let counter = 0;
export function familyDetails(label = 'x'): FamilyDetails {
  counter += 1;
  const n = `${label}${counter}`;
  return {
    message: `Our son Ifan${n} waited months for speech therapy`,
    child: `Ifan${n}`,
    name: `Rhian Parry${n}`,
    email: `rhian.parry.${n}@example.org`,
    phone: `07700 900${String(100 + counter).slice(-3)}`,
    privateWords: [`answer-${n}`, `extension-${n}`, `escalation-${n}`],
  };
}

/**
 * Feedback of `kind` from a family with these details, taken through its life to closure at
 * `closedAt`: received a month before, answered (a complaint extended, answered, escalated by
 * phone with the family's reason and answered at stage 2), then closed. Every officer's step
 * through the real use cases, so the history holds what it would.
 */
export async function closedFeedback(
  table: TestTable,
  kind: FeedbackKind,
  closedAt: Date,
  family: FamilyDetails,
  /** `stages: 1`: a complaint answered at stage 1 and closed there (it can still be escalated). */
  options: { satisfaction?: number; stages?: 1 | 2 } = {},
): Promise<Feedback> {
  let now = new Date(closedAt.getTime() - 30 * DAY_MS);
  const clock = () => now;
  const submission: FeedbackSubmission = {
    kind,
    message: family.message,
    submitterRole: 'parent_or_carer',
    projectId: 'general',
    channel: 'web',
    contact: { name: family.name, email: family.email, phone: family.phone },
    consentToContact: true,
    // "Tell me what happens": a consent record on the item, which anonymising removes too.
    keepMeInformed: true,
    ...(options.satisfaction ? { satisfaction: options.satisfaction } : {}),
  };
  const { receipt } = await receiveFeedback(intakeDeps(table, { now: clock }), submission);
  const id = idOfReference(receipt.reference);
  const deps = officerDeps(table, clock);
  const [answerWords, extensionWords, escalationWords] = family.privateWords;
  let item: Feedback;
  if (kind === 'complaint') {
    now = new Date(now.getTime() + DAY_MS);
    item = await changeComplaint(deps, id, 1, sam, {
      action: 'extend',
      workingDays: 5,
      reason: `Waiting for the therapist's notes on ${extensionWords}`,
    });
    now = new Date(now.getTime() + 4 * DAY_MS);
    item = await answerFeedback(deps, id, item.version, sam, {
      response: `We are sorry, ${family.name}: ${answerWords}`,
      outcome: 'partly_upheld',
    });
    if (options.stages === 1) {
      now = closedAt;
      return changeFeedback(deps, id, item.version, sam, { action: 'close' });
    }
    now = new Date(now.getTime() + DAY_MS);
    item = await changeComplaint(deps, id, item.version, sam, {
      action: 'escalate',
      requestedAt: now,
      via: 'phone',
      reason: `Still no therapy for ${family.child}: ${escalationWords}`,
    });
    now = new Date(now.getTime() + 5 * DAY_MS);
    item = await answerFeedback(deps, id, item.version, sam, {
      response: `Stage 2 answer to ${family.email}: ${answerWords}`,
      outcome: 'upheld',
    });
  } else {
    now = new Date(now.getTime() + 2 * DAY_MS);
    item = await changeFeedback(deps, id, 1, sam, {
      action: 'respond',
      response: `Thank you ${family.name}, ${answerWords}`,
      outcome: kind === 'compliment' ? 'noted' : 'acted_on',
    });
  }
  now = closedAt;
  return changeFeedback(deps, id, item.version, sam, { action: 'close' });
}

/** Every stored record of one item (META, history, alerts), as stored. */
export async function partitionOf(table: TestTable, id: string) {
  const { Items = [] } = await table.db.send(
    new QueryCommand({
      TableName: table.name,
      KeyConditionExpression: 'PK = :pk',
      ExpressionAttributeValues: { ':pk': `FEEDBACK#${id}` },
      ConsistentRead: true,
    }),
  );
  return Items;
}

/** The subject lookup entries under one keyed hash. */
export async function lookupEntries(table: TestTable, subjectKey: string) {
  const { Items = [] } = await table.db.send(
    new QueryCommand({
      TableName: table.name,
      KeyConditionExpression: 'PK = :pk',
      ExpressionAttributeValues: { ':pk': subjectLookupPartition(subjectKey) },
      ConsistentRead: true,
    }),
  );
  return Items;
}

/** The details of a family found anywhere in some stored records (none, after anonymising). */
export function detailsIn(records: unknown, family: FamilyDetails): string[] {
  const text = JSON.stringify(records).toLowerCase();
  const needles = [
    family.message,
    family.name,
    family.email,
    family.phone,
    family.phone.replace(/\s/g, ''),
    family.child,
    ...family.privateWords,
  ];
  return needles.filter((needle) => text.includes(needle.toLowerCase()));
}

export const anonymisationStore = (table: TestTable, maxTransactionItems?: number) =>
  createAnonymisationStore(
    table.db,
    table.name,
    maxTransactionItems === undefined ? {} : { maxTransactionItems },
  );
