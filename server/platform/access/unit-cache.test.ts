// The units a module keeps: a code not known is read again (a unit added while the server runs), concurrent misses
// share one read, and a code that does not exist stays unknown.
import { describe, expect, it } from 'vitest';
import type { OrgUnit } from '../../../contracts/org.ts';
import { UnitCache } from './unit-cache.ts';

type Row = Omit<OrgUnit, 'hasBoundary'>;
const unit = (code: string, name: string): Row => ({
  id: code,
  code,
  name,
  nameEn: name,
  kind: 'enterprise',
  parentCode: null,
  population: null,
  populationDemo: false,
  version: 1,
});

describe('UnitCache', () => {
  it('reads the units again for a code added since, once for concurrent asks, and keeps the shape it picks', async () => {
    const rows = [unit('yjj', '应急管理局')];
    let reads = 0;
    const listUnits = async () => {
      reads++;
      return [...rows];
    };
    const cache = new UnitCache({ listUnits }, (u) => ({ code: u.code, name: u.name }));
    await cache.load();
    expect(reads).toBe(1);
    expect(await cache.find('yjj')).toEqual({ code: 'yjj', name: '应急管理局' });
    expect(reads).toBe(1);
    // an enterprise registered meanwhile (elsewhere): the map alone does not know it, find reads again
    rows.push(unit('QY-1', '某化工企业'));
    expect(cache.map().get('QY-1')).toBeUndefined();
    const [a, b] = await Promise.all([cache.find('QY-1'), cache.find('QY-1')]);
    expect(a).toEqual({ code: 'QY-1', name: '某化工企业' });
    expect(b).toEqual(a);
    expect(reads).toBe(2);
    expect(cache.map().get('QY-1')).toEqual(a);
    // no such unit: undefined after a read
    expect(await cache.find('nope')).toBeUndefined();
    expect(reads).toBe(3);
  });
});
