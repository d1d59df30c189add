import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BASE, openBrowser, SHOTS, signIn } from './browser.ts';

// Issue 14's hidden dangers in a real browser: the commander opens the treatment dashboard with the demo's figures,
// the register, reports a danger from the desk and assigns it on its page, and sees the inspections and the field
// app's 隐患上报 form.

describe('hidden dangers', () => {
  let browser: Browser;
  let page: Page;
  let pageErrors: string[];

  beforeAll(async () => {
    ({ browser, page, pageErrors } = await openBrowser({ height: 1000 }));
    await page.goto(`${BASE}/dangers/dashboard`);
    await signIn(page, 'commander');
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('shows the treatment dashboard with the demo figures', async () => {
    await page.locator('[data-testid=danger-kpis]').waitFor();
    await page.locator('[data-testid=chart-district] canvas').waitFor();
    const open = await page.locator('[data-testid=danger-kpis] .ant-statistic-content-value').first().textContent();
    expect(Number(open ?? 0)).toBeGreaterThan(0);
    await page.waitForTimeout(800);
    await page.screenshot({ path: `${SHOTS}dangers-dashboard.png`, fullPage: true });
  });

  it('lists the register and reports a danger, then assigns it on its page', async () => {
    await page.goto(`${BASE}/dangers`);
    await page.locator('[data-testid=danger-row]').first().waitFor();
    expect(await page.locator('[data-testid=danger-row]').count()).toBeGreaterThan(5);
    await page.screenshot({ path: `${SHOTS}dangers-register.png`, fullPage: true });
    await page.click('[data-testid=new-danger]');
    await page.fill('[data-testid=danger-title]', '浏览器测试：消防通道堆放杂物');
    // a public place: the district is chosen (no enterprise)
    await page.locator('.ant-drawer #district').click();
    await page.locator('.ant-select-dropdown:visible .ant-select-item-option').first().click();
    await page.click('[data-testid=danger-report-submit]');
    await page.locator('[data-testid=danger-steps]').waitFor();
    await page.click('[data-testid=step-assign]');
    await page.fill('[data-testid=step-person]', '王安全');
    await page.click('[data-testid=step-confirm]');
    await page.locator('[data-testid=step-start]').waitFor();
    expect(await page.locator('[data-testid=danger-steps] .ant-timeline-item').count()).toBe(2);
    await page.screenshot({ path: `${SHOTS}danger-page.png`, fullPage: true });
  });

  it('lists inspections and opens the field form', async () => {
    await page.goto(`${BASE}/inspections`);
    await page.locator('.page-title').waitFor();
    await page.click('[data-testid=new-inspection]');
    await page.click('[data-testid=add-finding]');
    await page.locator('[data-testid=finding-row]').waitFor();
    await page.screenshot({ path: `${SHOTS}inspections.png`, fullPage: true });
    await page.goto(`${BASE}/field`);
    await page.getByRole('tab', { name: '隐患上报' }).click();
    await page.locator('[data-testid=field-danger-title]').waitFor();
    await page.setViewportSize({ width: 390, height: 900 });
    await page.screenshot({ path: `${SHOTS}field-danger.png`, fullPage: true });
    expect(pageErrors).toEqual([]);
  });
});
