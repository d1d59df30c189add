import { describe, expect, it } from 'vitest';
import type { Actor } from '../core/context.ts';
import { canSee } from './scope.ts';

const actor = (scope: Actor['scope'], unitCode: string): Actor => ({
  kind: 'user',
  id: 'u',
  name: 'u',
  unitCode,
  scope,
  roles: [],
  permissions: new Set(['tasks.read']),
});

describe('canSee: the stream’s rule', () => {
  const task = { permission: 'tasks.read', unit: 'xfzd', district: '371002', unitOnly: true };
  it('gives a department only its own unit’s records addressed to one unit, and everything else as before', () => {
    expect(canSee(actor('department', 'xfzd'), task)).toBe(true);
    expect(canSee(actor('department', 'wjw'), task)).toBe(false);
    expect(canSee(actor('department', 'wjw'), { ...task, unitOnly: false })).toBe(true);
    expect(canSee(actor('city', 'yjj'), task)).toBe(true);
    // a district sees what happens in its district as before
    expect(canSee(actor('district', '371002'), task)).toBe(true);
    expect(canSee(actor('district', '371003'), task)).toBe(false);
    expect(canSee(actor('department', 'xfzd'), { ...task, permission: 'other.read' })).toBe(false);
  });
});
