import type { ConsoleConfig } from '../security-headers';
import { currentSession, forgetSession } from './auth';
import type { Problem } from './problems';

/** The officer API, with the token from memory in the Authorization header (never in an address). */
export class SessionEndedError extends Error {}
/** 412: someone else changed the record since this page read it. */
export class ConflictError extends Error {}
export class ProblemError extends Error {
  constructor(
    readonly status: number,
    readonly problem: Problem,
  ) {
    super(problem.detail ?? problem.title ?? `The service answered ${status}`);
  }
}

export interface ApiAnswer<T> {
  data: T;
  /** The record's version for If-Match. */
  etag: string | undefined;
}

export interface ApiRequest {
  body?: unknown;
  ifMatch?: string | undefined;
  query?: Record<string, string | undefined>;
}

let base = '';
export function useApi(config: Pick<ConsoleConfig, 'apiBase'>): void {
  base = config.apiBase.replace(/\/+$/, '');
}

function urlOf(path: string, query: Record<string, string | undefined> = {}): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query))
    if (value !== undefined && value !== '') params.set(name, value);
  const search = params.toString();
  return `${base}${path}${search ? `?${search}` : ''}`;
}

async function send(method: string, path: string, request: ApiRequest): Promise<Response> {
  const session = currentSession();
  if (!session) throw new SessionEndedError('Your session has ended');
  let response: Response;
  try {
    response = await fetch(urlOf(path, request.query), {
      method,
      headers: {
        authorization: `Bearer ${session.token}`,
        ...(request.body === undefined ? {} : { 'content-type': 'application/json' }),
        ...(request.ifMatch ? { 'if-match': request.ifMatch } : {}),
      },
      ...(request.body === undefined ? {} : { body: JSON.stringify(request.body) }),
      cache: 'no-store',
    });
  } catch {
    throw new ProblemError(0, {
      title: 'The service could not be reached',
      detail: 'Check your connection and try again.',
    });
  }
  if (response.status === 401) {
    forgetSession();
    throw new SessionEndedError('Your session has ended');
  }
  if (response.status === 412) throw new ConflictError('Someone else changed this first');
  if (!response.ok) {
    const problem = (await response.json().catch(() => ({}))) as Problem;
    throw new ProblemError(response.status, { status: response.status, ...problem });
  }
  return response;
}

export async function api<T>(method: string, path: string, request: ApiRequest = {}): Promise<ApiAnswer<T>> {
  const response = await send(method, path, request);
  return { data: (await response.json()) as T, etag: response.headers.get('etag') ?? undefined };
}

/** A file from the API (the annual report), as a Blob: fetched with the header, so no token in a link. */
export async function download(path: string, query: Record<string, string>): Promise<Blob> {
  return (await send('GET', path, { query })).blob();
}
