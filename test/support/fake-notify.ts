import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { jwtVerify } from 'jose';

/**
 * A fake GOV.UK Notify API on 127.0.0.1, enough of it for families' messages: POST
 * /v2/notifications/email and /sms, GET /v2/notifications?reference=…, each checking the request's
 * JWT as Notify does (HS256 with the key's secret, `iss` the service id), and keeping what it was
 * sent. Faults on demand, one per request in order: an error status with Notify's error body, or
 * "accept, then drop the connection" (the message is kept but the client never hears: a timeout).
 */
export const FAKE_SERVICE_ID = '26785a09-ab16-4eb0-8407-a37497a57506';
const FAKE_SECRET = '3d844edf-8d35-48ac-975b-e847b4f122b0';
/** A key in Notify's shape: `<name>-<service id>-<secret>`. */
export const FAKE_NOTIFY_KEY = `test_only-${FAKE_SERVICE_ID}-${FAKE_SECRET}`;

export interface FakeNotification {
  id: string;
  type: 'email' | 'sms';
  body: {
    email_address?: string;
    phone_number?: string;
    template_id: string;
    personalisation?: Record<string, string>;
    reference?: string;
  };
}

export type Fault =
  | { status: number; errors?: { error: string; message: string }[] }
  /** Keeps the notification, then destroys the socket before answering. */
  | 'drop-after-accepting';

export interface FakeNotify {
  url: string;
  notifications: FakeNotification[];
  /** Requests seen, as `METHOD path` (the JWT checked on each). */
  requests: string[];
  /** Faults for the next send requests, in order (look-ups are never faulted). */
  failNextSends(...faults: Fault[]): void;
  byReference(reference: string): FakeNotification[];
  reset(): void;
  close(): Promise<void>;
}

async function bodyOf(request: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  return text ? JSON.parse(text) : undefined;
}

export async function startFakeNotify(): Promise<FakeNotify> {
  const notifications: FakeNotification[] = [];
  const requests: string[] = [];
  let faults: Fault[] = [];
  const secret = new TextEncoder().encode(FAKE_SECRET);

  const server: Server = createServer((request, response) => {
    void (async () => {
      const answer = (status: number, body: unknown) => {
        response.writeHead(status, { 'content-type': 'application/json' });
        response.end(JSON.stringify(body));
      };
      const url = new URL(request.url ?? '/', 'http://fake-notify');
      requests.push(`${request.method} ${url.pathname}`);
      const token = /^Bearer (.+)$/.exec(request.headers.authorization ?? '')?.[1];
      try {
        const { payload } = await jwtVerify(token ?? '', secret, { algorithms: ['HS256'] });
        if (payload.iss !== FAKE_SERVICE_ID) throw new Error('wrong iss');
      } catch {
        answer(403, { status_code: 403, errors: [{ error: 'AuthError', message: 'Invalid token' }] });
        return;
      }
      const send = /^\/v2\/notifications\/(email|sms)$/.exec(url.pathname);
      if (request.method === 'POST' && send) {
        const body = (await bodyOf(request)) as FakeNotification['body'];
        const fault = faults.shift();
        if (fault && fault !== 'drop-after-accepting') {
          answer(fault.status, {
            status_code: fault.status,
            errors: fault.errors ?? [{ error: 'Exception', message: 'Internal server error' }],
          });
          return;
        }
        const notification: FakeNotification = { id: randomUUID(), type: send[1] as 'email' | 'sms', body };
        notifications.push(notification);
        if (fault === 'drop-after-accepting') {
          request.socket.destroy();
          return;
        }
        answer(201, { id: notification.id, reference: body.reference ?? null, content: {}, template: {} });
        return;
      }
      if (request.method === 'GET' && url.pathname === '/v2/notifications') {
        const reference = url.searchParams.get('reference');
        const found = notifications.filter((n) => reference === null || n.body.reference === reference);
        answer(200, {
          notifications: found.map((n) => ({ id: n.id, reference: n.body.reference ?? null, type: n.type })),
          links: {},
        });
        return;
      }
      answer(404, { status_code: 404, errors: [{ error: 'NotFound', message: 'Not found' }] });
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    notifications,
    requests,
    failNextSends: (...next) => {
      faults.push(...next);
    },
    byReference: (reference) => notifications.filter((n) => n.body.reference === reference),
    reset() {
      notifications.length = 0;
      requests.length = 0;
      faults = [];
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
