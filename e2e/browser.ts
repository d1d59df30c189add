// The set-up every browser test shares: where the server and Chromium are, the demo's passwords, a browser with a
// page as a user in Weihai sees it (Chinese, Beijing time) whose uncaught errors are collected for the test to check,
// and the two ways of signing in (the login form, the API's token).
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { type Browser, type BrowserContext, type BrowserContextOptions, chromium, type Page } from 'playwright-core';
import { expect } from 'vitest';

export const BASE = (process.env.ANLAN_URL ?? 'http://127.0.0.1:3000').replace(/\/$/, '');
/** Ends in a slash: a screenshot's path is `${SHOTS}name.png`. */
export const SHOTS = fileURLToPath(new URL('./screenshots/', import.meta.url));
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
/** The password of every demo account but admin's. */
export const DEMO_PASSWORD = 'Anlan-demo-2026';
/** admin's password is the server's start-up setting: the tests that sign in as admin check that it is set. */
export const ADMIN_PASSWORD = process.env.ANLAN_ADMIN_PASSWORD ?? '';

export interface PageOptions {
  /** The viewport's height (it is 1440 wide): 900 unless the test asks for another. */
  height?: number;
  /** Further context options (e.g. acceptDownloads). */
  context?: BrowserContextOptions;
}

export interface BrowserOptions extends PageOptions {
  /** Chromium switches beyond --no-sandbox and --disable-gpu (which the container and the headless run need). */
  args?: string[];
}

/** Launches Debian's Chromium, with the screenshots' folder in place. */
export async function launchBrowser(args: string[] = []): Promise<Browser> {
  mkdirSync(SHOTS, { recursive: true });
  return chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu', ...args] });
}

/** A new context and page in `browser`, its uncaught errors pushed onto `pageErrors`. */
export async function openPage(
  browser: Browser,
  pageErrors: string[],
  opts: PageOptions = {},
): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({
    viewport: { width: 1440, height: opts.height ?? 900 },
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
    ...opts.context,
  });
  const page = await context.newPage();
  page.on('pageerror', (err) => pageErrors.push(err.message));
  return { context, page };
}

/** A browser with one page; the test closes the browser in its afterAll and checks `pageErrors` is empty. */
export async function openBrowser(
  opts: BrowserOptions = {},
): Promise<{ browser: Browser; context: BrowserContext; page: Page; pageErrors: string[] }> {
  const browser = await launchBrowser(opts.args);
  const pageErrors: string[] = [];
  try {
    return { browser, ...(await openPage(browser, pageErrors, opts)), pageErrors };
  } catch (err) {
    // the caller never gets the browser to close: a Chromium left running would outlive the test run
    await browser.close();
    throw err;
  }
}

/** Signs in on the login form the page shows (it waits for the form); the caller waits for the page it expects. */
export async function signIn(page: Page, username: string, password = DEMO_PASSWORD): Promise<void> {
  await page.waitForSelector('[data-testid=login-form]');
  await page.fill('#login-username', username);
  await page.fill('#login-password', password);
  await page.click('[data-testid=login-submit]');
}

/** Signs in through the API, for a test's own requests: the bearer token. */
export async function apiLogin(username: string, password = DEMO_PASSWORD): Promise<string> {
  const r = await fetch(`${BASE}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });
  expect(r.status, await r.clone().text()).toBe(200);
  return ((await r.json()) as { token: string }).token;
}
