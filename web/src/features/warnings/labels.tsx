import { Tag } from 'antd';
import dayjs from 'dayjs';
import relativeTime from 'dayjs/plugin/relativeTime';
import { useMemo } from 'react';
import { COLOUR_INFO, type Colour } from '../../../../contracts/monitoring.ts';
import { WARNING_STATUS_INFO, type WarningStatus } from '../../../../contracts/warnings.ts';
import { EVENT_TYPES, isLeafType } from '../../api/contracts.ts';
import './warnings.css';

export { useDistrictLabel, useDistrictOptions, useLang } from '../../components/districts.ts';

import { useLang } from '../../components/districts.ts';

dayjs.extend(relativeTime);

export type Lang = 'zh' | 'en';
export const nameIn = (info: { zh: string; en: string }, lang: Lang) => (lang === 'en' ? info.en : info.zh);

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

/** `红色预警 (I)` / `Red (I)`. */
export function colourLabel(c: Colour, lang: Lang, long = false): string {
  const info = COLOUR_INFO[c];
  if (lang === 'en') return long ? `${info.en} (${info.level})` : info.en;
  return long ? `${info.zh}（${info.level}级）` : info.zh;
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
      {colourLabel(colour, lang, long)}
    </Tag>
  );
}

const STATUS_COLOR: Record<WarningStatus, string> = { raised: 'red', acknowledged: 'gold', lifted: 'default' };
export function WarningStatusTag({ status }: { status: WarningStatus }) {
  const lang = useLang();
  return (
    <Tag color={STATUS_COLOR[status]} style={{ marginInlineEnd: 0 }} data-status={status}>
      {nameIn(WARNING_STATUS_INFO[status], lang)}
    </Tag>
  );
}

/** GB/T 35561 types for a select: leaf types for a record; with classes for a filter. */
export function useHazardOptions(filter = false) {
  const lang = useLang();
  return useMemo(
    () =>
      EVENT_TYPES.filter((e) => (filter ? e.level >= 1 : isLeafType(e.code))).map((e) => ({
        value: e.code,
        label: `${e.code} ${lang === 'en' ? e.nameEn : e.name}`,
      })),
    [lang, filter],
  );
}
