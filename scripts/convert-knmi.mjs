#!/usr/bin/env node
// `node scripts/convert-knmi.mjs IN OUT`: KNMI's hourly rainfall of a station, as in
// ../shared/data/tabular/knmi_vlissingen_precip_hourly_2019-2022.csv, to a readings CSV that Anlan imports and
// `npx anlan replay` publishes: `ts,rain_mm`.
//
// The input: header `,RH`, then `YYYY-MM-DD HH:MM:SS,<metres>`, times in UTC (KNMI's hourly data are in UT).
// KNMI's hourly files give each value under hour HH = 1…24 with "uurvak 05 loopt van 04.00 UT tot 5.00 UT": the
// value is the rain of the hour ENDING at HH. This file follows that: its first time is 2019-01-01 01:00 (HH 1 of
// 1 January) and its last 2023-01-01 00:00 (HH 24 of 31 December). Anlan's `rain_mm` is the rain of the interval
// ending at `ts`, so the times are kept as they are. KNMI's RH is in 0.1 mm with −1 for "less than 0.05 mm"; here
// it is already in metres and has no negative values (the trace amounts are 0), so: mm = metres × 1000, rounded to
// 0.1 mm (the resolution of the source), which also drops the float noise (0.00030000000000000003 m → 0.3 mm).
import { readFileSync, writeFileSync } from 'node:fs';

const [input, output] = process.argv.slice(2);
if (!input || !output) {
  console.error('usage: node scripts/convert-knmi.mjs IN OUT');
  process.exit(2);
}
const lines = readFileSync(input, 'utf8').split(/\r?\n/);
if (lines[0].trim() !== ',RH') {
  console.error(`${input}: expected the header ",RH", found "${lines[0]}"`);
  process.exit(1);
}
const out = ['ts,rain_mm'];
for (let i = 1; i < lines.length; i++) {
  const line = lines[i].trim();
  if (!line) continue;
  const m = /^(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2}),(-?\d+(?:\.\d+)?(?:[eE]-?\d+)?)$/.exec(line);
  if (!m) {
    console.error(`${input}:${i + 1}: not "YYYY-MM-DD HH:MM:SS,metres": ${line}`);
    process.exit(1);
  }
  const metres = Number(m[3]);
  if (metres < 0) {
    console.error(`${input}:${i + 1}: a negative amount (KNMI's −1 = "< 0.05 mm" in 0.1 mm units?): ${line}`);
    process.exit(1);
  }
  out.push(`${m[1]}T${m[2]}Z,${Math.round(metres * 10_000) / 10}`);
}
writeFileSync(output, `${out.join('\n')}\n`);
console.log(`${output}: ${out.length - 1} hourly readings (ts,rain_mm)`);
