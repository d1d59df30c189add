/**
 * The readings chart as an ECharts option, built from the API's reply without ECharts itself (so it is tested
 * without a canvas): raw readings as a line; hourly roll-ups as a min–max band with the mean (an additive metric,
 * rain, as its hourly total); the rules' thresholds as horizontal lines in their colours.
 */
import {
  COLOUR_INFO,
  type Colour,
  METRIC_INFO,
  type Metric,
  type ReadingsReply,
} from '../../../../contracts/monitoring.ts';

export type Threshold = ReadingsReply['thresholds'][number];

/** Functions whose threshold is in the metric's own unit and can stand on its axis (a rate or an absence cannot). */
const DRAWABLE_FNS = new Set(['value', 'max', 'min', 'sum']);

export interface ChartTexts {
  /** the series' names */
  value: string;
  mean: string;
  total: string;
  range: string;
  min: string;
  max: string;
  /** a threshold's label: `红色 · 3 h sum ≥ 50 mm` */
  threshold: (th: Threshold) => string;
  /** a value with its unit */
  format: (v: number) => string;
  /** a time for the tooltip */
  time: (iso: string) => string;
}

export interface ChartTheme {
  text: string;
  axis: string;
  split: string;
  line: string;
}

export interface ChartModel {
  option: Record<string, unknown>;
  /** thresholds drawn as lines */
  drawn: Threshold[];
  /** thresholds not drawn: far above the readings of a windowed function, or not in the metric's unit */
  notDrawn: Threshold[];
  /** how many points there are */
  count: number;
}

/** Light colours (yellow) need dark text. */
function textOn(bg: string): string {
  const n = Number.parseInt(bg.slice(1), 16);
  if (Number.isNaN(n)) return '#fff';
  const lum = ((n >> 16) & 255) * 0.299 + ((n >> 8) & 255) * 0.587 + (n & 255) * 0.114;
  return lum > 170 ? '#262626' : '#fff';
}

const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

/** Thresholds once each (several rules may carry the same line), most severe first. */
export function uniqueThresholds(ths: Threshold[]): Threshold[] {
  const seen = new Set<string>();
  const out: Threshold[] = [];
  for (const th of ths) {
    const key = `${th.colour}|${th.fn}|${th.windowMinutes ?? ''}|${th.value}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(th);
  }
  const rank = (c: string) => (c in COLOUR_INFO ? -Object.keys(COLOUR_INFO).indexOf(c) : 1);
  return out.sort((a, b) => rank(a.colour) - rank(b.colour) || b.value - a.value);
}

export function readingsChart(reply: ReadingsReply, texts: ChartTexts, theme: ChartTheme): ChartModel {
  const info = METRIC_INFO[reply.metric as Metric];
  const hourly = reply.resolution === 'hour';
  const additive = !!info?.additive;
  const pts = reply.points;
  // raw: [ts, value]; hour: [start, min, max, sum, mean, count]
  const main: [string, number | null][] = pts.map((p) =>
    hourly ? [String(p[0]), num(additive ? p[3] : p[4])] : [String(p[0]), num(p[1])],
  );
  const values = hourly && !additive ? pts.flatMap((p) => [num(p[1]), num(p[2])]) : main.map((p) => p[1]);
  const known = values.filter((v): v is number => v !== null);
  const dataMax = known.length ? Math.max(...known) : null;
  const dataMin = known.length ? Math.min(...known) : null;

  // a threshold of the value itself belongs on the axis however far it is; a windowed one (a 3-hour sum against
  // hourly amounts) is drawn only when the axis reaches it anyway, else listed under the chart
  const drawn: Threshold[] = [];
  const notDrawn: Threshold[] = [];
  for (const th of uniqueThresholds(reply.thresholds)) {
    if (!DRAWABLE_FNS.has(th.fn)) notDrawn.push(th);
    else if (th.fn === 'value' || dataMax === null || th.value <= dataMax * 1.5) drawn.push(th);
    else notDrawn.push(th);
  }
  const lineValues = drawn.map((th) => th.value);
  const top = Math.max(...[dataMax, ...lineValues].filter((v): v is number => v !== null));
  const bottom = Math.min(...[dataMin, ...lineValues].filter((v): v is number => v !== null));

  const markLine = {
    symbol: 'none',
    silent: false,
    animation: false,
    data: drawn.map((th) => {
      const color = COLOUR_INFO[th.colour as Colour]?.color ?? theme.text;
      return {
        yAxis: th.value,
        name: texts.threshold(th),
        lineStyle: { color, type: th.fn === 'value' ? 'solid' : 'dashed', width: 1.5 },
        // at the line's end, the value on the line's colour (the full wording is in the list under the chart)
        label: {
          formatter: texts.format(th.value),
          position: 'end',
          color: textOn(color),
          backgroundColor: color,
          padding: [1, 4],
          borderRadius: 2,
          fontSize: 11,
        },
      };
    }),
  };

  const series: Record<string, unknown>[] = [];
  if (hourly && !additive) {
    // the band: the minimum, then the span up to the maximum stacked on it
    series.push(
      {
        name: texts.min,
        type: 'line',
        data: pts.map((p) => [String(p[0]), num(p[1])]),
        stack: 'band',
        symbol: 'none',
        lineStyle: { opacity: 0 },
        tooltip: { show: false },
      },
      {
        name: texts.range,
        type: 'line',
        data: pts.map((p) => {
          const lo = num(p[1]);
          const hi = num(p[2]);
          return [String(p[0]), lo !== null && hi !== null ? hi - lo : null];
        }),
        stack: 'band',
        symbol: 'none',
        lineStyle: { opacity: 0 },
        areaStyle: { color: theme.line, opacity: 0.18 },
      },
    );
  }
  series.push({
    name: hourly ? (additive ? texts.total : texts.mean) : texts.value,
    type: 'line',
    data: main,
    showSymbol: main.length < 60,
    symbolSize: 4,
    step: hourly && additive ? 'start' : undefined,
    connectNulls: false,
    lineStyle: { color: theme.line, width: 1.6 },
    itemStyle: { color: theme.line },
    markLine,
  });

  const tooltip = {
    trigger: 'axis',
    formatter: (items: { dataIndex: number }[]) => {
      const i = items[0]?.dataIndex;
      if (i === undefined || !pts[i]) return '';
      const p = pts[i];
      const lines = [texts.time(String(p[0]))];
      if (!hourly) lines.push(`${texts.value}: ${num(p[1]) === null ? '—' : texts.format(num(p[1]) as number)}`);
      else {
        const f = (v: unknown) => (num(v) === null ? '—' : texts.format(num(v) as number));
        if (additive) lines.push(`${texts.total}: ${f(p[3])}`);
        else lines.push(`${texts.mean}: ${f(p[4])}`, `${texts.min}: ${f(p[1])}`, `${texts.max}: ${f(p[2])}`);
      }
      return lines.join('<br/>');
    },
  };

  // the axis follows the readings (ECharts picks readable bounds) unless a drawn threshold lies beyond them: then
  // it reaches the threshold, rounded to a readable number
  const span = dataMax !== null && dataMin !== null ? dataMax - dataMin : 0;
  const pad = Math.max(span * 0.08, Math.abs(top) * 0.02, 1e-6);
  const reachUp = dataMax === null ? lineValues.length > 0 : lineValues.some((v) => v > dataMax);
  const reachDown = dataMin === null ? lineValues.length > 0 : lineValues.some((v) => v < dataMin);
  const fromZero = info?.min === 0;
  const option = {
    animation: false,
    grid: { left: 56, right: 72, top: 28, bottom: 56 },
    tooltip,
    xAxis: {
      type: 'time',
      // hours within a day, the date where a day begins
      axisLabel: {
        color: theme.text,
        hideOverlap: true,
        formatter: { day: '{MM}-{dd}', hour: '{HH}:{mm}', minute: '{HH}:{mm}' },
      },
      axisLine: { lineStyle: { color: theme.axis } },
    },
    yAxis: {
      type: 'value',
      name: info?.unit ?? '',
      nameTextStyle: { color: theme.text },
      // amounts and counts from zero; levels and temperatures around their readings
      scale: !fromZero,
      min: fromZero ? 0 : reachDown && Number.isFinite(bottom) ? roundDown(bottom - pad) : undefined,
      max: reachUp && Number.isFinite(top) ? roundUp(top + pad) : undefined,
      axisLabel: { color: theme.text },
      splitLine: { lineStyle: { color: theme.split } },
    },
    dataZoom: [{ type: 'inside' }, { type: 'slider', height: 18, bottom: 8 }],
    series,
  };
  return { option, drawn, notDrawn, count: pts.length };
}

/** Up to a readable number (30.496 → 31, 0.216 → 0.22). */
function roundUp(v: number): number {
  const mag = 10 ** (Math.floor(Math.log10(Math.max(Math.abs(v), 1e-9))) - 1);
  return Number((Math.ceil(v / mag) * mag).toPrecision(12));
}

/** Down to a readable number (3.37 → 3.3, 142.5 → 140). */
function roundDown(v: number): number {
  const mag = 10 ** (Math.floor(Math.log10(Math.max(Math.abs(v), 1e-9))) - 1);
  return Number((Math.floor(v / mag) * mag).toPrecision(12));
}
