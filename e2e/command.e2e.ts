import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiLogin, BASE, openBrowser, SHOTS, signIn } from './browser.ts';

// Issue 12 in a real browser: a hazardous-chemicals leak is reported; the commander opens it, finds the demo's
// chemicals plan suggested on the Response tab, activates it and sees the departments' tasks on the board; the
// Reports tab shows the initial report's clock, the Dispatch tab the teams ranked by road; the duty board opens.

describe('command and response', () => {
  let browser: Browser;
  let page: Page;
  let incidentId: string;
  let pageErrors: string[];

  beforeAll(async () => {
    const token = await apiLogin('commander');
    const created = await fetch(`${BASE}/api/v1/incidents`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        title: 'E2E 化工园区储罐泄漏',
        typeCode: '12D02',
        occurredAt: new Date(Date.now() - 10 * 60_000).toISOString(),
        location: { type: 'Point', coordinates: [122.13, 37.5] },
        address: '环翠区',
        // three dead: level III under Order 493, which the demo's chemicals plan (minLevel III) answers
        casualties: { deaths: 3, injured: 2 },
      }),
    });
    expect(created.status).toBe(201);
    incidentId = ((await created.json()) as { id: string }).id;

    ({ browser, page, pageErrors } = await openBrowser({ height: 1000 }));
    await page.goto(`${BASE}/incidents/${incidentId}`);
    await signIn(page, 'commander');
    await page.waitForSelector('[data-testid=incident-panels]');
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('activates the suggested plan and sees the departments’ tasks, the report clock and the nearest teams', async () => {
    await page.goto(`${BASE}/incidents/${incidentId}?panel=response`);
    const panel = page.locator('[data-testid=response-panel]');
    await panel.getByText('危险化学品', { exact: false }).first().waitFor();
    await panel
      .getByRole('button', { name: /^启\s?动$/ })
      .first()
      .click();
    await page
      .locator('.ant-modal-confirm')
      .getByRole('button', { name: /^启\s?动$/ })
      .click();
    await page.locator('[data-testid=task-card]').first().waitFor();
    const tasks = await page.locator('[data-testid=task-card]').count();
    expect(tasks).toBeGreaterThan(1);
    await page.locator('[data-testid=incident-panels]').scrollIntoViewIfNeeded();
    await page.screenshot({ path: `${SHOTS}command-response.png`, fullPage: true });

    // the log says it in words
    await page.locator('[data-testid=incident-log]').getByText('启动预案', { exact: false }).first().waitFor();
    // its kind is named in the reader's language, not by its code
    expect(await page.locator('[data-testid=incident-log]').textContent()).not.toContain('plan_activated');

    await page.goto(`${BASE}/incidents/${incidentId}?panel=reports`);
    await page.locator('[data-testid=report-status-initial-1]').waitFor();
    await page.locator('[data-testid=incident-panels]').scrollIntoViewIfNeeded();
    await page.screenshot({ path: `${SHOTS}command-reports.png`, fullPage: true });

    await page.goto(`${BASE}/incidents/${incidentId}?panel=dispatch`);
    await page.locator('[data-testid=dispatch-send]').first().waitFor();
    await page.locator('[data-testid=incident-panels]').scrollIntoViewIfNeeded();
    await page.screenshot({ path: `${SHOTS}command-dispatch.png`, fullPage: true });

    await page.goto(`${BASE}/duty`);
    await page.getByText('E2E 化工园区储罐泄漏', { exact: false }).first().waitFor();
    await page.screenshot({ path: `${SHOTS}command-duty-board.png`, fullPage: true });
    expect(pageErrors).toEqual([]);
  });
});
