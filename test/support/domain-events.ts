import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Ajv } from 'ajv';
import addFormats from 'ajv-formats';
import type { CoproductionEvent } from '../../shared/domain/event';
import type { Feedback } from '../../shared/domain/feedback';
import type { Update } from '../../shared/domain/update';
import type { ItemChange } from '../../shared/events/item-change';
import type { DomainEvent } from '../../shared/events/schemas';
import { eventRecord } from '../../shared/storage/event-repository';
import { feedbackRecord } from '../../shared/storage/feedback-repository';
import { updateRecord } from '../../shared/storage/update-repository';

/**
 * The published event schemas (asyncapi.json, as committed) and checks against them: every event a
 * test sees is held to the file subscribers read, not to the zod it was generated from.
 */
const document = JSON.parse(
  readFileSync(fileURLToPath(new URL('../../asyncapi.json', import.meta.url)), 'utf8'),
) as { components: { messages: Record<string, { name: string; payload: { $ref: string } }> } };

// Draft-07, AsyncAPI's default schema format. Not strict: the document holds AsyncAPI's own keys
// beside the schemas, which Ajv is only asked to reach by reference.
const ajv = new Ajv({ allErrors: true, strict: false });
(addFormats as unknown as (ajv: Ajv) => void)(ajv);
ajv.addSchema(document, 'asyncapi.json');
const validators = new Map(
  Object.values(document.components.messages).map((message) => [
    message.name,
    ajv.getSchema(`asyncapi.json${message.payload.$ref}`),
  ]),
);

/** What is wrong with an event by the published schema of its type; empty when nothing is. */
export function schemaViolations(event: unknown): string[] {
  const type = (event as { type?: unknown })?.type;
  const validate = validators.get(String(type));
  if (!validate) return [`no published schema for type ${String(type)}`];
  if (validate(event)) return [];
  return (validate.errors ?? []).map((error) => `${error.instancePath || '/'} ${error.message}`);
}

export const publishedTypes = () => [...validators.keys()];

/** Item changes as the stream would carry them, built with the repositories' own record builders. */
export const feedbackChange = (before: Feedback | undefined, after: Feedback): ItemChange => ({
  keys: { PK: `FEEDBACK#${after.id}`, SK: 'META' },
  oldImage: before && feedbackRecord(before),
  newImage: feedbackRecord(after),
});
export const eventChange = (before: CoproductionEvent | undefined, after: CoproductionEvent): ItemChange => ({
  keys: { PK: `EVENT#${after.id}`, SK: 'META' },
  oldImage: before && eventRecord(before),
  newImage: eventRecord(after),
});
export const updateChange = (before: Update | undefined, after: Update): ItemChange => ({
  keys: { PK: `UPDATE#${after.id}`, SK: 'META' },
  oldImage: before && updateRecord(before),
  newImage: updateRecord(after),
});

export const typesOf = (events: readonly DomainEvent[]) => events.map((event) => event.type);
