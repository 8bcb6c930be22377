import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Browser, chromium, type Page } from 'playwright-core';
import { buildConsole } from '../../console/build';
import { buildEmbed } from '../../embed/build';
import { type DevKeys, loadOrCreateDevKeys, signDevToken } from '../../infra/local/dev-auth';
import { createLocalSignIn, localConsoleConfig } from '../../infra/local/local-sign-in';
import { systemClock } from '../../shared/domain/clock';
import { createTestTable, type TestTable } from '../support/dynamo';
import { startLocalServer } from '../support/local-server';

/**
 * Debian's Chromium, driven by playwright-core (which downloads no browser). The flags keep it
 * from opening background connections, which this closed network refuses.
 */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const CHROMIUM_FLAGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** A family's or officer's browser in England: London time, British English. */
export const ENGLAND = { timezoneId: 'Europe/London', locale: 'en-GB' } as const;

/**
 * Chromium, whose every context (and so every page) runs on the API's clock. The local stack runs
 * on the test clock (TEST_NOW, moving on from there: test/support/test-env.ts), but Chromium would
 * otherwise run on the machine's real date, so anything a page works out from `Date` (today's date,
 * the current year, how long ago, a date-based cache) would disagree with the API it talks to, and
 * a test would pass or fail by the day it runs. Each context starts at the API's `systemClock()`
 * (Playwright's clock.install: `Date`, timers and `performance` then move on naturally), in London
 * time and en-GB whatever the machine's TZ. `newPage` is made through `newContext`, so no test
 * can open a page on the real date by accident.
 */
export async function launchChromium(): Promise<Browser> {
  const browser = await chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: CHROMIUM_FLAGS,
    headless: true,
  });
  const newContext = browser.newContext.bind(browser);
  browser.newContext = async (options = {}) => {
    const context = await newContext({ ...ENGLAND, ...options });
    await context.clock.install({ time: systemClock() });
    return context;
  };
  browser.newPage = async (options = {}) => {
    const context = await browser.newContext(options);
    const page = await context.newPage();
    // As Browser.newPage's own context: closed with its page.
    // (Already closing with the browser at the end of a file: nothing more to do.)
    page.once('close', () => void context.close().catch(() => undefined));
    return page;
  };
  return browser;
}

/** Screenshots land here on every run, for people to look at (CI keeps them as artefacts). */
export const RESULTS_DIR = fileURLToPath(new URL('../../test-results/', import.meta.url));
export async function screenshot(page: Page, name: string) {
  mkdirSync(RESULTS_DIR, { recursive: true });
  await page.screenshot({ path: join(RESULTS_DIR, `${name}.png`), fullPage: true });
}

/**
 * The whole local stack as `npm start` serves it (sample page, built components, API with dev
 * sign-in) on a fresh DynamoDB Local table; with `console`, the officer console and its local
 * sign-in too (a second's build, so only the console's tests ask for it).
 */
export async function startLocalOffer(options: { console?: boolean } = {}) {
  const table: TestTable = await createTestTable();
  process.env.TABLE_NAME = table.name;
  process.env.PROJECT_CACHE_SECONDS = '0';
  const dir = mkdtempSync(join(tmpdir(), 'yswd-browser-'));
  const keys: DevKeys = await loadOrCreateDevKeys(dir);
  const embed = buildEmbed(join(dir, 'embed'));
  const officerConsole = options.console ? buildConsole(join(dir, 'console')) : undefined;
  const server = await startLocalServer({
    devKeys: keys,
    site: {
      embed,
      samplePage: fileURLToPath(new URL('../../embed/sample/index.html', import.meta.url)),
      ...(officerConsole ? { console: { build: officerConsole, config: localConsoleConfig() } } : {}),
    },
    ...(officerConsole
      ? { signIn: createLocalSignIn(keys, { stylesheet: `/console/${officerConsole.stylesheet}` }) }
      : {}),
  });
  const officerToken = await signDevToken(keys, { role: 'officer', name: 'Sam Officer' });
  const adminToken = await signDevToken(keys, { role: 'admin', name: 'Alex Admin' });
  return {
    base: server.base,
    table,
    keys,
    officerToken,
    adminToken,
    /** A call to the API as an officer. */
    officer(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
      return fetch(`${server.base}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${officerToken}`,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          ...headers,
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
    },
    async close() {
      await server.close();
      await table.drop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
export const WCAG_22_AA = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[]; failureSummary?: string }[];
}

/** axe-core, run in the page against WCAG 2.2 A and AA; returns its violations, briefly. */
export async function accessibilityViolations(page: Page): Promise<AxeViolation[]> {
  if (!(await page.evaluate(() => 'axe' in window))) {
    // A page whose Content-Security-Policy refuses inline script (the officer console) refuses the
    // tag too; evaluated from outside, as DevTools does, axe runs without weakening that policy.
    await page.addScriptTag({ content: AXE_SOURCE }).catch(() => page.evaluate(AXE_SOURCE));
  }
  return page.evaluate(async (tags) => {
    const axe = (
      window as unknown as { axe: { run: (...args: unknown[]) => Promise<{ violations: AxeViolation[] }> } }
    ).axe;
    const { violations } = await axe.run(document, { runOnly: { type: 'tag', values: tags } });
    return violations.map(({ id, impact, help, nodes }) => ({
      id,
      impact,
      help,
      nodes: nodes.map(({ target, failureSummary }) => ({ target, failureSummary })),
    }));
  }, WCAG_22_AA);
}
