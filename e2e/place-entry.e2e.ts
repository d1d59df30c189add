// Issue 9 §2 in the browser: the report form finds a place by name (pinyin too) and zooms its map there, and takes
// coordinates typed in degrees-minutes-seconds in another datum, in both languages. Screenshots: place-*.png.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_PASSWORD, BASE, launchBrowser, SHOTS } from './browser.ts';

describe('finding the place in the report form', () => {
  let browser: Browser;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    expect(ADMIN_PASSWORD, 'ANLAN_ADMIN_PASSWORD must be set').not.toBe('');
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    expect(pageErrors).toEqual([]);
  });

  async function formIn(lang: 'zh-CN' | 'en'): Promise<Page> {
    const context = await browser.newContext({ viewport: { width: 1440, height: 1000 }, timezoneId: 'Asia/Shanghai' });
    await context.addInitScript((l) => localStorage.setItem('anlan.lang', l === 'en' ? 'en' : 'zh-CN'), lang);
    const page = await context.newPage();
    page.on('pageerror', (err) => pageErrors.push(err.message));
    const r = await page.request.post(`${BASE}/api/v1/auth/login`, {
      data: { username: 'admin', password: ADMIN_PASSWORD },
    });
    expect(r.ok()).toBe(true);
    await page.goto(`${BASE}/incidents?new=1`);
    await page.waitForSelector('[data-testid=location-map] canvas');
    return page;
  }

  const lngOf = (page: Page) => page.inputValue('[data-testid=location-lng] input, input#location-lng');

  for (const [lang, query] of [
    ['zh-CN', 'shidao'],
    ['en', 'Shidao'],
  ] as const) {
    it(`finds 石岛 by “${query}” (${lang}), places the point there, zooms in and takes the name as the address`, async () => {
      const page = await formIn(lang);
      await page.fill('[data-testid=place-search-input]', query);
      const first = page.locator('[data-testid=place-option]').first();
      await first.waitFor();
      expect(await first.textContent()).toMatch(lang === 'en' ? /Shidao|石岛/ : /石岛/);
      await first.click();
      await expect.poll(() => lngOf(page)).toMatch(/^122\.[45]/);
      expect(await page.inputValue('#incident-address')).toMatch(/石岛|Shidao/);
      // the map flies to street level there (seen in the screenshot)
      await page.waitForTimeout(800);
      await page.screenshot({ path: `${SHOTS}place-search-${lang}.png` });
    });
  }

  it('takes degrees-minutes-seconds in GCJ-02, converts them to WGS-84 and says what is wrong in words', async () => {
    const page = await formIn('zh-CN');
    await page.click('[data-testid=location-datum]');
    await page.click('.ant-select-item-option:has-text("GCJ-02")');
    await page.fill('[data-testid=location-text]', '东经122度7分24.5秒 北纬37度30分4.4秒');
    await page.press('[data-testid=location-text]', 'Enter');
    // GCJ-02 lies about 450 m east of WGS-84 here: the stored longitude is 122.1184…, not 122.1235
    await expect.poll(() => lngOf(page)).toMatch(/^122\.118/);
    expect(await page.textContent('[data-testid=location-dms]')).toContain('N');
    await page.screenshot({ path: `${SHOTS}place-dms-gcj02.png` });
    await page.fill('[data-testid=location-text]', '37°N 38°N');
    await page.press('[data-testid=location-text]', 'Enter');
    expect(await page.textContent('.location-text-error')).toContain('无法识别的坐标');
    // Enter in the coordinates box places the point; it never sends the report
    expect(await page.locator('[data-testid=incident-form]').isVisible()).toBe(true);
  });
});
