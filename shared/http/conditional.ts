import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { PreconditionRequiredError } from '../domain/errors';

const NEVER_MATCHES = -1;

import { ValidationError } from './parse';

/** A strong ETag carrying the record's version. */
export const etagOf = (version: number) => `"${version}"`;

/** The version the caller last saw, from If-Match: required (428) and well formed (400). */
export function expectedVersionOf(event: APIGatewayProxyEventV2): number {
  const header = event.headers?.['if-match'];
  // `*` would match any version, which is no protection against a lost update: ask for the ETag.
  if (header === undefined || header.trim() === '' || header.trim() === '*')
    throw new PreconditionRequiredError();
  // If-Match compares strongly (RFC 9110 §13.1.1): a weak ETag never matches, so it stands for no
  // version at all, and the item's lookup (404) and version check (412) answer as usual.
  if (/^\s*W\//.test(header)) return NEVER_MATCHES;
  const match = /^\s*"(\d{1,9})"\s*$/.exec(header);
  if (!match) {
    throw new ValidationError([
      { path: 'headers.if-match', message: 'Use the ETag exactly as it was given, e.g. "3"' },
    ]);
  }
  return Number(match[1]);
}

/** If-Match when given (to update), or absent (to create). */
export function optionalExpectedVersionOf(event: APIGatewayProxyEventV2): number | undefined {
  const header = event.headers?.['if-match'];
  return header === undefined ? undefined : expectedVersionOf(event);
}
