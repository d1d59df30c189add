import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestPlatform, type TestPlatform } from '../../test/helpers.ts';
import { PermissionRegistry, reconcileGrants } from './permissions.ts';

let t: TestPlatform;
beforeAll(async () => {
  t = await startTestPlatform();
});
afterAll(() => t.stop());

const permissionsOf = async (role: string) =>
  (await t.platform.access.listRoles()).find((r) => r.code === role)!.permissions;

describe('permission grants', () => {
  it('give a newly declared permission to its default roles and admin once; a later removal sticks', async () => {
    const registry = new PermissionRegistry();
    for (const p of t.platform.access.permissions()) registry.add(p.module, [p]);
    registry.add('rehearsals', [
      { code: 'rehearsals.read', zh: '查看演练', en: 'View rehearsals', roles: ['duty_officer'] },
    ]);
    const db = t.platform.db;
    expect(await db.transaction((trx) => reconcileGrants(trx, registry, new Date()))).toEqual(['rehearsals.read']);
    expect(await permissionsOf('duty_officer')).toContain('rehearsals.read');
    expect(await permissionsOf('admin')).toContain('rehearsals.read');
    expect(await permissionsOf('viewer')).not.toContain('rehearsals.read');

    // an administrator takes it away from duty officers; the next start does not give it back
    const duty = (await t.platform.access.listRoles()).find((r) => r.code === 'duty_officer')!;
    await db.kysely
      .updateTable('roles')
      .set({ permissions: duty.permissions.filter((p) => p !== 'rehearsals.read') })
      .where('code', '=', 'duty_officer')
      .execute();
    expect(await db.transaction((trx) => reconcileGrants(trx, registry, new Date()))).toEqual([]);
    expect(await permissionsOf('duty_officer')).not.toContain('rehearsals.read');
  });

  it('keep admin holding every declared permission', async () => {
    const all = t.platform.access.permissions().map((p) => p.code);
    expect([...(await permissionsOf('admin'))].sort()).toEqual(expect.arrayContaining(all.sort()));
  });

  it('refuse a permission declared twice or not in module.action form', () => {
    const registry = new PermissionRegistry();
    registry.add('a', [{ code: 'x.read', zh: 'x', en: 'x', roles: [] }]);
    expect(() => registry.add('b', [{ code: 'x.read', zh: 'x', en: 'x', roles: [] }])).toThrow(/already declared by a/);
    expect(() => registry.add('b', [{ code: 'Read', zh: 'x', en: 'x', roles: [] }])).toThrow(/module.action/);
  });
});
