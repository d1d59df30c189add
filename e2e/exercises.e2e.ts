import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiLogin, BASE, openBrowser, SHOTS, signIn } from './browser.ts';

// Drill mode in a real browser: the commander opens an exercise prepared through the API, starts it (the shell's
// 演练 banner appears), plays an inject now, and the incident it made carries the 演练 tag on its page.

describe('an exercise', () => {
  let browser: Browser;
  let page: Page;
  let pageErrors: string[];

  beforeAll(async () => {
    ({ browser, page, pageErrors } = await openBrowser());
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('starts, plays an inject now, and its incident is tagged 演练', async () => {
    const token = await apiLogin('commander');
    const title = `E2E 演练 ${Date.now()}`;
    const created = await fetch(`${BASE}/api/v1/exercises`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({
        title,
        scenario: '环翠区某小区燃气泄漏，演练接报、研判与调派。',
        content: 'single',
        form: 'tabletop',
        planName: '威海市燃气事故应急预案',
        organiserUnit: 'yjj',
        participants: ['yjj'],
        director: '演练总导演',
        injects: [
          {
            offsetSeconds: 1800,
            kind: 'incident',
            title: `${title} 燃气泄漏`,
            payload: { typeCode: '12D02', location: { type: 'Point', coordinates: [122.12, 37.5] }, address: '环翠区' },
          },
          { offsetSeconds: 3600, kind: 'message', title: '下风向居民', payload: { text: '下风向有学校。' } },
        ],
      }),
    });
    expect(created.status, await created.clone().text()).toBe(201);
    const ex = (await created.json()) as { id: string };

    await page.goto(`${BASE}/`);
    await signIn(page, 'commander');
    await page.waitForSelector('.ant-layout-sider, nav', { timeout: 30_000 });

    await page.goto(`${BASE}/exercises`);
    await page.locator('a', { hasText: title }).waitFor({ timeout: 15_000 });
    await page.screenshot({ path: `${SHOTS}exercises-list.png` });

    await page.goto(`${BASE}/exercises/${ex.id}/edit`);
    await page.locator(`input[value="${title}"]`).waitFor({ timeout: 15_000 });
    await page.screenshot({ path: `${SHOTS}exercise-editor.png`, fullPage: true });

    await page.goto(`${BASE}/exercises/${ex.id}`);
    await page.getByRole('button', { name: '开始演练' }).click();
    await page.locator('.ant-modal-confirm .ant-btn-primary').click();
    // the shell's banner: an exercise is running
    await page.locator('.exercise-banner', { hasText: title }).waitFor({ timeout: 15_000 });
    await page.getByRole('button', { name: '立即播放' }).first().click();
    const link = page.locator('a', { hasText: /事件 WH-/ });
    await link.waitFor({ timeout: 15_000 });
    await page.screenshot({ path: `${SHOTS}exercise-console.png`, fullPage: true });

    await link.click();
    await page.waitForSelector('[data-testid=incident-detail]');
    const tag = page.locator('[data-testid=incident-detail] [data-testid=exercise-tag]');
    await tag.waitFor({ timeout: 15_000 });
    expect(await tag.textContent()).toBe('演练');
    await page.screenshot({ path: `${SHOTS}exercise-incident.png` });

    // end it: the measurements are frozen and the report downloads
    await page.goto(`${BASE}/exercises/${ex.id}`);
    await page.getByRole('button', { name: '结束演练' }).click();
    await page.locator('.ant-modal-confirm .ant-btn-primary').click();
    await page.locator('.ant-tag', { hasText: '已结束' }).waitFor({ timeout: 15_000 });
    await page.screenshot({ path: `${SHOTS}exercise-ended.png`, fullPage: true });
    expect(pageErrors).toEqual([]);
  });
});
