// Issue 9 §3 and §4 in a real browser: a report filed with the keyboard alone, and a report that survives the end
// of its session (the user signs in again over the form; nothing typed is lost, the save goes through).
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_PASSWORD, BASE, launchBrowser, openPage, SHOTS } from './browser.ts';

interface Created {
  number: string;
  title: string;
  typeCode: string;
  description: string;
  address: string;
  occurredAt: string;
  location: { coordinates: number[] } | null;
  reporter: { name?: string; unit?: string; phone?: string };
  casualties: Record<string, number>;
  directLossWan: number;
}

describe('the keyboard path and drafts that survive the session', () => {
  let browser: Browser;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    expect(ADMIN_PASSWORD, 'ANLAN_ADMIN_PASSWORD must be set').not.toBe('');
    browser = await launchBrowser(['--disable-background-networking', '--disable-sync', '--no-first-run']);
  });
  afterAll(async () => {
    await browser?.close();
    expect(pageErrors).toEqual([]);
  });

  async function signedInPage(): Promise<Page> {
    const { page } = await openPage(browser, pageErrors);
    await page.goto(`${BASE}/incidents`);
    await page.waitForSelector('[data-testid=login-form]');
    // the username field has focus: sign in with the keyboard too
    await page.keyboard.type('admin');
    await page.keyboard.press('Tab');
    await page.keyboard.type(ADMIN_PASSWORD);
    await page.keyboard.press('Enter');
    // the sign-in page stood at /incidents: after it the user is on the register
    await page.waitForSelector('[data-testid=new-incident]', { timeout: 30_000 });
    expect(new URL(page.url()).pathname).toBe('/incidents');
    return page;
  }

  /** Presses Tab until the focus is where `where` says (keyboard only: no click), at most `max` times. */
  async function tabTo(page: Page, where: string, max = 40): Promise<void> {
    const path: string[] = [];
    for (let i = 0; i < max; i++) {
      const at = await page.evaluate((sel) => {
        const el = document.activeElement;
        return { hit: !!el?.matches(sel), name: `${el?.tagName}#${el?.id}.${el?.className}`.slice(0, 80) };
      }, where);
      if (at.hit) return;
      path.push(at.name);
      await page.keyboard.press('Tab');
    }
    throw new Error(`Tab never reached ${where}: ${path.join(' → ')}`);
  }

  const focusedId = (page: Page) => page.evaluate(() => document.activeElement?.id ?? '');

  it('files a complete report without the mouse: N, every field by keys, Ctrl+Enter, then opens its row with Enter', async () => {
    const page = await signedInPage();
    const title = `键盘接报 石岛港区仓库火灾 ${Date.now().toString(36)}`;
    // one report, sent once, when the user says so (Enter in the time field confirms the time, it does not send)
    let posts = 0;
    page.on('request', (r) => {
      if (r.method() === 'POST' && new URL(r.url()).pathname === '/api/v1/incidents') posts++;
    });

    // N (nobody typing) opens the form; the title has the focus
    await page.locator('body').focus();
    expect(await page.getAttribute('[data-testid=new-incident]', 'aria-keyshortcuts')).toContain('N');
    await page.keyboard.press('n');
    await page.waitForSelector('[data-testid=incident-form]');
    await expect.poll(() => focusedId(page)).toBe('incident-title');
    await page.keyboard.type(title);

    // the type: Tab to the picker, type, Enter takes the first match (building fires first for 火灾)
    await page.keyboard.press('Tab');
    await expect.poll(() => focusedId(page)).toBe('incident-type');
    await page.keyboard.type('火灾');
    await page.locator('.ant-select-item-option-active').first().waitFor();
    expect(await page.locator('.ant-select-item-option-active').first().textContent()).toMatch(/^12G0\d /);
    await page.keyboard.press('Enter');
    await page.locator('.ant-select-dropdown').first().waitFor({ state: 'hidden' });
    expect(await page.locator('[data-testid=incident-form] .ant-select-content').first().textContent()).toMatch(
      /^12G0\d .*火灾/,
    );

    // the time: typed into the date field, confirmed with Enter
    await tabTo(page, '#incident-occurred', 3);
    await page.keyboard.press('Control+A');
    await page.keyboard.type('2026-12-04 09:30');
    await page.keyboard.press('Enter');

    // the location: coordinates typed into the location input
    await tabTo(page, '#location-lng');
    await page.keyboard.type('122.4215');
    await tabTo(page, '#location-lat');
    await page.keyboard.type('36.9001');
    await tabTo(page, '#incident-address');
    await page.keyboard.type('石岛管理区 港湾街道 E2E');
    await tabTo(page, '#description', 3);
    await page.keyboard.type('仓库二层起火，明火已见，正在疏散。');
    await tabTo(page, '#reporter_name', 3);
    await page.keyboard.type('王值班');
    await tabTo(page, '#reporter_unit', 3);
    await page.keyboard.type('石岛消防站');
    await tabTo(page, '#reporter_phone', 3);
    await page.keyboard.type('13800000000');
    await tabTo(page, '#casualties_injured');
    await page.keyboard.type('3');
    await tabTo(page, '#directLossWan');
    await page.keyboard.type('120');
    await page.screenshot({ path: `${SHOTS}keyboard-report-form.png` });

    // Ctrl+Enter saves from the field the user is in
    const created = page.waitForResponse(
      (r) => r.url().endsWith('/api/v1/incidents') && r.request().method() === 'POST',
    );
    await page.keyboard.press('Control+Enter');
    const response = await created;
    expect(response.status(), await response.text()).toBeLessThan(300);
    const incident = (await response.json()) as Created;
    expect(incident).toMatchObject({
      title,
      address: '石岛管理区 港湾街道 E2E',
      description: '仓库二层起火，明火已见，正在疏散。',
      directLossWan: 120,
    });
    expect(incident.typeCode).toMatch(/^12G0\d$/);
    expect(incident.location?.coordinates).toEqual([122.4215, 36.9001]);
    expect(incident.casualties.injured).toBe(3);
    expect(incident.reporter).toMatchObject({ name: '王值班', unit: '石岛消防站' });
    expect(new Date(incident.occurredAt).toISOString()).toBe('2026-12-04T01:30:00.000Z');
    await page.waitForSelector('[data-testid=incident-form-drawer]', { state: 'detached' });
    expect(posts).toBe(1);

    // the row is there, reached with Tab, moved through with the arrows, opened with Enter
    const row = page.locator(`[data-testid=incident-row][data-number="${incident.number}"]`);
    await row.waitFor({ timeout: 15_000 });
    await tabTo(page, 'tr[data-testid=incident-row]', 80);
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowUp');
    await tabTo(page, `tr[data-number="${incident.number}"]`, 30).catch(async () => {
      // the new row is the first (newest first); the arrows got there already
      for (let i = 0; i < 20 && !(await row.evaluate((el) => el === document.activeElement)); i++)
        await page.keyboard.press('ArrowDown');
    });
    expect(await row.evaluate((el) => el === document.activeElement)).toBe(true);
    await page.screenshot({ path: `${SHOTS}keyboard-register-row.png` });
    await page.keyboard.press('Enter');
    await page.waitForSelector('[data-testid=incident-detail]');
    expect(await page.textContent('[data-testid=incident-detail]')).toContain(incident.number);

    // the type just used comes first the next time (recent types on top)
    await page.keyboard.press('Alt+N');
    await page.waitForSelector('[data-testid=incident-form]');
    expect(new URL(page.url()).pathname).toBe('/incidents');
    await page.keyboard.press('Tab');
    await page.keyboard.type('火');
    await page.locator('.ant-select-item-option-active').first().waitFor();
    expect(await page.locator('.ant-select-item-option-active').first().textContent()).toContain(incident.typeCode);

    // in English the picker shows and finds our English names, and the register names the type in English
    await page.goto(`${BASE}/incidents`);
    await page.locator('[data-testid=language-switch]').getByText('English').click();
    const enRow = page.locator(`[data-testid=incident-row][data-number="${incident.number}"]`);
    await expect.poll(async () => (await enRow.textContent()) ?? '').toMatch(/building fire/i);
    await page.locator('body').focus();
    await page.keyboard.press('n');
    await page.waitForSelector('[data-testid=incident-form]');
    await page.keyboard.press('Tab');
    await page.keyboard.type('rainstorm');
    await page.locator('.ant-select-item-option-active', { hasText: '11B03 Rainstorm' }).waitFor();
    await page.keyboard.press('Enter');
    await page.locator('.ant-select-dropdown').first().waitFor({ state: 'hidden' });
    expect(await page.locator('[data-testid=incident-form] .ant-select-content').first().textContent()).toBe(
      '11B03 Rainstorm',
    );
    await page.screenshot({ path: `${SHOTS}keyboard-type-picker-en.png` });
    await page.context().close();
  });

  it('keeps the draft through a warning, a reload and an ended session, and saves it after a new sign-in', async () => {
    const page = await signedInPage();
    const title = `草稿 会话过期 ${Date.now().toString(36)}`;

    // a session about to end: the warning counts down and "continue working" extends it
    const soon = new Date(Date.now() + 2 * 60_000).toISOString();
    const theList = (url: URL) => url.pathname === '/api/v1/incidents';
    await page.route(theList, async (route) => {
      const r = await route.fetch();
      await route.fulfill({ response: r, headers: { ...r.headers(), 'x-session-expires': soon } });
    });
    await page.reload();
    const warning = page.locator('[data-testid=session-warning] .ant-modal');
    await warning.waitFor({ timeout: 10_000 });
    expect(await warning.textContent()).toMatch(/[0-4]:\d\d/);
    await page.screenshot({ path: `${SHOTS}session-warning.png` });
    await page.unroute(theList);
    const refreshed = page.waitForResponse((r) => r.url().endsWith('/api/v1/auth/refresh'));
    await page.click('[data-testid=session-continue]');
    expect((await refreshed).status()).toBe(200);
    await warning.waitFor({ state: 'hidden' });

    // type a report
    await page.keyboard.press('n');
    await page.waitForSelector('[data-testid=incident-form]');
    await page.keyboard.type(title);
    await page.keyboard.press('Tab');
    await page.keyboard.type('12Q04');
    await page.keyboard.press('Enter');
    await page.fill('#location-lng', '122.3');
    await page.fill('#location-lat', '37.45');
    await page.fill('#incident-address', '鸡鸣岛以东海域');
    await page.locator('input[id="casualties_missing"]').fill('2');
    await page.locator('#location-lat').blur();

    // a reload (or a closed tab) brings the form back with what was typed
    await page.waitForTimeout(800);
    await page.reload();
    await page.waitForSelector('[data-testid=draft-restored]', { timeout: 15_000 });
    expect(await page.inputValue('#incident-title')).toBe(title);
    expect(await page.inputValue('#incident-address')).toBe('鸡鸣岛以东海域');
    await page.screenshot({ path: `${SHOTS}draft-restored.png` });

    // the session ends on the server (as when it expires) while the user is writing
    await page.fill('#incident-address', '鸡鸣岛以东海域 约3海里');
    const cookie = (await page.context().cookies()).find((c) => c.name === 'anlan_session');
    const csrf = await page.evaluate(() => sessionStorage.getItem('anlan.csrf') ?? '');
    const ended = await fetch(`${BASE}/api/v1/auth/logout`, {
      method: 'POST',
      headers: { cookie: `anlan_session=${cookie?.value}`, 'x-csrf-token': csrf, 'content-type': 'application/json' },
      body: '{}',
    });
    expect(ended.status).toBe(200);

    // save: refused (401), the user signs in again over the form, and the same report is saved
    const firstTry = page.waitForResponse(
      (r) => r.url().endsWith('/api/v1/incidents') && r.request().method() === 'POST',
    );
    await page.locator('#incident-address').focus();
    await page.keyboard.press('Control+Enter');
    expect((await firstTry).status()).toBe(401);
    const dialog = page.locator('[data-testid=session-sign-in] .ant-modal');
    await dialog.waitFor();
    expect(await page.isVisible('[data-testid=incident-form]')).toBe(true);
    await page.screenshot({ path: `${SHOTS}session-sign-in-again.png` });
    const saved = page.waitForResponse(
      (r) => r.url().endsWith('/api/v1/incidents') && r.request().method() === 'POST' && r.status() < 300,
    );
    await page.locator('[data-testid=session-password]').fill(ADMIN_PASSWORD);
    await page.keyboard.press('Enter');
    const incident = (await (await saved).json()) as Created;
    expect(incident).toMatchObject({ title, typeCode: '12Q04', address: '鸡鸣岛以东海域 约3海里' });
    expect(incident.location?.coordinates).toEqual([122.3, 37.45]);
    expect(incident.casualties.missing).toBe(2);
    await page.waitForSelector('[data-testid=incident-form-drawer]', { state: 'detached' });
    await page.locator(`[data-testid=incident-row][data-number="${incident.number}"]`).waitFor({ timeout: 15_000 });
    // the live stream, cut when the session ended, is open again: a report made elsewhere is announced
    const live = await page.evaluate(async () => {
      const res = await fetch('/api/v1/incidents', {
        method: 'POST',
        credentials: 'same-origin',
        headers: { 'content-type': 'application/json', 'x-csrf-token': sessionStorage.getItem('anlan.csrf') ?? '' },
        body: JSON.stringify({
          title: 'E2E 重新登录后的实时推送',
          typeCode: '11B03',
          occurredAt: new Date().toISOString(),
        }),
      });
      return ((await res.json()) as { number: string }).number;
    });
    await page.locator('.ant-notification-notice', { hasText: live }).waitFor({ timeout: 20_000 });
    await page.screenshot({ path: `${SHOTS}session-saved-after-sign-in.png` });

    // saved: the draft is gone
    await page.keyboard.press('n');
    await page.waitForSelector('[data-testid=incident-form]');
    expect(await page.inputValue('#incident-title')).toBe('');
    expect(await page.isVisible('[data-testid=draft-restored]')).toBe(false);
    await page.context().close();
  });
});
