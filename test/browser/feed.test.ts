import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accessibilityViolations, launchChromium, screenshot, startLocalOffer } from './browser';

/**
 * The feed component against the real `GET /feed`, with updates written through the officer API
 * ("You said, we did", issue 9): POST /officer/updates, then POST /officer/updates/{id}/publish
 * with If-Match. Only what is published reaches the Local Offer page.
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

async function createUpdate(title: string) {
  const response = await stack.officer('POST', '/officer/updates', {
    projectId: 'general',
    title,
    youSaid: 'Families said the Local Offer was hard to search.',
    weDid: 'We rebuilt its search with parents and carers.',
    status: 'done',
  });
  expect(response.status, await response.clone().text()).toBe(201);
  const { id } = (await response.json()) as { id: string };
  return id;
}

async function publish(id: string) {
  const current = await stack.officer('GET', `/officer/updates/${encodeURIComponent(id)}`);
  expect(current.status).toBe(200);
  const etag = current.headers.get('etag') ?? '';
  const response = await stack.officer(
    'POST',
    `/officer/updates/${encodeURIComponent(id)}/publish`,
    undefined,
    {
      'if-match': etag,
    },
  );
  expect(response.status, await response.clone().text()).toBe(200);
}

describe('the feed on the sample Local Offer page', { timeout: 60_000 }, () => {
  it('shows a published update and not an unpublished one', async () => {
    // Unique, in letters only: a UUID's groups can look like a feedback reference or a phone
    // number, and publishing refuses public text holding either.
    const published = `Published ${crypto.randomUUID().replace(/[^a-f]/g, '')}`;
    const draft = `Draft ${crypto.randomUUID().replace(/[^a-f]/g, '')}`;
    await publish(await createUpdate(published));
    await createUpdate(draft);

    const page = await browser.newPage();
    await page.goto(`${stack.base}/`);
    const feed = page.locator('you-said-we-did-feed');
    await feed.getByRole('heading', { name: published }).waitFor();
    const article = feed.locator('article', { hasText: published });
    expect(await article.locator('.yswd-tag').textContent()).toBe('Done');
    expect(await article.textContent()).toContain('We rebuilt its search with parents and carers.');
    expect(await feed.getByText(draft).count()).toBe(0);
    expect(await accessibilityViolations(page)).toEqual([]);
    await screenshot(page, 'feed');
    await page.close();
  });
});
