import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withCheckChar } from '../contracts/credit-code.ts';
import { BASE, openBrowser, SHOTS, signIn } from './browser.ts';

// Issue 14 (work safety) in a real browser: the commander registers an enterprise, the form refusing a credit code
// with a wrong check character before accepting the right one; then the GB 18218 calculator's result and working.

describe('work safety', () => {
  let browser: Browser;
  let page: Page;
  let pageErrors: string[];

  beforeAll(async () => {
    ({ browser, page, pageErrors } = await openBrowser({ height: 1000 }));
    await page.goto(`${BASE}/safety/enterprises`);
    await signIn(page, 'commander');
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('registers an enterprise: a wrong check character refused, the right one accepted', async () => {
    await page.locator('[data-testid=enterprise-row]').first().waitFor();
    expect(await page.locator('[data-testid=enterprise-row]').count()).toBeGreaterThan(5);
    await page.screenshot({ path: `${SHOTS}safety-enterprises.png`, fullPage: true });
    const code = withCheckChar(`91371002MA3F${String(Date.now() % 100000).padStart(5, '0')}`);
    const wrong = code.slice(0, 17) + (code[17] === 'A' ? 'B' : 'A');
    await page.click('[data-testid=new-enterprise]');
    await page.fill('[data-testid=enterprise-name]', '威海示例浏览器测试有限公司');
    await page.fill('[data-testid=enterprise-credit-code]', wrong.toLowerCase());
    await page.locator('[data-testid=enterprise-name]').click();
    await page.getByText('校验码（第 18 位）与前 17 位不符').waitFor();
    await page.locator('[data-testid=enterprise-industry]').click();
    await page.locator('.ant-select-item-option', { hasText: '工贸制造' }).click();
    await page.screenshot({ path: `${SHOTS}safety-enterprise-form.png` });
    await page.fill('[data-testid=enterprise-credit-code]', code);
    await page.locator('[data-testid=enterprise-name]').click();
    await page.locator('[data-testid=enterprise-save]').click();
    await page.locator('[data-testid=enterprise-title]', { hasText: '威海示例浏览器测试有限公司' }).waitFor();
    expect(await page.getByText(code).count()).toBeGreaterThan(0);
  });

  it('opens a demo enterprise with major hazards and risk points', async () => {
    await page.goto(`${BASE}/safety/enterprises?q=${encodeURIComponent('威海某化工')}`);
    await page.locator('[data-testid=enterprise-row]').first().click();
    await page.locator('[data-testid=enterprise-title]').waitFor();
    await page.getByRole('tab', { name: '重大危险源' }).click();
    await page.locator('[data-testid=hazard-units] .ant-table-row').first().waitFor();
    await page.screenshot({ path: `${SHOTS}safety-enterprise-hazards.png`, fullPage: true });
    await page.getByRole('tab', { name: '风险点' }).click();
    // the rule's words arrive with the grading setting: wait for them rather than read the placeholder
    await page.locator('[data-testid=risk-rule]', { hasText: '山东' }).waitFor();
    expect(await page.locator('[data-testid=risk-rule]').textContent()).toContain('山东');
    await page.screenshot({ path: `${SHOTS}safety-enterprise-risks.png`, fullPage: true });
  });

  it('adds a hazard unit with 液氯 125 t: the grade shown live, stored, and in the register', async () => {
    await page.goto(`${BASE}/safety/enterprises?q=${encodeURIComponent('威海某化工')}`);
    await page.locator('[data-testid=enterprise-row]').first().click();
    await page.locator('[data-testid=enterprise-title]').waitFor();
    await page.getByRole('tab', { name: '重大危险源' }).click();
    await page.click('[data-testid=new-hazard-unit]');
    const unitName = `液氯储罐区 ${Date.now() % 100000}`;
    await page.fill('[data-testid=hazard-unit-name]', unitName);
    await page.fill('[data-testid=hazard-unit-form] #inventories_0_name', '液氯');
    await page.locator('[data-testid=inventory-quantity-0]').fill('125');
    await page.locator('[data-testid=hazard-unit-people]').fill('10');
    // 氯: Q 5 t, β 4 (Table 3); α 1 (10 people): S = 25, R = 100 → 一级, worked in the browser before saving
    const grade = page.locator('[data-testid=hazard-unit-grade]');
    await grade.waitFor();
    expect(await grade.textContent()).toContain('一级');
    await page.screenshot({ path: `${SHOTS}safety-hazard-unit-form.png` });
    await page.keyboard.press('Control+Enter');
    const row = page.locator('[data-testid=hazard-units] .ant-table-row', { hasText: unitName });
    await row.waitFor();
    expect(await row.textContent()).toContain('一级');
    await page.goto(`${BASE}/safety/major-hazards?q=${encodeURIComponent(unitName)}`);
    const listed = page.locator('[data-testid=major-hazards] .ant-table-row', { hasText: unitName });
    await listed.waitFor();
    expect(await listed.textContent()).toContain('一级');
    await page.goto(`${BASE}/safety/major-hazards`);
    await page.locator('[data-testid=major-hazards] .ant-table-row').first().waitFor();
    await page.screenshot({ path: `${SHOTS}safety-major-hazards.png`, fullPage: true });
  });

  it('identifies a major hazard with the calculator and shows the working', async () => {
    await page.goto(`${BASE}/safety/gb18218`);
    const name = page.locator('[data-testid=gb18218-form] input').first();
    await name.fill('液氯');
    await page.locator('[data-testid=quantity-0]').fill('125');
    await page.locator('[data-testid=population]').fill('10');
    await page.click('[data-testid=gb18218-run]');
    const summary = page.locator('[data-testid=gb18218-summary]');
    await summary.waitFor();
    // 氯: Q 5 t, β 4; α 1 (10 people): S = 25, R = 100 → 一级
    expect(await summary.textContent()).toContain('一级');
    expect(await page.locator('[data-testid=gb18218-working]').textContent()).toContain('表3');
    await page.screenshot({ path: `${SHOTS}safety-gb18218.png`, fullPage: true });
  });

  it('shows the risk points by colour and the grading rule', async () => {
    await page.goto(`${BASE}/safety/risk-points`);
    await page.locator('[data-testid=risk-chart]').waitFor();
    await page.locator('[data-testid=risk-list] .ant-table-row').first().waitFor();
    await page.screenshot({ path: `${SHOTS}safety-risk-points.png`, fullPage: true });
    await page.goto(`${BASE}/safety/risk-grading`);
    await page.locator('[data-testid=grading-form]').waitFor();
    await page.screenshot({ path: `${SHOTS}safety-grading.png`, fullPage: true });
    expect(pageErrors).toEqual([]);
  });
});
