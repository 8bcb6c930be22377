import type { APIGatewayProxyEventV2, APIGatewayProxyEventV2WithJWTAuthorizer } from 'aws-lambda';
import type { OfficerGroup } from './auth-config';

/** The officer making a change, as history records them. */
export interface Actor {
  sub: string;
  name: string;
}

export interface Officer extends Actor {
  groups: OfficerGroup[];
}

/**
 * The `cognito:groups` claim, in each form it reaches a function: an actual array (a JWT as
 * issued), a JSON array in a string, or API Gateway's own rendering of an array, "[officer admin]"
 * (elements joined by spaces; Cognito group names cannot contain whitespace). Never split on
 * commas: a comma is allowed in a group name, so a group called `officer,admin` is neither.
 * Malformed JSON, a number or an object is no groups at all.
 */
export function groupsOf(claim: unknown): string[] {
  if (Array.isArray(claim)) return claim.filter((group): group is string => typeof group === 'string');
  if (typeof claim !== 'string') return [];
  const trimmed = claim.trim();
  // A bare list, "officer admin": whitespace separates, as in API Gateway's form.
  if (!trimmed.startsWith('[') || !trimmed.endsWith(']')) return trimmed.split(/\s+/).filter(Boolean);
  if (/^\[\s*"/.test(trimmed)) {
    try {
      const parsed: unknown = JSON.parse(trimmed);
      return Array.isArray(parsed)
        ? parsed.filter((group): group is string => typeof group === 'string')
        : [];
    } catch {
      return [];
    }
  }
  return trimmed.slice(1, -1).split(/\s+/).filter(Boolean);
}

/**
 * The officer from the verified claims API Gateway (or the local server) put in the event.
 * Undefined when there are none: handlers never trust a header for identity.
 */
export function officerOf(event: APIGatewayProxyEventV2): Officer | undefined {
  const claims = (event as APIGatewayProxyEventV2WithJWTAuthorizer).requestContext?.authorizer?.jwt?.claims;
  const sub = claims?.sub;
  if (typeof sub !== 'string' || sub === '') return undefined;
  const name = [claims.name, claims.username, claims['cognito:username'], claims.email].find(
    (value): value is string => typeof value === 'string' && value !== '',
  );
  const groups = groupsOf(claims['cognito:groups']).filter((group): group is OfficerGroup =>
    ['officer', 'admin'].includes(group),
  );
  return { sub, name: name ?? sub, groups };
}

/** Admins can do all an officer can; officers cannot change projects. */
export function hasGroup(officer: Officer, needed: OfficerGroup): boolean {
  return officer.groups.includes('admin') || officer.groups.includes(needed);
}
