/**
 * The demo's rescue forces and analysis areas: fire stations, forest fire, professional, enterprise, volunteer,
 * aviation, communications and transport teams at Weihai's towns (positions approximate, names marked 演示), the
 * built-up areas drawn around the demo network's towns, a few forest areas and two chemical parks — all labelled
 * approximate: they exist so that the analyses can be seen, not as the city's facts.
 */
import type { ForceAreaInput, MemberInput, TeamInput } from '../../../contracts/forces.ts';
import { systemCtx } from '../../platform/core/context.ts';
import { demoLoaded } from './forces.repository.ts';
import { addMember, createAreas, createTeam, type ForcesDeps } from './forces.service.ts';

const at = (lng: number, lat: number) => ({ type: 'Point' as const, coordinates: [lng, lat] });

/** A rectangle of about w × h km around a centre, as a GeoJSON Polygon. */
function box(lng: number, lat: number, wKm: number, hKm: number): ForceAreaInput['geometry'] {
  const dx = wKm / 2 / (111.32 * Math.cos((lat * Math.PI) / 180));
  const dy = hKm / 2 / 111.32;
  const r = (x: number) => Math.round(x * 1e6) / 1e6;
  return {
    type: 'Polygon',
    coordinates: [
      [
        [r(lng - dx), r(lat - dy)],
        [r(lng + dx), r(lat - dy)],
        [r(lng + dx), r(lat + dy)],
        [r(lng - dx), r(lat + dy)],
        [r(lng - dx), r(lat - dy)],
      ],
    ],
  };
}

export const DEMO_AREAS: ForceAreaInput[] = [
  { kind: 'built_up', name: '环翠城区（演示）', geometry: box(122.116, 37.507, 6.4, 6.4), approximate: true },
  { kind: 'built_up', name: '文登城区（演示）', geometry: box(122.054, 37.196, 5.2, 5.2), approximate: true },
  { kind: 'built_up', name: '荣成城区（演示）', geometry: box(122.486, 37.163, 4.6, 4.6), approximate: true },
  { kind: 'built_up', name: '乳山城区（演示）', geometry: box(121.538, 36.918, 4.6, 4.6), approximate: true },
  { kind: 'built_up', name: '石岛城区（演示）', geometry: box(122.419, 36.886, 3.2, 3.2), approximate: true },
  { kind: 'forest', name: '里口山林区（演示）', geometry: box(122.058, 37.48, 4.5, 3.5), approximate: true },
  { kind: 'forest', name: '初村—文登林带（演示）', geometry: box(121.99, 37.35, 3, 3), approximate: true },
  { kind: 'forest', name: '伟德山林区（演示）', geometry: box(122.33, 37.075, 5, 4), approximate: true },
  { kind: 'forest', name: '大乳山林区（演示）', geometry: box(121.6, 36.87, 3, 2.5), approximate: true },
  { kind: 'chemical_park', name: '乳山化工园区（演示）', geometry: box(121.555, 36.93, 1.6, 1.2), approximate: true },
  { kind: 'chemical_park', name: '石岛化工园区（演示）', geometry: box(122.43, 36.9, 1.4, 1.2), approximate: true },
];

type DemoTeam = TeamInput & { members?: MemberInput[] };

const fire = (
  name: string,
  lng: number,
  lat: number,
  stationClass: TeamInput['stationClass'],
  headcount: number,
): DemoTeam => ({
  name,
  type: 'fire_rescue',
  stationClass,
  location: at(lng, lat),
  ownerUnit: 'xfzd',
  headcount,
  capabilities: ['灭火', '抢险救援'],
  vehicles: [
    { kind: 'vehicle', model: '水罐消防车', quantity: 2 },
    { kind: 'vehicle', model: '抢险救援消防车', quantity: 1 },
  ],
  equipment: [
    { code: '2010205', quantity: 40, note: '灭火防护服' },
    { code: '2020201', quantity: 6 },
  ],
  contacts: [{ name: '值班室', phone: '0631-5200119' }],
});

export function demoTeams(today: Date): DemoTeam[] {
  const day = (d: number) => new Date(today.getTime() + d * 86_400_000).toISOString().slice(0, 10);
  return [
    {
      ...fire('环翠区特勤消防站（演示）', 122.116, 37.507, 'special', 52),
      members: [
        {
          name: '张建国',
          role: '站长',
          phone: '13806310001',
          certificates: [{ name: '消防员国家职业资格（高级）', number: 'XF-2019-0012', expiresOn: day(400) }],
          training: [
            { course: '高层建筑灭火救援', hours: 16, date: day(-60) },
            { course: '危化品事故处置', hours: 24, date: day(-20) },
          ],
        },
        {
          name: '李海涛',
          role: '驾驶员',
          phone: '13806310002',
          certificates: [{ name: '消防车驾驶资格', number: 'JS-2021-0331', expiresOn: day(12) }],
          training: [{ course: '应急驾驶', hours: 8, date: day(-90) }],
        },
      ],
    },
    fire('环翠区一级消防站·东城（演示）', 122.14, 37.49, 'class1', 34),
    fire('环翠区二级消防站·西城（演示）', 122.09, 37.52, 'class2', 20),
    fire('文登区一级消防站（演示）', 122.054, 37.196, 'class1', 32),
    fire('荣成市一级消防站（演示）', 122.486, 37.163, 'class1', 31),
    fire('乳山市一级消防站（演示）', 121.538, 36.918, 'class1', 30),
    { ...fire('石岛小型消防站（演示）', 122.419, 36.886, 'small', 15), suburban: true },
    { ...fire('市战勤保障消防站（演示）', 122.1, 37.5, 'support', 45), status: 'on_duty' },
    {
      name: '威海市森林消防大队·初村中队（演示）',
      type: 'forest_fire',
      location: at(121.96, 37.43),
      ownerUnit: 'lyj',
      headcount: 28,
      capabilities: ['森林灭火', '以水灭火'],
      equipment: [{ code: '2010205', quantity: 30 }],
    },
    {
      name: '文登区森林消防专业队（演示）',
      type: 'forest_fire',
      location: at(122.054, 37.2),
      ownerUnit: 'lyj',
      headcount: 24,
      capabilities: ['森林灭火'],
    },
    {
      name: '乳山市森林消防专业队（演示）',
      type: 'forest_fire',
      location: at(121.54, 36.92),
      ownerUnit: 'lyj',
      headcount: 20,
      status: 'resting',
      capabilities: ['森林灭火'],
    },
    {
      name: '威海危化品应急救援队（演示）',
      type: 'professional',
      specialties: ['hazardous_chemicals'],
      location: at(121.55, 36.925),
      ownerUnit: 'yjj',
      headcount: 40,
      capabilities: ['侦检', '堵漏', '洗消'],
    },
    {
      name: '市政工程抢险队（演示）',
      type: 'professional',
      specialties: ['road', 'building_collapse'],
      location: at(122.12, 37.51),
      ownerUnit: 'zjj',
      headcount: 60,
    },
    {
      name: '市紧急医学救援队（演示）',
      type: 'professional',
      specialties: ['medical', 'epidemic'],
      location: at(122.11, 37.5),
      ownerUnit: 'wjw',
      headcount: 35,
    },
    {
      name: '威海蓝天救援队（演示）',
      type: 'volunteer',
      organisation: '威海市蓝天救援队',
      location: at(122.13, 37.5),
      ownerUnit: 'yjj',
      headcount: 80,
      capabilities: ['山地搜救', '水域救援'],
    },
    {
      name: '威海航空救援基地（演示）',
      type: 'aviation',
      location: at(122.229, 37.187),
      ownerUnit: 'yjj',
      radiusKm: 80,
      headcount: 12,
      vehicles: [{ kind: 'aircraft', model: 'H-135', registration: 'B-7xxx', quantity: 1, radiusKm: 80 }],
    },
    {
      name: '应急通信保障队（演示）',
      type: 'communications',
      location: at(122.12, 37.505),
      ownerUnit: 'lt',
      headcount: 18,
      vehicles: [{ kind: 'vehicle', model: '卫星通信车', quantity: 1 }],
    },
    {
      name: '应急运输保障车队（演示）',
      type: 'transport',
      location: at(122.06, 37.2),
      ownerUnit: 'jtj',
      headcount: 50,
      vehicles: [{ kind: 'vehicle', model: '厢式货车', quantity: 20 }],
    },
  ];
}

export async function loadForcesDemo(deps: ForcesDeps): Promise<string> {
  const ctx = systemCtx();
  const had = await demoLoaded(deps.db.kysely);
  if (!had.areas) await createAreas(deps, ctx, DEMO_AREAS, { demo: true });
  const teams = had.teams ? [] : demoTeams(deps.clock.now());
  for (const { members, ...input } of teams) {
    // a unit the installation does not have is left out rather than failing the demo
    const ownerUnit = input.ownerUnit && deps.units().has(input.ownerUnit) ? input.ownerUnit : undefined;
    const team = await createTeam(deps, ctx, { ...input, ownerUnit }, { demo: true });
    for (const m of members ?? []) await addMember(deps, ctx, team.id, m);
  }
  return `${teams.length} teams, ${DEMO_AREAS.length} areas`;
}
