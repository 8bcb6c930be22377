import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { familyLinkKey } from '../../shared/config/family-link-key';
import { notifyApiKey } from '../../shared/config/notify-api-key';
import { systemClock } from '../../shared/domain/clock';
import { eventBridgeBus } from '../../shared/events/eventbridge-bus';
import { eventBridgeClient } from '../../shared/events/eventbridge-client';
import { type ProjectorDeps, projectStream, type StreamRecord } from '../../shared/events/project-stream';
import { PROJECTIONS, reactionsFor } from '../../shared/events/registry';
import { familyMessageConfigFromEnv } from '../../shared/notify/family-message-config';
import { govukNotifyMessenger } from '../../shared/notify/govuk-notify-messenger';
import { logger } from '../../shared/observability/logger';
import { metrics } from '../../shared/observability/metrics';
import { documentClient, tableName } from '../../shared/storage/client';
import { createEventMarkerStore } from '../../shared/storage/event-marker-repository';
import { createFeedbackReader } from '../../shared/storage/feedback-reader';
import { createNoticeStore } from '../../shared/storage/notice-repository';

/**
 * The projector, invoked by the table's DynamoDB stream (not an HTTP route): item changes in,
 * domain events out (shared/events/project-stream.ts). It answers with a partial batch response
 * (ReportBatchItemFailures): the first record with work left, so Lambda retries from there and
 * one poison record neither blocks the shard for ever (retries are bounded, then the dead-letter
 * queue) nor repeats the records before it. `npm start` runs this same function on DynamoDB
 * Local's stream (infra/local/stream-reader.ts).
 *
 * Stream images hold families' words and contact details: nothing here logs a record or an image,
 * only sequence numbers, event ids and types, counts and error names.
 */
export const makeHandler =
  (deps: ProjectorDeps) =>
  async (event: DynamoDBStreamEvent): Promise<DynamoDBBatchResponse> => {
    const report = await projectStream(
      { ...deps, log: deps.log ?? ((message, details) => logger.warn(message, details)) },
      event.Records.map(streamRecordOf),
    );
    metrics.addMetric('StreamRecordsRead', MetricUnit.Count, report.records);
    metrics.addMetric('DomainEventsClaimed', MetricUnit.Count, report.claimed);
    metrics.addMetric('DomainEventsRepeated', MetricUnit.Count, report.repeated);
    metrics.addMetric('ProjectorBatchesFailed', MetricUnit.Count, report.failedSequenceNumber ? 1 : 0);
    metrics.publishStoredMetrics();
    return {
      batchItemFailures: report.failedSequenceNumber ? [{ itemIdentifier: report.failedSequenceNumber }] : [],
    };
  };

/** A Lambda stream record as the projector reads it; unmarshalled only when read. */
export function streamRecordOf(record: DynamoDBRecord): StreamRecord {
  const stream = record.dynamodb;
  return {
    sequenceNumber: stream?.SequenceNumber ?? '',
    changedAt: epochSeconds(stream?.ApproximateCreationDateTime),
    read() {
      // aws-lambda's AttributeValue and the SDK's are the same JSON, typed apart.
      const image = (value: unknown) =>
        value ? unmarshall(value as Record<string, AttributeValue>) : undefined;
      const keys = image(stream?.Keys);
      if (typeof keys?.PK !== 'string' || typeof keys.SK !== 'string')
        throw new Error('stream record without a PK and SK');
      return {
        keys: { PK: keys.PK, SK: keys.SK },
        oldImage: image(stream?.OldImage),
        newImage: image(stream?.NewImage),
      };
    },
  };
}

/**
 * Lambda gives epoch seconds; records fetched by hand for a redrive (the AWS CLI) may carry an ISO
 * date instead. 0 when there is none: the projector then counts from its own clock.
 */
function epochSeconds(value: unknown): number {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  const parsed = typeof value === 'string' ? Date.parse(value) : Number.NaN;
  return Number.isFinite(parsed) ? Math.floor(parsed / 1000) : 0;
}

const table = tableName();
const db = documentClient();
export const handler = makeHandler({
  markers: createEventMarkerStore(db, table),
  projections: PROJECTIONS,
  reactions: reactionsFor({
    bus: eventBridgeBus(eventBridgeClient(), process.env.EVENT_BUS_NAME ?? ''),
    families: {
      notices: createNoticeStore(db, table),
      feedback: createFeedbackReader(db, table),
      messenger: govukNotifyMessenger({ apiKey: notifyApiKey, baseUrl: process.env.NOTIFY_API_URL }),
      config: () => familyMessageConfigFromEnv(),
      linkKey: familyLinkKey,
      now: systemClock,
      log: (message, details) => logger.warn(message, details),
    },
  }),
  tableName: table,
  now: systemClock,
});
