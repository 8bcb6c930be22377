import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadOrCreateDevKeys, signDevToken } from '../../infra/local/dev-auth';
import { applyLocalFamilyMessages } from '../../infra/local/local-env';
import { eventsOutboxPath, familyOutboxPath, startStreamReader } from '../../infra/local/stream-reader';
import type { DomainEvent } from '../../shared/events/schemas';
import type { FamilyOutboxLine } from '../../shared/notify/family-outbox';
import { createTestTable, type TestTable } from '../support/dynamo';
import { startLocalServer } from '../support/local-server';
import { contractFetch } from '../support/openapi-contract';

/**
 * The "Done when", as a family and an officer would walk it through the local stack (the
 * local server running the handler modules, the stream reader running the projector on DynamoDB
 * Local's stream): submit with "tell me what happens", acknowledge, respond, publish an update
 * linking it. The events outbox has each domain event once, with no family text; the family outbox
 * has two messages for that reference; the family's stop link stops the next one. Every API answer
 * is checked against openapi.json. Waits on the reader having read the stream, never on a timer.
 */
const FAMILY_WORDS = 'Our daughter Grace has waited a year for her EHC plan review';
const FAMILY_EMAIL = 'grace.parent@example.com';
const OFFICER_ANSWER = 'Dear Mr Adeyemi, the review is booked for 3 March';

let table: TestTable;
let server: Awaited<ReturnType<typeof startLocalServer>>;
let officer: string;
const keyDir = mkdtempSync(join(tmpdir(), 'yswd-keys-'));
const dataDir = mkdtempSync(join(tmpdir(), 'yswd-loop-'));
const dynamoDbPort = Number(new URL(String(process.env.DYNAMODB_ENDPOINT)).port);

beforeAll(async () => {
  table = await createTestTable();
  process.env.TABLE_NAME = table.name;
  process.env.PROJECT_CACHE_SECONDS = '0';
  const keys = await loadOrCreateDevKeys(keyDir);
  officer = await signDevToken(keys, { role: 'officer', name: 'Sam Officer' });
  server = await startLocalServer({ devKeys: keys });
  process.env.FAMILY_PAGE_URL = `${server.base}/family/escalate.html`;
  applyLocalFamilyMessages(Number(new URL(server.base).port));
});

afterAll(async () => {
  await server.close();
  await table.drop();
  rmSync(keyDir, { recursive: true, force: true });
  rmSync(dataDir, { recursive: true, force: true });
});

async function call(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
  const response = await contractFetch(`${server.base}${path}`, {
    method,
    headers: {
      ...(path.startsWith('/officer/') ? { authorization: `Bearer ${officer}` } : {}),
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...headers,
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  expect(response.status, `${method} ${path}`).toBeLessThan(300);
  return (await response.json()) as Record<string, unknown>;
}

const lines = <T>(path: string): T[] =>
  existsSync(path)
    ? readFileSync(path, 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line) as T)
    : [];

async function publishLinking(id: string, title: string) {
  const update = await call('POST', '/officer/updates', {
    projectId: 'general',
    title,
    youSaid: 'Reviews of plans were late.',
    weDid: 'We added two review officers.',
    status: 'done',
    feedbackIds: [id],
  });
  await call('POST', `/officer/updates/${update.id}/publish`, undefined, { 'if-match': '"1"' });
  return String(update.id);
}

describe('close the loop with the local stack', () => {
  it('tells the family twice (answered, update published), stops when they use the stop link, and never carries their words', async () => {
    const printed: string[] = [];
    const warnings: string[] = [];
    const reader = await startStreamReader({
      dynamoDbPort,
      tableName: table.name,
      dataDir,
      pollMs: 50,
      print: (line) => printed.push(line),
      warn: (line) => warnings.push(line),
    });
    try {
      // As the family, from the form.
      const receipt = await call('POST', '/feedback', {
        kind: 'feedback',
        message: FAMILY_WORDS,
        submitterRole: 'parent_or_carer',
        contact: { name: 'Tunde Adeyemi', email: FAMILY_EMAIL },
        consentToContact: true,
        keepMeInformed: true,
      });
      const id = String(receipt.id);
      const reference = String(receipt.reference);
      // As the officer.
      await call('POST', `/officer/feedback/${id}/acknowledge`, undefined, { 'if-match': '"1"' });
      await call(
        'POST',
        `/officer/feedback/${id}/respond`,
        { response: OFFICER_ANSWER, outcome: 'acted_on' },
        { 'if-match': '"2"' },
      );
      const updateId = await publishLinking(id, 'Plan reviews');
      await reader.caughtUp();

      // The events outbox: each domain event once, nothing personal.
      const events = lines<DomainEvent>(eventsOutboxPath(dataDir));
      expect(events.map((event) => event.type)).toEqual([
        'feedback.received',
        'feedback.acknowledged',
        'feedback.responded',
        'update.published',
      ]);
      expect(new Set(events.map((event) => event.id)).size).toBe(events.length);
      // The family outbox: two messages for that reference, as Notify would be sent them.
      const messages = lines<FamilyOutboxLine>(familyOutboxPath(dataDir));
      expect(messages.map((m) => [m.reference, m.template_id, m.email_address])).toEqual([
        [`${id}.answer.1`, 'local-answered-email', FAMILY_EMAIL],
        [`${id}.update.${updateId}`, 'local-update-published-email', FAMILY_EMAIL],
      ]);
      expect(messages.every((m) => m.personalisation.reference === reference)).toBe(true);
      const files =
        readFileSync(eventsOutboxPath(dataDir), 'utf8') + readFileSync(familyOutboxPath(dataDir), 'utf8');
      for (const words of [
        FAMILY_WORDS,
        'Grace',
        'Adeyemi',
        OFFICER_ANSWER,
        'Sam Officer',
        'review officers',
      ])
        expect(files).not.toContain(words);
      expect(readFileSync(eventsOutboxPath(dataDir), 'utf8')).not.toContain(FAMILY_EMAIL);
      // npm start's summary lines: one per message, never the address.
      const summaries = printed.filter((line) => line.startsWith('family message'));
      expect(summaries).toEqual([
        `family message → email for ${reference} [${id}.answer.1]`,
        `family message → email for ${reference} [${id}.update.${updateId}]`,
      ]);
      expect(printed.join('\n')).not.toContain(FAMILY_EMAIL);

      // The family stops them with the link in a message; the next update sends nothing.
      const stopLink = new URL(String(messages[0]?.personalisation.stop_link));
      expect(stopLink.pathname).toBe('/family/stop-messages.html');
      const stopped = await call('POST', '/stop-messages', { token: stopLink.hash.slice(1) });
      expect(stopped).toMatchObject({ reference, keepInformed: 'withdrawn', withdrawnVia: 'stop_link' });
      await publishLinking(id, 'Plan reviews, a year on');
      await reader.caughtUp();

      expect(lines(familyOutboxPath(dataDir))).toHaveLength(2);
      expect(
        lines<DomainEvent>(eventsOutboxPath(dataDir))
          .map((e) => e.type)
          .at(-1),
      ).toBe('update.published');
      const item = await call('GET', `/officer/feedback/${id}`);
      expect(item.keepInformed).toMatchObject({ withdrawnVia: 'stop_link' });
      // The officer sees what the family was sent, and how: never the words or the address.
      expect(
        (item.messages as { type: string; state: string; channel: string }[]).map((m) => [
          m.type,
          m.state,
          m.channel,
        ]),
      ).toEqual([
        ['answered', 'sent', 'email'],
        ['update_published', 'sent', 'email'],
      ]);
      expect(JSON.stringify(item.messages)).not.toContain(FAMILY_EMAIL);
      expect(warnings).toEqual([]);
    } finally {
      await reader.stop();
    }
  });
});
