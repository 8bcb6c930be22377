import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '../../shared/domain/clock';
import { MINUTE_MS } from '../support/clock';
import { accessibilityViolations, launchChromium, screenshot, startLocalOffer } from './browser';

/**
 * The sample Local Offer page in headless Chromium against the local stack: the feedback form as a
 * family uses it (mouse, keyboard only, a flaky connection) and the feed component's rendering.
 * One browser for the file; each test opens a fresh page.
 */
let stack: Awaited<ReturnType<typeof startLocalOffer>>;
let browser: Browser;

beforeAll(async () => {
  [stack, browser] = await Promise.all([startLocalOffer(), launchChromium()]);
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await stack?.close();
});

async function openSamplePage(width = 1024): Promise<Page> {
  const page = await browser.newPage({ viewport: { width, height: 900 } });
  await page.goto(`${stack.base}/`);
  await page.locator('you-said-we-did-form form').waitFor();
  return page;
}

const form = (page: Page) => page.locator('you-said-we-did-form');

/** A date as people read it, worked out here independently of the component's own code. */
function readable(isoDate: string) {
  return new Intl.DateTimeFormat('en-GB', {
    weekday: 'long',
    day: 'numeric',
    month: 'long',
    year: 'numeric',
    timeZone: 'UTC',
  })
    .formatToParts(new Date(`${isoDate}T00:00:00Z`))
    .filter((part) => part.type !== 'literal')
    .map((part) => part.value)
    .join(' ');
}

async function storedFeedbackWith(message: string) {
  return (await stack.table.allItems()).filter((item) => item.message === message);
}

async function fillValidForm(page: Page, message: string) {
  await page.getByRole('radio', { name: 'Complaint' }).check();
  await page.getByRole('textbox', { name: 'Your message' }).fill(message);
  await page.getByRole('radio', { name: 'A parent or carer' }).check();
}

describe('the sample Local Offer page', { timeout: 60_000 }, () => {
  it('shows the form and the feed, with no WCAG 2.2 A/AA violations', async () => {
    const page = await openSamplePage();
    await page
      .locator('you-said-we-did-feed .yswd-feed__status, you-said-we-did-feed ol li')
      .first()
      .waitFor();
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toContain('Have your say');
    expect(await page.getByRole('radio').count()).toBeGreaterThanOrEqual(13);
    expect(await accessibilityViolations(page)).toEqual([]);
    await screenshot(page, 'sample-page');
    await page.close();
  });

  it('runs on the API’s clock in London time, not the machine’s date (as under TEST_NOW)', async () => {
    const page = await openSamplePage();
    const [inPage, zone] = await page.evaluate(() => [
      Date.now(),
      Intl.DateTimeFormat().resolvedOptions().timeZone,
    ]);
    // Both clocks move on at the same pace from the same instant: minutes apart only on a stalled machine.
    expect(Math.abs(Number(inPage) - systemClock().getTime())).toBeLessThan(5 * MINUTE_MS);
    expect(zone).toBe('Europe/London');
    await page.close();
  });

  it('fits a 320 px wide screen (400 % zoom of 1280 px) without sideways scrolling', async () => {
    const page = await openSamplePage(320);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await screenshot(page, 'sample-page-320px');
    await page.close();
  });
});

describe('the feedback form', { timeout: 60_000 }, () => {
  it('shows the error summary, focused, and each field’s message from the API; still accessible', async () => {
    const page = await openSamplePage();
    await page.getByLabel('Email address').fill('not-an-email');
    await page.getByRole('button', { name: 'Send' }).click();
    const summary = form(page).locator('.yswd-error-summary');
    await summary.getByRole('heading', { name: 'There is a problem' }).waitFor();
    expect(await page.evaluate(() => document.activeElement?.className)).toContain('yswd-error-summary');
    const links = await summary.getByRole('link').allTextContents();
    expect(links).toEqual(
      expect.arrayContaining([
        'Select feedback, compliment or complaint',
        'Enter your message',
        'Select who is writing',
        'Enter an email address like name@example.com',
      ]),
    );
    // Each field shows its own message, and says so to assistive technology.
    const message = page.getByRole('textbox', { name: 'Your message' });
    await expect(message.getAttribute('aria-invalid')).resolves.toBe('true');
    const describedBy = (await message.getAttribute('aria-describedby')) ?? '';
    const errorId = describedBy.split(' ').find((id) => id.endsWith('-error'));
    expect(await page.locator(`#${errorId}`).textContent()).toBe('Error: Enter your message');
    expect(await form(page).locator('p.yswd-error-message:not([hidden])').count()).toBe(links.length);
    // A summary link takes the keyboard to its field.
    await summary.getByRole('link', { name: 'Enter your message' }).click();
    expect(await page.evaluate(() => document.activeElement?.getAttribute('name'))).toBe('message');
    expect(await accessibilityViolations(page)).toEqual([]);
    await screenshot(page, 'form-errors');
    await page.close();
  });

  it('counts characters as the API does and names the API’s limit', async () => {
    const page = await openSamplePage();
    // A family emoji, a flag and w + combining circumflex: three characters as people see them.
    await page.getByRole('textbox', { name: 'Your message' }).fill('👨‍👩‍👧🏴󠁧󠁢󠁷󠁬󠁳󠁿ŵ');
    await expect
      .poll(() => form(page).locator('.yswd-character-count__message').textContent())
      .toBe('You have 4,997 characters remaining');
    await page.getByRole('textbox', { name: 'Your message' }).fill('a'.repeat(5002));
    await expect
      .poll(() => form(page).locator('.yswd-character-count__message').textContent())
      .toBe('You have 2 characters too many');
    await page.close();
  });

  it('can be completed and sent with the keyboard alone, with visible focus; the officer list then has it', async () => {
    const page = await openSamplePage();
    const message = `Keyboard only ${crypto.randomUUID()}`;
    const active = () =>
      page.evaluate(() => {
        const element = document.activeElement as HTMLInputElement | null;
        return { name: element?.name ?? '', type: element?.type ?? '', tag: element?.tagName ?? '' };
      });
    /** Presses Tab until the focused control matches, as a keyboard user would. */
    async function tabTo(name: string) {
      for (let presses = 0; presses < 40; presses++) {
        await page.keyboard.press('Tab');
        if ((await active()).name === name) return;
      }
      throw new Error(`Tab never reached ${name}`);
    }
    await tabTo('kind');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    expect(await page.getByRole('radio', { name: 'Complaint' }).isChecked()).toBe(true);
    await tabTo('message');
    const focusRing = await page.evaluate(() => {
      const style = getComputedStyle(document.activeElement as Element);
      return { outline: style.outlineStyle, width: style.outlineWidth };
    });
    expect(focusRing.outline).not.toBe('none');
    expect(Number.parseFloat(focusRing.width)).toBeGreaterThanOrEqual(2);
    await page.keyboard.type(message);
    await tabTo('submitterRole');
    await page.keyboard.press('ArrowDown');
    expect(await page.getByRole('radio', { name: 'A parent or carer' }).isChecked()).toBe(true);
    await tabTo('satisfaction');
    await page.keyboard.press('ArrowDown');
    expect(await page.getByRole('radio', { name: 'Unhappy', exact: true }).isChecked()).toBe(true);
    await tabTo('email');
    await page.keyboard.type('parent@example.com');
    await tabTo('consentToContact');
    await page.keyboard.press('Space');
    // Then "Tell me what happens", left unticked; the honeypot is never on the way: the next stop is Send.
    await page.keyboard.press('Tab');
    expect(await active()).toMatchObject({ name: 'keepMeInformed' });
    await page.keyboard.press('Tab');
    expect(await active()).toMatchObject({ tag: 'BUTTON' });
    const responded = page.waitForResponse((response) => response.url().endsWith('/feedback'));
    await page.keyboard.press('Enter');
    const receipt = (await (await responded).json()) as { reference: string; respondBy: string; id: string };

    const panel = form(page).locator('.yswd-panel');
    await panel.waitFor();
    expect(await panel.textContent()).toContain(receipt.reference);
    expect(await form(page).locator('.yswd-reply-by').textContent()).toBe(
      `We will reply by ${readable(receipt.respondBy)}.`,
    );
    // Focus moves to the confirmation, so a screen reader announces it.
    expect(await page.evaluate(() => document.activeElement?.className)).toContain('yswd-panel');
    expect(await accessibilityViolations(page)).toEqual([]);
    await screenshot(page, 'form-success');

    const list = await stack.officer('GET', '/officer/feedback?limit=100');
    expect(list.status).toBe(200);
    const { items } = (await list.json()) as { items: { reference: string; kind: string }[] };
    expect(items.find((item) => item.reference === receipt.reference)).toMatchObject({ kind: 'complaint' });
    const stored = await storedFeedbackWith(message);
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatchObject({
      submitterRole: 'parent_or_carer',
      satisfaction: 2,
      consentToContact: true,
      contact: { email: 'parent@example.com' },
    });
    await page.close();
  });

  it('keeps the message and stores it once when the answer is lost and the family presses Send again', async () => {
    const page = await openSamplePage();
    const message = `Lost answer ${crypto.randomUUID()}`;
    const keys: string[] = [];
    let attempts = 0;
    await page.route('**/feedback', async (route) => {
      keys.push((await route.request().headerValue('idempotency-key')) ?? '');
      attempts++;
      if (attempts === 1) {
        // The request reaches the API and is stored, but the connection drops before the answer.
        await route.fetch();
        await route.abort('connectionreset');
      } else await route.continue();
    });
    await fillValidForm(page, message);
    await page.getByRole('button', { name: 'Send' }).click();
    const summary = form(page).locator('.yswd-error-summary');
    await summary.getByText('We could not reach the service').waitFor();
    expect(await page.getByRole('textbox', { name: 'Your message' }).inputValue()).toBe(message);
    expect(await storedFeedbackWith(message)).toHaveLength(1);

    await page.getByRole('button', { name: 'Send' }).click();
    await form(page).locator('.yswd-panel').waitFor();
    expect(keys).toHaveLength(2);
    expect(keys[0]).toMatch(/^[\x21-\x7E]{16,255}$/);
    expect(keys[1]).toBe(keys[0]);
    const stored = await storedFeedbackWith(message);
    expect(stored).toHaveLength(1);
    expect(await form(page).locator('.yswd-reference').textContent()).toBe(stored[0]?.reference);
    await page.close();
  });

  it('reuses the key after a 409 and a 503, so the third press stores the message once', async () => {
    const page = await openSamplePage();
    const keys: string[] = [];
    await page.route('**/feedback', async (route) => {
      keys.push((await route.request().headerValue('idempotency-key')) ?? '');
      if (keys.length === 1)
        await route.fulfill({ status: 409, contentType: 'application/problem+json', body: '{}' });
      else if (keys.length === 2)
        await route.fulfill({ status: 503, headers: { 'retry-after': '2' }, body: '' });
      else await route.continue();
    });
    const message = `Busy service ${crypto.randomUUID()}`;
    await fillValidForm(page, message);
    const summary = form(page).locator('.yswd-error-summary');
    await page.getByRole('button', { name: 'Send' }).click();
    await summary.getByText('We are still sending your message').waitFor();
    await page.getByRole('button', { name: 'Send' }).click();
    await summary.getByText('The service is busy').waitFor();
    expect(await page.getByRole('textbox', { name: 'Your message' }).inputValue()).toBe(message);
    await page.getByRole('button', { name: 'Send' }).click();
    await form(page).locator('.yswd-panel').waitFor();
    expect(new Set(keys).size).toBe(1);
    expect(keys).toHaveLength(3);
    expect(await storedFeedbackWith(message)).toHaveLength(1);
    await page.close();
  });

  it('uses a new key when the family changes the message after a failure', async () => {
    const page = await openSamplePage();
    const keys: string[] = [];
    await page.route('**/feedback', async (route) => {
      keys.push((await route.request().headerValue('idempotency-key')) ?? '');
      if (keys.length === 1) await route.fulfill({ status: 503, headers: { 'retry-after': '2' }, body: '' });
      else await route.continue();
    });
    await fillValidForm(page, `First words ${crypto.randomUUID()}`);
    await page.getByRole('button', { name: 'Send' }).click();
    await form(page).locator('.yswd-error-summary').getByText('The service is busy').waitFor();
    const edited = `Better words ${crypto.randomUUID()}`;
    await page.getByRole('textbox', { name: 'Your message' }).fill(edited);
    await page.getByRole('button', { name: 'Send' }).click();
    await form(page).locator('.yswd-panel').waitFor();
    expect(keys[1]).not.toBe(keys[0]);
    expect(await storedFeedbackWith(edited)).toHaveLength(1);
    await page.close();
  });

  it('sends to the project fixed by its attribute, without asking', async () => {
    const page = await openSamplePage();
    await page.evaluate(() => {
      const element = document.createElement('you-said-we-did-form');
      element.setAttribute('project', 'general');
      element.id = 'fixed';
      document.querySelector('main')?.append(element);
    });
    const fixed = page.locator('#fixed');
    expect(await fixed.locator('select').count()).toBe(0);
    const message = `Fixed project ${crypto.randomUUID()}`;
    await fixed.getByRole('radio', { name: 'Compliment' }).check();
    await fixed.getByRole('textbox', { name: 'Your message' }).fill(message);
    await fixed.getByRole('radio', { name: 'A professional' }).check();
    await fixed.getByRole('button', { name: 'Send' }).click();
    await fixed.locator('.yswd-panel').waitFor();
    expect(await storedFeedbackWith(message)).toEqual([
      expect.objectContaining({ projectId: 'general', kind: 'compliment', submitterRole: 'professional' }),
    ]);
    // A fresh, empty form for the next message, with focus on its first question.
    await fixed.getByRole('button', { name: 'Send something else' }).click();
    expect(await fixed.getByRole('textbox', { name: 'Your message' }).inputValue()).toBe('');
    expect(await page.evaluate(() => (document.activeElement as HTMLInputElement | null)?.name)).toBe('kind');
    await page.close();
  });

  it('never sends the honeypot field a person cannot see or reach', async () => {
    const page = await openSamplePage();
    const honeypot = form(page).locator('input[name="website"]');
    expect(await honeypot.getAttribute('tabindex')).toBe('-1');
    expect(await honeypot.evaluate((element) => element.closest('[aria-hidden="true"]') !== null)).toBe(true);
    const box = await honeypot.boundingBox();
    expect((box?.x ?? 0) + (box?.width ?? 0)).toBeLessThanOrEqual(0);
    await page.close();
  });
});

describe('the feed component', { timeout: 60_000 }, () => {
  const item = (n: number, extension: Record<string, unknown>) => ({
    id: `update-${n}`,
    url: `https://local-offer.example/you-said-we-did#update-${n}`,
    title: `Update number ${n}`,
    content_text: `You said: waiting lists were too long (${n}). We did: hired two more therapists (${n}).`,
    date_published: '2026-03-02T10:00:00Z',
    date_modified: '2026-03-02T10:00:00Z',
    _you_said_we_did: extension,
  });

  it('renders status, you said, we did, reason, counts, easy read, follows next_url, links RSS', async () => {
    const page = await browser.newPage();
    await page.route('**/feed?*', (route) => {
      const url = new URL(route.request().url());
      const second = url.searchParams.has('cursor');
      return route.fulfill({
        contentType: 'application/feed+json',
        body: JSON.stringify({
          version: 'https://jsonfeed.org/version/1.1',
          title: 'You said, we did',
          items: second
            ? [
                // Tolerated too: counts nested under `voices`.
                item(3, {
                  status: 'planned',
                  expectedBy: '2026-09-30',
                  counts: { voices: { professionals: 7, other: 'fewer than 5' }, events: 0 },
                }),
              ]
            : [
                item(1, {
                  status: 'done',
                  project: { id: 'general', title: 'General feedback about SEND services' },
                  counts: {
                    voices: {
                      parentsAndCarers: 12,
                      childrenAndYoungPeople: 'fewer than 5',
                      professionals: 0,
                    },
                    events: 1,
                  },
                  easyRead: 'We listened. We got more helpers.',
                }),
                {
                  ...item(2, { status: 'not_possible', reason: 'The building is listed.', counts: {} }),
                  content_text:
                    'You said: add a lift (2).\n\nWe did: asked the landlord (2).\n\nWhy not: The building is listed.',
                },
              ],
          ...(second ? {} : { next_url: `${url.origin}/feed?limit=5&cursor=page2` }),
        }),
      });
    });
    await page.goto(`${stack.base}/`);
    const feed = page.locator('you-said-we-did-feed');
    await feed.getByRole('heading', { name: 'Update number 1' }).waitFor();
    const first = feed.locator('article').first();
    expect(await first.locator('.yswd-tag').textContent()).toBe('Done');
    expect(await first.textContent()).toContain('waiting lists were too long (1)');
    expect(await first.textContent()).toContain('hired two more therapists (1)');
    expect(await first.locator('.yswd-update__counts').textContent()).toBe(
      'In response to 12 parents and carers, fewer than 5 young people, 1 co-production event.',
    );
    expect(await first.locator('time').textContent()).toBe('2 March 2026');
    await first.getByText('Easy read').click();
    expect(await first.getByText('We listened. We got more helpers.').isVisible()).toBe(true);
    const second = feed.locator('article').nth(1);
    expect(await second.locator('.yswd-tag').textContent()).toBe('Not possible');
    expect(await second.textContent()).toContain('The building is listed.');
    const paragraphs = await second.locator('p.yswd-body').allTextContents();
    expect(paragraphs.slice(0, 3)).toEqual([
      'add a lift (2).',
      'asked the landlord (2).',
      'The building is listed.',
    ]);
    expect(await feed.getByRole('link', { name: /RSS/ }).getAttribute('href')).toBe(`${stack.base}/feed.xml`);

    await feed.getByRole('button', { name: 'Show more updates' }).click();
    await feed.getByRole('heading', { name: 'Update number 3' }).waitFor();
    expect(await feed.locator('article').count()).toBe(3);
    expect(await feed.getByRole('button', { name: 'Show more updates' }).isVisible()).toBe(false);
    const third = feed.locator('article').nth(2);
    expect(await third.textContent()).toContain('Expected by 30 September 2026');
    expect(await third.locator('.yswd-update__counts').textContent()).toBe(
      'In response to 7 professionals, fewer than 5 other people.',
    );
    // Focus moves to the first new update, so keyboard users read on from there.
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Update number 3');
    expect(await accessibilityViolations(page)).toEqual([]);
    await page.close();
  });

  it('says so clearly when the feed cannot be reached', async () => {
    const page = await browser.newPage();
    await page.route('**/feed?*', (route) => route.abort('connectionrefused'));
    await page.goto(`${stack.base}/`);
    const status = page.locator('you-said-we-did-feed .yswd-feed__error');
    await status.waitFor();
    expect(await status.textContent()).toContain('We cannot show the updates at the moment');
    await page.close();
  });
});
