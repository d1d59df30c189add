/** Districts as the UI shows them: a name in the reader's language, the options of a district filter. */
import { useTranslation } from 'react-i18next';
import { useUnits } from '../api/org.ts';

/** The UI language as the contracts name it. */
export function useLang(): 'zh' | 'en' {
  const { i18n } = useTranslation();
  return i18n.language === 'en' ? 'en' : 'zh';
}

/** A district's name in the UI language (a record carries the Chinese name; the units know the English one). */
export function useDistrictLabel() {
  const lang = useLang();
  const units = useUnits();
  return (d: { code: string; name: string } | null | undefined): string => {
    if (!d) return '—';
    if (lang !== 'en') return d.name;
    return units.data?.items.find((u) => u.code === d.code)?.nameEn || d.name;
  };
}

/** The districts (and zones) to filter by. */
export function useDistrictOptions() {
  const lang = useLang();
  const units = useUnits();
  return (units.data?.items ?? [])
    .filter((u) => u.kind === 'district' || u.kind === 'zone')
    .map((u) => ({ value: u.code, label: lang === 'en' ? u.nameEn || u.name : u.name }));
}
