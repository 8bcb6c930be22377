import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeHandler as annualReportHandler } from '../../functions/annual-report/handler';
import { makeHandler as createHandler } from '../../functions/create-update/handler';
import { makeHandler as editHandler } from '../../functions/edit-update/handler';
import { makeHandler as feedHandler } from '../../functions/get-feed/handler';
import { makeHandler as rssHandler } from '../../functions/get-feed-rss/handler';
import { makeHandler as getHandler } from '../../functions/get-update/handler';
import { makeHandler as listHandler } from '../../functions/list-updates/handler';
import { makeHandler as publishHandler } from '../../functions/publish-update/handler';
import { makeHandler as unpublishHandler } from '../../functions/unpublish-update/handler';
import { feedConfigFromEnv } from '../../shared/domain/feed-formats';
import { createEventRepository } from '../../shared/storage/event-repository';
import { createScorecardRepository } from '../../shared/storage/scorecard-repository';
import { createUpdateRepository } from '../../shared/storage/update-repository';
import { createTestTable, type TestTable } from '../support/dynamo';
import { invoke, officerClaims } from '../support/events';
import {
  BASE_NOW,
  invokeRaw,
  seedEvent,
  seedFeedback,
  steppingClock,
  updateDeps,
} from '../support/you-said-we-did';

let table: TestTable;
beforeAll(async () => {
  table = await createTestTable();
});
afterAll(async () => table.drop());

const officer = officerClaims('officer');
const clock = steppingClock();
const deps = () => updateDeps(table, clock);
const config = feedConfigFromEnv({
  FEED_BASE_URL: 'https://api.council.example',
  FEED_ITEM_URL_TEMPLATE: 'https://localoffer.council.example/you-said-we-did/{id}',
  FEED_HOME_PAGE_URL: 'https://localoffer.council.example/you-said-we-did',
});
const feedDeps = () => ({ feed: createUpdateRepository(table.db, table.name), config });

const create = (body: unknown) =>
  invoke(createHandler(deps()), { method: 'POST', path: '/officer/updates', body, claims: officer });
const get = (id: string) =>
  invoke(getHandler(deps()), { path: `/officer/updates/${id}`, pathParameters: { id }, claims: officer });
const edit = (id: string, body: unknown, etag?: string) =>
  invoke(editHandler(deps()), {
    method: 'PATCH',
    path: `/officer/updates/${id}`,
    pathParameters: { id },
    body,
    headers: etag ? { 'if-match': etag } : {},
    claims: officer,
  });
const act = (action: 'publish' | 'unpublish', id: string, etag?: string) =>
  invoke((action === 'publish' ? publishHandler : unpublishHandler)(deps()), {
    method: 'POST',
    path: `/officer/updates/${id}/${action}`,
    pathParameters: { id },
    headers: etag ? { 'if-match': etag } : {},
    claims: officer,
  });
const feed = (query: Record<string, string> = {}, headers: Record<string, string> = {}) =>
  invokeRaw(feedHandler(feedDeps()), { path: '/feed', query, headers });
const rss = (query: Record<string, string> = {}) =>
  invokeRaw(rssHandler(feedDeps()), { path: '/feed.xml', query });

const draft = (overrides: Record<string, unknown> = {}) => ({
  projectId: 'general',
  title: 'School transport: changes told in advance',
  youSaid: 'Families told us transport changes arrive without warning.',
  weDid: 'Transport changes are now sent at least ten school days ahead.',
  status: 'done',
  ...overrides,
});

describe('creating and reading updates', () => {
  it('creates a draft linked to feedback and an event, with history naming the links', async () => {
    const [a, b] = [
      await seedFeedback(table),
      await seedFeedback(table, { submitterRole: 'child_or_young_person' }),
    ];
    const event = await seedEvent(table, {
      childrenAndYoungPeople: 3,
      parentsAndCarers: 6,
      professionals: 0,
    });
    const made = await create(draft({ feedbackIds: [a.reference, b.id], eventIds: [event.id] }));
    expect(made.status).toBe(201);
    expect(made.headers.etag).toBe('"1"');
    expect(made.headers.location).toBe(`/officer/updates/${made.body.id}`);
    expect(made.body).toMatchObject({
      published: false,
      feedbackIds: [a.id, b.id],
      eventIds: [event.id],
      voices: { parentsAndCarers: 7, childrenAndYoungPeople: 4, professionals: 0, other: 0, events: 1 },
      createdBy: { name: 'Sam Officer' },
    });
    const read = await get(String(made.body.id));
    expect(read.status).toBe(200);
    expect(read.headers.etag).toBe('"1"');
    const history = read.body.history as { action: string; changes: Record<string, { to: unknown }> }[];
    expect(history).toHaveLength(1);
    expect(history[0]?.action).toBe('create');
    expect(history[0]?.changes.feedbackIds?.to).toEqual([a.id, b.id]);
    expect(history[0]?.changes.eventIds?.to).toEqual([event.id]);
  });

  it('refuses links to feedback or events that do not exist (422, each named) and writes nothing', async () => {
    const before = (await table.allItems()).length;
    const made = await create(draft({ feedbackIds: ['ABCD2345'], eventIds: ['WXYZ2345'] }));
    expect(made.status).toBe(422);
    expect(made.body.errors).toEqual([
      { path: 'feedbackIds.0', message: "There is no feedback 'ABCD2345'" },
      { path: 'eventIds.0', message: "There is no event 'WXYZ2345'" },
    ]);
    expect((await table.allItems()).length).toBe(before);
  });

  it('asks for a reason when something is not possible, and keeps expected dates for work to come', async () => {
    const made = await create(draft({ status: 'not_possible', expectedBy: '2030-01-02' }));
    expect(made.status).toBe(400);
    expect((made.body.errors as { path: string }[]).map((e) => e.path).sort()).toEqual([
      'expectedBy',
      'reason',
    ]);
    const bad = await create({ ...draft(), status: 'finished', extra: 1, title: '' });
    expect(bad.status).toBe(400);
    expect((bad.body.errors as { path: string }[]).map((e) => e.path).sort()).toEqual([
      'extra',
      'status',
      'title',
    ]);
  });

  it('answers 404 for an unknown update and 400 for a malformed id', async () => {
    expect((await get('aaaaaaaaaaaa')).status).toBe(404);
    expect((await get('not-an-id')).status).toBe(400);
  });
});

describe('publishing', () => {
  it('refuses personal details in public text (422 naming each field and kind), then publishes clean text', async () => {
    const parent = await seedFeedback(table, {
      contact: { name: 'Priya Ramanathan', email: 'priya.r@example.com', phone: '07700 900 982' },
    });
    const made = await create(
      draft({
        feedbackIds: [parent.id],
        youSaid: 'A parent (PRIYA.R@EXAMPLE.COM) said transport was late.',
        weDid: 'We called Ramanathan family back on 07700900982.',
        title: `Reply to ${parent.reference}`,
      }),
    );
    const id = String(made.body.id);
    const refused = await act('publish', id, '"1"');
    expect(refused.status).toBe(422);
    const errors = refused.body.errors as { path: string; message: string }[];
    expect(errors.map((e) => e.path)).toEqual(['title', 'youSaid', 'weDid']);
    expect(errors[0]?.message).toContain('feedback reference');
    expect(errors[1]?.message).toContain('email address');
    expect(errors[2]?.message).toContain("linked submitter's name");
    expect(errors[2]?.message).toContain('phone number');
    expect(JSON.stringify(refused.body)).not.toMatch(/priya|ramanathan|07700/i);
    expect((await get(id)).body).toMatchObject({ published: false, version: 1 });

    const fixed = await edit(
      id,
      { title: 'Transport replies', youSaid: 'Transport was late.', weDid: 'We changed the contract.' },
      '"1"',
    );
    expect(fixed.status).toBe(200);
    clock.advance(5);
    const published = await act('publish', id, '"2"');
    expect(published.status).toBe(200);
    expect(published.body).toMatchObject({
      published: true,
      publishedAt: clock().toISOString(),
      modifiedAt: clock().toISOString(),
      publishedBy: { name: 'Sam Officer' },
      version: 3,
    });
    expect((await act('publish', id, '"3"')).status).toBe(409);
  });

  it('needs If-Match (428), refuses a stale one (412), and records each step in history', async () => {
    const made = await create(draft());
    const id = String(made.body.id);
    expect((await act('publish', id)).status).toBe(428);
    expect((await act('publish', id, '"7"')).status).toBe(412);
    expect((await act('publish', id, '"1"')).status).toBe(200);
    clock.advance(1);
    const edited = await edit(id, { weDid: 'Changes now arrive two weeks ahead.' }, '"2"');
    expect(edited.body).toMatchObject({ published: true, modifiedAt: clock().toISOString(), version: 3 });
    clock.advance(1);
    expect((await act('unpublish', id, '"3"')).body).toMatchObject({ published: false, version: 4 });
    expect((await act('unpublish', id, '"4"')).status).toBe(409);
    const history = (await get(id)).body.history as { action: string; actor: { name: string } }[];
    expect(history.map((h) => h.action)).toEqual(['create', 'publish', 'update', 'unpublish']);
    expect(history.every((h) => h.actor.name === 'Sam Officer')).toBe(true);
  });

  it('checks an edit to a published update again, and keeps it unchanged when refused', async () => {
    const made = await create(draft());
    const id = String(made.body.id);
    await act('publish', id, '"1"');
    const refused = await edit(id, { easyRead: 'Ring 020 7946 0018 or go to SW1A 1AA.' }, '"2"');
    expect(refused.status).toBe(422);
    expect(refused.body.errors).toEqual([
      { path: 'easyRead', message: expect.stringMatching(/UK phone number.*UK postcode/) },
    ]);
    expect((await get(id)).body).toMatchObject({ version: 2, published: true });
  });
});

describe('the public feed', () => {
  it('shows a published update with suppressed counts, a strong ETag (304 on repeat) and CORS for anyone', async () => {
    const feedbacks = await Promise.all([
      seedFeedback(table, {
        projectId: 'general',
        contact: { name: 'Tomasz Kowalczyk', email: 't.k@example.org' },
      }),
      seedFeedback(table, { projectId: 'general', message: 'My son Kacper hates the bus.' }),
    ]);
    const event = await seedEvent(table, {
      childrenAndYoungPeople: 0,
      parentsAndCarers: 12,
      professionals: 2,
    });
    const made = await create(
      draft({
        title: 'Bus escorts trained in autism awareness',
        status: 'in_progress',
        expectedBy: '2044-07-01',
        easyRead: 'Bus helpers are learning about autism.',
        feedbackIds: feedbacks.map((f) => f.id),
        eventIds: [event.id],
      }),
    );
    const id = String(made.body.id);
    clock.advance(10);
    await act('publish', id, '"1"');

    const first = await feed({ projectId: 'general', status: 'in_progress' });
    expect(first.status).toBe(200);
    expect(first.headers['content-type']).toMatch(/^application\/feed\+json/);
    expect(first.headers['cache-control']).toBe('public, max-age=300, stale-while-revalidate=86400');
    expect(first.headers['access-control-allow-origin']).toBe('*');
    expect(first.headers.etag).toMatch(/^"[\w-]+"$/);
    const body = JSON.parse(first.text);
    expect(body).toMatchObject({
      version: 'https://jsonfeed.org/version/1.1',
      title: 'You said, we did',
      home_page_url: 'https://localoffer.council.example/you-said-we-did',
      feed_url: 'https://api.council.example/feed?projectId=general&status=in_progress',
      language: 'en-GB',
    });
    expect(body.next_url).toBeUndefined();
    const item = body.items.find((i: { id: string }) => i.id === id);
    expect(item).toMatchObject({
      url: `https://localoffer.council.example/you-said-we-did/${id}`,
      title: 'Bus escorts trained in autism awareness',
      content_text: `You said: ${draft().youSaid}\n\nWe did: ${draft().weDid}`,
      date_published: clock().toISOString(),
      date_modified: clock().toISOString(),
      tags: ['general', 'in_progress'],
      _you_said_we_did: {
        status: 'in_progress',
        reason: null,
        expectedBy: '2044-07-01',
        project: { id: 'general', title: 'General feedback about SEND services' },
        easyRead: 'Bus helpers are learning about autism.',
        counts: {
          childrenAndYoungPeople: 0,
          parentsAndCarers: 14,
          professionals: 'fewer than 5',
          other: 0,
          events: 'fewer than 5',
        },
      },
    });
    expect(first.text).not.toMatch(/Tomasz|Kowalczyk|t\.k@example|Kacper|Sam Officer/);
    for (const f of feedbacks) {
      expect(first.text).not.toContain(f.id);
      expect(first.text).not.toContain(f.reference);
    }

    const again = await feed(
      { projectId: 'general', status: 'in_progress' },
      { 'if-none-match': first.headers.etag ?? '' },
    );
    expect(again.status).toBe(304);
    expect(again.text).toBe('');
    expect(again.headers.etag).toBe(first.headers.etag);

    const xml = await rss({ projectId: 'general' });
    expect(xml.status).toBe(200);
    expect(xml.headers['content-type']).toMatch(/^application\/rss\+xml/);
    expect(xml.headers['access-control-allow-origin']).toBe('*');
    expect(xml.text).toContain(`<guid isPermaLink="false">${id}</guid>`);
    expect(xml.text).toContain(
      '<atom:link href="https://api.council.example/feed.xml?projectId=general" rel="self"',
    );
    expect(xml.text).not.toMatch(/Tomasz|Kowalczyk|Kacper/);

    const edited = await edit(id, { title: 'Bus escorts trained' }, '"2"');
    expect(edited.status).toBe(200);
    const changed = await feed(
      { projectId: 'general', status: 'in_progress' },
      { 'if-none-match': first.headers.etag ?? '' },
    );
    expect(changed.status).toBe(200);
    expect(changed.headers.etag).not.toBe(first.headers.etag);

    await act('unpublish', id, '"3"');
    const gone = await feed({ projectId: 'general' });
    expect(JSON.parse(gone.text).items.map((i: { id: string }) => i.id)).not.toContain(id);
    expect((await rss()).text).not.toContain(id);
  });

  it('pages newest first with next_url, filters by since, and refuses tampered cursors with 400', async () => {
    const project = 'paging-project';
    await table.db.send(
      new (await import('@aws-sdk/lib-dynamodb')).PutCommand({
        TableName: table.name,
        Item: {
          PK: 'PROJECTS',
          SK: `PROJECT#${project}`,
          id: project,
          title: 'Paging',
          serviceArea: 'Tests',
          timeframes: {
            complaint: { acknowledgeWorkingDays: 5, respondWorkingDays: 15 },
            feedback: { acknowledgeWorkingDays: 5, respondWorkingDays: 20 },
            compliment: { acknowledgeWorkingDays: 5, respondWorkingDays: 10 },
          },
          eventReportBackWorkingDays: 20,
          alertTeam: 'tests',
          active: true,
          version: 1,
        },
      }),
    );
    const ids: string[] = [];
    const start = clock().toISOString();
    for (let i = 0; i < 5; i++) {
      clock.advance(1);
      const made = await create(draft({ projectId: project, title: `Update ${i}` }));
      await act('publish', String(made.body.id), '"1"');
      ids.push(String(made.body.id));
    }
    const page1 = JSON.parse((await feed({ projectId: project, limit: '2' })).text);
    expect(page1.items.map((i: { id: string }) => i.id)).toEqual([ids[4], ids[3]]);
    const next = new URL(page1.next_url);
    expect(next.pathname).toBe('/feed');
    expect(next.searchParams.get('limit')).toBe('2');
    const page2 = JSON.parse((await feed(Object.fromEntries(next.searchParams))).text);
    expect(page2.items.map((i: { id: string }) => i.id)).toEqual([ids[2], ids[1]]);
    const page3 = JSON.parse((await feed(Object.fromEntries(new URL(page2.next_url).searchParams))).text);
    expect(page3.items.map((i: { id: string }) => i.id)).toEqual([ids[0]]);
    expect(page3.next_url).toBeUndefined();

    const since = JSON.parse((await feed({ projectId: project, since: start })).text);
    expect(since.items).toHaveLength(5);
    const later = JSON.parse(
      (await feed({ projectId: project, since: new Date(Date.parse(start) + 3 * 60_000).toISOString() }))
        .text,
    );
    expect(later.items.map((i: { id: string }) => i.id)).toEqual([ids[4], ids[3], ids[2]]);

    const cursor = next.searchParams.get('cursor') ?? '';
    // Edited to point elsewhere: another item's key under this page's position.
    const edited = Buffer.from(
      Buffer.from(cursor, 'base64url')
        .toString('utf8')
        .replace(/"PK":"UPDATE#\w+"/, '"PK":"UPDATE#aaaaaaaaaaaa"'),
    ).toString('base64url');
    for (const bad of [
      edited,
      cursor.slice(0, -3),
      'not a cursor',
      Buffer.from('{"v":1}').toString('base64url'),
    ]) {
      const answer = await feed({ projectId: project, limit: '2', cursor: bad });
      expect(answer.status, bad).toBe(400);
      expect(JSON.parse(answer.text).errors[0].path).toBe('cursor');
      expect(answer.headers['access-control-allow-origin']).toBe('*');
    }
    // A cursor given for one filter is not valid for another.
    expect((await feed({ status: 'done', limit: '2', cursor })).status).toBe(400);
    const bads = await feed({ limit: '0', status: 'x', since: 'yesterday', projectId: 'Bad!' });
    expect(bads.status).toBe(400);
    expect(
      JSON.parse(bads.text)
        .errors.map((e: { path: string }) => e.path)
        .sort(),
    ).toEqual(['limit', 'projectId', 'since', 'status']);
  });
});

describe('the officers list', () => {
  it('filters by project, status and published state, newest change first, with a cursor', async () => {
    const list = (query: Record<string, string>) =>
      invoke(listHandler(deps()), { path: '/officer/updates', query, claims: officer });
    const all = await list({ projectId: 'paging-project', published: 'true', status: 'done', limit: '3' });
    expect(all.status).toBe(200);
    const items = all.body.items as { title: string; published: boolean }[];
    expect(items.map((i) => i.title)).toEqual(['Update 4', 'Update 3', 'Update 2']);
    expect(all.body.cursor).toEqual(expect.any(String));
    const rest = await list({
      projectId: 'paging-project',
      published: 'true',
      status: 'done',
      limit: '3',
      cursor: String(all.body.cursor),
    });
    expect((rest.body.items as { title: string }[]).map((i) => i.title)).toEqual(['Update 1', 'Update 0']);
    const drafts = await list({ projectId: 'paging-project', published: 'false' });
    expect(drafts.body.items).toEqual([]);
    expect((await list({ published: 'maybe' })).status).toBe(400);
  });
});

describe('the annual report', () => {
  it('lists the year’s published updates and per-project totals, as JSON and spreadsheet-safe CSV', async () => {
    const year = BASE_NOW.getUTCFullYear();
    const report = await createTestTable();
    try {
      const reportClock = steppingClock();
      const reportDeps = updateDeps(report, reportClock);
      const feedback = [];
      for (let i = 0; i < 6; i++) feedback.push(await seedFeedback(report, { kind: 'complaint' }));
      feedback.push(
        await seedFeedback(report, { kind: 'compliment', submitterRole: 'child_or_young_person' }),
      );
      // Received the year before: not counted in this year's totals.
      await seedFeedback(report, { kind: 'feedback', receivedAt: new Date(Date.UTC(year - 1, 5, 1)) });
      const event = await seedEvent(report, {
        childrenAndYoungPeople: 8,
        parentsAndCarers: 2,
        professionals: 5,
      });
      const make = (body: unknown) =>
        invoke(createHandler(reportDeps), {
          method: 'POST',
          path: '/officer/updates',
          body,
          claims: officer,
        });
      const made = await make(
        draft({
          title: '=HYPERLINK("http://evil.example")',
          feedbackIds: feedback.map((f) => f.id),
          eventIds: [event.id],
        }),
      );
      const hidden = await make(draft({ title: 'Never published' }));
      expect(hidden.status).toBe(201);
      await invoke(publishHandler(reportDeps), {
        method: 'POST',
        path: `/officer/updates/${made.body.id}/publish`,
        pathParameters: { id: String(made.body.id) },
        headers: { 'if-match': '"1"' },
        claims: officer,
      });
      const handler = annualReportHandler({
        feed: createUpdateRepository(report.db, report.name),
        reports: createUpdateRepository(report.db, report.name),
        events: createEventRepository(report.db, report.name),
        scorecard: createScorecardRepository(report.db, report.name),
        projects: reportDeps.projects,
        smallCountThreshold: 5,
      });
      const json = await invoke(handler, {
        path: '/officer/reports/annual',
        query: { year: String(year) },
        claims: officer,
      });
      expect(json.status).toBe(200);
      expect(json.body).toMatchObject({
        year,
        updates: [
          {
            id: made.body.id,
            title: '=HYPERLINK("http://evil.example")',
            project: { id: 'general' },
            status: 'done',
            counts: {
              parentsAndCarers: 8,
              childrenAndYoungPeople: 9,
              professionals: 5,
              events: 'fewer than 5',
            },
          },
        ],
      });
      const general = (json.body.projects as { project: { id: string } }[]).find(
        (p) => p.project.id === 'general',
      );
      expect(general).toEqual({
        project: { id: 'general', title: 'General feedback about SEND services' },
        feedbackReceived: { complaint: 6, compliment: 'fewer than 5', feedback: 0 },
        updatesPublished: 1,
        eventsHeld: 1,
        participants: { childrenAndYoungPeople: 8, parentsAndCarers: 'fewer than 5', professionals: 5 },
      });
      const lastYear = await invoke(handler, {
        path: '/officer/reports/annual',
        query: { year: String(year - 1) },
        claims: officer,
      });
      expect(lastYear.body.updates).toEqual([]);

      const csv = await invokeRaw(handler, {
        path: '/officer/reports/annual',
        query: { year: String(year), format: 'csv' },
        claims: officer,
      });
      expect(csv.status).toBe(200);
      expect(csv.headers['content-type']).toBe('text/csv; charset=utf-8');
      const lines = csv.text.trimEnd().split('\r\n');
      expect(lines[0]?.startsWith('section,project_id,project_title,update_id,update_title,status')).toBe(
        true,
      );
      expect(lines[1]).toContain(`"'=HYPERLINK(""http://evil.example"")"`);
      expect(lines.some((line) => line.startsWith('project_total,general,'))).toBe(true);
      expect(csv.text).not.toContain('Never published');

      const bad = await invoke(handler, {
        path: '/officer/reports/annual',
        query: { year: '26', format: 'pdf' },
        claims: officer,
      });
      expect(bad.status).toBe(400);
      expect((bad.body.errors as { path: string }[]).map((e) => e.path).sort()).toEqual(['format', 'year']);
    } finally {
      await report.drop();
    }
  });
});
