import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiLogin, BASE, openBrowser, SHOTS, signIn } from './browser.ts';

// Issue 9 §1 in a real browser: the duty officer's screen (the demo's 应急管理局 duty account) while another user
// (环翠区 staff, through the API) reports a level I incident: the tray and the banner, the alarm sound playing after
// the one click that enables sound, 接报确认 clearing it, and the acknowledgement on the incident's log.

describe('the alarm', () => {
  let browser: Browser;
  let page: Page;
  let pageErrors: string[];

  beforeAll(async () => {
    ({ browser, page, pageErrors } = await openBrowser({ args: ['--no-first-run'] }));
    // A browser refuses play() after a reload until the user clicks on the page. Chromium counts Playwright's own
    // steps (waiting for a selector, reading an attribute) as user activation, so that refusal cannot be observed
    // here: each page gets the browser's rule written out, play() refused until a real (trusted) click.
    await page.context().addInitScript(() => {
      let clicked = false;
      document.addEventListener(
        'pointerdown',
        (e) => {
          if (e.isTrusted) clicked = true;
        },
        true,
      );
      const play = HTMLMediaElement.prototype.play;
      HTMLMediaElement.prototype.play = function (this: HTMLMediaElement) {
        return clicked
          ? play.call(this)
          : Promise.reject(new DOMException('play() failed because the user did not interact', 'NotAllowedError'));
      };
    });
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('a level I incident reported by another user raises the tray and the sound; 接报确认 clears it and is logged', async () => {
    // the other browser tests' reports alarm the duty officer's unit too: acknowledged first, so the tray starts empty
    const dutyToken = await apiLogin('duty');
    const before = (await (
      await fetch(`${BASE}/api/v1/alerts?limit=200`, { headers: { authorization: `Bearer ${dutyToken}` } })
    ).json()) as { items: { id: string }[] };
    for (const a of before.items) {
      const r = await fetch(`${BASE}/api/v1/alerts/${a.id}/ack`, {
        method: 'POST',
        headers: { authorization: `Bearer ${dutyToken}` },
      });
      expect(r.status).toBe(200);
    }
    await page.goto(`${BASE}/`);
    await signIn(page, 'duty');
    await page.waitForSelector('[data-testid=alert-tray]');
    // the duty officer's screen as it is after a reload: no click on it yet
    await page.reload();
    await page.waitForSelector('[data-testid=alert-tray]');
    // the demo's history alarms nobody, and what the other tests raised is acknowledged: nothing open
    await expect.poll(() => page.getAttribute('[data-testid=alert-tray]', 'data-severity')).toBe('none');
    await page.waitForTimeout(1_000); // the live stream connects

    const token = await apiLogin('huancui');
    const title = `E2E 告警：化工厂爆炸 ${Date.now().toString(36)}`;
    const created = await fetch(`${BASE}/api/v1/incidents`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({
        title,
        typeCode: '12D01',
        occurredAt: new Date(Date.now() - 600_000).toISOString(),
        location: { type: 'Point', coordinates: [122.12, 37.5] },
        address: '环翠区',
        casualties: { deaths: 32 },
      }),
    });
    expect(created.status, await created.clone().text()).toBe(201);
    const incident = (await created.json()) as { id: string; number: string; level: string };
    expect(incident.level).toBe('I');

    // the tray counts it in level I's colour, the banner says 特别重大, the alarm sound plays
    await page.waitForSelector('[data-testid=alarm-banner][data-severity=I]', { timeout: 10_000 });
    // the browser refused the sound: the one-click banner says so; its click starts the alarm
    await page.waitForSelector('[data-testid=enable-sound]', { timeout: 10_000 });
    expect(await page.$eval('[data-testid=alarm-audio-urgent]', (a) => (a as HTMLAudioElement).paused)).toBe(true);
    await page.click('[data-testid=enable-sound]');
    await page.waitForSelector('[data-testid=enable-sound-banner]', { state: 'detached' });
    expect(await page.getAttribute('[data-testid=alert-tray]', 'data-severity')).toBe('I');
    const banner = (await page.textContent('[data-testid=alarm-banner]')) ?? '';
    expect(banner).toContain('特别重大（I级）告警');
    expect(banner).toContain(incident.number);
    // across the page under the header, and the page moved down under it: no button of the page lies beneath it
    const bannerBox = await page.locator('[data-testid=alarm-banner]').boundingBox();
    const contentBox = await page.locator('.app-content').boundingBox();
    expect(bannerBox && contentBox).toBeTruthy();
    if (bannerBox && contentBox) expect(contentBox.y).toBeGreaterThanOrEqual(bannerBox.y + bannerBox.height - 1);
    await expect
      .poll(() => page.$eval('[data-testid=alarm-audio-urgent]', (a) => !(a as HTMLAudioElement).paused))
      .toBe(true);
    expect(await page.$eval('[data-testid=alarm-audio-urgent]', (a) => (a as HTMLAudioElement).loop)).toBe(true);
    const sound = await fetch(`${BASE}/sounds/alarm-urgent.wav`);
    expect(sound.status).toBe(200);
    expect(sound.headers.get('content-type')).toContain('audio/');

    await page.click('[data-testid=alert-tray]');
    const item = page.locator('[data-testid=alert-item]', { hasText: incident.number });
    await item.waitFor();
    expect(await item.textContent()).toContain('I级 特别重大');
    expect(await item.textContent()).toContain('环翠区');
    await page.waitForTimeout(400); // the popover's opening animation
    await page.screenshot({ path: `${SHOTS}alarm-level-1.png` });

    // 接报确认: the alarm clears for the unit and the sound stops
    const acked = page.waitForResponse((r) => r.url().includes('/ack') && r.request().method() === 'POST');
    await item.locator('[data-testid=alert-ack]').click();
    expect((await acked).status()).toBe(200);
    await page.waitForSelector('[data-testid=alarm-banner]', { state: 'detached' });
    await expect
      .poll(() => page.$eval('[data-testid=alarm-audio-urgent]', (a) => (a as HTMLAudioElement).paused))
      .toBe(true);

    // the incident's log says who acknowledged, for which unit, and when
    await page.goto(`${BASE}/incidents/${incident.id}`);
    const log = page.locator('[data-testid=incident-log]');
    await log.locator('text=接报确认：').first().waitFor({ timeout: 10_000 });
    expect(await log.textContent()).toMatch(/接报确认：.+（.+）/);
    await page.screenshot({ path: `${SHOTS}alarm-acknowledged-log.png` });

    // the reporter's district has not acknowledged: it is still open there
    const open = await fetch(`${BASE}/api/v1/alerts`, { headers: { authorization: `Bearer ${token}` } });
    const items = ((await open.json()) as { items: { sourceId: string }[] }).items;
    expect(items.some((a) => a.sourceId === incident.id)).toBe(true);
    expect(pageErrors).toEqual([]);
  });
});
