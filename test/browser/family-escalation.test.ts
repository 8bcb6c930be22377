import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildEmbed } from '../../embed/build';
import { buildFamilyPages } from '../../family/build';
import { FAMILY_PAGE_CSP } from '../../family/headers';
import { loadOrCreateDevKeys, signDevToken } from '../../infra/local/dev-auth';
import { LGSCO } from '../../shared/domain/complaint-procedure';
import { createTestTable, type TestTable } from '../support/dynamo';
import { startLocalServer } from '../support/local-server';
import { contractFetch } from '../support/openapi-contract';
import { accessibilityViolations, launchChromium, screenshot } from './browser';

/**
 * The walk through the local server, with the family's step in headless Chromium: a
 * complaint submitted, acknowledged and answered at stage 1 (the answer gives the link), the family
 * opening the link and asking for stage 2 on the family page, stage 2 acknowledged and answered,
 * the final answer naming the Ombudsman. Every API answer is checked against openapi.json.
 */
let table: TestTable;
let browser: Browser;
let server: Awaited<ReturnType<typeof startLocalServer>>;
let officerToken: string;
const dir = mkdtempSync(join(tmpdir(), 'yswd-family-'));
const logged: string[] = [];

beforeAll(async () => {
  table = await createTestTable();
  process.env.TABLE_NAME = table.name;
  process.env.PROJECT_CACHE_SECONDS = '0';
  const keys = await loadOrCreateDevKeys(dir);
  server = await startLocalServer({
    devKeys: keys,
    site: {
      embed: buildEmbed(join(dir, 'embed')),
      family: buildFamilyPages(join(dir, 'family')),
      samplePage: fileURLToPath(new URL('../../embed/sample/index.html', import.meta.url)),
    },
    log: (line) => logged.push(line),
  });
  // Read by the answer's handler module when it first loads, as Lambda reads its environment.
  process.env.FAMILY_PAGE_URL = `${server.base}/family/escalate.html`;
  officerToken = await signDevToken(keys, { role: 'officer', name: 'Sam Officer' });
  browser = await launchChromium();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
  await table?.drop();
  rmSync(dir, { recursive: true, force: true });
});

async function api(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
  const response = await contractFetch(`${server.base}${path}`, {
    method,
    headers: {
      ...(path.startsWith('/officer/') ? { authorization: `Bearer ${officerToken}` } : {}),
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...headers,
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: response.status, etag: response.headers.get('etag') ?? '', body: await response.json() };
}

/** Axe runs as DevTools code: the page's Content-Security-Policy refuses injected script tags, rightly. */
const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
async function violations(page: Page) {
  await page.evaluate(AXE_SOURCE);
  return accessibilityViolations(page);
}

/** A date as people read it, worked out here independently of the page's own code. */
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

async function answeredComplaint() {
  const submitted = await api('POST', '/feedback', {
    kind: 'complaint',
    submitterRole: 'parent_or_carer',
    message: 'The taxi to school has not come for three weeks.',
  });
  expect(submitted.status).toBe(201);
  const { id, reference } = submitted.body as { id: string; reference: string };
  const acknowledged = await api('POST', `/officer/feedback/${id}/acknowledge`, undefined, {
    'if-match': '"1"',
  });
  expect(acknowledged.status).toBe(200);
  const answered = await api(
    'POST',
    `/officer/feedback/${id}/respond`,
    { response: 'We have found a new taxi firm.', outcome: 'partly_upheld' },
    { 'if-match': acknowledged.etag },
  );
  expect(answered.status).toBe(200);
  return {
    id,
    reference,
    nextStep: answered.body.nextStep as { askBy: string; link: { token: string; url: string } },
  };
}

describe('a family asks for stage 2 with their link', { timeout: 90_000 }, () => {
  it('from the answer’s link to the Ombudsman, the family page accessible at each step, the token in no server log', async () => {
    const { id, reference, nextStep } = await answeredComplaint();
    const { token, url } = nextStep.link;
    expect(url).toBe(`${server.base}/family/escalate.html#${token}`);

    // The page, as served: same-origin only, never framed, no Referer, re-checked on each visit.
    const served = await fetch(url);
    expect(served.headers.get('content-security-policy')).toBe(FAMILY_PAGE_CSP);
    expect(served.headers.get('referrer-policy')).toBe('no-referrer');
    expect(served.headers.get('cache-control')).toBe('no-cache');

    const page = await browser.newPage({ viewport: { width: 1024, height: 900 } });
    const refusedByCsp: string[] = [];
    page.on('console', (message) => {
      if (/Content Security Policy/i.test(message.text())) refusedByCsp.push(message.text());
    });
    await page.goto(url);
    const button = page.getByRole('button', { name: 'Ask for the next stage' });
    await button.waitFor();
    expect(await violations(page)).toEqual([]);

    // Too long a note: the API's own message, in the GOV.UK error summary and by the field.
    await page.getByLabel('What are you still unhappy about? (optional)').fill('x'.repeat(5001));
    await button.click();
    const summary = page.locator('.yswd-error-summary');
    await summary.getByRole('heading', { name: 'There is a problem' }).waitFor();
    expect(await page.evaluate(() => document.activeElement?.className)).toContain('yswd-error-summary');
    await summary.getByRole('link').click();
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('reason');
    expect(await violations(page)).toEqual([]);
    await screenshot(page, 'family-escalation-error');

    await page.getByLabel('What are you still unhappy about? (optional)').fill('The new taxi is also late.');
    await button.click();
    const panel = page.getByRole('region', { name: 'We have your request' });
    await panel.waitFor();
    expect(await panel.textContent()).toContain(reference);
    expect(await page.evaluate(() => document.activeElement?.className)).toContain('yswd-panel');
    const stage2 = await api('GET', `/officer/feedback/${id}`);
    expect(stage2.body).toMatchObject({ status: 'received', complaintStage: 2 });
    const text = (await page.locator('main').textContent()) ?? '';
    expect(text).toContain('Stage 2 has started');
    expect(text).toContain(readable(stage2.body.acknowledgeBy));
    expect(text).toContain(readable(stage2.body.respondBy));
    expect(await violations(page)).toEqual([]);
    await screenshot(page, 'family-escalation-received');

    // The same link again (a second click, another device): the same answer, one escalation.
    const again = await browser.newPage();
    await again.goto(url);
    await again.getByRole('button', { name: 'Ask for the next stage' }).click();
    await again.getByRole('region', { name: 'We have your request' }).waitFor();
    const history = (await api('GET', `/officer/feedback/${id}`)).body.history as { action: string }[];
    expect(history.filter((entry) => entry.action === 'escalate')).toHaveLength(1);
    await again.close();

    // Nothing the page did put the token in an address a server saw.
    expect(logged.some((line) => line.includes(token))).toBe(false);
    expect(logged).toContainEqual(expect.stringMatching(/^POST \/escalations 200 /));
    expect(refusedByCsp).toEqual([]);
    await page.close();

    // Stage 2, acknowledged and answered: the final answer names the Ombudsman.
    const acknowledged = await api('POST', `/officer/feedback/${id}/acknowledge`, undefined, {
      'if-match': stage2.etag,
    });
    expect(acknowledged.status).toBe(200);
    const final = await api(
      'POST',
      `/officer/feedback/${id}/respond`,
      { response: 'A new contract starts on Monday.', outcome: 'upheld' },
      { 'if-match': acknowledged.etag },
    );
    expect(final.status).toBe(200);
    expect(final.body.nextStep).toEqual({ kind: 'ombudsman', ...LGSCO });
  });

  it('says plainly when a link was changed, or is incomplete; still accessible', async () => {
    const { nextStep } = await answeredComplaint();
    const { token, url } = nextStep.link;
    const edited = url.replace(token, `${token.slice(0, -2)}${token.endsWith('AA') ? 'BB' : 'AA'}`);
    const page = await browser.newPage();
    await page.goto(edited);
    await page.getByRole('button', { name: 'Ask for the next stage' }).click();
    const notice = page.getByRole('region', { name: 'This link does not work' });
    await notice.waitFor();
    expect(await page.evaluate(() => document.activeElement?.className)).toContain('yswd-notice');
    expect(await violations(page)).toEqual([]);
    await screenshot(page, 'family-escalation-bad-link');

    await page.goto(url.replace(/#.*$/, ''));
    await page.getByRole('region', { name: 'This link is not complete' }).waitFor();
    expect(await page.getByRole('button').count()).toBe(0);
    expect(await violations(page)).toEqual([]);
    await page.close();
  });
});
