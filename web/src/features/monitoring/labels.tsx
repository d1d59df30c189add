import { Tag } from 'antd';
import dayjs from 'dayjs';
import relativeTime from 'dayjs/plugin/relativeTime';
import {
  COLOUR_INFO,
  type Colour,
  DEVICE_KIND_INFO,
  DEVICE_STATUS_INFO,
  type Device,
  type DeviceKind,
  type DeviceStatus,
  METRIC_INFO,
  type Metric,
} from '../../../../contracts/monitoring.ts';

import './monitoring.css';

export { useDistrictLabel, useDistrictOptions, useLang } from '../../components/districts.ts';

import { useLang } from '../../components/districts.ts';

dayjs.extend(relativeTime);

export type Lang = 'zh' | 'en';

/** A name of the contracts' tables in the reader's language. */
export const nameIn = (info: { zh: string; en: string }, lang: Lang) => (lang === 'en' ? info.en : info.zh);
export const kindName = (k: DeviceKind, lang: Lang) => nameIn(DEVICE_KIND_INFO[k], lang);
export const metricName = (m: string, lang: Lang) => (m in METRIC_INFO ? nameIn(METRIC_INFO[m as Metric], lang) : m);

/** A value with its metric's unit, rounded as the metric is measured: `12.5 mm`, `1 234` people. */
export function formatValue(metric: string, value: number, lang: Lang): string {
  const info = METRIC_INFO[metric as Metric];
  const digits = info?.integer ? 0 : Math.abs(value) >= 100 ? 1 : 2;
  const n = Number(value.toFixed(digits)).toLocaleString(lang === 'en' ? 'en-US' : 'zh-CN', {
    maximumFractionDigits: digits,
  });
  const unit = info?.unit ?? '';
  if (!unit) return metric === 'people_count' && lang === 'zh' ? `${n} 人` : n;
  return unit.startsWith('%') || unit === '℃' ? `${n}${unit}` : `${n} ${unit}`;
}

/** `3 minutes ago`, in the UI language (dayjs's locale follows it). */
export function fromNow(iso: string | null | undefined): string {
  if (!iso) return '—';
  const d = dayjs(iso);
  return d.isValid() ? d.fromNow() : iso;
}

/** Light colours (yellow) need dark text. */
export function textOn(bg: string): string {
  const n = Number.parseInt(bg.slice(1), 16);
  const lum = ((n >> 16) & 255) * 0.299 + ((n >> 8) & 255) * 0.587 + (n & 255) * 0.114;
  return lum > 170 ? '#262626' : '#fff';
}

export function DeviceStatusTag({ status }: { status: DeviceStatus }) {
  const lang = useLang();
  const info = DEVICE_STATUS_INFO[status];
  return (
    <Tag className="device-status-tag" style={{ marginInlineEnd: 0 }} data-status={status}>
      <span className="status-dot" style={{ background: info.color }} />
      {nameIn(info, lang)}
    </Tag>
  );
}

export function ColourTag({ colour, long }: { colour: Colour; long?: boolean }) {
  const lang = useLang();
  const info = COLOUR_INFO[colour];
  return (
    <Tag
      variant="solid"
      color={info.color}
      style={{ color: textOn(info.color), marginInlineEnd: 0, fontWeight: 500 }}
      data-colour={colour}
    >
      {lang === 'en' ? `${info.en}${long ? ` (${info.level})` : ''}` : `${info.zh}${long ? `（${info.level}级）` : ''}`}
    </Tag>
  );
}

/** The latest value of each metric, with units: `降雨量 1.2 mm · 水位 3.41 m`. */
export function LatestValues({ device, compact }: { device: Pick<Device, 'latest' | 'metrics'>; compact?: boolean }) {
  const lang = useLang();
  const metrics = device.metrics.filter((m) => device.latest[m]);
  if (!metrics.length) return <span className="muted">—</span>;
  return (
    <span className="latest-values">
      {metrics.map((m) => (
        <span key={m} className="latest-value" title={metricName(m, lang)}>
          {!compact && <span className="muted">{metricName(m, lang)} </span>}
          <span className="mono">{formatValue(m, device.latest[m].value, lang)}</span>
        </span>
      ))}
    </span>
  );
}

/** A window's length in words: 180 → 3 h, 90 → 90 min, 2880 → 2 d. */
export function windowText(minutes: number | null | undefined, lang: 'zh' | 'en'): string {
  if (!minutes) return '';
  if (minutes % 1440 === 0) return lang === 'en' ? `${minutes / 1440} d` : `${minutes / 1440}天`;
  if (minutes % 60 === 0) return lang === 'en' ? `${minutes / 60} h` : `${minutes / 60}小时`;
  return lang === 'en' ? `${minutes} min` : `${minutes}分钟`;
}
