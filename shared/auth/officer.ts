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
 * API Gateway passes JWT claims as strings, and array claims in its own form, "[officer admin]";
 * a plain JSON array is accepted too.
 */
function groupsOf(claim: unknown): string[] {
  if (Array.isArray(claim)) return claim.map(String);
  if (typeof claim !== 'string' || claim === '') return [];
  const trimmed = claim.trim();
  if (trimmed.startsWith('[') && trimmed.endsWith(']')) {
    const inner = trimmed.slice(1, -1).trim();
    if (inner.startsWith('"')) {
      try {
        return (JSON.parse(trimmed) as unknown[]).map(String);
      } catch {
        return [];
      }
    }
    return inner.split(/[\s,]+/).filter(Boolean);
  }
  return trimmed.split(/[\s,]+/).filter(Boolean);
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
