/**
 * The demo's devices: stations of every kind at real places of Weihai (positions approximate, marked demo), and one
 * rain gauge with real history: three days of KNMI's hourly rainfall at Vlissingen (June 2020, the wettest hours of
 * the 2019–2022 series) moved in time to end at the current hour, so that its chart, roll-ups and the rainstorm
 * warning it raised (and lifted) show what a real station does. The file is read from ANLAN_SHARED_DATA.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DeviceInput } from '../../../contracts/monitoring.ts';
import { systemCtx } from '../../platform/core/context.ts';
import { createDevice, type MonitoringDeps, reloadRules } from './monitoring.service.ts';

const HOUR = 3_600_000;
export const KNMI_FILE = 'tabular/knmi_vlissingen_precip_hourly_2019-2022.csv';
export const KNMI_ATTRIBUTION = 'KNMI open data (Vlissingen hourly rainfall), shifted in time for the demo';

const at = (lng: number, lat: number) => ({ type: 'Point' as const, coordinates: [lng, lat] });

export const DEMO_DEVICES: (DeviceInput & { history?: boolean })[] = [
  {
    name: '环翠区 市区雨量站（演示·KNMI实测序列）',
    code: 'DEMO-RG-001',
    ownerUnit: 'swj',
    kind: 'rain_gauge',
    metrics: ['rain_mm'],
    location: at(122.1203, 37.5133),
    notes: '演示：降雨序列为荷兰 KNMI Vlissingen 站 2020-06-16…18 逐时实测，平移到当前时间。',
    offlineAfterMinutes: 120,
    history: true,
  },
  {
    name: '文登区 米山水库水位站（演示）',
    code: 'DEMO-WL-001',
    ownerUnit: 'swj',
    kind: 'water_level',
    metrics: ['water_level_m'],
    location: at(122.0046, 37.2012),
    params: { flood_limit_m: 26.5, warning_level_m: 28.0, guaranteed_level_m: 30.2 },
    notes: '演示：特征水位为示意值，不是米山水库的实际特征水位。',
  },
  {
    name: '荣成市 成山头气象站（演示）',
    code: 'DEMO-WS-001',
    ownerUnit: 'qxj',
    kind: 'weather_station',
    metrics: ['rain_mm', 'wind_speed_ms', 'wind_gust_ms', 'temperature_c', 'visibility_m'],
    location: at(122.6936, 37.3985),
  },
  {
    name: '乳山市 银滩气象站（演示）',
    code: 'DEMO-WS-002',
    ownerUnit: 'qxj',
    kind: 'weather_station',
    metrics: ['rain_mm', 'wind_speed_ms', 'wind_gust_ms', 'temperature_c', 'visibility_m'],
    location: at(121.6532, 36.8713),
  },
  {
    name: '经区 化工企业可燃气体探测器（演示）',
    code: 'DEMO-GAS-001',
    ownerUnit: 'yjj',
    kind: 'gas_detector',
    metrics: ['gas_lel_pct'],
    location: at(122.1472, 37.4446),
  },
  {
    name: '乳山市 尾矿库坝体位移监测（演示）',
    code: 'DEMO-DSP-001',
    ownerUnit: 'yjj',
    kind: 'displacement',
    metrics: ['displacement_mm'],
    location: at(121.5412, 36.9561),
  },
  {
    name: '环翠区 国际海水浴场客流计数（演示）',
    code: 'DEMO-CROWD-001',
    ownerUnit: 'whlyj',
    kind: 'crowd_counter',
    metrics: ['people_count'],
    location: at(122.0598, 37.5387),
    params: { capacity: 30_000 },
  },
  {
    name: '环翠区 威海港客运站视频（演示）',
    code: 'DEMO-CAM-001',
    ownerUnit: 'jtj',
    kind: 'camera',
    metrics: [],
    location: at(122.1362, 37.5078),
    streamUrl: 'rtsp://127.0.0.1:8554/demo',
  },
];

/** The KNMI series as [hour end (ms), mm]: `YYYY-MM-DD HH:MM:SS,metres` in UTC, the hour ending at its time. */
export function readKnmi(text: string): [number, number][] {
  const out: [number, number][] = [];
  for (const line of text.split('\n').slice(1)) {
    const [ts, v] = line.split(',');
    if (!ts || v === undefined || v === '') continue;
    out.push([Date.parse(`${ts.replace(' ', 'T')}Z`), Math.round(Number(v) * 10_000) / 10]);
  }
  return out;
}

export async function loadMonitoringDemo(deps: MonitoringDeps, sharedData?: string): Promise<string> {
  const ctx = systemCtx();
  // the seeded built-in rules: the history below raises (and lifts) its warning as a live station would
  await reloadRules(deps);
  let readings = 0;
  for (const d of DEMO_DEVICES) {
    const { history, ...input } = d;
    const { device } = await createDevice(deps, ctx, input, { demo: true });
    const file = sharedData ? join(sharedData, KNMI_FILE) : undefined;
    if (!history || !file || !existsSync(file)) continue;
    const series = readKnmi(readFileSync(file, 'utf8'));
    const from = Date.parse('2020-06-16T00:00:00Z');
    const to = Date.parse('2020-06-19T00:00:00Z');
    const slice = series.filter(([t]) => t > from && t <= to);
    const shift = Math.floor(deps.clock.now().getTime() / HOUR) * HOUR - to;
    const body = slice.map(([t, mm]) => ({ ts: new Date(t + shift).toISOString(), values: { rain_mm: mm } }));
    const r = await deps.ingestion.submit(device.id, body, 'demo');
    readings += r.accepted;
  }
  await deps.ingestion.drain();
  return `${DEMO_DEVICES.length} demo devices, ${readings} readings of real rainfall (KNMI)`;
}
