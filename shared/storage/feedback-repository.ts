import { ConditionalCheckFailedException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  TransactWriteCommand,
} from '@aws-sdk/lib-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { TemporarilyUnavailableError } from '../domain/errors';
import { FEEDBACK_STATUSES, type Feedback, nextDueAt } from '../domain/feedback';
import { attentionAt } from '../domain/overdue';
import { FeedbackIdTakenError, type FeedbackRepository } from '../domain/receive-feedback';
import type { StoredSummary, TriageRepository } from '../domain/triage-feedback';
import {
  feedbackKey,
  feedbackListKeys,
  feedbackListPartition,
  feedbackReceivedKeys,
  openByDeadlineKey,
  retentionKeys,
  subjectLookupKey,
} from './keys';
import { pagedQuery } from './paged-query';
import { translateStorageError } from './storage-errors';
import { COMPLAINT_ALERT, LIST_ROW, TABLE } from './table';
import { readWithHistory, withoutKeys, writeVersion } from './versioned-records';

const FEEDBACK_TYPE = 'FEEDBACK' as const;

/** The stored item with every index key; also used by the local table set-up to re-key old items. */
export function feedbackRecord(feedback: Feedback) {
  const due = nextDueAt(feedback);
  // Sparse: only feedback that still owes the family something is in the open-items index, under
  // the time it next needs the overdue sweep (its deadline, or its next reminder once alerted).
  const attention = attentionAt({ entity: FEEDBACK_TYPE, ...feedback });
  return {
    ...feedbackKey(feedback.id),
    entity: FEEDBACK_TYPE,
    ...feedback,
    ...feedbackListKeys(feedback, due),
    [LIST_ROW]: listRowOf(feedback),
    ...complaintAlertOf(feedback),
    // Every piece of feedback, by project and arrival: the annual report counts a year without a Scan.
    ...feedbackReceivedKeys(feedback),
    ...(attention ? openByDeadlineKey(feedback.id, FEEDBACK_TYPE, attention) : {}),
    // Sparse: closed feedback whose personal data is still held, under its closure time, so the
    // retention job finds what is due without a Scan (an anonymisation still scrubbing its
    // history stays in, so the job comes back to finish it).
    ...(holdsPersonalData(feedback) && feedback.closedAt
      ? retentionKeys({ ...feedback, closedAt: feedback.closedAt })
      : {}),
  };
}

const holdsPersonalData = (feedback: Feedback) =>
  feedback.status === 'closed' && (!feedback.anonymised || feedback.anonymised.historyPending === true);

/** For GSI1 (shared/storage/table.ts): which stage of which procedure a complaint's deadlines are. */
function complaintAlertOf({ complaintProcedure, complaintStage, reviewPanelOn }: Feedback) {
  if (!complaintStage) return {};
  return {
    [COMPLAINT_ALERT]: {
      procedure: complaintProcedure ?? 'corporate',
      stage: complaintStage,
      ...(reviewPanelOn ? { reviewPanelOn } : {}),
    },
  };
}

/** What a list page shows of an item, copied into the list indexes: no message, no contact details. */
function listRowOf(feedback: Feedback): StoredSummary {
  const { id, reference, kind, projectId, status, receivedAt, version } = feedback;
  const { acknowledgeBy, acknowledgeDueAt, respondBy, respondDueAt } = feedback;
  const { complaintProcedure, complaintStage } = feedback;
  return {
    id,
    reference,
    kind,
    projectId,
    status,
    receivedAt,
    acknowledgeBy,
    acknowledgeDueAt,
    respondBy,
    respondDueAt,
    version,
    // A complaint's list row says which procedure and stage it is at (an escalated complaint is
    // back in the received partitions, at its next stage).
    ...(complaintProcedure ? { complaintProcedure } : {}),
    ...(complaintStage ? { complaintStage } : {}),
  };
}

export const createFeedbackRepository = (
  db: DynamoDBDocumentClient,
  table: string,
): FeedbackRepository & TriageRepository => ({
  /**
   * One conditional write: it stores the feedback and, since the id is the reference, makes the
   * reference unique. When the id is taken, DynamoDB hands back the item holding it with the
   * refusal (ReturnValuesOnConditionCheckFailure), so a retry recognises its own item without a
   * second call.
   */
  async create(feedback) {
    const put = {
      TableName: table,
      Item: feedbackRecord(feedback),
      ConditionExpression: 'attribute_not_exists(PK)',
      ReturnValuesOnConditionCheckFailure: 'ALL_OLD' as const,
    };
    const lookups = feedback.subjectKeys ?? [];
    try {
      if (lookups.length === 0) await db.send(new PutCommand(put));
      // With contact details, their subject lookup entries (shared/retention/subject-keys.ts) in
      // the same transaction: a family's item is never stored without them, nor they without it.
      else {
        await db.send(
          new TransactWriteCommand({
            TransactItems: [
              { Put: put },
              ...lookups.map((subjectKey) => ({
                Put: {
                  TableName: table,
                  Item: {
                    ...subjectLookupKey(subjectKey, feedback.id),
                    entity: 'SUBJECT',
                    feedbackId: feedback.id,
                    receivedAt: feedback.receivedAt,
                  },
                },
              })),
            ],
          }),
        );
      }
    } catch (error) {
      const taken = idTakenBy(error);
      if (taken) throw new FeedbackIdTakenError(feedback.id, taken.existing);
      // Cancelled by another write in flight or by throttling: the same key's retry will do.
      if (
        error instanceof TransactionCanceledException &&
        error.CancellationReasons?.some((reason) =>
          ['TransactionConflict', 'ThrottlingError', 'ProvisionedThroughputExceeded'].includes(
            reason.Code ?? '',
          ),
        )
      )
        throw new TemporarilyUnavailableError(error);
      translateStorageError(error);
    }
  },

  async get(id) {
    try {
      const { Item } = await db.send(
        new GetCommand({ TableName: table, Key: feedbackKey(id), ConsistentRead: true }),
      );
      return Item ? withoutKeys<Feedback>(Item) : undefined;
    } catch (error) {
      translateStorageError(error);
    }
  },

  async getWithHistory(id) {
    const found = await readWithHistory<Feedback>(db, table, feedbackKey(id).PK);
    return found && { feedback: found.item, history: found.history, alerts: found.alerts };
  },

  async update(change, expectedVersion) {
    await writeVersion(
      db,
      table,
      change.feedback.id,
      feedbackRecord(change.feedback),
      change.entry,
      expectedVersion,
    );
  },

  /**
   * One partition that holds exactly the matching feedback (shared/storage/keys.ts), or one per
   * status when some but not all are asked for (`overdue`: received and acknowledged, merged).
   */
  async list(query, page) {
    const { projectId, kind } = query;
    const everyStatus = FEEDBACK_STATUSES.every((status) => query.statuses.includes(status));
    const chosen = everyStatus
      ? [feedbackListPartition({ projectId, kind })]
      : query.statuses.map((status) => feedbackListPartition({ projectId, kind, status }));
    const index = chosen[0]?.index ?? TABLE.indexes.byCollection;
    const partitions = chosen.map(({ partition }) => ({
      partition,
      ...(query.dueBefore ? { before: query.dueBefore } : {}),
    }));
    const result = await pagedQuery(db, table, index, partitions, page, { entity: FEEDBACK_TYPE });
    return {
      items: result.items.map((record) => record[LIST_ROW] as StoredSummary),
      ...(result.cursor ? { cursor: result.cursor } : {}),
    };
  },
});

/**
 * The refusal of a create because the id is taken, with the item holding it (DynamoDB hands it
 * back with the refusal, for a PutItem and for the first item of a transaction alike), or
 * undefined for any other failure.
 */
function idTakenBy(error: unknown): { existing: Feedback | undefined } | undefined {
  const stored = (item: Record<string, unknown> | undefined) =>
    item ? withoutKeys<Feedback>(unmarshall(item as Parameters<typeof unmarshall>[0])) : undefined;
  if (error instanceof ConditionalCheckFailedException) return { existing: stored(error.Item) };
  if (error instanceof TransactionCanceledException) {
    const [first] = error.CancellationReasons ?? [];
    if (first?.Code === 'ConditionalCheckFailed') return { existing: stored(first.Item) };
  }
  return undefined;
}
