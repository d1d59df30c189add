import { afterAll, describe, expect, it } from 'vitest';
import { ADMIN_PASSWORD, incidentBody, openTestApp } from '../helpers.ts';
import { freshDatabase } from '../template.ts';

describe('a restart', () => {
  const fresh = freshDatabase();
  afterAll(async () => (await fresh).drop());

  it('keeps incidents, users, sessions and the audit chain', async () => {
    const db = await fresh;
    const keep = { ...db, drop: async () => undefined };
    const first = await openTestApp(keep);
    const admin = await first.login('admin', ADMIN_PASSWORD);
    const created = (
      await first.api('POST', '/api/v1/incidents', { token: admin.token, body: incidentBody({ title: '重启之前' }) })
    ).json();
    await first.stop();

    const second = await openTestApp(keep);
    try {
      const got = await second.api('GET', `/api/v1/incidents/${created.id}`, { token: admin.token });
      expect(got.statusCode).toBe(200);
      expect(got.json().title).toBe('重启之前');
      expect(got.json().number).toBe(created.number);
      const next = (await second.api('POST', '/api/v1/incidents', { token: admin.token, body: incidentBody() })).json();
      expect(next.number).not.toBe(created.number);
      const v = (await second.api('GET', '/api/v1/audit/verify', { token: admin.token })).json();
      expect(v.firstTampered).toBeNull();
      expect(second.startupNotes).toContain('schema up to date');
    } finally {
      await second.stop();
    }
    // Opens the embedded database twice: slow on a loaded two-core machine.
  }, 300_000);
});
