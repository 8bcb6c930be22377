import { TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { londonDateOf } from '../../shared/domain/london-time';
import { monthsBefore } from '../../shared/scorecard/figures';
import { scorecardAdditions } from '../../shared/storage/scorecard-repository';
import { TEST_NOW } from '../support/clock';
import { accessibilityViolations, launchChromium, screenshot, startLocalOffer } from './browser';

/**
 * The scorecard component on the sample Local Offer page, against the real `GET /scorecard`, with
 * counters stored as the projector stores them (the projector itself is tested on the stream).
 * The page asks for months by the browser's clock, which each page sets to TEST_NOW.
 */
let stack: Awaited<ReturnType<typeof startLocalOffer>>;
let browser: Browser;
const browserMonth = londonDateOf(TEST_NOW).slice(0, 7);

/** A page whose clock is the run's: the component's "this month" is TEST_NOW's. */
async function newPage(options: { viewport?: { width: number; height: number } } = {}) {
  const page = await browser.newPage(options);
  await page.clock.setFixedTime(TEST_NOW);
  return page;
}

beforeAll(async () => {
  [stack, browser] = await Promise.all([startLocalOffer(), launchChromium()]);
  await stack.table.db.send(
    new TransactWriteCommand({
      TransactItems: scorecardAdditions(stack.table.name, [
        {
          projectId: 'general',
          month: browserMonth,
          counts: {
            'started:feedback': 12,
            'ackOnTime:feedback': 10,
            'ackLate:feedback': 2,
            'answerOnTime:feedback': 9,
            'answerLate:feedback': 6,
            'days:feedback:4': 8,
            'days:feedback:12': 7,
            'started:complaint-1': 3,
            'satisfaction:5': 6,
            'satisfaction:2': 1,
            updatesPublished: 5,
          },
        },
        { projectId: 'general', month: monthsBefore(browserMonth, 1), counts: { 'started:compliment': 7 } },
      ]),
    }),
  );
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await stack?.close();
});

describe('the scorecard on the sample Local Offer page', { timeout: 60_000 }, () => {
  it('shows the figures in captioned tables with scoped headers, small counts as words, and passes axe', async () => {
    const page = await newPage();
    await page.goto(`${stack.base}/`);
    const card = page.locator('you-said-we-did-scorecard');
    await card.getByRole('table', { name: /Acknowledged and answered/ }).waitFor();
    expect(await card.getByRole('heading', { level: 3, name: 'How we answered families' }).count()).toBe(1);
    const timeliness = card.getByRole('table', { name: /Acknowledged and answered/ });
    expect(await timeliness.locator('thead th[scope="col"]').count()).toBe(8);
    const feedbackRow = timeliness.getByRole('row', { name: /^Feedback/ });
    // 12 received, 10 and 2 acknowledged, 9 and 6 answered: banded to 10, 10, fewer than 5, 5, 5.
    expect(await feedbackRow.locator('th[scope="row"]').textContent()).toBe('Feedback');
    expect(await feedbackRow.locator('td').allTextContents()).toEqual([
      '10',
      '10',
      'fewer than 5',
      '5',
      '5',
      '50%',
      '4',
    ]);
    const complaints = timeliness.getByRole('row', { name: /^Complaints, all stages/ });
    expect(await complaints.locator('td').first().textContent()).toBe('fewer than 5');
    // A percentage not shown reads as words, not as a bare dash.
    expect(await complaints.locator('td').nth(5).textContent()).toBe('–not shown');
    const summary = await card.locator('.yswd-scorecard__summary').textContent();
    expect(summary).toContain(
      'Families sent us 10 pieces of feedback, 5 compliments and fewer than 5 complaints.',
    );
    expect(summary).toContain('(50% on time)');
    const months = card.getByRole('table', { name: 'Month by month' });
    expect(await months.locator('tbody tr').count()).toBe(12);
    expect(
      await card
        .getByRole('table', { name: /How families rated/ })
        .getByRole('row', { name: /Unhappy/ })
        .first()
        .locator('td')
        .textContent(),
    ).toBe('fewer than 5');
    const csv = card.getByRole('link', { name: /Download these figures/ });
    expect(await csv.getAttribute('href')).toMatch(
      /\/scorecard\?from=\d{4}-\d{2}&to=\d{4}-\d{2}&format=csv$/,
    );
    expect(await accessibilityViolations(page)).toEqual([]);
    await screenshot(page, 'scorecard');
    await page.close();
  });

  it('reflows at 320 px: the page never scrolls sideways, wide tables scroll in a focusable region', async () => {
    const page = await newPage({ viewport: { width: 320, height: 640 } });
    await page.goto(`${stack.base}/`);
    const card = page.locator('you-said-we-did-scorecard');
    await card.getByRole('table', { name: 'Month by month' }).waitFor();
    const widths = await page.evaluate(() => ({
      page: document.documentElement.scrollWidth,
      viewport: document.documentElement.clientWidth,
    }));
    expect(widths.page).toBeLessThanOrEqual(widths.viewport);
    const region = card.getByRole('region', { name: 'Month by month' });
    expect(await region.getAttribute('tabindex')).toBe('0');
    expect(await accessibilityViolations(page)).toEqual([]);
    await screenshot(page, 'scorecard-320px');
    await page.close();
  });

  it('asks for one project over the months its attributes say, and says so when the API cannot answer', async () => {
    const page = await newPage();
    await page.goto(`${stack.base}/`);
    const asked: string[] = [];
    page.on('request', (request) => {
      if (request.url().includes('/scorecard')) asked.push(request.url());
    });
    await page.evaluate(() => {
      // The short name works too: the same element.
      const one = document.createElement('yswd-scorecard');
      one.id = 'one';
      one.setAttribute('project', 'general');
      one.setAttribute('months', '3');
      one.setAttribute('heading-level', '2');
      const broken = document.createElement('you-said-we-did-scorecard');
      broken.id = 'broken';
      broken.setAttribute('api', `${location.origin}/no-api-here`);
      document.querySelector('main')?.append(one, broken);
    });
    const one = page.locator('#one');
    await one.getByRole('table', { name: 'Month by month' }).waitFor();
    expect(await one.getByRole('heading', { level: 2 }).textContent()).toBe(
      'How we answered families: General feedback about SEND services',
    );
    expect(await one.getByRole('table', { name: 'Month by month' }).locator('tbody tr').count()).toBe(3);
    expect(asked.find((url) => url.includes('projectId=general'))).toMatch(
      new RegExp(`projectId=general&from=${monthsBefore(browserMonth, 2)}&to=${browserMonth}$`),
    );
    await page.locator('#broken .yswd-scorecard__error').waitFor();
    expect(await page.locator('#broken').textContent()).toContain(
      'We cannot show the scorecard at the moment',
    );
    expect(await accessibilityViolations(page)).toEqual([]);
    await page.close();
  });
});
