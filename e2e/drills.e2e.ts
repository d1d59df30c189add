import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BASE, openBrowser, SHOTS, signIn } from './browser.ts';

// Issue 14 part 8 in a real browser: the commander opens drill compliance with the demo data (overdue items first,
// the rules in force with their basis), then a drill record's page (participants, evaluation, actions).

describe('drills', () => {
  let browser: Browser;
  let page: Page;
  let pageErrors: string[];

  beforeAll(async () => {
    ({ browser, page, pageErrors } = await openBrowser({ height: 1000 }));
    await page.goto(`${BASE}/drills/compliance`);
    await signIn(page, 'commander');
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('shows overdue subjects first on the compliance page, with the rules in force', async () => {
    await page.locator('[data-testid=compliance-row]').first().waitFor();
    const first = await page.locator('[data-testid=compliance-row]').first().textContent();
    expect(first).toContain('已逾期');
    expect(await page.locator('[data-testid=rules-in-force]').textContent()).toContain('第708号');
    await page.screenshot({ path: `${SHOTS}drills-compliance.png`, fullPage: true });
  });

  it('edits a compliance rule: the government plan rule to 24 months (Order 708 art. 8), saved with its version', async () => {
    await page.goto(`${BASE}/drills/compliance`);
    await page.locator('[data-testid=rules-edit]').click();
    const months = page.locator('[data-testid=rule-months-government_plan]');
    await months.fill('24');
    // the basis and the Order 708 note stay visible while editing
    expect(await page.locator('[data-testid=rules-form]').textContent()).toContain('第708号');
    await page.screenshot({ path: `${SHOTS}drills-rules-form.png`, fullPage: true });
    await page.locator('[data-testid=rules-save]').click();
    await page.locator('[data-testid=rules-form]').waitFor({ state: 'detached' });
    expect(await page.locator('[data-testid=rules-in-force]').textContent()).toContain('每 24 个月');
  });

  it("opens a drill record's page", async () => {
    await page.goto(`${BASE}/drills/records`);
    await page.locator('[data-testid=drill-row]').first().waitFor();
    await page.screenshot({ path: `${SHOTS}drills-records.png`, fullPage: true });
    await page.locator('[data-testid=drill-row]').first().click();
    await page.locator('[data-testid=drill-page]').waitFor();
    expect(await page.locator('[data-testid=attendance]').textContent()).toMatch(/实到 \d+ \/ \d+ 人/);
    await page.screenshot({ path: `${SHOTS}drills-record.png`, fullPage: true });
    expect(pageErrors).toEqual([]);
  });
});
