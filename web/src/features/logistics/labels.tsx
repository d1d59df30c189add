import { Select, Tag } from 'antd';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  ORDER_STATE_INFO,
  type OrderState,
  RESERVE_TYPE_INFO,
  type ReserveType,
  WAREHOUSE_TIER_INFO,
  type WarehouseTier,
} from '../../../../contracts/logistics.ts';
import { useLang } from '../../components/districts.ts';
import { useSupplyItems } from './logistics-api.ts';
import { type ExpiryState, nameIn } from './logistics-text.ts';

import './logistics.css';

export { useDistrictLabel, useDistrictOptions, useLang } from '../../components/districts.ts';
export { nameIn } from './logistics-text.ts';

export const RESERVE_COLORS: Record<ReserveType, string> = {
  government: '#1677ff',
  agreement: '#52c41a',
  capacity: '#fa8c16',
  social: '#722ed1',
};
const TIER_COLORS: Record<WarehouseTier, string> = { city: 'magenta', district: 'geekblue', town: 'default' };
export const ORDER_STATE_COLORS: Record<OrderState, string> = {
  planned: 'default',
  loaded: 'processing',
  en_route: 'blue',
  delivered: 'success',
  cancelled: 'default',
};

export function TierTag({ tier }: { tier: WarehouseTier }) {
  const lang = useLang();
  return <Tag color={TIER_COLORS[tier]}>{nameIn(WAREHOUSE_TIER_INFO[tier], lang)}</Tag>;
}

export function ReserveLabel({ type }: { type: ReserveType }) {
  const lang = useLang();
  return (
    <span className="reserve-label">
      <span className="type-dot" style={{ background: RESERVE_COLORS[type] }} />
      {nameIn(RESERVE_TYPE_INFO[type], lang)}
    </span>
  );
}

export function OrderStateTag({ state }: { state: OrderState }) {
  const lang = useLang();
  return (
    <Tag color={ORDER_STATE_COLORS[state]} data-state={state}>
      {nameIn(ORDER_STATE_INFO[state], lang)}
    </Tag>
  );
}

export function ExpiryTag({ state }: { state: ExpiryState | null }) {
  const { t } = useTranslation('logistics');
  if (state === 'expired') return <Tag color="red">{t('stock.expired')}</Tag>;
  if (state === 'soon') return <Tag color="orange">{t('stock.expiringSoon')}</Tag>;
  return null;
}

/** An item of the catalogue, searched by code, name or pinyin initials as one types. */
export function ItemSelect({
  value,
  onChange,
  described = true,
  placeholder,
  style,
  testId,
  allowClear,
}: {
  value?: string;
  onChange?: (v: string | undefined) => void;
  described?: boolean;
  placeholder?: string;
  style?: React.CSSProperties;
  testId?: string;
  allowClear?: boolean;
}) {
  const { t } = useTranslation('logistics');
  const lang = useLang();
  const [q, setQ] = useState('');
  const items = useSupplyItems(q || undefined, described && !q, 50);
  const options = useMemo(() => {
    const list = items.data?.items ?? [];
    const opts = list.map((x) => ({
      value: x.code,
      label: `${x.code} ${lang === 'en' && x.nameEn ? x.nameEn : x.name}${x.unit ? ` (${x.unit})` : ''}`,
    }));
    if (value && !opts.some((o) => o.value === value)) opts.unshift({ value, label: value });
    return opts;
  }, [items.data, lang, value]);
  return (
    <Select
      showSearch={{ filterOption: false, onSearch: setQ }}
      allowClear={allowClear}
      value={value}
      onChange={(v) => onChange?.(v)}
      options={options}
      loading={items.isFetching}
      placeholder={placeholder ?? t('field.item')}
      notFoundContent={items.isFetching ? t('loading') : t('catalogue.noMatch')}
      style={style ?? { width: '100%' }}
      data-testid={testId}
      popupMatchSelectWidth={false}
    />
  );
}

/** An item's name in the reader's language from a catalogue list, or its code. */
export function useItemNames() {
  const lang = useLang();
  const items = useSupplyItems(undefined, true, 1000);
  return useMemo(() => {
    const m = new Map<string, { name: string; unit: string }>();
    for (const x of items.data?.items ?? [])
      m.set(x.code, { name: lang === 'en' && x.nameEn ? x.nameEn : x.name, unit: x.unit });
    return m;
  }, [items.data, lang]);
}
