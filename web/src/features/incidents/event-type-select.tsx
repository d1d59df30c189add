import { Select, type SelectProps } from 'antd';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useMe } from '../../api/auth.ts';
import { EVENT_TYPES, type EventType, findEventType, parentTypeCode } from '../../api/contracts.ts';
import { choosable, type PickerLang, rankEventTypes, recentTypes } from './event-type-ranking.ts';

const labelOf = (e: EventType, lang: PickerLang) => `${e.code} ${lang === 'en' ? e.nameEn : e.name}`;
const store = () => globalThis.localStorage as Storage | undefined;

/**
 * The GB/T 35561 type picker: type a code or a name (English in English mode) and press Enter for the first match.
 * For a record only types without subtypes are offered (11G01, not its class 11G00); a filter (`minLevel` 1) may
 * name a class or 大类. Without a query the user's recent types come first, then the types under their classes.
 */
export function EventTypeSelect({
  value,
  onChange,
  minLevel = 2,
  allowClear,
  placeholder,
  id,
  style,
}: {
  value?: string;
  onChange?: (v: string | undefined) => void;
  /** 1 for filters (a 大类 or class matches its types), 2 for records (a type without subtypes only) */
  minLevel?: number;
  allowClear?: boolean;
  placeholder?: string;
  id?: string;
  style?: React.CSSProperties;
}) {
  const { t, i18n } = useTranslation('incidents');
  const lang: PickerLang = i18n.language === 'en' ? 'en' : 'zh';
  const userId = useMe().data?.user.id ?? '';
  const leafOnly = minLevel >= 2;
  const [query, setQuery] = useState('');
  const options = useMemo((): SelectProps['options'] => {
    const label = (e: EventType) => labelOf(e, lang);
    const recent = leafOnly ? recentTypes(store(), userId) : [];
    if (query.trim())
      return rankEventTypes(query, { lang, recent, leafOnly }).map((e) => ({ value: e.code, label: label(e) }));
    if (!leafOnly) {
      // a filter: every class and type in code order, indented under its parent
      return EVENT_TYPES.filter((e) => choosable(e, false)).map((e) => ({
        value: e.code,
        label: `${'\u3000'.repeat(e.level - 1)}${label(e)}`,
      }));
    }
    // a record: the recent types, then each class's types under the class's name (the class itself not choosable)
    const ranked = rankEventTypes('', { lang, recent, leafOnly });
    const recentSet = new Set(recent);
    const groups: { label: string; title: string; options: { value: string; label: string }[] }[] = [];
    if (recent.length)
      groups.push({
        label: t('form.recentTypes'),
        title: t('form.recentTypes'),
        options: ranked.filter((e) => recentSet.has(e.code)).map((e) => ({ value: e.code, label: label(e) })),
      });
    let current: (typeof groups)[number] | undefined;
    let currentCode: string | undefined;
    for (const e of ranked) {
      if (recentSet.has(e.code)) continue;
      const parent = parentTypeCode(e) ?? e.code;
      // a class without subtypes (11Y00) is a type of its 大类
      const groupCode = e.level === 2 ? `${e.code.slice(0, 2)}000` : parent;
      if (groupCode !== currentCode) {
        const g = findEventType(groupCode);
        current = { label: g ? label(g) : groupCode, title: groupCode, options: [] };
        currentCode = groupCode;
        groups.push(current);
      }
      current?.options.push({ value: e.code, label: label(e) });
    }
    return groups;
  }, [query, lang, leafOnly, userId, t]);

  return (
    <Select
      id={id}
      value={value}
      onChange={(v) => {
        onChange?.(v ?? undefined);
        setQuery('');
      }}
      options={options}
      showSearch={{ filterOption: false, onSearch: setQuery, searchValue: query }}
      onOpenChange={(open) => {
        if (!open) setQuery('');
      }}
      allowClear={allowClear}
      placeholder={placeholder ?? t('form.typePlaceholder')}
      style={style}
      popupMatchSelectWidth={leafOnly ? 460 : 360}
      listHeight={360}
      notFoundContent={t('form.typeNotFound')}
      // a type the list does not offer (an older record filed under a class) is still shown by its name
      labelRender={({ value: v }) => {
        const e = findEventType(String(v));
        return e ? labelOf(e, lang) : String(v);
      }}
      data-testid="event-type-select"
    />
  );
}
