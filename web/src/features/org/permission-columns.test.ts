import { describe, expect, it } from 'vitest';
import type { RoleRecord } from '../../api/contracts.ts';
import { permissionColumns } from './permission-columns.ts';

const role = (permissions: string[]) => ({ code: 'r', name: 'r', nameEn: 'r', permissions, version: 1 }) as RoleRecord;
const summary = (groups: ReturnType<typeof permissionColumns>) =>
  groups.map((g) => [g.module, g.perms.map((p) => (p.info ? `${p.code}=${p.info.name}` : p.code))]);

describe('permission columns of the roles page', () => {
  it('groups the server’s permissions by module, in its order, with its names', () => {
    const groups = permissionColumns(
      [
        { code: 'warnings.issue', module: 'warnings', name: '发布预警', nameEn: 'Issue warnings' },
        { code: 'incidents.read', module: 'incidents', name: '查看事件', nameEn: 'Read incidents' },
        { code: 'warnings.read', module: 'warnings', name: '查看预警', nameEn: 'Read warnings' },
      ],
      [],
    );
    expect(summary(groups)).toEqual([
      ['warnings', ['warnings.issue=发布预警', 'warnings.read=查看预警']],
      ['incidents', ['incidents.read=查看事件']],
    ]);
  });

  it('shows the codes the roles hold, grouped by their prefix, when the list cannot be read', () => {
    const groups = permissionColumns([], [role(['incidents.read', 'geo.read']), role(['incidents.log', 'drills.run'])]);
    expect(summary(groups)).toEqual([
      ['incidents', ['incidents.read', 'incidents.log']],
      ['geo', ['geo.read']],
      ['drills', ['drills.run']],
    ]);
    expect(groups.flatMap((g) => g.perms).every((p) => p.info === null)).toBe(true);
    expect(groups.at(-1)?.perms.map((p) => p.code)).toEqual(['drills.run']);
  });
});
