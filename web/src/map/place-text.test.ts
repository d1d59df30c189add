import { describe, expect, it } from 'vitest';
import { placeKindLabel, placeLine, placeName } from './place-text.ts';

const shidao = {
  name: '石岛管理区',
  nameEn: 'Shidao Administrative Area',
  kind: 'area',
  demo: true,
  approximate: true,
  meters: 1234,
};

describe('a place as the search lists it', () => {
  it('names its kind and the other language, and says demo and approximate, in either language', () => {
    expect(placeLine(shidao, 'zh')).toBe('管理区 · Shidao Administrative Area · 1.2 km · 位置近似 · 示例数据');
    expect(placeLine(shidao, 'en')).toBe(
      'Administrative area · 石岛管理区 · 1.2 km · approximate position · demo data',
    );
    expect(placeName(shidao, 'en')).toBe('Shidao Administrative Area');
    expect(placeName({ name: '青岛路与文化路交叉口', nameEn: null }, 'en')).toBe('青岛路与文化路交叉口');
    expect(placeKindLabel('junction', 'zh')).toBe('路口');
    expect(
      placeLine({ ...shidao, meters: 80, demo: false, approximate: false, nameEn: null, kind: 'hospital' }, 'en'),
    ).toBe('Hospital · 80 m');
  });
});
