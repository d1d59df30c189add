/**
 * The demo's place list: Weihai's towns (镇), subdistricts (街道) and 石岛管理区 by district, at their seats. The names
 * are the real ones; the positions are approximate (placed by hand, not surveyed) and every row says so: `demo` and
 * `approximate`, shown as such wherever a place is listed or found. Districts as the county-level units they belong
 * to (the development zones 高区, 经区 and 临港区 are not county-level: their towns count under 环翠区). Each point lies on
 * land inside its district's polygon (the shared DataV boundaries), which a test checks.
 */
import { pinyin } from 'pinyin-pro';
import { recordAudit } from '../../platform/audit/audit.ts';
import type { RequestCtx } from '../../platform/core/context.ts';
import { emitEvent } from '../../platform/events/events.ts';
import * as repo from './places.repository.ts';
import { committedPlaces, type PlaceDeps } from './places.service.ts';

/** [name, lon, lat] by district code */
export const WEIHAI_TOWNS: Record<string, [string, number, number][]> = {
  // 环翠区 with 高区, 经区 and 临港区
  '371002': [
    ['环翠楼街道', 122.118, 37.507],
    ['鲸园街道', 122.13, 37.515],
    ['竹岛街道', 122.11, 37.495],
    ['孙家疃街道', 122.16, 37.54],
    ['戚谷疃街道', 122.09, 37.53],
    ['张村镇', 122.06, 37.47],
    ['羊亭镇', 121.99, 37.44],
    ['温泉镇', 122.07, 37.42],
    ['田和街道', 122.06, 37.52],
    ['怡园街道', 122.045, 37.53],
    ['初村镇', 121.95, 37.48],
    ['双岛街道', 121.992, 37.488],
    ['皇冠街道', 122.13, 37.475],
    ['凤林街道', 122.147, 37.45],
    ['西苑街道', 122.11, 37.468],
    ['泊于镇', 122.2, 37.38],
    ['崮山镇', 122.22, 37.43],
    ['桥头镇', 122.3, 37.33],
    ['草庙子镇', 122.0, 37.33],
    ['汪疃镇', 122.04, 37.29],
    ['苘山镇', 121.95, 37.37],
    ['蔄山镇', 121.93, 37.307],
  ],
  // 文登区
  '371003': [
    ['龙山街道', 122.06, 37.195],
    ['天福街道', 122.045, 37.21],
    ['环山街道', 122.075, 37.18],
    ['文登营镇', 122.09, 37.25],
    ['大水泊镇', 122.23, 37.24],
    ['张家产镇', 121.93, 37.13],
    ['高村镇', 122.02, 37.0],
    ['泽库镇', 121.98, 36.98],
    ['侯家镇', 122.16, 37.05],
    ['宋村镇', 122.24, 37.102],
    ['泽头镇', 122.1, 37.02],
    ['小观镇', 122.05, 36.94],
    ['葛家镇', 121.953, 37.215],
    ['米山镇', 121.94, 37.19],
    ['界石镇', 121.88, 37.28],
  ],
  // 荣成市
  '371082': [
    ['石岛管理区', 122.43, 36.895],
    ['崖头街道', 122.486, 37.165],
    ['城西街道', 122.43, 37.16],
    ['寻山街道', 122.58, 37.2],
    ['崂山街道', 122.463, 37.105],
    ['宁津街道', 122.54, 36.977],
    ['港湾街道', 122.433, 36.892],
    ['桃园街道', 122.42, 36.91],
    ['王连街道', 122.38, 36.92],
    ['东山街道', 122.47, 36.93],
    ['斥山街道', 122.4, 36.88],
    ['俚岛镇', 122.57, 37.24],
    ['成山镇', 122.56, 37.38],
    ['埠柳镇', 122.38, 37.32],
    ['港西镇', 122.32, 37.26],
    ['夏庄镇', 122.32, 37.13],
    ['崖西镇', 122.4, 37.18],
    ['荫子镇', 122.3, 37.05],
    ['滕家镇', 122.44, 37.06],
    ['大疃镇', 122.34, 37.09],
    ['上庄镇', 122.3, 36.99],
    ['虎山镇', 122.38, 37.0],
    ['人和镇', 122.45, 36.99],
  ],
  // 乳山市
  '371083': [
    ['城区街道', 121.537, 36.919],
    ['夏村镇', 121.56, 36.89],
    ['乳山口镇', 121.5, 36.84],
    ['海阳所镇', 121.643, 36.817],
    ['白沙滩镇', 121.62, 36.84],
    ['大孤山镇', 121.66, 36.93],
    ['南黄镇', 121.76, 36.93],
    ['冯家镇', 121.49, 37.0],
    ['下初镇', 121.6, 37.02],
    ['午极镇', 121.48, 37.1],
    ['育黎镇', 121.57, 37.08],
    ['崖子镇', 121.42, 37.08],
    ['诸往镇', 121.37, 37.0],
    ['乳山寨镇', 121.45, 36.93],
    ['徐家镇', 121.38, 36.85],
  ],
};

const SUFFIXES: [string, string, string][] = [
  ['管理区', 'area', 'Administrative Area'],
  ['街道', 'subdistrict', 'Subdistrict'],
  ['镇', 'town', 'Town'],
];

/** 石岛管理区 → area, "Shidao Administrative Area" (the stem in pinyin, as the official English names write it) */
export function townOf(name: string): { kind: string; nameEn: string } {
  const [suffix, kind, en] = SUFFIXES.find(([s]) => name.endsWith(s)) ?? ['', 'town', ''];
  const stem = pinyin(name.slice(0, name.length - suffix.length), { toneType: 'none', type: 'array' }).join('');
  return { kind, nameEn: `${stem[0].toUpperCase()}${stem.slice(1)}${en ? ` ${en}` : ''}` };
}

/** Loads the demo's towns and streets once (when the list holds no demo place yet). */
export async function loadPlaceDemo(deps: PlaceDeps, ctx: RequestCtx): Promise<string> {
  const had = await repo.listListPlaces(deps.db.kysely, { demo: true }, { limit: 1, offset: 0 });
  if (had.total > 0) return `places: ${had.total} demo places already loaded`;
  const now = deps.clock.now();
  let n = 0;
  await deps.db.transaction(async (trx) => {
    for (const [district, towns] of Object.entries(WEIHAI_TOWNS)) {
      for (const [name, lon, lat] of towns) {
        const t = townOf(name);
        await repo.insertListPlace(trx, {
          id: deps.ids.next(),
          name,
          nameEn: t.nameEn,
          kind: t.kind,
          lon,
          lat,
          districtCode: district,
          approximate: true,
          demo: true,
          note: '示例数据，位置为近似的镇街驻地 / demo data, approximate seat',
          by: ctx.actor.name,
          unit: null,
          now,
        });
        n++;
      }
    }
    await recordAudit(trx, ctx, now, { action: 'place.demo_loaded', entity: 'place', after: { places: n } });
    await emitEvent(trx, now, {
      type: 'places.changed',
      entity: 'place',
      entityId: null,
      payload: { demo: n },
      visibility: { permission: 'geo.read', internal: true },
    });
  });
  committedPlaces(deps);
  return `places: ${n} demo towns and subdistricts of Weihai (approximate positions)`;
}
