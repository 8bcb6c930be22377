import { readFileSync } from 'node:fs';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signDevToken } from '../../infra/local/dev-auth';
import { startSystemClockAt } from '../../shared/domain/clock';
import { londonDateOf } from '../../shared/domain/london-time';
import { fromNow, HOUR_MS, londonDateFromNow, TEST_NOW } from '../support/clock';
import { accessibilityViolations, launchChromium, screenshot, startLocalOffer } from './browser';

/**
 * The officer console in headless Chromium against the local stack on DynamoDB Local, driven as
 * officers would: signing in through the local sign-in page (authorization code + PKCE), triage,
 * answering, a 412, an expired session, events, updates with a personal-data refusal, projects as
 * an admin, the annual report. axe-core checks every screen; screenshots go to test-results/.
 * One browser for the file, a few long tests (each page load costs time on a busy machine).
 */
let stack: Awaited<ReturnType<typeof startLocalOffer>>;
let browser: Browser;

beforeAll(async () => {
  [stack, browser] = await Promise.all([startLocalOffer({ console: true }), launchChromium()]);
}, 90_000);

afterAll(async () => {
  startSystemClockAt(TEST_NOW);
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
  const context = await browser.newContext({ viewport, acceptDownloads: true });
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
    const watched = await openConsole();
    const { page } = watched;

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
    await expectNoTokenAnywhere(watched);
    await expect(page.title()).resolves.toBe(`Complaint ${complaint.reference} – Officer console`);
    await page.getByText('We have waited 14 weeks for the plan.').waitFor();
    await page.getByText('anne.parent@example.com').waitFor();
    await checkScreen(page, 'item');

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
    await checkScreen(page, 'conflict');
    await conflict.getByRole('button', { name: 'Reload' }).click();
    // Their change is shown; what the officer typed is still there.
    await page.getByRole('cell', { name: 'Kim Officer', exact: true }).waitFor();
    await expect(page.getByLabel('Response to the family').inputValue()).resolves.toBe(answer);
    await expect(page.getByLabel('Upheld', { exact: true }).isChecked()).resolves.toBe(true);
    await page.getByRole('button', { name: 'Send response' }).click();
    await page
      .getByRole('alert')
      .filter({ hasText: `Response to ${complaint.reference} recorded` })
      .waitFor();
    await page.getByRole('button', { name: 'Close feedback' }).click();
    await page
      .getByRole('alert')
      .filter({ hasText: `${complaint.reference} closed` })
      .waitFor();
    const stored = await (await stack.officer('GET', `/officer/feedback/${complaint.id}`)).json();
    expect(stored).toMatchObject({ status: 'closed', outcome: 'upheld', response: answer });
    expect(stored.history.map((entry: { actor: { name: string } }) => entry.actor.name)).toEqual([
      'Kim Officer',
      'Sam Officer',
      'Sam Officer',
    ]);

    // Triage: filters in the address, nearest deadline first, two to a page, Next and Previous.
    // (Within the page: typing an address would load the page afresh, and so sign in again.)
    await page.evaluate(() => {
      history.pushState(null, '', '/console/feedback?limit=2&status=received');
      dispatchEvent(new PopStateEvent('popstate'));
    });
    await heading(page, 'Feedback');
    const references = () => page.locator('tbody tr th').allTextContents();
    const firstPage = await references();
    expect(firstPage).toHaveLength(2);
    await checkScreen(page, 'triage');
    await page.getByRole('link', { name: 'Next page' }).click();
    await heading(page, 'Feedback');
    await expect.poll(() => page.title()).toBe('Feedback (page 2) – Officer console');
    const secondPage = await references();
    expect(secondPage).toHaveLength(1);
    expect(secondPage.filter((reference) => firstPage.includes(reference))).toEqual([]);
    await page.getByRole('link', { name: 'Previous page' }).click();
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
    await page
      .getByRole('alert')
      .filter({ hasText: `${target} acknowledged` })
      .waitFor();

    // Officers read projects but cannot change them.
    await menu(page, 'Projects').click();
    await heading(page, 'Projects');
    await page.getByText('Only admins can change projects. You can read them here.').waitFor();
    expect(await page.getByRole('button', { name: 'Add a project' }).count()).toBe(0);
    await checkScreen(page, 'projects-officer');

    // Reflow at 320 px (400 % zoom): nothing scrolls sideways.
    await page.setViewportSize({ width: 320, height: 800 });
    await page
      .getByRole('link', { name: 'Feedback', exact: true })
      .click()
      .catch(async () => {
        // The service navigation collapses behind "Menu" on a small screen.
        await page.getByRole('button', { name: 'Menu' }).click();
        await page.getByRole('link', { name: 'Feedback', exact: true }).click();
      });
    await heading(page, 'Feedback');
    expect(
      await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth),
    ).toBeLessThanOrEqual(0);
    await screenshot(page, 'console-triage-320px');
    await page.setViewportSize({ width: 1024, height: 900 });

    await expectNoTokenAnywhere(watched);
    await page.getByRole('link', { name: 'Sign out' }).click();
    await heading(page, 'You have signed out');
    await checkScreen(page, 'signed-out');
    await watched.context.close();
  });
});

describe('the officer console, as an admin', { timeout: 180_000 }, () => {
  it('manages projects, records and moves an event, drafts, links and publishes an update through a personal-data refusal, downloads the report, and survives an expired session', async () => {
    const linked = await submitFeedback('feedback', 'Taxis were late and nobody told us why.', {
      name: 'Priya Family',
      email: 'priya.family@example.com',
    });
    const watched = await openConsole();
    const { page } = watched;
    await page.goto(`${stack.base}/console/projects`);
    await signInAs(page, 'Alex Admin', 'admin');
    await heading(page, 'Projects');
    await checkScreen(page, 'projects');

    // A new project, then a change to it (If-Match from the list's version).
    await page.getByRole('button', { name: 'Add a project' }).click();
    await heading(page, 'Add a project');
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
    await checkScreen(page, 'project');

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
    await checkScreen(page, 'new-event');
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
    await checkScreen(page, 'new-update');
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
    await page
      .getByRole('alert')
      .filter({ hasText: `“${retitled}” saved` })
      .waitFor();
    await expectNoTokenAnywhere(watched);
    await watched.context.close();
  });
});
