import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildEmbed } from '../../embed/build';
import { buildFamilyPages } from '../../family/build';
import { loadOrCreateDevKeys } from '../../infra/local/dev-auth';
import { signFamilyLink } from '../../shared/domain/family-links';
import { createTestTable, type TestTable } from '../support/dynamo';
import { startLocalServer } from '../support/local-server';
import { TEST_FAMILY_LINK_KEY } from '../support/signing';
import { accessibilityViolations, launchChromium, screenshot } from './browser';

/**
 * "Tell me what happens" in headless Chromium, against the local server: the form's checkbox (its
 * hint, the API's error on it, the consent stored) and the family's stop page behind the link in
 * every message, each checked with axe (WCAG 2.2 AA).
 */
let table: TestTable;
let browser: Browser;
let server: Awaited<ReturnType<typeof startLocalServer>>;
const dir = mkdtempSync(join(tmpdir(), 'yswd-keep-informed-'));

beforeAll(async () => {
  table = await createTestTable();
  process.env.TABLE_NAME = table.name;
  process.env.PROJECT_CACHE_SECONDS = '0';
  server = await startLocalServer({
    devKeys: await loadOrCreateDevKeys(dir),
    site: {
      embed: buildEmbed(join(dir, 'embed')),
      family: buildFamilyPages(join(dir, 'family')),
      samplePage: fileURLToPath(new URL('../../embed/sample/index.html', import.meta.url)),
    },
  });
  browser = await launchChromium();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
  await table?.drop();
  rmSync(dir, { recursive: true, force: true });
});

/** Axe from outside, as DevTools runs it: the family pages' CSP refuses injected script tags. */
const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
async function violations(page: Page) {
  await page.evaluate(AXE_SOURCE);
  return accessibilityViolations(page);
}

const stored = async (message: string) => (await table.allItems()).filter((item) => item.message === message);

describe('tell me what happens', { timeout: 60_000 }, () => {
  it('is a checkbox in the contact details, saying what they get and how to stop; ticked, the consent is stored', async () => {
    const page = await browser.newPage();
    await page.goto(`${server.base}/`);
    const form = page.locator('you-said-we-did-form');
    await form.locator('form').waitFor();
    const message = `Keep me informed ${crypto.randomUUID()}`;
    const box = page.getByRole('checkbox', { name: 'Tell me what happens' });
    const hint = await page.locator(`#${(await box.getAttribute('aria-describedby')) ?? ''}`).textContent();
    expect(hint).toContain('one message when we answer this');
    expect(hint).toContain('a link to stop them');

    // Ticked without a way to reach them: the API's message, on the checkbox.
    await page.getByRole('radio', { name: 'Feedback' }).check();
    await page.getByRole('textbox', { name: 'Your message' }).fill(message);
    await page.getByRole('radio', { name: 'A parent or carer' }).check();
    await box.check();
    await page.getByRole('button', { name: 'Send' }).click();
    const summary = form.locator('.yswd-error-summary');
    await summary.getByRole('link', { name: /email address or a UK mobile number/ }).waitFor();
    await expect(box.getAttribute('aria-invalid')).resolves.toBe('true');
    expect(await violations(page)).toEqual([]);
    await screenshot(page, 'keep-informed-error');

    await page.getByLabel('Email address').fill('parent@example.com');
    await page.getByRole('checkbox', { name: 'I agree that the council may contact me about this' }).check();
    await page.getByRole('button', { name: 'Send' }).click();
    await form.locator('.yswd-panel').waitFor();

    const [item] = await stored(message);
    expect(item?.keepInformed).toMatchObject({ givenVia: 'web', wording: 'tell-me-what-happens/v1' });
    await page.close();
  });

  it('stops on the family page only when they press the button, says so, and is accessible at each step', async () => {
    // Prepare: feedback given with consent, through the API as the form sends it.
    const message = `Stop page ${crypto.randomUUID()}`;
    const submitted = await fetch(`${server.base}/feedback`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        kind: 'feedback',
        submitterRole: 'parent_or_carer',
        message,
        contact: { phone: '07700 900 982' },
        consentToContact: true,
        keepMeInformed: true,
      }),
    });
    const { id, reference } = (await submitted.json()) as { id: string; reference: string };
    const token = signFamilyLink(
      { feedbackId: id, purpose: 'stop-messages', stage: 0 },
      TEST_FAMILY_LINK_KEY,
    );
    const page = await browser.newPage();

    // Act: open the link; nothing happens until the button.
    await page.goto(`${server.base}/family/stop-messages.html#${token}`);
    const button = page.getByRole('button', { name: 'Stop messages' });
    await button.waitFor();
    expect((await stored(message))[0]?.keepInformed).not.toHaveProperty('withdrawnAt');
    expect(await violations(page)).toEqual([]);
    await screenshot(page, 'stop-messages');
    await button.click();

    // Assess
    const panel = page.getByRole('region', { name: 'We will not send you any more messages' });
    await panel.waitFor();
    expect(await panel.textContent()).toContain(reference);
    expect(await page.evaluate(() => document.activeElement?.className)).toContain('yswd-panel');
    expect(await violations(page)).toEqual([]);
    await screenshot(page, 'stop-messages-done');
    expect((await stored(message))[0]?.keepInformed).toMatchObject({ withdrawnVia: 'stop_link' });

    // An edited link: a plain message, focused, and nothing stopped.
    const other = await browser.newPage();
    await other.goto(`${server.base}/family/stop-messages.html#${token.slice(0, -2)}xx`);
    await other.getByRole('button', { name: 'Stop messages' }).click();
    await other.getByRole('region', { name: 'This link does not work' }).waitFor();
    expect(await violations(other)).toEqual([]);
    await other.goto(`${server.base}/family/stop-messages.html#nonsense`);
    await other.reload();
    await other.getByRole('region', { name: 'This link does not work' }).waitFor();
    await other.close();
    await page.close();
  });
});
