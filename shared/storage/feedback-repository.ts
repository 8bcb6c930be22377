import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
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
  };
}

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
    try {
      await db.send(
        new PutCommand({
          TableName: table,
          Item: feedbackRecord(feedback),
          ConditionExpression: 'attribute_not_exists(PK)',
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      );
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) {
        const existing = error.Item ? withoutKeys<Feedback>(unmarshall(error.Item)) : undefined;
        throw new FeedbackIdTakenError(feedback.id, existing);
      }
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
