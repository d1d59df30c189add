/**
 * The city's sea areas: waters assigned to the city or to one of its districts, so that an incident at sea off
 * Weihai (an oil spill, a ship in distress) is Weihai's, seen by the district it is assigned to, and not "outside the
 * city". Land comes first: a point inside a district polygon is that district's whatever the sea areas cover.
 *
 * The demo's areas are drawn by hand (rectangles 20–40 km out, the land of the districts and the neighbouring cities
 * cut out of them): approximate, and marked so wherever they are shown. An installation loads its own from the marine administration's data.
 */
import type { Db, Tx } from '../platform/db/index.ts';
import * as repo from './sea-areas.repository.ts';

type Ring = [number, number][];
interface DemoSeaArea {
  code: string;
  name: string;
  nameEn: string;
  districtCode: string;
  ring: Ring;
}

/**
 * Weihai's waters as the demo draws them. Meridians part the districts' waters: Huancui's north of its coast west of
 * 122.32° E, Rongcheng's east of it and round the cape to 122.25° E in the south, Wendeng's to 121.85° E, Rushan's
 * to its border with Haiyang. The western edges stay east of the neighbouring city's (Yantai's) coasts.
 */
export const DEMO_SEA_AREAS: DemoSeaArea[] = [
  {
    code: 'sea-371002',
    name: '环翠区近岸海域（示意）',
    nameEn: 'Huancui coastal waters (approximate)',
    districtCode: '371002',
    ring: [
      [121.95, 37.4],
      [122.32, 37.4],
      [122.32, 37.85],
      [121.95, 37.85],
      [121.95, 37.4],
    ],
  },
  {
    code: 'sea-371082',
    name: '荣成市近岸海域（示意）',
    nameEn: 'Rongcheng coastal waters (approximate)',
    districtCode: '371082',
    ring: [
      [122.25, 36.4],
      [123.1, 36.4],
      [123.1, 37.85],
      [122.32, 37.85],
      [122.32, 37.4],
      [122.25, 37.4],
      [122.25, 36.4],
    ],
  },
  {
    code: 'sea-371003',
    name: '文登区近岸海域（示意）',
    nameEn: 'Wendeng coastal waters (approximate)',
    districtCode: '371003',
    ring: [
      [121.85, 36.4],
      [122.25, 36.4],
      [122.25, 37.0],
      [121.85, 37.0],
      [121.85, 36.4],
    ],
  },
  {
    code: 'sea-371083',
    name: '乳山市近岸海域（示意）',
    nameEn: 'Rushan coastal waters (approximate)',
    districtCode: '371083',
    ring: [
      [121.25, 36.4],
      [121.85, 36.4],
      [121.85, 36.95],
      [121.35, 36.85],
      [121.25, 36.4],
    ],
  },
];

/** Loads the demo's sea areas (once, on a demo installation); what exists is replaced by the same. */
export async function loadDemoSeaAreas(db: Db): Promise<string> {
  await db.transaction(async (trx: Tx) => {
    for (const a of DEMO_SEA_AREAS)
      await repo.upsertSeaArea(trx, {
        code: a.code,
        name: a.name,
        nameEn: a.nameEn,
        districtCode: a.districtCode,
        approximate: true,
        demo: true,
        source: 'Anlan demo: drawn by hand, approximate',
        geojson: JSON.stringify({ type: 'Polygon', coordinates: [a.ring] }),
      });
    await repo.clipSeaAreasToWater(
      trx,
      DEMO_SEA_AREAS.map((a) => a.code),
    );
  });
  return `sea areas: ${DEMO_SEA_AREAS.length} (demo, approximate)`;
}

/** The sea areas as a GeoJSON FeatureCollection (the map layer). */
export async function seaAreasGeojson(db: Db): Promise<object> {
  const rows = await repo.listSeaAreas(db.kysely);
  return {
    type: 'FeatureCollection',
    features: rows.map((r) => ({
      type: 'Feature',
      id: r.code,
      geometry: JSON.parse(r.geojson),
      properties: {
        code: r.code,
        name: r.name,
        nameEn: r.name_en,
        district: r.district_code,
        districtName: r.district_name ?? null,
        districtNameEn: r.district_name_en ?? null,
        approximate: r.approximate,
        demo: r.demo,
      },
    })),
  };
}
