import { createHmac } from 'node:crypto';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeHandler as listEventsHandler } from '../../functions/list-events/handler';
import { makeHandler as listHandler } from '../../functions/list-feedback/handler';
import { DEFAULT_TIMEFRAMES } from '../../shared/config/default-projects';
import { newFeedback } from '../../shared/domain/feedback';
import { newReference } from '../../shared/domain/reference';
import type { CursorRefusal } from '../../shared/storage/cursor';
import { createFeedbackRepository } from '../../shared/storage/feedback-repository';
import { TEST_NOW } from '../support/clock';
import { officerDeps } from '../support/deps';
import { createTestTable, type TestTable } from '../support/dynamo';
import { invoke, officerClaims } from '../support/events';
import { TEST_CURSOR_KEY } from '../support/signing';

/**
 * A cursor is signed and then checked field by field: any change is a 400 naming `cursor`. One test
 * per reason; each also asks the repository, to see the cursor refused for that reason and no other.
 */
let table: TestTable;
const now = TEST_NOW;
const sam = officerClaims('officer', 'Sam Officer');

beforeAll(async () => {
  table = await createTestTable();
  const repository = createFeedbackRepository(table.db, table.name);
  for (let n = 0; n < 5; n++) {
    const feedback = newFeedback(
      newReference(),
      {
        kind: 'feedback',
        projectId: 'general',
        message: 'words',
        submitterRole: 'parent_or_carer',
        channel: 'web',
      },
      DEFAULT_TIMEFRAMES.feedback,
      new Date(now.getTime() - n * 86_400_000),
    );
    await repository.create(feedback);
  }
});
afterAll(async () => table.drop());

const list = (query: Record<string, string>) =>
  invoke(listHandler(officerDeps(table, () => now)), { path: '/officer/feedback', query, claims: sam });

async function genuineCursor(query: Record<string, string> = {}): Promise<string> {
  const page = await list({ limit: '2', ...query });
  expect(page.status).toBe(200);
  return page.body.cursor as string;
}

const payloadOf = (cursor: string) =>
  JSON.parse(Buffer.from(cursor.split('.')[0] as string, 'base64url').toString()) as {
    v: number;
    f: string;
    p: Record<string, unknown>;
  };

/** Signs any payload text with the test key: what an attacker who had the key could make. */
function signed(payload: string, key: Uint8Array = TEST_CURSOR_KEY): string {
  const encoded = Buffer.from(payload).toString('base64url');
  return `${encoded}.${createHmac('sha256', key).update(encoded).digest('base64url')}`;
}

async function expectRefused(cursor: string, reason: CursorRefusal, query: Record<string, string> = {}) {
  const response = await list({ limit: '2', ...query, cursor });
  expect(response.status).toBe(400);
  expect(response.headers['content-type']).toBe('application/problem+json');
  expect(response.body.errors).toEqual([{ path: 'cursor', message: expect.any(String) }]);
  const repository = createFeedbackRepository(table.db, table.name);
  const statuses = ['received', 'acknowledged', 'responded', 'closed'] as const;
  await expect(
    repository.list(
      {
        statuses: query.status ? [query.status as (typeof statuses)[number]] : [...statuses],
        ...(query.kind ? { kind: query.kind as 'feedback' } : {}),
      },
      { limit: 2, cursor },
    ),
  ).rejects.toMatchObject({ reason });
}

describe('officer list cursors', () => {
  it('accepts its own cursor, unchanged, and the pages join up', async () => {
    const cursor = await genuineCursor();
    const next = await list({ limit: '2', cursor });
    expect(next.status).toBe(200);
    expect(next.body.items).toHaveLength(2);
  });

  it('refuses one too long to be ours', async () => {
    await expectRefused(`${'a'.repeat(2100)}.${'b'.repeat(43)}`, 'oversized');
  });

  it('refuses one that is not base64url', async () => {
    const cursor = await genuineCursor();
    await expectRefused(cursor.replace(/^./, '+'), 'not-base64url');
    await expectRefused('not base64!', 'not-base64url');
  });

  it('refuses one without its signature', async () => {
    const cursor = await genuineCursor();
    await expectRefused(cursor.split('.')[0] as string, 'no-signature');
    await expectRefused(`${cursor}.extra`, 'no-signature');
  });

  it('refuses one whose payload was edited (the signature no longer matches)', async () => {
    const cursor = await genuineCursor();
    const [, signature] = cursor.split('.');
    const state = payloadOf(cursor);
    const edited = Buffer.from(JSON.stringify({ ...state, p: { FEEDBACK: 'start' } })).toString('base64url');
    await expectRefused(`${edited}.${signature}`, 'bad-signature');
  });

  it('refuses another spelling of its own signature (the spare bits of the last base64url character)', async () => {
    const cursor = await genuineCursor();
    const last = cursor.at(-1) as string;
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    const index = alphabet.indexOf(last);
    // 43 characters carry 258 bits for a 256-bit signature: the last character's two low bits are spare.
    const sibling = alphabet[index ^ 1] as string;
    expect(Buffer.from(`${cursor.split('.')[1]?.slice(0, -1)}${sibling}`, 'base64url')).toEqual(
      Buffer.from(cursor.split('.')[1] as string, 'base64url'),
    );
    await expectRefused(`${cursor.slice(0, -1)}${sibling}`, 'bad-signature');
  });

  it('refuses one signed with another key', async () => {
    const cursor = await genuineCursor();
    const payload = Buffer.from(cursor.split('.')[0] as string, 'base64url').toString();
    await expectRefused(signed(payload, Buffer.alloc(32, 7)), 'bad-signature');
  });

  it('refuses a signed payload that is not JSON', async () => {
    await expectRefused(signed('{"v":2,'), 'bad-json');
  });

  it('refuses a signed payload of the wrong shape (extra fields, wrong types)', async () => {
    const state = payloadOf(await genuineCursor());
    await expectRefused(signed(JSON.stringify({ ...state, admin: true })), 'bad-shape');
    await expectRefused(signed(JSON.stringify({ ...state, p: { FEEDBACK: 42 } })), 'bad-shape');
    await expectRefused(signed(JSON.stringify([state])), 'bad-shape');
  });

  it('refuses a cursor of another version', async () => {
    const state = payloadOf(await genuineCursor());
    await expectRefused(signed(JSON.stringify({ ...state, v: 1 })), 'wrong-version');
  });

  it('refuses a cursor given out for other filters', async () => {
    await expectRefused(await genuineCursor(), 'other-filters', { kind: 'complaint' });
    await expectRefused(await genuineCursor({ status: 'received' }), 'other-filters');
  });

  it('refuses positions in partitions the list does not read', async () => {
    const state = payloadOf(await genuineCursor());
    await expectRefused(
      signed(JSON.stringify({ ...state, p: { 'FEEDBACK#closed': 'start' } })),
      'other-partitions',
    );
    await expectRefused(
      signed(JSON.stringify({ ...state, p: { ...state.p, EVENT: 'start' } })),
      'other-partitions',
    );
  });

  describe('refuses keys that are not entries of this list', () => {
    const forge = async (key: Record<string, string>) => {
      const state = payloadOf(await genuineCursor());
      return signed(JSON.stringify({ ...state, p: { FEEDBACK: key } }));
    };
    const real = async () => {
      const state = payloadOf(await genuineCursor());
      return state.p.FEEDBACK as Record<string, string>;
    };

    it('an event', async () => {
      const key = await real();
      await expectRefused(await forge({ ...key, PK: 'EVENT#ABCD2345' }), 'not-a-list-entry');
    });
    it('a project, or the project list', async () => {
      const key = await real();
      await expectRefused(await forge({ ...key, PK: 'PROJECT#general' }), 'not-a-list-entry');
      await expectRefused(await forge({ ...key, PK: 'PROJECTS', SK: 'PROJECT#general' }), 'not-a-list-entry');
    });
    it('an empty PK (DynamoDB would answer a ValidationException)', async () => {
      const key = await real();
      await expectRefused(await forge({ ...key, PK: '' }), 'bad-shape');
      await expectRefused(await forge({ ...key, PK: 'FEEDBACK#' }), 'not-a-list-entry');
    });
    it('a history entry of a list item', async () => {
      const key = await real();
      await expectRefused(await forge({ ...key, SK: 'HISTORY#00000001' }), 'not-a-list-entry');
    });
    it('another partition of the index, or a sort key of another item', async () => {
      const key = await real();
      await expectRefused(await forge({ ...key, GSI2PK: 'EVENT' }), 'not-a-list-entry');
      await expectRefused(await forge({ ...key, GSI2SK: `${key.GSI2SK}X` }), 'not-a-list-entry');
    });
    it('missing or extra key attributes', async () => {
      const { GSI2SK: _dropped, ...key } = await real();
      await expectRefused(await forge(key), 'not-a-list-entry');
      await expectRefused(await forge({ ...(await real()), GSI1PK: 'OPEN#0' }), 'not-a-list-entry');
    });
  });

  it('refuses every edit of a genuine cursor: one changed, added or removed character (property)', async () => {
    const cursor = await genuineCursor();
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.=+/ %';
    await fc.assert(
      fc.asyncProperty(
        fc.nat({ max: cursor.length - 1 }),
        fc.constantFrom(...alphabet),
        fc.constantFrom('replace', 'insert', 'delete'),
        async (at, character, edit) => {
          const edited =
            edit === 'replace'
              ? cursor.slice(0, at) + character + cursor.slice(at + 1)
              : edit === 'insert'
                ? cursor.slice(0, at) + character + cursor.slice(at)
                : cursor.slice(0, at) + cursor.slice(at + 1);
          fc.pre(edited !== cursor);
          const response = await list({ limit: '2', cursor: edited });
          expect(response.status).toBe(400);
          expect(response.body.errors).toEqual([{ path: 'cursor', message: expect.any(String) }]);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('does not let a feedback cursor page the events list', async () => {
    const cursor = await genuineCursor();
    const response = await invoke(listEventsHandler({ events: officerDeps(table).events }), {
      path: '/officer/events',
      query: { cursor },
      claims: sam,
    });
    expect(response.status).toBe(400);
    expect(response.body.errors).toEqual([{ path: 'cursor', message: expect.any(String) }]);
  });
});
