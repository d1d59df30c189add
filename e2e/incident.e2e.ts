import { readFile } from 'node:fs/promises';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_PASSWORD, BASE, openBrowser, SHOTS, signIn } from './browser.ts';

describe('incident intake, register and command map', () => {
  let browser: Browser;
  let page: Page;
  const external: string[] = [];
  let pageErrors: string[];
  const serverHost = new URL(BASE).host;

  beforeAll(async () => {
    expect(ADMIN_PASSWORD, 'ANLAN_ADMIN_PASSWORD must be set').not.toBe('');
    ({ browser, page, pageErrors } = await openBrowser({
      args: ['--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
      context: { acceptDownloads: true },
    }));
    // The platform must work on an intranet without internet: nothing may be fetched from another host.
    page.on('request', (req) => {
      const url = new URL(req.url());
      if ((url.protocol === 'http:' || url.protocol === 'https:' || url.protocol === 'ws:') && url.host !== serverHost)
        external.push(req.url());
    });
  });

  afterAll(async () => {
    await browser?.close();
  });

  it('logs in as admin, registers an incident in 环翠区 and sees it in the register and on the map', async () => {
    const title = `E2E 测试：环翠区仓库火灾 ${Date.now().toString(36)}`;

    // --- login (Chinese by default)
    await page.goto(`${BASE}/`);
    await page.waitForSelector('[data-testid=login-form]');
    expect(await page.textContent('.login-title')).toContain('安澜 · 威海市应急保障一体化平台');
    await signIn(page, 'admin', ADMIN_PASSWORD);
    // admin lands on the command map
    await page.waitForSelector('[data-testid=command-map][data-incident-count]', { timeout: 30_000 });

    // --- the register, and the create form
    await page.click('a[href="/incidents"]');
    await page.waitForSelector('[data-testid=new-incident]');
    await page.click('[data-testid=new-incident]');
    await page.waitForSelector('[data-testid=incident-form]');
    // the title field has focus on open
    await page.keyboard.type(title);
    expect(await page.inputValue('#incident-title')).toBe(title);

    // type: search by name and take the first match with Enter (a type, never a class with types under it)
    await page.click('#incident-type');
    await page.keyboard.type('火灾');
    await page.locator('.ant-select-item-option', { hasText: '火灾' }).first().waitFor();
    await page.keyboard.press('Enter');
    const picked = (await page.locator('[data-testid=incident-form] .ant-select-content').first().textContent()) ?? '';
    expect(picked).toMatch(/^\d{2}[A-Z]\d{2} .*火灾/);

    // location: click the small map, then set exact coordinates inside 环翠区
    await page.waitForSelector('[data-testid=location-map] canvas');
    const box = await page.locator('[data-testid=location-map]').boundingBox();
    expect(box).not.toBeNull();
    await page.mouse.click(box!.x + box!.width * 0.55, box!.y + box!.height * 0.3);
    await expect.poll(() => page.inputValue('#location-lng')).not.toBe('');
    await page.fill('#location-lng', '122.12');
    await page.locator('#location-lng').blur();
    await page.fill('#location-lat', '37.50');
    await page.locator('#location-lat').blur();
    await page.fill('#incident-address', '环翠区 E2E 测试地址');
    await page.locator('input[id="casualties_injured"]').fill('2');

    const created = page.waitForResponse(
      (r) => r.url().endsWith('/api/v1/incidents') && r.request().method() === 'POST',
    );
    await page.click('[data-testid=incident-submit]');
    const response = await created;
    expect(response.status(), await response.text()).toBeLessThan(300);
    const incident = (await response.json()) as {
      id: string;
      number: string;
      district: { code: string } | null;
      location: { coordinates: number[] };
    };
    expect(incident.location.coordinates).toEqual([122.12, 37.5]);
    expect(incident.district?.code).toBe('371002');
    await page.waitForSelector('[data-testid=incident-form-drawer]', { state: 'detached' });

    // --- it is in the register
    const row = page.locator(`[data-testid=incident-row][data-number="${incident.number}"]`);
    await row.waitFor({ timeout: 15_000 });
    expect(await row.textContent()).toContain(title);
    expect(await row.textContent()).toContain('环翠区');
    await page.screenshot({ path: `${SHOTS}register.png` });

    // --- the register exports to Excel
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid=export-incidents]')]);
    expect(download.suggestedFilename()).toMatch(/^事件登记-incidents-.*\.xlsx$/);
    const bytes = await readFile((await download.path())!);
    expect(bytes.subarray(0, 2).toString()).toBe('PK');

    // --- the detail page opens from the row
    await row.click();
    await page.waitForSelector('[data-testid=incident-detail]');
    expect(await page.textContent('[data-testid=incident-detail]')).toContain(incident.number);
    await page.waitForSelector('[data-testid=point-map] canvas');
    await page.screenshot({ path: `${SHOTS}detail.png` });

    // --- and on the command map
    await page.click('a[href="/map"]');
    const map = page.locator('[data-testid=command-map][data-incident-count]');
    await map.waitFor({ timeout: 30_000 });
    const item = page.locator(`[data-testid=map-incident-item][data-number="${incident.number}"]`);
    await item.waitFor({ timeout: 15_000 });
    const drawn = Number(await map.getAttribute('data-incident-count'));
    expect(drawn).toBeGreaterThan(0);
    await item.click();
    const popup = page.locator('[data-testid=incident-popup]');
    await popup.waitFor();
    expect(await popup.textContent()).toContain(incident.number);
    await page.waitForTimeout(800); // let the camera settle for the screenshot
    await page.screenshot({ path: `${SHOTS}command-map.png` });

    // --- live update: an incident created elsewhere (here: through the API in this session) appears by itself
    const liveTitle = `E2E 实时推送 ${Date.now().toString(36)}`;
    await page.waitForSelector('[data-testid=stream-state][data-state=open]', { timeout: 15_000 });
    const before = Number(await map.getAttribute('data-incident-count'));
    const live = await page.evaluate(async (t) => {
      const csrf = sessionStorage.getItem('anlan.csrf') ?? '';
      const res = await fetch('/api/v1/incidents', {
        method: 'POST',
        credentials: 'same-origin',
        headers: { 'content-type': 'application/json', 'x-csrf-token': csrf },
        body: JSON.stringify({
          title: t,
          typeCode: '11B03',
          occurredAt: new Date().toISOString(),
          location: { type: 'Point', coordinates: [122.05, 37.45] },
        }),
      });
      return { status: res.status, body: (await res.json()) as { number: string } };
    }, liveTitle);
    expect(live.status).toBeLessThan(300);
    await page
      .locator(`[data-testid=map-incident-item][data-number="${live.body.number}"]`)
      .waitFor({ timeout: 5_000 });
    await expect.poll(async () => Number(await map.getAttribute('data-incident-count'))).toBe(before + 1);
    // announced by the alarm of its level (IV: a notice in the corner)
    await page.waitForSelector('[data-testid=alert-notice]', { timeout: 5_000 });

    // --- nothing left the server
    expect(external, `requests to other hosts: ${external.join(', ')}`).toEqual([]);
    expect(pageErrors).toEqual([]);
  });

  it('shows the level rules and lets the admin change the natural-disaster table and restore the default', async () => {
    const getRules = () =>
      page.evaluate(async () => {
        const res = await fetch('/api/v1/incidents/level-rules', { credentials: 'same-origin' });
        return (await res.json()) as {
          natural: { id: string; verified: boolean; criteria: { field: string; I: number; II: number; III: number }[] };
        };
      });
    const setNumber = async (testid: string, value: number) => {
      const input = page.locator(`[data-testid=${testid}] input, input[data-testid=${testid}]`).first();
      await input.fill(String(value));
      await input.blur();
    };

    await page.click('a[href="/admin/level-rules"]');
    await page.waitForSelector('[data-testid=rule-accident]');
    // the default table is the superseded 2016 edition and says so; Order 493 is read-only
    expect(await page.textContent('[data-testid=rule-natural]')).toContain('2016');
    await page.waitForSelector('[data-testid=rule-natural] [data-testid=rule-unverified]');
    expect(await page.locator('[data-testid=rule-accident] button').count()).toBe(0);

    // I > II > III is checked on the row before anything is sent
    await page.click('[data-testid=rule-edit]');
    await page.waitForSelector('[data-testid=rule-form]');
    await setNumber('rule-III-0', 150);
    await page.click('[data-testid=rule-save]');
    const rowError = page.locator('.criterion-item').first().locator('.ant-form-item-explain-error');
    await rowError.waitFor();
    expect(await rowError.textContent()).toContain('I 级 > II 级 > III 级');
    expect((await getRules()).natural.criteria[0].III).toBe(50);

    // a valid change is saved and is what the server now uses
    await setNumber('rule-III-0', 40);
    await page.click('[data-testid=rule-verified]');
    await page.click('[data-testid=rule-save]');
    await page.waitForSelector('.ant-message-success');
    await page.waitForSelector('[data-testid=rule-form]', { state: 'detached' });
    const saved = (await getRules()).natural;
    expect(saved.criteria[0]).toEqual({ field: 'deaths', I: 200, II: 100, III: 40 });
    expect(saved.verified).toBe(true);
    expect(await page.locator('[data-testid=rule-natural] [data-testid=rule-unverified]').count()).toBe(0);
    await page.screenshot({ path: `${SHOTS}level-rules.png`, fullPage: true });

    // and the 2016 default comes back with one button (and a save)
    await page.click('[data-testid=rule-restore-default]');
    await page.waitForSelector('[data-testid=rule-form]');
    await page.click('[data-testid=rule-save]');
    await page.waitForSelector('[data-testid=rule-form]', { state: 'detached' });
    const restored = (await getRules()).natural;
    expect(restored.id).toBe('natural-2016');
    expect(restored.verified).toBe(false);
    expect(restored.criteria).toEqual([
      { field: 'deaths', I: 200, II: 100, III: 50 },
      { field: 'relocated', I: 2_000_000, II: 1_000_000, III: 500_000 },
    ]);

    expect(external, `requests to other hosts: ${external.join(', ')}`).toEqual([]);
    expect(pageErrors).toEqual([]);
  });

  it('routes on the synthetic network, closes a road on the map, and the route takes the detour', async () => {
    await page.goto(`${BASE}/map`);
    const map = page.locator('[data-testid=command-map][data-incident-count]');
    await map.waitFor({ timeout: 60_000 });
    // the demo network says it is not real
    // (the tag on the map, not the folded attribution that says the same)
    const tag = page.locator('[data-testid=synthetic-tag]');
    await tag.waitFor();
    expect(await tag.textContent()).toContain('示例路网（合成，非真实道路）');
    const at = (lon: number, lat: number) =>
      page.evaluate(
        ([lo, la]) => {
          const m = (
            document.querySelector('[data-testid=command-map]') as unknown as {
              anlanMap: { project(p: [number, number]): { x: number; y: number }; getCanvas(): HTMLCanvasElement };
            }
          ).anlanMap;
          const p = m.project([lo, la]);
          const r = m.getCanvas().getBoundingClientRect();
          return { x: r.left + p.x, y: r.top + p.y };
        },
        [lon, lat] as [number, number],
      );
    const jump = (zoom: number) =>
      page.evaluate((z) => {
        const m = (
          document.querySelector('[data-testid=command-map]') as unknown as {
            anlanMap: { jumpTo(o: object): void };
          }
        ).anlanMap;
        m.jumpTo({ center: [122.116, 37.505], zoom: z });
      }, zoom);
    const A: [number, number] = [122.108, 37.4986];
    const B: [number, number] = [122.124, 37.509];

    // route between two street corners of 环翠
    await jump(14);
    await page.click('[data-testid=tool-route]');
    for (const p of [A, B]) {
      const px = await at(...p);
      await page.mouse.click(px.x, px.y);
    }
    await page.waitForSelector('[data-testid=route-result]', { timeout: 15_000 });
    const routeText = await page.locator('[data-testid=route-panel]').textContent();
    expect(routeText).toMatch(/\d+(\.\d+)? km/);
    // directions a dispatcher can read out: a start, at least one turn onto a named road, the arrival
    const steps = page.locator('[data-testid=route-step]');
    expect(await steps.count()).toBeGreaterThanOrEqual(3);
    expect(await steps.first().textContent()).toMatch(/示例/);
    await page.screenshot({ path: `${SHOTS}map-route.png` });
    const route = () =>
      page.evaluate(
        async ([from, to]) => {
          const r = await fetch('/api/v1/geo/route', {
            method: 'POST',
            credentials: 'same-origin',
            headers: { 'content-type': 'application/json', 'x-csrf-token': sessionStorage.getItem('anlan.csrf') ?? '' },
            body: JSON.stringify({ from, to }),
          });
          return (await r.json()) as { seconds: number; roadIds: number[] };
        },
        [A, B],
      );
    const before = await route();
    expect(before.seconds).toBeGreaterThan(0);
    await page.keyboard.press('Escape');

    // close the road the route uses first, picked on the map
    const closureCount = async () =>
      page.evaluate(async () => {
        const r = await fetch('/api/v1/closures?state=active', { credentials: 'same-origin' });
        return ((await r.json()) as { total: number }).total;
      });
    const closuresBefore = await closureCount();
    await jump(15);
    await page.click('[data-testid=tool-closure]');
    const px = await at(122.116, 37.5);
    await page.mouse.click(px.x, px.y);
    await page.waitForSelector('[data-testid=closure-road]', { timeout: 15_000 });
    await page.fill('#closure-cause', 'E2E：路面塌陷');
    await page.click('[data-testid=closure-submit]');
    await expect.poll(closureCount, { timeout: 10_000 }).toBe(closuresBefore + 1);
    await page.screenshot({ path: `${SHOTS}map-closure.png` });
    const closed = await page.evaluate(async () => {
      const r = await fetch('/api/v1/closures?state=active&limit=1', { credentials: 'same-origin' });
      return ((await r.json()) as { items: { roadIds: number[] }[] }).items[0].roadIds;
    });
    const after = await route();
    expect(after.roadIds.filter((id) => closed.includes(id))).toEqual([]);
    expect(after.seconds).toBeGreaterThanOrEqual(before.seconds);
    expect(external, `requests to other hosts: ${external.join(', ')}`).toEqual([]);
    expect(pageErrors).toEqual([]);
  });
});
