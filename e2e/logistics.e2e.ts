import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BASE, openBrowser, SHOTS, signIn } from './browser.ts';

// Issue 13 in a real browser: the commander opens the demo's warehouses, then plans relief for one place clicked
// on the map and reads the verdict and the shipments with their arrival times.

/** Where a point shows on a north-up Web Mercator map of 512-pixel tiles with this centre and zoom. */
function pixelOf(
  [lng, lat]: [number, number],
  view: { lng: number; lat: number; zoom: number },
  box: { x: number; y: number; width: number; height: number },
): [number, number] {
  const world = 512 * 2 ** view.zoom;
  const mx = (g: number) => ((g + 180) / 360) * world;
  const my = (t: number) => {
    const r = (t * Math.PI) / 180;
    return ((1 - Math.log(Math.tan(r) + 1 / Math.cos(r)) / Math.PI) / 2) * world;
  };
  return [box.x + box.width / 2 + mx(lng) - mx(view.lng), box.y + box.height / 2 + my(lat) - my(view.lat)];
}

describe('supplies and relief logistics', () => {
  let browser: Browser;
  let page: Page;
  let pageErrors: string[];

  beforeAll(async () => {
    ({ browser, page, pageErrors } = await openBrowser({ height: 1000 }));
    await page.goto(`${BASE}/logistics/warehouses`);
    await signIn(page, 'commander');
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('lists the demo warehouses', async () => {
    await page.locator('[data-testid=warehouse-row]').first().waitFor();
    expect(await page.locator('[data-testid=warehouse-row]').count()).toBeGreaterThan(3);
    await page.screenshot({ path: `${SHOTS}logistics-warehouses.png`, fullPage: true });
  });

  it('plans relief for one place clicked on the map', async () => {
    await page.goto(`${BASE}/logistics/plan`);
    const map = page.locator('[data-testid=plan-map][data-ready=true]');
    await map.waitFor();
    // once the warehouses are drawn the map is fitted to them; then a click in 荣成's streets (the demo network
    // reaches it, off any warehouse's dot) adds the place
    await page.waitForFunction(() => {
      const el = document.querySelector<HTMLElement>('[data-testid=plan-map]');
      return Number(el?.dataset.points) > 0 && !!el?.dataset.view;
    });
    await page.waitForTimeout(300);
    const view = JSON.parse((await map.getAttribute('data-view')) ?? '{}') as {
      lng: number;
      lat: number;
      zoom: number;
    };
    const box = await map.boundingBox();
    if (!box) throw new Error('no map');
    const [x, y] = pixelOf([122.5, 37.175], view, box);
    await page.mouse.click(x, y);
    await page.locator('[data-testid=place-people]').first().waitFor();
    await page.locator('[data-testid=plan-run]').click();
    const verdict = page.locator('[data-testid=plan-verdict]');
    await verdict.waitFor({ timeout: 30_000 });
    expect(await verdict.getAttribute('data-feasible')).toMatch(/true|false/);
    const etas = page.locator('[data-testid=shipment-eta]');
    expect(await etas.count()).toBeGreaterThan(0);
    expect(await page.locator('[data-testid=plan-unreachable]').count()).toBe(0);
    // arrivals read as Beijing clock times
    expect(await etas.first().textContent()).toMatch(/^\d{2}:\d{2}( \+\d+d)?$/);
    await page.screenshot({ path: `${SHOTS}logistics-plan.png`, fullPage: true });
    expect(pageErrors).toEqual([]);
  });
});
