import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { EventIdTakenError, type EventRepository, type EventSummary } from '../domain/coproduction-events';
import { StaleVersionError } from '../domain/errors';
import type { CoproductionEvent } from '../domain/event';
import { attentionAt } from '../domain/overdue';
import {
  EVENTS_PARTITION,
  eventKey,
  eventListKeys,
  eventsByProjectPartition,
  openByDeadlineKey,
} from './keys';
import { pagedQuery } from './paged-query';
import { translateStorageError } from './storage-errors';
import { TABLE } from './table';
import { readWithHistory, withoutKeys, writeVersion } from './versioned-records';

const EVENT_TYPE = 'EVENT' as const;

/** The stored item with every index key; also used by the local table set-up to re-key old items. */
export function eventRecord(event: CoproductionEvent) {
  const attention = attentionAt({ entity: EVENT_TYPE, ...event });
  return {
    ...eventKey(event.id),
    entity: EVENT_TYPE,
    ...event,
    ...eventListKeys(event),
    // Sparse: a held event is in the open-items index until its participants have heard back,
    // under the time it next needs the overdue sweep (its deadline, or its next reminder).
    ...(attention ? openByDeadlineKey(event.id, EVENT_TYPE, attention) : {}),
  };
}

export const createEventRepository = (db: DynamoDBDocumentClient, table: string): EventRepository => ({
  async create(event, entry) {
    try {
      await writeVersion(db, table, event.id, eventRecord(event), entry, 0);
    } catch (error) {
      if (error instanceof StaleVersionError) throw new EventIdTakenError(event.id);
      throw error;
    }
  },

  async get(id) {
    try {
      const { Item } = await db.send(
        new GetCommand({ TableName: table, Key: eventKey(id), ConsistentRead: true }),
      );
      return Item ? withoutKeys<CoproductionEvent>(Item) : undefined;
    } catch (error) {
      translateStorageError(error);
    }
  },

  async getWithHistory(id) {
    const found = await readWithHistory<CoproductionEvent>(db, table, eventKey(id).PK);
    return found && { event: found.item, history: found.history, alerts: found.alerts };
  },

  async update(event, entry, expectedVersion) {
    await writeVersion(db, table, event.id, eventRecord(event), entry, expectedVersion);
  },

  /** Newest first, within an optional range of dates: one partition, read from where the cursor left it. */
  async list(query, page) {
    const index = query.projectId ? TABLE.indexes.byProject : TABLE.indexes.byCollection;
    const result = await pagedQuery(
      db,
      table,
      index,
      [
        {
          partition: query.projectId ? eventsByProjectPartition(query.projectId) : EVENTS_PARTITION,
          ...(query.from ? { from: query.from } : {}),
          // Sort keys are `<heldOn>#<id>`: '#~' sorts after every id on that day.
          ...(query.to ? { to: `${query.to}#~` } : {}),
        },
      ],
      page,
      { descending: true, entity: EVENT_TYPE },
    );
    return {
      items: result.items.map((record) => {
        const { id, title, projectId, type, heldOn, status, reportBackBy, version } =
          withoutKeys<EventSummary>(record);
        return { id, title, projectId, type, heldOn, status, reportBackBy, version };
      }),
      ...(result.cursor ? { cursor: result.cursor } : {}),
    };
  },
});
