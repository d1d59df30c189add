import { Select } from 'antd';
import { useMemo } from 'react';
import { EVENT_TYPES, isLeafType } from '../../api/contracts.ts';
import { useLang } from './labels.tsx';

/** A GB/T 35561 type (a type without subtypes), found by code or name. */
export function HazardSelect({
  value,
  onChange,
  id,
  allowClear,
  placeholder,
  style,
}: {
  value?: string;
  onChange?: (v: string) => void;
  id?: string;
  allowClear?: boolean;
  placeholder?: string;
  style?: React.CSSProperties;
}) {
  const lang = useLang();
  const options = useMemo(
    () =>
      EVENT_TYPES.filter((e) => isLeafType(e.code)).map((e) => ({
        value: e.code,
        label: `${e.code} ${lang === 'en' ? e.nameEn : e.name}`,
      })),
    [lang],
  );
  return (
    <Select
      id={id}
      value={value}
      onChange={onChange}
      options={options}
      allowClear={allowClear}
      placeholder={placeholder}
      style={style}
      showSearch={{ optionFilterProp: 'label' }}
      popupMatchSelectWidth={false}
    />
  );
}
