import { CHANNELS } from '../../domain/channels';
import { COMPLAINT_PROCEDURES } from '../../domain/complaint-procedure';
import { REQUEST_CHANNELS } from '../../domain/complaint-stages';
import { OUTCOMES } from '../../domain/feedback';
import { FEEDBACK_KINDS } from '../../domain/project';
import { DOMAIN_EVENT_SOURCE, DOMAIN_EVENT_VERSIONS } from '../catalogue';
import { deadlineOutcome } from '../deadline';
import { domainEventId } from '../event-id';
import type { ItemChange } from '../item-change';
import type { DomainEvent } from '../schemas';
import { changed, ImageReader } from './image';

/**
 * Feedback's events, from its META item: received when it is created, then one event for each
 * stage whose time appears or moves (acknowledgedAt, respondedAt, closedAt), so answering
 * unacknowledged feedback gives acknowledged and responded, in that order. An officer's change that
 * moves no stage (and the sweep's alert bookkeeping) gives none.
 *
 * A complaint following a procedure walks those once per stage (`complaintStage` on each event),
 * and adds `feedback.escalated` (its `complaintStage` grows) and `feedback.extended` (its current
 * stage record gains an extension). A new kind (anonymisation, say) is one more rule here: a field
 * whose appearance or change marks it, and the fields the event names.
 */
export function feedbackEvents(change: ItemChange): DomainEvent[] {
  const { keys, newImage } = change;
  if (!keys.PK.startsWith('FEEDBACK#') || keys.SK !== 'META' || !newImage) return [];
  const item = new ImageReader(keys.PK, newImage);
  const version = item.count('version');
  const complaintStage = item.optionalCount('complaintStage');
  const subject = {
    projectId: item.text('projectId'),
    feedbackId: item.text('id'),
    reference: item.text('reference'),
    kind: item.oneOf('kind', FEEDBACK_KINDS),
    ...(complaintStage === undefined ? {} : { complaintStage }),
  };
  const envelope = <const T extends DomainEvent['type']>(type: T, occurredAt: string) => ({
    id: domainEventId(type, keys.PK, version),
    type,
    version: DOMAIN_EVENT_VERSIONS[type],
    source: DOMAIN_EVENT_SOURCE,
    occurredAt,
  });

  const events: DomainEvent[] = [];
  if (!change.oldImage) {
    events.push({
      ...envelope('feedback.received', item.text('receivedAt')),
      ...subject,
      channel: item.oneOf('channel', CHANNELS),
      acknowledgeBy: item.text('acknowledgeBy'),
      respondBy: item.text('respondBy'),
    });
  }
  const before = change.oldImage ? new ImageReader(keys.PK, change.oldImage) : undefined;
  const stageBefore = before?.optionalCount('complaintStage');
  const records = item.maps('complaintStages');
  const current = records.at(-1);
  if (complaintStage !== undefined && stageBefore !== undefined && complaintStage > stageBefore && current) {
    const request = current.requiredMap('request');
    events.push({
      ...envelope('feedback.escalated', request.text('at')),
      ...subject,
      complaintStage,
      fromStage: stageBefore,
      complaintProcedure: item.oneOf('complaintProcedure', COMPLAINT_PROCEDURES),
      requestedVia: request.oneOf('via', REQUEST_CHANNELS),
      inTime: request.flag('inTime'),
      acknowledgeBy: item.text('acknowledgeBy'),
      respondBy: item.text('respondBy'),
    });
  }
  if (current && complaintStage !== undefined) {
    const extensions = current.maps('extensions');
    const sameStageBefore = before
      ?.maps('complaintStages')
      .find((r) => r.count('stage') === current.count('stage'));
    const seen = sameStageBefore?.maps('extensions').length ?? 0;
    for (const extension of extensions.slice(seen)) {
      events.push({
        ...envelope('feedback.extended', extension.text('at')),
        // Several extensions in one change (never made by the service, but possible) get ids of their own.
        id: domainEventId('feedback.extended', keys.PK, `${version}.${extension.text('to')}`),
        ...subject,
        complaintStage: current.count('stage'),
        workingDays: extension.count('workingDays'),
        fromDueBy: extension.text('from'),
        toDueBy: extension.text('to'),
      });
    }
  }
  if (changed(change, 'acknowledgedAt')) {
    const at = item.text('acknowledgedAt');
    events.push({
      ...envelope('feedback.acknowledged', at),
      ...subject,
      deadline: deadlineOutcome('acknowledge', item.text('acknowledgeBy'), item.text('acknowledgeDueAt'), at),
    });
  }
  if (changed(change, 'respondedAt')) {
    const at = item.text('respondedAt');
    events.push({
      ...envelope('feedback.responded', at),
      ...subject,
      outcome: item.oneOf('outcome', OUTCOMES),
      deadline: deadlineOutcome('respond', item.text('respondBy'), item.text('respondDueAt'), at),
    });
  }
  if (changed(change, 'closedAt')) {
    const outcome = item.optionalText('outcome');
    events.push({
      ...envelope('feedback.closed', item.text('closedAt')),
      ...subject,
      ...(outcome === undefined ? {} : { outcome: item.oneOf('outcome', OUTCOMES) }),
    });
  }
  return events;
}
