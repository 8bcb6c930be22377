import { readFileSync } from 'node:fs';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signDevToken } from '../../infra/local/dev-auth';
import { startSystemClockAt, systemClock } from '../../shared/domain/clock';
import { londonDateOf, londonOffsetMs } from '../../shared/domain/london-time';
import { DAY_MS, fromNow, HOUR_MS, londonDateFromNow, MINUTE_MS, TEST_NOW } from '../support/clock';
import { intakeDeps } from '../support/deps';
import { invoke } from '../support/events';
import { accessibilityViolations, launchChromium, screenshot, startLocalOffer } from './browser';

/**
 * The officer console in headless Chromium against the local stack on DynamoDB Local, driven as
 * officers would: signing in through the local sign-in page (authorization code + PKCE), triage,
 * answering, a 412, a complaint through all its stages, an expired session (signed in again in a
 * window, and by a full redirect when the window is blocked), events, updates with a personal-data
 * refusal, projects as an admin, the annual report. axe-core checks each distinct screen;
 * screenshots go to test-results/. One browser for the file and one signed-in context per role:
 * every page load (and so every sign-in) costs time on a busy machine, so screens are reached
 * within the page, as an officer's clicks reach them.
 */
let stack: Awaited<ReturnType<typeof startLocalOffer>>;
let browser: Browser;

beforeAll(async () => {
  [stack, browser] = await Promise.all([startLocalOffer({ console: true }), launchChromium()]);
  // The answer's escalation link opens the family page (read when the respond handler first loads).
  process.env.FAMILY_PAGE_URL = `${stack.base}/family/escalate.html`;
}, 90_000);

afterAll(async () => {
  startSystemClockAt(TEST_NOW);
  delete process.env.FAMILY_PAGE_URL;
  await browser?.close();
  await stack?.close();
});

async function submitFeedback(kind: string, message: string, contact?: Record<string, string>) {
  const response = await fetch(`${stack.base}/feedback`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      kind,
      message,
      submitterRole: 'parent_or_carer',
      ...(contact ? { contact, consentToContact: true } : {}),
    }),
  });
  expect(response.status).toBe(201);
  return (await response.json()) as { id: string; reference: string };
}

/** Everything a page could leak a token through, read from the page itself. */
const storageOf = (page: Page) =>
  page.evaluate(() => ({
    local: JSON.stringify({ ...localStorage }),
    session: JSON.stringify({ ...sessionStorage }),
    cookie: document.cookie,
    url: location.href,
  }));

interface Watched {
  context: BrowserContext;
  page: Page;
  /** Every address any frame of the context has been at. */
  urls: string[];
  /** Access tokens the token endpoint gave this context. */
  tokens: string[];
}

async function openConsole(viewport = { width: 1024, height: 900 }): Promise<Watched> {
  const context = await browser.newContext({
    viewport,
    acceptDownloads: true,
    permissions: ['clipboard-read', 'clipboard-write'],
  });
  const watched: Watched = { context, page: await context.newPage(), urls: [], tokens: [] };
  context.on('page', (opened) =>
    opened.on('framenavigated', (frame) => {
      watched.urls.push(frame.url());
    }),
  );
  watched.page.on('framenavigated', (frame) => {
    watched.urls.push(frame.url());
  });
  context.on('response', (response) => {
    if (!response.url().endsWith('/oauth2/token')) return;
    void response
      .json()
      .then((body: { access_token?: string }) => body.access_token && watched.tokens.push(body.access_token))
      .catch(() => undefined);
  });
  return watched;
}

/** The local sign-in page, as an officer fills it in. */
async function signInAs(page: Page, name: string, role: 'officer' | 'admin') {
  await page.getByRole('heading', { name: 'Local development sign-in — not for real use' }).waitFor();
  await page.getByLabel(/^Name/).fill(name);
  await page.getByLabel(role === 'admin' ? 'Admin: also change projects' : /^Officer/).check();
  await page.getByRole('button', { name: 'Sign in' }).click();
}

/** A link in the service navigation. */
const menu = (page: Page, name: string) =>
  page.getByRole('navigation', { name: 'Menu' }).getByRole('link', { name, exact: true });

async function heading(page: Page, name: string | RegExp) {
  await page.getByRole('heading', { level: 1, name }).waitFor();
}

/** Another console address without a page load (a typed address would load afresh, and so sign in again). */
async function go(page: Page, path: string) {
  await page.evaluate((to) => {
    history.pushState(null, '', to);
    dispatchEvent(new PopStateEvent('popstate'));
  }, path);
}

/** The success banner a saved form leads to. */
const saved = (page: Page, text: string | RegExp) =>
  page.getByRole('alert').filter({ hasText: text }).waitFor();

async function checkScreen(page: Page, name: string) {
  expect(await accessibilityViolations(page), name).toEqual([]);
  await screenshot(page, `console-${name}`);
}

async function expectNoTokenAnywhere(watched: Watched) {
  expect(watched.tokens.length).toBeGreaterThan(0);
  for (const page of watched.context.pages()) {
    const seen = await storageOf(page);
    for (const token of watched.tokens) {
      expect(seen.local).not.toContain(token);
      expect(seen.session).not.toContain(token);
      expect(seen.cookie).not.toContain(token);
    }
    expect(seen.local).toBe('{}');
    expect(seen.cookie).toBe('');
  }
  for (const url of watched.urls) {
    for (const token of watched.tokens) expect(url).not.toContain(token);
    expect(url).not.toMatch(/access_token|id_token/);
  }
}

describe('the officer console, as an officer', { timeout: 180_000 }, () => {
  /** Sam's signed-in tab, shared by this block's tests: only the first is about signing in. */
  let sam: Watched;

  it('signs in from an alert’s deep link, triages with filters and pages, answers through a 412, closes, by keyboard too', async () => {
    const complaint = await submitFeedback('complaint', 'We have waited 14 weeks for the plan.', {
      name: 'Anne Parent',
      email: 'anne.parent@example.com',
    });
    const others = [
      await submitFeedback('feedback', 'The new short breaks list is hard to find.'),
      await submitFeedback('compliment', 'Thank you for the Saturday club.'),
      await submitFeedback('feedback', 'Could the forum meet after school?'),
    ];
    // Received 30 days ago: its acknowledgement (5 working days) is overdue now, whatever the date.
    // Imported here, not at the top: the module wires its production handler as it loads, and the
    // local server shares it, so it must load after the stack has set TABLE_NAME.
    const { makeHandler: submitHandler } = await import('../../functions/submit-feedback/handler');
    const late = await invoke(submitHandler(intakeDeps(stack.table, { now: () => fromNow(-30 * DAY_MS) })), {
      method: 'POST',
      path: '/feedback',
      body: { kind: 'feedback', message: 'Nobody rang back.', submitterRole: 'parent_or_carer' },
    });
    expect(late.status).toBe(201);
    const overdue = late.body as { id: string; reference: string };
    sam = await openConsole();
    const { page } = sam;

    // An alert email links straight to the item; signed out, it goes through sign-in and lands there.
    await page.goto(`${stack.base}/console/feedback/${complaint.id}`);
    await heading(page, 'Local development sign-in — not for real use');
    await checkScreen(page, 'sign-in');
    expect(page.url()).toContain('code_challenge_method=S256');
    await signInAs(page, 'Sam Officer', 'officer');
    await heading(page, complaint.reference);
    expect(new URL(page.url()).pathname).toBe(`/console/feedback/${complaint.id}`);
    // The code and state are gone from the address bar; the token is nowhere but in memory.
    expect(page.url()).not.toMatch(/code=|state=/);
    await expectNoTokenAnywhere(sam);
    await expect(page.title()).resolves.toBe(`Complaint ${complaint.reference} – Officer console`);
    await page.getByText('We have waited 14 weeks for the plan.').waitFor();
    await page.getByText('anne.parent@example.com').waitFor();
    expect(await page.locator('.govuk-tag', { hasText: 'Overdue' }).count()).toBe(0);

    // 412: the officer types an answer while Kim acknowledges it behind the page's back.
    const answer = 'We are sorry: the plan was sent today, and we have changed how we track deadlines.';
    await page.getByLabel('Upheld', { exact: true }).check();
    await page.getByLabel('Response to the family').fill(answer);
    const kim = await signDevToken(stack.keys, { role: 'officer', name: 'Kim Officer' });
    const behindTheBack = await fetch(`${stack.base}/officer/feedback/${complaint.id}/acknowledge`, {
      method: 'POST',
      headers: { authorization: `Bearer ${kim}`, 'if-match': '"1"' },
    });
    expect(behindTheBack.status).toBe(200);
    await page.getByRole('button', { name: 'Send response' }).click();
    const conflict = page.getByRole('alert').filter({ hasText: 'Someone else changed this feedback' });
    await conflict.waitFor();
    expect(
      await page.evaluate(() => document.activeElement?.closest('.govuk-notification-banner') !== null),
    ).toBe(true);
    // The whole item screen, with the banner on it (one axe run for both).
    await checkScreen(page, 'conflict');
    await conflict.getByRole('button', { name: 'Reload' }).click();
    // Their change is shown; what the officer typed is still there.
    await page.getByRole('cell', { name: 'Kim Officer', exact: true }).waitFor();
    await expect(page.getByLabel('Response to the family').inputValue()).resolves.toBe(answer);
    await expect(page.getByLabel('Upheld', { exact: true }).isChecked()).resolves.toBe(true);
    await page.getByRole('button', { name: 'Send response' }).click();
    await saved(page, `Response to ${complaint.reference} recorded`);
    await page.getByRole('button', { name: 'Close feedback' }).click();
    await saved(page, `${complaint.reference} closed`);
    const stored = await (await stack.officer('GET', `/officer/feedback/${complaint.id}`)).json();
    expect(stored).toMatchObject({ status: 'closed', outcome: 'upheld', response: answer });
    expect(stored.history.map((entry: { actor: { name: string } }) => entry.actor.name)).toEqual([
      'Kim Officer',
      'Sam Officer',
      'Sam Officer',
    ]);

    // Triage: filters in the address, nearest deadline first, two to a page, Next and Previous.
    await go(page, '/console/feedback?limit=2&status=received');
    await heading(page, 'Feedback');
    const references = () => page.locator('tbody tr th').allTextContents();
    const firstPage = await references();
    expect(firstPage).toHaveLength(2);
    // The overdue one comes first, marked as the API marks it; the others are not.
    expect(firstPage[0]).toBe(overdue.reference);
    const overdueCells = () => page.locator('tbody tr td:last-child').allTextContents();
    expect(await overdueCells()).toEqual(['Overdue', 'No']);
    await checkScreen(page, 'triage');
    await page.getByRole('link', { name: 'Next page' }).click();
    await heading(page, 'Feedback');
    await expect.poll(() => page.title()).toBe('Feedback (page 2) – Officer console');
    const secondPage = await references();
    expect(secondPage).toHaveLength(2);
    expect(secondPage.filter((reference) => firstPage.includes(reference))).toEqual([]);
    await page.getByRole('link', { name: 'Previous page' }).click();
    await expect.poll(references).toEqual(firstPage);

    // The item says it is overdue just as its row does (the API's word, not the browser's clock).
    await page.getByRole('link', { name: overdue.reference }).click();
    await heading(page, overdue.reference);
    await page.locator('.govuk-tag', { hasText: 'Overdue' }).waitFor();
    await page.goBack();
    await expect.poll(references).toEqual(firstPage);

    await page.getByLabel('Kind').selectOption('compliment');
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await expect.poll(references).toEqual([others[1]?.reference]);
    expect(new URL(page.url()).searchParams.get('kind')).toBe('compliment');

    // Keyboard only: from the list to the item, acknowledged with Enter; focus always visible.
    const active = () =>
      page.evaluate(() => {
        const element = document.activeElement as HTMLElement | null;
        const style = element ? getComputedStyle(element) : undefined;
        return {
          text: element?.textContent?.trim() ?? '',
          focusVisible:
            !!style &&
            (style.outlineStyle !== 'none' || style.boxShadow !== 'none' || style.backgroundColor !== ''),
        };
      });
    async function tabTo(text: string) {
      for (let presses = 0; presses < 60; presses++) {
        await page.keyboard.press('Tab');
        const focused = await active();
        if (focused.text === text) return focused;
      }
      throw new Error(`Tab never reached ${text}`);
    }
    const target = others[1]?.reference ?? '';
    expect((await tabTo(target)).focusVisible).toBe(true);
    await page.keyboard.press('Enter');
    await heading(page, target);
    // Focus moved to the new screen's heading, so the next Tab starts there.
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('page-heading');
    await tabTo('Acknowledge');
    await page.keyboard.press('Enter');
    await saved(page, `${target} acknowledged`);

    // Officers read projects but cannot change them (the admin's test checks this screen with axe).
    await menu(page, 'Projects').click();
    await heading(page, 'Projects');
    await page.getByText('Only admins can change projects. You can read them here.').waitFor();
    expect(await page.getByRole('button', { name: 'Add a project' }).count()).toBe(0);

    // Reflow at 320 px (400 % zoom): the service navigation folds behind "Menu"; nothing scrolls sideways.
    await page.setViewportSize({ width: 320, height: 800 });
    await page.getByRole('button', { name: 'Menu' }).click();
    await page.getByRole('link', { name: 'Feedback', exact: true }).click();
    await heading(page, 'Feedback');
    expect(
      await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth),
    ).toBeLessThanOrEqual(0);
    await screenshot(page, 'console-triage-320px');
    await page.setViewportSize({ width: 1024, height: 900 });
  });

  it('takes a Children Act complaint through its stages: procedure, extension (412 and 422 on the way), answers with the escalation link, both escalations, the review panel and the Ombudsman; then signs out', async () => {
    expect(sam, 'signed in by the test before').toBeDefined();
    const { page } = sam;
    const complaint = await submitFeedback('complaint', 'Our child in need plan was never reviewed.', {
      name: 'Jo Carer',
      phone: '07700 900123',
    });
    const item = `/console/feedback/${complaint.id}`;
    await go(page, item);
    await heading(page, complaint.reference);
    const summaryRow = (key: string) =>
      page
        .locator('.govuk-summary-list__row', { has: page.locator('dt', { hasText: new RegExp(`^${key}$`) }) })
        .first();
    await expect(summaryRow('Stage').locator('dd').textContent()).resolves.toBe('Stage 1 (stage 1 of 2)');
    const currentCard = page.locator('[data-current-stage]');

    // The procedure, chosen before acknowledgement, with a reason.
    await page.getByLabel(/Children Act 1989 representations procedure/).check();
    await page.getByLabel('Why this procedure').fill('About the child in need plan.');
    await page.getByRole('button', { name: 'Change procedure' }).click();
    await saved(page, `${complaint.reference} now follows the Children Act 1989 representations procedure`);
    await expect(summaryRow('Stage').locator('dd').textContent()).resolves.toBe(
      'Stage 1: local resolution (stage 1 of 3)',
    );
    await page.getByText('Why: About the child in need plan.').waitFor();

    // An extension: Kim acknowledges behind the page's back (412, typing kept), then too many days (422 beside the field).
    const reason = 'We are waiting for the social worker’s notes.';
    await page.getByLabel('Working days to add').fill('11');
    await page.getByLabel('Why, as the family will be told').fill(reason);
    const kim = await signDevToken(stack.keys, { role: 'officer', name: 'Kim Officer' });
    const behindTheBack = await fetch(`${stack.base}/officer/feedback/${complaint.id}/acknowledge`, {
      method: 'POST',
      headers: { authorization: `Bearer ${kim}`, 'if-match': '"2"' },
    });
    expect(behindTheBack.status).toBe(200);
    await page.getByRole('button', { name: 'Extend Stage 1: local resolution' }).click();
    const conflict = page.getByRole('alert').filter({ hasText: 'Someone else changed this complaint' });
    await conflict.waitFor();
    await conflict.getByRole('button', { name: 'Reload' }).click();
    await page.getByRole('cell', { name: 'Kim Officer', exact: true }).waitFor();
    await expect(page.getByLabel('Working days to add').inputValue()).resolves.toBe('11');
    await expect(page.getByLabel('Why, as the family will be told').inputValue()).resolves.toBe(reason);
    expect(await page.getByRole('button', { name: 'Change procedure' }).count()).toBe(0);
    await page.getByRole('button', { name: 'Extend Stage 1: local resolution' }).click();
    await page.getByRole('heading', { name: 'There is a problem' }).waitFor();
    const days = page.getByLabel('Working days to add');
    const errorId = ((await days.getAttribute('aria-describedby')) ?? '')
      .split(' ')
      .find((id) => id.endsWith('-error'));
    expect(await page.locator(`#${errorId}`).textContent()).toMatch(/^Error: At most 10 more working days/);
    // The stage screen with every stage form and the error on it.
    await checkScreen(page, 'complaint-extend-error');
    await days.fill('5');
    await page.getByRole('button', { name: 'Extend Stage 1: local resolution' }).click();
    await saved(page, /Stage 1: local resolution of .* extended: the answer is due by/);
    await currentCard.getByText(`By 5 working days`, { exact: false }).waitFor();
    await currentCard.getByText(reason, { exact: false }).waitFor();

    // The stage 1 answer: the family's escalation link, shown this once, copied for the letter.
    const answer = async (response: string) => {
      await page.getByLabel('Partly upheld').check();
      await page.getByLabel('Response to the family').fill(response);
      await page.getByRole('button', { name: 'Send response' }).click();
      await saved(page, `Response to ${complaint.reference} recorded`);
    };
    await answer('We have booked the review for next week.');
    const link = page.getByLabel('The family’s escalation link');
    const url = await link.inputValue();
    expect(url).toMatch(
      new RegExp(`^${stack.base}/family/escalate\\.html#${complaint.id}\\.escalate\\.1\\.[\\w-]{22}$`),
    );
    await page.getByText('It is shown only this once').waitFor();
    await page.getByRole('button', { name: 'Copy link' }).click();
    await page.getByRole('button', { name: 'Link copied' }).waitFor();
    await expect(page.evaluate(() => navigator.clipboard.readText())).resolves.toBe(url);
    await checkScreen(page, 'complaint-escalation-link');

    // The family uses it; the list row then says the stage, and the link is not shown again.
    const family = await fetch(`${stack.base}/escalations`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ token: new URL(url).hash.slice(1) }),
    });
    expect(family.status).toBe(200);
    await menu(page, 'Feedback').click();
    await heading(page, 'Feedback');
    const row = page.locator('tbody tr', { hasText: complaint.reference });
    await expect(row.locator('td').first().textContent()).resolves.toBe('Complaint, stage 2 (Children Act)');
    await screenshot(page, 'console-triage-stages');
    await row.getByRole('link', { name: complaint.reference }).click();
    await heading(page, complaint.reference);
    await expect(currentCard.locator('h3').textContent()).resolves.toBe('Stage 2: investigation (current)');
    await page.getByText(/the family asked with their escalation link, in time/).waitFor();
    expect(await page.getByLabel('The family’s escalation link').count()).toBe(0);

    // The stage 2 answer; then the family phones for the review panel, recorded by the officer.
    await answer('We have changed the plan’s review dates.');
    await page.getByLabel('The family’s escalation link').waitFor();
    const answeredAt = systemClock();
    // They rang 15 minutes after the answer: the service's clock moves on to 30 minutes after it.
    const rang = new Date(answeredAt.getTime() + 15 * MINUTE_MS);
    startSystemClockAt(new Date(answeredAt.getTime() + 30 * MINUTE_MS));
    const rangOn = londonDateOf(rang);
    const [year, month, day] = rangOn.split('-');
    const rangAt = new Date(rang.getTime() + londonOffsetMs(rang)).toISOString().slice(11, 16);
    const asked = page.getByRole('group', { name: 'Date they asked' });
    await asked.getByLabel('Day').fill(String(Number(day)));
    await asked.getByLabel('Month').fill(String(Number(month)));
    await asked.getByLabel('Year').fill(year ?? '');
    await page.getByLabel('Time they asked').fill(rangAt);
    await page.getByLabel('Phone').check();
    await page.getByLabel('What they said is still wrong (optional)').fill('The review was cancelled again.');
    await page.getByRole('button', { name: 'Start Stage 3: review panel' }).click();
    await saved(page, `Stage 3: review panel of ${complaint.reference} started`);
    await currentCard.getByText(/the family asked by phone \(recorded by Sam Officer\), in time/).waitFor();
    await currentCard.getByText('The review was cancelled again.').waitFor();

    // Stage 3: no response before the panel's date; recording it sets the response deadline.
    expect(await page.getByRole('button', { name: 'Send response' }).count()).toBe(0);
    const panel = page.getByRole('group', { name: 'Date of the panel' });
    await panel.getByLabel('Day').fill(String(Number(day)));
    await panel.getByLabel('Month').fill(String(Number(month)));
    await panel.getByLabel('Year').fill(year ?? '');
    await page.getByRole('button', { name: 'Record the panel’s date' }).click();
    await saved(page, /Review panel on .* recorded: the response is due by/);

    // The last answer names the Ombudsman, on the screen and in the stage's record.
    await answer('The panel’s recommendations are accepted in full.');
    await page.getByRole('heading', { name: 'Tell the family about the Ombudsman' }).waitFor();
    await currentCard.getByRole('link', { name: 'https://www.lgo.org.uk' }).waitFor();
    expect(await page.getByRole('button', { name: /^Start Stage/ }).count()).toBe(0);
    await checkScreen(page, 'complaint-ombudsman');

    const stored = await (await stack.officer('GET', `/officer/feedback/${complaint.id}`)).json();
    expect(stored).toMatchObject({ complaintProcedure: 'childrens', complaintStage: 3, status: 'responded' });
    expect(
      stored.complaintStages.map((stage: { request?: { via: string; inTime: boolean } }) => stage.request),
    ).toMatchObject([undefined, { via: 'family_link', inTime: true }, { via: 'phone', inTime: true }]);
    expect(stored.complaintStages[1].request.at).toBeDefined();
    expect(stored.complaintStages[2].request.at).toBe(
      new Date(Math.floor(rang.getTime() / MINUTE_MS) * MINUTE_MS).toISOString(),
    );
    expect(stored.complaintStages[0].extensions).toMatchObject([{ workingDays: 5, reason }]);
    expect(stored.complaintStages[2].panelOn).toBe(rangOn);
    expect(
      stored.history.map((entry: { action: string; actor: { name: string } }) => [
        entry.action,
        entry.actor.name,
      ]),
    ).toEqual([
      ['choose_procedure', 'Sam Officer'],
      ['acknowledge', 'Kim Officer'],
      ['extend', 'Sam Officer'],
      ['respond', 'Sam Officer'],
      ['escalate', 'The family (escalation link)'],
      ['respond', 'Sam Officer'],
      ['escalate', 'Sam Officer'],
      ['record_review_panel', 'Sam Officer'],
      ['respond', 'Sam Officer'],
    ]);

    await expectNoTokenAnywhere(sam);
    await page.getByRole('link', { name: 'Sign out' }).click();
    await heading(page, 'You have signed out');
    await checkScreen(page, 'signed-out');
    await sam.context.close();
  });
});

describe('the officer console, as an admin', { timeout: 180_000 }, () => {
  it('manages projects, records and moves an event, drafts, links and publishes an update through a personal-data refusal, downloads the report, and survives an expired session', async () => {
    const linked = await submitFeedback('feedback', 'Taxis were late and nobody told us why.', {
      name: 'Priya Family',
      email: 'priya.family@example.com',
    });
    // A project whose id is `new`: its address is its own, since the add form lives elsewhere.
    const newStarters = await fetch(`${stack.base}/officer/projects/new`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${stack.adminToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        title: 'New starters',
        serviceArea: 'Early years',
        timeframes: Object.fromEntries(
          ['feedback', 'compliment', 'complaint'].map((kind) => [
            kind,
            { acknowledgeWorkingDays: 5, respondWorkingDays: 15 },
          ]),
        ),
        eventReportBackWorkingDays: 20,
        alertTeam: 'early-years',
        active: true,
      }),
    });
    expect(newStarters.status).toBe(200);
    const watched = await openConsole();
    const { page } = watched;
    await page.goto(`${stack.base}/console/projects`);
    await signInAs(page, 'Alex Admin', 'admin');
    await heading(page, 'Projects');
    await checkScreen(page, 'projects');
    await page.getByRole('link', { name: 'New starters' }).click();
    await heading(page, 'New starters');
    expect(new URL(page.url()).pathname).toBe('/console/projects/new');
    await page.getByRole('link', { name: 'Back to projects' }).click();
    await heading(page, 'Projects');

    // A new project, then a change to it (If-Match from the list's version).
    await page.getByRole('button', { name: 'Add a project' }).click();
    await heading(page, 'Add a project');
    expect(new URL(page.url()).pathname).toBe('/console/new/project');
    await page.getByRole('button', { name: 'Add project' }).click();
    await page.getByRole('heading', { name: 'There is a problem' }).waitFor();
    await checkScreen(page, 'project-errors');
    await page.getByLabel(/^Id/).fill('school-transport');
    await page.getByLabel('Title').fill('School transport');
    await page.getByLabel('Service area').fill('Travel assistance');
    for (const fieldset of await page.getByRole('group', { name: /working days$/ }).all()) {
      await fieldset.getByLabel('To acknowledge').fill('5');
      await fieldset.getByLabel('To respond').fill('15');
    }
    await page.getByLabel('Team that gets overdue alerts').fill('transport');
    await page.getByRole('button', { name: 'Add project' }).click();
    await heading(page, 'School transport');
    await page.getByLabel('Title').fill('School and college transport');
    await page.getByRole('button', { name: 'Save project' }).click();
    await heading(page, 'School and college transport');
    // The same form as the add form's, checked there with its errors.
    await screenshot(page, 'console-project');

    // An event, recorded as planned, then moved to held.
    await menu(page, 'Events').click();
    await heading(page, 'Co-production events');
    await checkScreen(page, 'events');
    await page.getByRole('button', { name: 'Record an event' }).click();
    await heading(page, 'Record an event');
    const heldOn = londonDateFromNow(-3);
    const [year, month, day] = heldOn.split('-');
    await page.getByLabel('Title').fill('Transport forum');
    await page.getByLabel('Project').selectOption('school-transport');
    await page.getByLabel('Type').selectOption('forum');
    const held = page.getByRole('group', { name: 'Held on' });
    await held.getByLabel('Day').fill(String(Number(day)));
    await held.getByLabel('Month').fill(String(Number(month)));
    await held.getByLabel('Year').fill(year ?? '');
    await page.getByLabel('Parents and carers').fill('11');
    await page.getByLabel('Accessibility').fill('BSL, easy read');
    await page.getByLabel('What we heard').fill('Drivers change without notice.');
    // The form is checked with axe on the event's own screen, where it is the same.
    await screenshot(page, 'console-new-event');
    await page.getByRole('button', { name: 'Record event' }).click();
    await heading(page, 'Transport forum');
    const eventId = new URL(page.url()).pathname.split('/').pop() ?? '';
    await page.getByLabel('Held', { exact: true }).check();
    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.getByRole('alert').filter({ hasText: 'Event “Transport forum” saved' }).waitFor();
    await checkScreen(page, 'event');
    const event = await (await stack.officer('GET', `/officer/events/${eventId}`)).json();
    expect(event).toMatchObject({ status: 'held', heldOn, participants: { parentsAndCarers: 11 } });

    // An update: drafted, linked to the feedback by reference and to the event, refused for a parent's email.
    await menu(page, 'You said, we did').click();
    await heading(page, 'You said, we did');
    await checkScreen(page, 'updates');
    await page.getByRole('button', { name: 'Draft an update' }).click();
    await heading(page, 'Draft an update');
    await page.getByLabel('Project').selectOption('school-transport');
    await page.getByLabel('Title').fill('School taxis: changes told in advance');
    await page.getByLabel('You said').fill('Taxis were late; write to priya.family@example.com for details.');
    await page.getByLabel('We did').fill('Firms must now tell families a week ahead.');
    await page.getByLabel('Feedback it answers').fill(linked.reference.toLowerCase());
    await page.getByLabel(/^Transport forum/).check();
    // The form is checked with axe below, with the personal-data errors on it.
    await screenshot(page, 'console-new-update');
    await page.getByRole('button', { name: 'Save draft' }).click();
    await heading(page, 'School taxis: changes told in advance');
    await page.getByRole('button', { name: 'Save and publish' }).click();
    const summary = page.locator('.govuk-error-summary');
    await summary.getByRole('heading', { name: 'There is a problem' }).waitFor();
    expect(await page.evaluate(() => document.activeElement?.classList.contains('govuk-error-summary'))).toBe(
      true,
    );
    const youSaid = page.getByLabel('You said');
    const errorId = ((await youSaid.getAttribute('aria-describedby')) ?? '')
      .split(' ')
      .find((id) => id.endsWith('-error'));
    expect(errorId).toBeDefined();
    const inline = (await page.locator(`#${errorId}`).textContent()) ?? '';
    expect(inline).toMatch(/^Error: .*email/i);
    expect(await summary.getByRole('link').allTextContents()).toContain(inline.replace(/^Error: /, ''));
    await expect(page.title()).resolves.toMatch(/^Error: /);
    await checkScreen(page, 'update-personal-data');
    await summary.getByRole('link').first().click();
    expect(await page.evaluate(() => document.activeElement?.getAttribute('name'))).toBe('youSaid');
    await youSaid.fill('Taxis were late and nobody told families why.');
    await page.getByRole('button', { name: 'Save and publish' }).click();
    await page.getByRole('alert').filter({ hasText: 'is published' }).waitFor();
    await checkScreen(page, 'update');
    const published = await (await fetch(`${stack.base}/feed?projectId=school-transport`)).json();
    expect(published.items.map((item: { title: string }) => item.title)).toEqual([
      'School taxis: changes told in advance',
    ]);
    await page.getByRole('button', { name: 'Unpublish' }).click();
    await page.getByRole('alert').filter({ hasText: 'is no longer published' }).waitFor();
    expect((await (await fetch(`${stack.base}/feed?projectId=school-transport`)).json()).items).toEqual([]);

    // The annual report, saved from a Blob fetched with the Authorization header.
    await menu(page, 'Annual report').click();
    await heading(page, 'Annual report');
    await checkScreen(page, 'report');
    await page.getByLabel('Year').fill(londonDateOf(TEST_NOW).slice(0, 4));
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Download report' }).click(),
    ]);
    expect(download.suggestedFilename()).toBe(`you-said-we-did-${londonDateOf(TEST_NOW).slice(0, 4)}.csv`);
    const csv = readFileSync((await download.path()) ?? '', 'utf8');
    expect(csv.split('\n')[0]).toMatch(/^section,project_id,/);
    expect(csv).toContain('school-transport');

    // An expired session: the API's clock moves past the token's expiry (no sleeping). The officer's
    // typing survives signing in again in a window.
    await menu(page, 'You said, we did').click();
    await page.getByRole('link', { name: 'School taxis: changes told in advance' }).click();
    await heading(page, 'School taxis: changes told in advance');
    const retitled = 'School taxis: told a week ahead';
    await page.getByLabel('Title').fill(retitled);
    startSystemClockAt(fromNow(9 * HOUR_MS));
    await page.getByRole('button', { name: 'Save changes' }).click();
    await heading(page, 'Your session has ended — sign in again');
    await checkScreen(page, 'session-ended');
    const [signInWindow] = await Promise.all([
      watched.context.waitForEvent('page'),
      page.getByRole('button', { name: 'Sign in again' }).click(),
    ]);
    await signInAs(signInWindow, 'Alex Admin', 'admin');
    await page.getByRole('alert').filter({ hasText: 'You are signed in again' }).waitFor();
    await expect(page.getByLabel('Title').inputValue()).resolves.toBe(retitled);
    await page.getByRole('button', { name: 'Save changes' }).click();
    await saved(page, `“${retitled}” saved`);
    await expectNoTokenAnywhere(watched);

    // Ended again, with the sign-in window blocked (window.open gives null, as a pop-up blocker
    // makes it): the console signs in by a full redirect instead and comes back to the same screen.
    const updatePath = new URL(page.url()).pathname;
    startSystemClockAt(fromNow(18 * HOUR_MS));
    await page.getByRole('button', { name: 'Save changes' }).click();
    await heading(page, 'Your session has ended — sign in again');
    await page.evaluate(() => {
      window.open = () => null;
    });
    const pagesBefore = watched.context.pages().length;
    await page.getByRole('button', { name: 'Sign in again' }).click();
    await signInAs(page, 'Alex Admin', 'admin');
    await heading(page, retitled);
    expect(new URL(page.url()).pathname).toBe(updatePath);
    expect(watched.context.pages()).toHaveLength(pagesBefore);
    await expectNoTokenAnywhere(watched);
    await watched.context.close();
  });
});
