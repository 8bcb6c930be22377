import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeHandler as getEventHandler } from '../../functions/get-event/handler';
import { makeHandler as listAllProjectsHandler } from '../../functions/list-all-projects/handler';
import { makeHandler as listEventsHandler } from '../../functions/list-events/handler';
import { makeHandler as listProjectsHandler } from '../../functions/list-projects/handler';
import { makeHandler as recordEventHandler } from '../../functions/record-event/handler';
import { makeHandler as saveProjectHandler } from '../../functions/save-project/handler';
import { makeHandler as submitHandler } from '../../functions/submit-feedback/handler';
import { makeHandler as updateEventHandler } from '../../functions/update-event/handler';
import { DEFAULT_TIMEFRAMES } from '../../shared/config/default-projects';
import { londonDateOf } from '../../shared/domain/london-time';
import { addWorkingDays } from '../../shared/domain/working-days';
import { londonDateFromNow, TEST_NOW } from '../support/clock';
import { intakeDeps, officerDeps } from '../support/deps';
import { createTestTable, type TestTable } from '../support/dynamo';
import { invoke, officerClaims } from '../support/events';
import { TEST_CURSOR_KEY } from '../support/signing';

let table: TestTable;
beforeAll(async () => {
  table = await createTestTable();
});
afterAll(async () => table.drop());

const admin = officerClaims('admin');
const officer = officerClaims('officer');
const deps = (now = TEST_NOW) => officerDeps(table, () => now);

const project = (overrides: Record<string, unknown> = {}) => ({
  title: 'Short breaks review',
  serviceArea: 'Short breaks',
  description: 'What families want from short breaks',
  timeframes: DEFAULT_TIMEFRAMES,
  eventReportBackWorkingDays: 10,
  alertTeam: 'short-breaks',
  active: true,
  ...overrides,
});
const put = (id: string, body: unknown, headers: Record<string, string> = {}, claims = admin) =>
  invoke(saveProjectHandler(deps()), {
    method: 'PUT',
    path: `/officer/projects/${id}`,
    pathParameters: { id },
    body,
    headers,
    claims,
  });

describe('projects', () => {
  it('lets an admin create one, and lists it for officers with its version', async () => {
    const created = await put('short-breaks', project());
    expect(created.status).toBe(200);
    expect(created.headers.etag).toBe('"1"');
    expect(created.body).toMatchObject({ id: 'short-breaks', version: 1, updatedBy: { name: 'Alex Admin' } });

    const listed = await invoke(listAllProjectsHandler(deps()), {
      path: '/officer/projects',
      claims: officer,
    });
    expect(listed.body.projects).toContainEqual(
      expect.objectContaining({ id: 'short-breaks', alertTeam: 'short-breaks', version: 1 }),
    );
    expect(listed.body.projects).toContainEqual(expect.objectContaining({ id: 'general', version: 0 }));
  });

  it('refuses an officer who is not an admin with 403, and changes nothing', async () => {
    const refused = await put('officer-made', project(), {}, officer);
    expect(refused.status).toBe(403);
    expect(refused.headers['content-type']).toBe('application/problem+json');
    const listed = await invoke(listAllProjectsHandler(deps()), {
      path: '/officer/projects',
      claims: officer,
    });
    expect((listed.body.projects as { id: string }[]).map((p) => p.id)).not.toContain('officer-made');
  });

  it('needs If-Match to change an existing project (428), refuses a stale one (412), and records each change', async () => {
    await put('transport', project({ title: 'Transport' }));
    expect((await put('transport', project({ title: 'Transport v2' }))).status).toBe(428);
    expect((await put('transport', project({ title: 'Transport v2' }), { 'if-match': '"5"' })).status).toBe(
      412,
    );
    const changed = await put('transport', project({ title: 'Home to school transport' }), {
      'if-match': '"1"',
    });
    expect(changed.status).toBe(200);
    expect(changed.body).toMatchObject({ title: 'Home to school transport', version: 2 });
    const history = (await table.allItems()).filter((item) => item.PK === 'PROJECT#transport');
    expect(history.map((entry) => [entry.version, entry.action])).toEqual([
      [1, 'create'],
      [2, 'update'],
    ]);
    expect(history[1]?.changes).toEqual({ title: { from: 'Transport', to: 'Home to school transport' } });
  });

  it('lets an admin change the general project too (a default until first saved)', async () => {
    const general = project({ title: 'General SEND feedback', eventReportBackWorkingDays: 20 });
    expect((await put('general', general)).status).toBe(428);
    const saved = await put('general', general, { 'if-match': '"0"' });
    expect(saved.status).toBe(200);
    expect(saved.body.version).toBe(1);
  });

  it('keeps the general project open: feedback naming no project goes there', async () => {
    const listed = await invoke(listAllProjectsHandler(deps()), {
      path: '/officer/projects',
      claims: officer,
    });
    const general = (listed.body.projects as { id: string; version: number }[]).find(
      (p) => p.id === 'general',
    );
    const response = await put('general', project({ active: false }), {
      'if-match': `"${general?.version}"`,
    });
    expect(response.status).toBe(400);
    expect((response.body.errors as { path: string }[])[0]?.path).toBe('active');
  });

  it('names every failing field, including a reply due before its acknowledgement', async () => {
    const response = await put('Bad Id', {
      ...project(),
      timeframes: { ...DEFAULT_TIMEFRAMES, complaint: { acknowledgeWorkingDays: 10, respondWorkingDays: 5 } },
      alertTeam: 'Team!',
      colour: 'blue',
    });
    expect(response.status).toBe(400);
    const second = await put('ok-id', {
      ...project(),
      timeframes: { ...DEFAULT_TIMEFRAMES, complaint: { acknowledgeWorkingDays: 10, respondWorkingDays: 5 } },
      alertTeam: 'Team!',
      colour: 'blue',
    });
    expect((second.body.errors as { path: string }[]).map((e) => e.path).sort()).toEqual([
      'alertTeam',
      'colour',
      'timeframes.complaint.respondWorkingDays',
    ]);
  });

  it('applies new timeframes to feedback received afterwards; earlier deadlines stay as they were', async () => {
    await put('sensory', project({ title: 'Sensory service' }));
    const submit = () =>
      invoke(submitHandler(intakeDeps(table, { now: () => TEST_NOW })), {
        method: 'POST',
        path: '/feedback',
        body: {
          kind: 'feedback',
          message: 'More quiet rooms',
          submitterRole: 'child_or_young_person',
          projectId: 'sensory',
        },
      });
    const before = await submit();
    await put(
      'sensory',
      project({
        title: 'Sensory service',
        timeframes: { ...DEFAULT_TIMEFRAMES, feedback: { acknowledgeWorkingDays: 2, respondWorkingDays: 4 } },
      }),
      { 'if-match': '"1"' },
    );
    const after = await submit();
    // Working-day counting itself is proven on known dates in test/unit/working-days.test.ts; here
    // the point is which project's days apply, on the run's date (TEST_NOW).
    const today = londonDateOf(TEST_NOW);
    const earlier = { acknowledgeBy: addWorkingDays(today, 5), respondBy: addWorkingDays(today, 20) };
    expect(before.body).toMatchObject(earlier);
    expect(after.body).toMatchObject({
      acknowledgeBy: addWorkingDays(today, 2),
      respondBy: addWorkingDays(today, 4),
    });
    const stored = (await table.allItems()).find((item) => item.id === before.body.id);
    expect(stored).toMatchObject(earlier);
  });

  it('keeps closed projects off the public list', async () => {
    await put('closed-one', project({ title: 'Closed consultation', active: false }));
    const publicList = await invoke(listProjectsHandler({ projects: deps().projects }), {
      path: '/projects',
    });
    const ids = (publicList.body.projects as { id: string }[]).map((p) => p.id);
    expect(ids).toContain('short-breaks');
    expect(ids).not.toContain('closed-one');
    expect(JSON.stringify(publicList.body)).not.toContain('alertTeam');
  });
});

describe('co-production events', () => {
  // Dates relative to the run's now (TEST_NOW): an event is held on or before today, planned after.
  const workshop = {
    title: 'Short breaks workshop',
    projectId: 'short-breaks',
    type: 'workshop',
    heldOn: londonDateFromNow(-6),
    participants: { childrenAndYoungPeople: 4, parentsAndCarers: 11, professionals: 3 },
    accessibility: ['Makaton', 'BSL', 'easy read'],
    whatWeHeard: 'Families want Saturday sessions and staff trained in autism.',
    status: 'held',
  };
  const record = (body: unknown, claims = officer) =>
    invoke(recordEventHandler(deps()), { method: 'POST', path: '/officer/events', body, claims });
  const patch = (id: string, body: unknown, ifMatch?: string) =>
    invoke(updateEventHandler(deps()), {
      method: 'PATCH',
      path: `/officer/events/${id}`,
      pathParameters: { id },
      body,
      headers: ifMatch ? { 'if-match': ifMatch } : {},
      claims: officer,
    });
  const get = (id: string) =>
    invoke(getEventHandler(deps()), {
      path: `/officer/events/${id}`,
      pathParameters: { id },
      claims: officer,
    });
  const list = (query: Record<string, string>) =>
    invoke(listEventsHandler(deps()), { path: '/officer/events', query, claims: officer });

  beforeAll(async () => {
    await put('short-breaks', project());
  });

  it('records an event and the date its participants must hear back by (the project’s working days after)', async () => {
    const created = await record(workshop);
    expect(created.status).toBe(201);
    expect(created.headers.etag).toBe('"1"');
    // The project's 10 working days after the event (counting is proven in working-days.test.ts).
    expect(created.body).toMatchObject({
      ...workshop,
      reportBackBy: addWorkingDays(workshop.heldOn, 10),
      version: 1,
      createdBy: { name: 'Sam Officer' },
    });
    const read = await get(created.body.id as string);
    expect(read.body).toMatchObject({
      title: workshop.title,
      history: [expect.objectContaining({ action: 'create', version: 1 })],
    });
  });

  it('uses the default report-back time of 20 working days for a project that keeps it', async () => {
    const heldOn = londonDateFromNow(-24);
    const created = await record({ ...workshop, projectId: 'general', heldOn });
    expect(created.body.reportBackBy).toBe(addWorkingDays(heldOn, 20));
  });

  it('refuses an event for an unknown project (422) and bad fields (400, each named)', async () => {
    expect((await record({ ...workshop, projectId: 'nowhere' })).status).toBe(422);
    const bad = await record({
      ...workshop,
      type: 'party',
      heldOn: '20/11/2026',
      participants: { parentsAndCarers: -1 },
      extra: 1,
    });
    expect(bad.status).toBe(400);
    expect((bad.body.errors as { path: string }[]).map((e) => e.path).sort()).toEqual([
      'extra',
      'heldOn',
      'participants.parentsAndCarers',
      'type',
    ]);
  });

  it('changes an event with If-Match, moves the report-back date with the event, and records what changed', async () => {
    // Moved a week later: a week always holds working days, so the report-back date moves too.
    const created = await record({ ...workshop, status: 'planned', heldOn: londonDateFromNow(-22) });
    const id = created.body.id as string;
    const heldOn = londonDateFromNow(-15);
    expect((await patch(id, { heldOn })).status).toBe(428);
    expect((await patch(id, { heldOn }, '"9"')).status).toBe(412);
    const moved = await patch(id, { heldOn, status: 'held' }, '"1"');
    expect(moved.status).toBe(200);
    expect(created.body.reportBackBy).toBe(addWorkingDays(londonDateFromNow(-22), 10));
    expect(moved.body).toMatchObject({
      heldOn,
      status: 'held',
      reportBackBy: addWorkingDays(heldOn, 10),
      version: 2,
    });
    const history = (await get(id)).body.history as { changes: Record<string, unknown> }[];
    expect(Object.keys(history[1]?.changes ?? {}).sort()).toEqual([
      'heldOn',
      'reportBackBy',
      'reportBackDueAt',
      'status',
    ]);
  });

  it('moves status only forward, one step at a time (409 otherwise)', async () => {
    const created = await record({ ...workshop, status: 'planned' });
    const id = created.body.id as string;
    expect((await patch(id, { status: 'reported_back' }, '"1"')).status).toBe(409);
    expect((await patch(id, { status: 'held' }, '"1"')).status).toBe(200);
    expect((await patch(id, { status: 'planned' }, '"2"')).status).toBe(409);
    expect((await patch(id, { status: 'reported_back' }, '"2"')).status).toBe(200);
  });

  it('changes only the participant counts a PATCH names', async () => {
    const created = await record(workshop);
    const changed = await patch(created.body.id as string, { participants: { parentsAndCarers: 12 } }, '"1"');
    expect(changed.body.participants).toEqual({
      childrenAndYoungPeople: 4,
      parentsAndCarers: 12,
      professionals: 3,
    });
  });

  it('keeps the order of things: no new event already reported back, nothing held before its date, no moving a reported-back event', async () => {
    expect((await record({ ...workshop, status: 'reported_back' })).status).toBe(400);
    expect((await record({ ...workshop, heldOn: '2099-06-01' })).status).toBe(400);
    // Tomorrow in London is the nearest date that must still be planned.
    const future = await record({ ...workshop, heldOn: londonDateFromNow(1), status: 'held' });
    expect(future.status).toBe(400);
    expect((future.body.errors as { path: string }[])[0]?.path).toBe('status');

    const planned = await record({ ...workshop, heldOn: londonDateFromNow(1), status: 'planned' });
    expect(planned.status).toBe(201);
    expect((await patch(planned.body.id as string, { status: 'held' }, '"1"')).status).toBe(400);

    const held = await record(workshop);
    const id = held.body.id as string;
    expect((await patch(id, { status: 'reported_back' }, '"1"')).status).toBe(200);
    expect((await patch(id, { heldOn: londonDateFromNow(-7) }, '"2"')).status).toBe(409);
  });

  it('refuses an empty PATCH', async () => {
    const created = await record(workshop);
    expect((await patch(created.body.id as string, {}, '"1"')).status).toBe(400);
  });

  it('lists events newest first, by project and between dates', async () => {
    await put('parent-forum', project({ title: 'Parent carer forum' }));
    const [jan, feb, mar] = [30, 61, 89].map(londonDateFromNow) as [string, string, string];
    for (const heldOn of [jan, feb, mar]) {
      await record({ ...workshop, projectId: 'parent-forum', heldOn, type: 'forum', status: 'planned' });
    }
    const all = await list({ projectId: 'parent-forum' });
    expect((all.body.items as { heldOn: string }[]).map((e) => e.heldOn)).toEqual([mar, feb, jan]);
    const between = await list({ projectId: 'parent-forum', from: londonDateFromNow(50), to: mar });
    expect((between.body.items as { heldOn: string }[]).map((e) => e.heldOn)).toEqual([mar, feb]);
    const paged = await list({ projectId: 'parent-forum', limit: '2' });
    expect(paged.body.items).toHaveLength(2);
    const rest = await list({ projectId: 'parent-forum', limit: '2', cursor: paged.body.cursor as string });
    expect((rest.body.items as { heldOn: string }[]).map((e) => e.heldOn)).toEqual([jan]);
    expect(rest.body.cursor).toBeUndefined();
    expect((await list({ from: londonDateFromNow(60), to: londonDateFromNow(30) })).status).toBe(400);

    // Regression: a (validly signed) cursor whose key has an empty PK, or names a project, was a 500 / accepted.
    const state = JSON.parse(
      Buffer.from(String(paged.body.cursor).split('.')[0] as string, 'base64url').toString(),
    );
    const [partition, key] = Object.entries(state.p as Record<string, Record<string, string>>)[0] ?? [];
    for (const forged of [
      { ...key, PK: '' },
      { ...key, PK: 'PROJECT#parent-forum' },
      { ...key, PK: 'FEEDBACK#ABCD2345' },
    ]) {
      const payload = Buffer.from(
        JSON.stringify({ ...state, p: { [partition as string]: forged } }),
      ).toString('base64url');
      const cursor = `${payload}.${createHmac('sha256', TEST_CURSOR_KEY).update(payload).digest('base64url')}`;
      const refused = await list({ projectId: 'parent-forum', limit: '2', cursor });
      expect(refused.status).toBe(400);
      expect((refused.body.errors as { path: string }[])[0]?.path).toBe('cursor');
    }
  });
});
