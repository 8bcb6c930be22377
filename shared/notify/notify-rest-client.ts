/**
 * The HTTP client GOV.UK Notify's own client (notifications-node-client) is given with
 * `setClient`, in place of the axios it ships with: the requests, their JWT and their paths stay
 * the library's; only the transport is Node's own fetch. Why: axios, with the form-data and
 * mime-db it pulls in, is about 280 KB of the projector's bundle (infra/bundling.ts leaves it out),
 * for one JSON POST and one GET.
 *
 * It answers as axios does, which is what the library and our adapter read: `{ status, data }`,
 * and for a status outside 2xx an error carrying `response: { status, data }`. A request that
 * takes longer than `timeoutMs` is aborted (a TimeoutError): it may still have reached Notify,
 * which is why a retry asks Notify by reference before sending (shared/events/reactions/tell-families.ts).
 */
export interface RestRequest {
  method: string;
  url: string;
  headers?: Record<string, string>;
  data?: unknown;
}

export interface RestResponse<T = unknown> {
  status: number;
  data: T;
}

export class NotifyHttpError extends Error {
  constructor(readonly response: RestResponse) {
    super(`Notify answered ${response.status}`);
    this.name = 'NotifyHttpError';
  }
}

export function notifyRestClient(options: { timeoutMs?: number } = {}) {
  return async (request: RestRequest): Promise<RestResponse> => {
    const response = await fetch(request.url, {
      method: request.method.toUpperCase(),
      headers: {
        ...request.headers,
        accept: 'application/json',
        ...(request.data === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(request.data === undefined ? {} : { body: JSON.stringify(request.data) }),
      signal: AbortSignal.timeout(options.timeoutMs ?? 10_000),
      redirect: 'error',
    });
    const text = await response.text();
    let data: unknown = text;
    try {
      data = text ? JSON.parse(text) : undefined;
    } catch {
      // Not JSON (a proxy's error page): kept as text for the error's name, never logged whole.
    }
    const answer = { status: response.status, data };
    if (response.status < 200 || response.status > 299) throw new NotifyHttpError(answer);
    return answer;
  };
}
