import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ADMIN_PASSWORD, incidentBody, openTestApp } from '../helpers.ts';
import { freshDatabase } from '../template.ts';

describe('a restart', () => {
  let fresh: Awaited<ReturnType<typeof freshDatabase>>;
  beforeAll(async () => {
    fresh = await freshDatabase();
  });
  afterAll(() => fresh?.drop());

  it('keeps incidents, users, sessions and the audit chain', async () => {
    const keep = { ...fresh, drop: async () => undefined };
    const first = await openTestApp(keep);
    const admin = await first.login('admin', ADMIN_PASSWORD);
    const created = (
      await first.api('POST', '/api/v1/incidents', { token: admin.token, body: incidentBody({ title: '重启之前' }) })
    ).json();
    const user = await first.api('POST', '/api/v1/org/users', {
      token: admin.token,
      body: {
        username: 'before_restart',
        displayName: '重启前',
        unitCode: 'yjj',
        roles: ['viewer'],
        scope: 'city',
        password: 'Before-restart-1',
      },
    });
    expect(user.statusCode).toBe(201);
    await first.close();

    // The second app is built from modules evaluated again: nothing the first kept in memory (the authentication
    // cache, any module's state) can answer for the database.
    vi.resetModules();
    const { openTestApp: openAgain } = await import('../helpers.ts');
    const second = await openAgain(keep);
    try {
      // the session made before the restart
      const got = await second.api('GET', `/api/v1/incidents/${created.id}`, { token: admin.token });
      expect(got.statusCode).toBe(200);
      expect(got.json().title).toBe('重启之前');
      expect(got.json().number).toBe(created.number);
      // the user made before the restart, with their password
      const signedIn = await second.api('POST', '/api/v1/auth/login', {
        body: { username: 'before_restart', password: 'Before-restart-1' },
      });
      expect(signedIn.statusCode).toBe(200);
      expect(signedIn.json().user.roles).toEqual(['viewer']);
      const next = (await second.api('POST', '/api/v1/incidents', { token: admin.token, body: incidentBody() })).json();
      expect(next.number).not.toBe(created.number);
      const v = (await second.api('GET', '/api/v1/audit/verify', { token: admin.token })).json();
      expect(v.firstTampered).toBeNull();
      expect(v.checked).toBeGreaterThanOrEqual(4);
      expect(second.startupNotes).toContain('schema up to date');
    } finally {
      await second.close();
    }
  });
});
