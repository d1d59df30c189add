import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BASE, openBrowser, SHOTS, signIn } from './browser.ts';

// Issue 10 in a real browser: the commander registers a rain gauge (its token shown once, with the MQTT topic), the
// gauge reports rain over HTTP with that token, a blue rainstorm warning (12 h ≥ 50 mm) appears on the board by
// itself, on the device's page beside its chart, and is acknowledged and lifted with a reason into the history.

describe('monitoring and warnings', () => {
  let browser: Browser;
  let page: Page;
  let pageErrors: string[];

  beforeAll(async () => {
    ({ browser, page, pageErrors } = await openBrowser());
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('a new gauge, its token, its readings, the warning they raise, acknowledged and lifted', async () => {
    await page.goto(`${BASE}/monitoring/devices`);
    await signIn(page, 'commander');
    await page.waitForSelector('[data-testid=device-filters]');

    // the register form: a name, the kind's usual metric filled in, a point typed in
    const name = `E2E 雨量站 ${Date.now().toString(36)}`;
    await page.click('[data-testid=new-device]');
    await page.waitForSelector('[data-testid=device-form]');
    await page.fill('#device-name', name);
    expect(await page.textContent('[data-testid=device-form]')).toContain('(rain_mm)');
    await page.fill('#location-lng', '122.1');
    await page.locator('#location-lng').blur();
    await page.fill('#location-lat', '37.5');
    await page.locator('#location-lat').blur();
    // Ctrl+Enter saves from any field
    await page.focus('#device-name');
    await page.keyboard.press('Control+Enter');

    // the token once, with the topic it publishes to
    await page.waitForSelector('[data-testid=device-token]');
    const token = ((await page.textContent('[data-testid=device-token]')) ?? '').trim();
    expect(token.length).toBeGreaterThan(20);
    const modal = (await page.textContent('.ant-modal')) ?? '';
    const id = /anlan\/v1\/devices\/([0-9a-f-]{36})\/readings/.exec(modal)?.[1];
    expect(id, modal).toBeTruthy();
    await page.click('[data-testid=token-close]');
    await page.waitForSelector(`[data-testid=device-row]:has-text("${name}")`);

    // the board, open while the gauge reports: 17 mm three times, 4 hours apart → 51 mm in 12 h: blue
    await page.goto(`${BASE}/warnings`);
    await page.waitForSelector('[data-testid=warning-board]');
    await page.waitForTimeout(1_000); // the live stream connects
    const now = Date.now();
    const readings = [11, 7, 3].map((h) => ({
      ts: new Date(now - h * 3_600_000).toISOString(),
      values: { rain_mm: 17 },
    }));
    const r = await fetch(`${BASE}/api/v1/devices/${id}/readings`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify(readings),
    });
    expect(r.status, await r.clone().text()).toBe(202);
    expect(((await r.json()) as { accepted: number }).accepted).toBe(3);

    const card = page.locator('[data-testid=warning-card]', { hasText: name });
    await card.waitFor({ timeout: 15_000 });
    expect(await card.getAttribute('data-colour')).toBe('blue');
    expect(await card.getAttribute('data-status')).toBe('raised');
    expect(await card.textContent()).toContain('暴雨');

    // acknowledged on the card; lifted with a reason from the drawer
    await card.locator('[data-testid=warning-ack]').click();
    await expect.poll(() => card.getAttribute('data-status')).toBe('acknowledged');
    await card.locator('.warning-card-hazard').click();
    await page.waitForSelector('[data-testid=warning-facts]');
    await page.click('[data-testid=warning-drawer] [data-testid=warning-lift]');
    await page.fill('.ant-modal textarea', '雨已停，现场核实无积水');
    await page.click('[data-testid=action-ok]');
    await card.waitFor({ state: 'detached', timeout: 10_000 });
    await page.click('[data-testid=warning-drawer] .ant-drawer-close');
    await page.waitForSelector('[data-testid=warning-drawer]', { state: 'detached' });
    await page.click('[data-testid=tab-history]');
    const row = page.locator('[data-testid=warning-history] tr', { hasText: name });
    await row.waitFor();
    expect(await row.textContent()).toContain('雨已停，现场核实无积水');

    // the device's page: the readings charted, the warning listed
    await page.goto(`${BASE}/monitoring/devices/${id}`);
    await page.waitForSelector('[data-testid=readings-chart] canvas');
    await page.waitForSelector('[data-testid=device-warnings] .warning-row.lifted');
    expect(await page.textContent('[data-testid=threshold-list]')).toContain('12小时');
    await page.screenshot({ path: `${SHOTS}monitoring-e2e-device.png` });
    expect(pageErrors).toEqual([]);
  });
});
