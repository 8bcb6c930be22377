/**
 * `npm run events:schema`: writes asyncapi.json (the repository's root, beside openapi.json), the
 * AsyncAPI 3.0 description of every domain event the projector puts on the bus, generated from the
 * zod schemas in shared/events/schemas.ts. Payloads are JSON Schema draft-07 (AsyncAPI's default
 * schema format). A test fails when the committed file differs from what this would write, and the
 * projector's tests check every event they see against it.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as z from 'zod';
import { DOMAIN_EVENT_SOURCE, DOMAIN_EVENT_TYPES } from '../shared/events/catalogue';
import { DOMAIN_EVENT_SCHEMAS, EVENT_SCHEMA_REGISTRY } from '../shared/events/schemas';

export const ASYNCAPI_FILE = fileURLToPath(new URL('../asyncapi.json', import.meta.url));

type Json = Record<string, unknown>;
const SCHEMA_REF = '#/components/schemas/';

/** `feedback.received` → `feedbackReceived`: AsyncAPI component keys allow no dots. */
const messageKey = (type: string) => type.replace(/\.(\w)/g, (_, c: string) => c.toUpperCase());

/** Without the per-schema `$schema`/`$id`, and without the long patterns zod adds beside `format`. */
function tidy(schema: Json): Json {
  const { $schema: _dialect, $id: _id, ...rest } = schema;
  return JSON.parse(JSON.stringify(rest), (_key, value: unknown) => {
    if (value && typeof value === 'object' && !Array.isArray(value)) {
      const node = value as Json;
      if (['date', 'date-time', 'uuid'].includes(String(node.format)) && typeof node.pattern === 'string') {
        const { pattern: _pattern, ...kept } = node;
        return kept;
      }
      // zod bounds every integer by Number.MAX_SAFE_INTEGER; the schemas set their own bounds.
      if (node.maximum === Number.MAX_SAFE_INTEGER) {
        const { maximum: _maximum, ...kept } = node;
        return kept;
      }
    }
    return value;
  }) as Json;
}

export function asyncApiDocument(version: string): Json {
  const { schemas } = z.toJSONSchema(EVENT_SCHEMA_REGISTRY, {
    target: 'draft-7',
    metadata: EVENT_SCHEMA_REGISTRY,
    uri: (id) => `${SCHEMA_REF}${id}`,
  }) as { schemas: Record<string, Json> };
  const messages = Object.fromEntries(
    DOMAIN_EVENT_TYPES.map((type) => {
      const meta = EVENT_SCHEMA_REGISTRY.get(DOMAIN_EVENT_SCHEMAS[type]);
      if (!meta?.id) throw new Error(`the schema of ${type} has no id`);
      return [
        messageKey(type),
        {
          name: type,
          title: type,
          summary: meta.description,
          contentType: 'application/json',
          payload: { $ref: `${SCHEMA_REF}${meta.id}` },
        },
      ];
    }),
  );
  return {
    asyncapi: '3.0.0',
    info: {
      title: 'you-said-we-did domain events',
      version,
      description: [
        'What happens to families’ feedback, co-production events and “You said, we did” updates, as events a council’s CRM or dashboard can subscribe to.',
        '',
        `In AWS each event is put on the stack’s EventBridge custom bus (output \`DomainEventBusName\`) with \`source\` \`${DOMAIN_EVENT_SOURCE}\`, \`detail-type\` the event’s type, \`time\` when it happened, and the event below as \`detail\`. Locally, \`npm start\` appends each one as a JSON line to \`DATA_DIR/events.jsonl\`.`,
        '',
        'Events carry ids, references, kinds, statuses, dates, counts and whether deadlines were met: never a family’s words, name or contact details, and never an officer’s free text or name. Each event’s `id` is deterministic: delivery is at least once, so drop a repeat by `id`. Order is not guaranteed: use `occurredAt`.',
      ].join('\n'),
    },
    defaultContentType: 'application/json',
    channels: {
      domainEvents: {
        address: null,
        title: 'The domain events bus',
        description: 'The EventBridge custom bus; a rule on `source` and `detail-type` picks events.',
        messages: Object.fromEntries(
          Object.keys(messages).map((key) => [key, { $ref: `#/components/messages/${key}` }]),
        ),
      },
    },
    operations: {
      publishDomainEvents: {
        action: 'send',
        title: 'The projector publishes domain events',
        channel: { $ref: '#/channels/domainEvents' },
        messages: Object.keys(messages).map((key) => ({ $ref: `#/channels/domainEvents/messages/${key}` })),
      },
    },
    components: {
      messages,
      schemas: Object.fromEntries(Object.entries(schemas).map(([id, schema]) => [id, tidy(schema)])),
    },
  };
}

export function asyncApiText(): string {
  const { version } = JSON.parse(
    readFileSync(fileURLToPath(new URL('../package.json', import.meta.url)), 'utf8'),
  ) as { version: string };
  return `${JSON.stringify(asyncApiDocument(version), null, 2)}\n`;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  writeFileSync(ASYNCAPI_FILE, asyncApiText());
  console.log(`wrote ${ASYNCAPI_FILE}`);
}
