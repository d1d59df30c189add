import { describe, expect, it } from 'vitest';
import type { RouteReply } from '../../../api/contracts.ts';
import { translateFile as tr } from '../../../i18n/translate-file.ts';
import { distanceM } from '../../../map/geo-math.ts';
import en from '../i18n/en.json';
import zh from '../i18n/zh-CN.json';
import { directionsText, spokenDistance, spokenTime, stepPieces, stepSentence } from './route-text.ts';

type Step = RouteReply['steps'][number];
const step = (maneuver: Step['maneuver'], name: string, nameEn: string, meters = 100, exit?: number): Step => ({
  maneuver,
  name,
  nameEn,
  meters,
  seconds: meters / 10,
  ...(exit ? { exit } : {}),
});

describe('route directions as read out', () => {
  const steps: Step[] = [
    step('depart', '统一路', 'Tongyi Road', 1234),
    step('turn_left', '青岛路', 'Qingdao Road', 456),
    step('roundabout', '海滨路', 'Binhai Road', 300, 2),
    step('uturn', '海滨路', 'Binhai Road', 80),
    step('arrive', '海滨路', 'Binhai Road', 0),
  ];

  it('says each step in the UI language, with the road and the exit', () => {
    expect(steps.map((s, i) => stepSentence(s, steps[i - 1], false, tr(zh)))).toEqual([
      '从统一路出发',
      '左转进入青岛路',
      '进入环岛，从第 2 个出口驶出，进入海滨路',
      '沿海滨路掉头',
      '到达终点（海滨路）',
    ]);
    expect(stepSentence(steps[2], steps[1], true, tr(en))).toBe('At the roundabout, take exit 2 onto Binhai Road');
    expect(stepSentence(steps[1], steps[0], true, tr(en))).toBe('Turn left onto Qingdao Road');
  });

  it('rounds distances and times as one says them', () => {
    expect(spokenDistance(456, tr(zh))).toBe('460 米');
    expect(spokenDistance(3, tr(en))).toBe('10 m');
    expect(spokenDistance(1234, tr(en))).toBe('1.2 km');
    expect(spokenDistance(23_456, tr(en))).toBe('23 km');
    expect(spokenTime(42.4, tr(en))).toBe('42 s');
    expect(spokenTime(125, tr(zh))).toBe('2 分钟');
  });

  it('gives the directions as numbered lines to paste into a message', () => {
    const r = { steps } as RouteReply;
    expect(directionsText(r, true, tr(en)).split('\n')).toEqual([
      '1. Start on Tongyi Road (1.2 km)',
      '2. Turn left onto Qingdao Road (460 m)',
      '3. At the roundabout, take exit 2 onto Binhai Road (300 m)',
      '4. Make a U-turn on Binhai Road (80 m)',
      '5. Arrive at the destination on Binhai Road',
    ]);
  });

  it('cuts the route line into the pieces the steps cover', () => {
    // an L: 1 km east then 1 km north, told as two steps of 1 km each (and the arrival)
    const line: [number, number][] = [
      [122, 37.5],
      [122.005, 37.5],
      [122.0113, 37.5],
      [122.0113, 37.509],
    ];
    const east = distanceM(line[0], line[2]);
    const north = distanceM(line[2], line[3]);
    const pieces = stepPieces(line, [{ meters: east }, { meters: north }, { meters: 0 }]);
    expect(pieces[0]).toHaveLength(3);
    expect(pieces[0][0]).toEqual(line[0]);
    expect(pieces[0][2][0]).toBeCloseTo(line[2][0], 6);
    expect(pieces[1][0][0]).toBeCloseTo(line[2][0], 6);
    expect(pieces[1][1]).toEqual(line[3]);
    expect(pieces[2]).toEqual([]);
  });
});
