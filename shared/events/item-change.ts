/**
 * One change to one item of the table, as the stream tells it: the item's key and its images
 * before and after, unmarshalled. Pure data: the projector builds it from a Lambda stream record
 * (functions/project-stream/handler.ts), DynamoDB Local's stream gives the same records locally.
 * Images hold families' words: never log them.
 */
export interface ItemChange {
  keys: { PK: string; SK: string };
  /** Absent when the item was created. */
  oldImage?: Record<string, unknown> | undefined;
  /** Absent when the item was deleted. */
  newImage?: Record<string, unknown> | undefined;
}

/** An item that cannot be read as the kind its key says: the record is poison, not skipped. */
export class UnreadableItemError extends Error {
  constructor(
    readonly pk: string,
    readonly field: string,
  ) {
    // Names the key and the field only: never a value, which could be a family's words.
    super(`${pk}: field '${field}' is missing or not of the expected type`);
    this.name = 'UnreadableItemError';
  }
}
