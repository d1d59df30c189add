import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BASE, openBrowser, SHOTS, signIn } from './browser.ts';

// Issue 14 in a real browser: the commander opens the risk one-map with the demo's grid, clicks a major-risk cell and
// reads what contributes to it; then the prevention projects with their summary, and an incident's nearby risks.

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

/** Reads an API answer with the page's session. */
const apiGet = <T>(page: Page, path: string) =>
  page.evaluate(async (p) => {
    const r = await fetch(`/api/v1${p}`, { credentials: 'include' });
    return (await r.json()) as unknown;
  }, path) as Promise<T>;

type CellFc = { features: { properties: { h3: string; cls: string }; geometry: { coordinates: number[][][] } }[] };

describe('risk one-map and prevention projects', () => {
  let browser: Browser;
  let page: Page;
  let pageErrors: string[];

  beforeAll(async () => {
    ({ browser, page, pageErrors } = await openBrowser({ height: 1000 }));
    await page.goto(`${BASE}/risks/map`);
    await signIn(page, 'commander');
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('loads the one-map with the demo grid; a click on a major-risk cell shows what contributes', async () => {
    await page.locator('[data-testid=risk-one-map]').waitFor();
    // the demo's grid may still be computing when the server has just started
    await page.waitForFunction(
      () => Number(document.querySelector<HTMLElement>('[data-testid=risk-map]')?.dataset.cells) > 0,
      undefined,
      { timeout: 120_000 },
    );
    expect(await page.locator('[data-testid=risk-rule]').textContent()).toMatch(/R = H/);
    expect(await page.locator('[data-testid=risk-district-row]').count()).toBeGreaterThan(0);
    await page.locator('[data-testid=risk-district-chart] canvas').waitFor();
    // nothing over the cells: the census points would take the click
    await page.locator('[data-testid=kinds-hide-all]').click();
    const cells = await apiGet<CellFc>(page, '/risks/grid?format=geojson&minClass=major&limit=50');
    const cell = cells.features.find((f) => f.properties.cls === 'major') ?? cells.features[0];
    expect(cell).toBeDefined();
    const ring = cell.geometry.coordinates[0].slice(0, -1);
    const centre: [number, number] = [
      ring.reduce((s, c) => s + c[0], 0) / ring.length,
      ring.reduce((s, c) => s + c[1], 0) / ring.length,
    ];
    const map = page.locator('[data-testid=risk-map][data-ready=true]');
    await map.waitFor();
    await page.waitForTimeout(500);
    const view = JSON.parse((await map.getAttribute('data-view')) ?? '{}') as {
      lng: number;
      lat: number;
      zoom: number;
    };
    const box = await map.boundingBox();
    if (!box) throw new Error('no map');
    const [x, y] = pixelOf(centre, view, box);
    await page.mouse.click(x, y);
    const details = page.locator('[data-testid=cell-details]');
    await details.waitFor();
    expect(await details.getAttribute('data-h3')).toBe(cell.properties.h3);
    expect(await details.locator('[data-testid=risk-class]').getAttribute('data-class')).toBe(cell.properties.cls);
    expect(await page.locator('[data-testid=contribution-row]').count()).toBeGreaterThan(0);
    await page.screenshot({ path: `${SHOTS}risks-one-map.png`, fullPage: true });
  });

  it('lists the census layers', async () => {
    await page.goto(`${BASE}/risks/census`);
    await page.locator('[data-testid=census-row]').first().waitFor();
    expect(await page.locator('[data-testid=census-row]').count()).toBeGreaterThan(3);
  });

  it('lists the prevention projects under their summary per type', async () => {
    await page.goto(`${BASE}/risks/projects`);
    await page.locator('[data-testid=project-row]').first().waitFor();
    expect(await page.locator('[data-testid=project-row]').count()).toBeGreaterThan(2);
    const water = page.locator('[data-testid=summary-card][data-type=water_storage] [data-testid=summary-figure]');
    expect(await water.textContent()).toMatch(/\/ 178 /);
    // a project's drawer with its progress reports
    await page.locator('[data-testid=project-row]').first().click();
    await page.locator('[data-testid=project-detail]').waitFor();
    await page.screenshot({ path: `${SHOTS}risks-projects.png`, fullPage: true });
    expect(pageErrors).toEqual([]);
  });

  it('shows the risks near an incident', async () => {
    const list = await apiGet<{ items: { id: string; location: unknown }[] }>(page, '/incidents?limit=20');
    const incident = list.items.find((i) => i.location);
    expect(incident).toBeDefined();
    await page.goto(`${BASE}/incidents/${incident?.id}?panel=nearby-risks`);
    const panel = page.locator('[data-testid=nearby-risks]');
    await panel.waitFor();
    // the widest radius: the demo's layers lie around the city's districts
    await panel.locator('[data-testid=nearby-radius] .ant-segmented-item').last().click();
    await page.waitForFunction(
      () =>
        document.querySelectorAll('[data-testid=nearby-row]').length > 0 ||
        !!document.querySelector('[data-testid=nearby-empty]'),
    );
    const rows = await page.locator('[data-testid=nearby-row]').count();
    const empty = await page.locator('[data-testid=nearby-empty]').count();
    expect(rows > 0 || empty === 1).toBe(true);
    expect(pageErrors).toEqual([]);
  });
});
