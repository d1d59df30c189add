import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BASE, openBrowser, SHOTS, signIn } from './browser.ts';

// Issue 11 in a real browser: the commander opens the forces register, registers a fire station (its class, a point
// typed in, a GB/T 38565 item found by name), finds it on its page, then runs the fire coverage analysis on the demo
// data and reads a district's share as a percentage. Every forces page is photographed in both languages.

describe('rescue forces', () => {
  let browser: Browser;
  let page: Page;
  let pageErrors: string[];

  beforeAll(async () => {
    ({ browser, page, pageErrors } = await openBrowser());
    await page.goto(`${BASE}/forces/teams`);
    await signIn(page, 'commander');
    await page.waitForSelector('[data-testid=team-filters]');
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('registers a team and measures the fire coverage of the demo data', async () => {
    await page.goto(`${BASE}/forces/teams`);
    await page.waitForSelector('[data-testid=team-row]');

    // a new fire station: the class is offered for its type, the point typed, one item of equipment found by name
    const name = `E2E 消防站 ${Date.now().toString(36)}`;
    await page.click('[data-testid=new-team]');
    await page.waitForSelector('[data-testid=team-form]');
    await page.fill('#team-name', name);
    expect(await page.textContent('[data-testid=team-form]')).toContain('二级普通消防站');
    await page.fill('#location-lng', '122.12');
    await page.locator('#location-lng').blur();
    await page.fill('#location-lat', '37.51');
    await page.locator('#location-lat').blur();
    await page.fill('#team-headcount', '24');
    await page.getByRole('button', { name: '添加装备' }).click();
    await page.locator('[data-testid=supply-code] input').fill('大米');
    await page.locator('.ant-select-item-option', { hasText: '1010200' }).click();
    await page.click('[data-testid=team-submit]');

    // its page: the facts as entered, the equipment by its code's name
    await page.waitForSelector('[data-testid=team-page]');
    expect(await page.textContent('[data-testid=team-page]')).toContain(name);
    expect(await page.textContent('[data-testid=team-page]')).toContain('大米');

    // a status change with a note goes into the history; the same status again is a confirmation
    await page.locator('[data-testid=status-select]').click();
    await page.locator('.ant-select-item-option', { hasText: '已出动' }).click();
    await page.fill('[data-testid=status-card] textarea', 'E2E 出动演练');
    await page.click('[data-testid=status-submit]');
    await page.locator('[data-testid=status-history]', { hasText: 'E2E 出动演练' }).waitFor();
    expect(await page.textContent('[data-testid=status-history]')).toContain('待命 → 已出动');
    expect(await page.textContent('[data-testid=status-submit]')).toContain('确认当前状态');

    // back in the register, filtered by type: the new team is listed
    await page.goto(`${BASE}/forces/teams?type=fire_rescue`);
    await page.waitForSelector(`[data-testid=team-row]:has-text("${name}")`);

    // the fire coverage of the demo stations over the demo's road network
    await page.goto(`${BASE}/forces/analyses?tab=fire`);
    await page.waitForSelector('[data-testid=analysis-form-fire-coverage]');
    await page.click('[data-testid=analysis-form-fire-coverage] [data-testid=analysis-run]');
    await page.waitForSelector('[data-testid=district-row]', { timeout: 120_000 });
    const rows = await page.locator('[data-testid=district-row]').allTextContents();
    expect(
      rows.some((r) => /\d+\.\d %/.test(r)),
      rows.join('\n'),
    ).toBe(true);
    expect(await page.textContent('[data-testid=analysis-headline]')).toMatch(/\d+\.\d %/);
    // the same question downloaded as a workbook and as GeoJSON
    const [xlsx] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid=export-xlsx]')]);
    expect(xlsx.suggestedFilename()).toMatch(/\.xlsx$/);
    const [geojson] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid=export-geojson]')]);
    expect(geojson.suggestedFilename()).toMatch(/json$/);

    // a forest drawn elsewhere arrives as a GeoJSON file: checked in the browser, then listed with its area
    await page.goto(`${BASE}/forces/areas?kind=forest`);
    await page.click('[data-testid=areas-import]');
    const forest = {
      type: 'FeatureCollection',
      features: [
        {
          type: 'Feature',
          properties: { name: 'E2E 林区' },
          geometry: {
            type: 'Polygon',
            coordinates: [
              [
                [122.0, 37.3],
                [122.03, 37.3],
                [122.03, 37.32],
                [122.0, 37.32],
                [122.0, 37.3],
              ],
            ],
          },
        },
      ],
    };
    await page.setInputFiles('.ant-modal input[type=file]', {
      name: 'forest.geojson',
      mimeType: 'application/geo+json',
      buffer: Buffer.from(JSON.stringify(forest)),
    });
    await page.locator('.ant-modal', { hasText: '1 个面要素' }).waitFor();
    await page.click('[data-testid=areas-import-ok]');
    const row = page.locator('[data-testid=areas-page] .ant-table-row', { hasText: 'E2E 林区' });
    await row.waitFor();
    expect(await row.textContent()).toMatch(/\d+\.\d+/);
    expect(pageErrors).toEqual([]);
  });

  it('photographs every forces page in Chinese and English', async () => {
    const teamHref = await (async () => {
      await page.goto(`${BASE}/forces/teams?q=${encodeURIComponent('初村')}`);
      await page.waitForSelector('[data-testid=team-row]');
      await page.locator('[data-testid=team-row]').first().click();
      await page.waitForSelector('[data-testid=members-card]');
      return new URL(page.url()).pathname;
    })();
    const fireHref = await (async () => {
      await page.goto(`${BASE}/forces/teams?type=fire_rescue&q=${encodeURIComponent('特勤')}`);
      await page.waitForSelector('[data-testid=team-row]');
      await page.locator('[data-testid=team-row]').first().click();
      await page.waitForSelector('[data-testid=members-card]');
      return new URL(page.url()).pathname;
    })();
    for (const lang of ['zh-CN', 'en'] as const) {
      await page.evaluate((l) => localStorage.setItem('anlan.lang', l), lang);
      const shot = async (path: string, file: string, ready: string, settle = 300) => {
        await page.goto(`${BASE}${path}`);
        await page.waitForSelector(ready, { timeout: 60_000 });
        await page.waitForTimeout(settle);
        await page.screenshot({ path: `${SHOTS}forces-${file}-${lang}.png` });
      };
      await shot('/forces/teams', 'register', '[data-testid=team-row]');
      await page.click('[data-testid=new-team]');
      await page.waitForSelector('[data-testid=team-form]');
      await page.waitForTimeout(300);
      await page.screenshot({ path: `${SHOTS}forces-new-team-${lang}.png` });
      await shot(fireHref, 'team', '[data-testid=status-history] .ant-timeline', 400);
      await page.click('[data-testid=add-member]');
      await page.waitForSelector('[data-testid=member-drawer]');
      await page.getByRole('button', { name: lang === 'en' ? 'Add certificate' : '添加证书' }).click();
      await page.getByRole('button', { name: lang === 'en' ? 'Add training' : '添加培训' }).click();
      await page.waitForTimeout(200);
      await page.screenshot({ path: `${SHOTS}forces-member-drawer-${lang}.png` });
      await shot(teamHref, 'team-forest', '[data-testid=members-card]', 400);
      await shot('/forces/board', 'board', '[data-testid=board-chart] canvas', 400);
      await shot('/forces/areas?kind=forest', 'areas', '[data-testid=areas-page] .ant-table-row');
      const paths = {
        fire: 'fire-coverage',
        forest: 'forest-coverage',
        aviation: 'aviation-coverage',
        parks: 'chemical-parks',
      };
      for (const [tab, path] of Object.entries(paths)) {
        await page.goto(`${BASE}/forces/analyses?tab=${tab}`);
        await page.click(`[data-testid=analysis-form-${path}] [data-testid=analysis-run]`);
        await page.waitForSelector('[data-testid=analysis-headline]', { timeout: 120_000 });
        // the map draws the answer's layers after the headline: give it time before the picture
        await page.waitForTimeout(1_500);
        await page.screenshot({ path: `${SHOTS}forces-analysis-${tab}-${lang}.png` });
        // the tables below the map (the page scrolls inside the shell, so a full-page shot would not show them)
        await page.locator('[data-testid=analysis-map]').evaluate((el) => el.scrollIntoView({ block: 'start' }));
        await page.mouse.wheel(0, 420);
        await page.waitForTimeout(200);
        await page.screenshot({ path: `${SHOTS}forces-analysis-${tab}-tables-${lang}.png` });
      }
      await page.goto(`${BASE}/forces/analyses?tab=siting`);
      await page.click('[data-testid=analysis-form-station-siting] [data-testid=analysis-run]');
      await page.waitForSelector('[data-testid=analysis-headline]', { timeout: 150_000 });
      await page.waitForTimeout(1_500);
      await page.screenshot({ path: `${SHOTS}forces-analysis-siting-${lang}.png` });
      await shot('/map', 'map', '[data-team-count]', 600);
    }
    await page.evaluate(() => localStorage.setItem('anlan.lang', 'zh-CN'));
    expect(pageErrors).toEqual([]);
  });
});
