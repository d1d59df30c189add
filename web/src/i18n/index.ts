import dayjs from 'dayjs';
import 'dayjs/locale/zh-cn';
import 'dayjs/locale/en';
import timezone from 'dayjs/plugin/timezone';
import utc from 'dayjs/plugin/utc';
import i18n from 'i18next';
import { initReactI18next } from 'react-i18next';
import { setApiLanguage } from '../api/client.ts';
import type { FeatureManifest } from '../app/manifest.ts';
import commonEn from './common/en.json';
import commonZh from './common/zh-CN.json';

dayjs.extend(utc);
dayjs.extend(timezone);

export type UiLanguage = 'zh-CN' | 'en';
const STORAGE_KEY = 'anlan.lang';
export const TIME_ZONE = 'Asia/Shanghai';

export function storedLanguage(): UiLanguage {
  const v = localStorage.getItem(STORAGE_KEY);
  return v === 'en' ? 'en' : 'zh-CN';
}

function apply(lang: UiLanguage): void {
  setApiLanguage(lang);
  dayjs.locale(lang === 'en' ? 'en' : 'zh-cn');
  document.documentElement.lang = lang;
  document.title = lang === 'en' ? 'Anlan · Weihai Emergency Support Platform' : '安澜 · 威海市应急保障一体化平台';
}

/**
 * Starts i18next in the stored language with the common namespace and one namespace per feature (named after it).
 * Called once, before the first render.
 */
export function setupI18n(features: readonly Pick<FeatureManifest, 'name' | 'i18n'>[]): void {
  const initial = storedLanguage();
  apply(initial);
  const resources = {
    'zh-CN': { common: commonZh, ...Object.fromEntries(features.map((f) => [f.name, f.i18n['zh-CN']])) },
    en: { common: commonEn, ...Object.fromEntries(features.map((f) => [f.name, f.i18n.en])) },
  };
  void i18n.use(initReactI18next).init({
    resources,
    ns: Object.keys(resources['zh-CN']),
    defaultNS: 'common',
    lng: initial,
    fallbackLng: 'zh-CN',
    interpolation: { escapeValue: false },
    returnNull: false,
  });
}

export function changeLanguage(lang: UiLanguage): void {
  localStorage.setItem(STORAGE_KEY, lang);
  apply(lang);
  void i18n.changeLanguage(lang);
}

/** Show an instant in Asia/Shanghai, e.g. `2026-03-01 14:05`. */
export function formatTime(iso: string | null | undefined, withSeconds = false): string {
  if (!iso) return '—';
  const d = dayjs(iso);
  if (!d.isValid()) return iso;
  return d.tz(TIME_ZONE).format(withSeconds ? 'YYYY-MM-DD HH:mm:ss' : 'YYYY-MM-DD HH:mm');
}

export default i18n;

/** A dayjs whose wall clock shows the instant in Asia/Shanghai (for pickers, which work in local time). */
export function toShanghaiWall(iso: string | null | undefined): dayjs.Dayjs | null {
  if (!iso) return null;
  return dayjs(dayjs(iso).tz(TIME_ZONE).format('YYYY-MM-DDTHH:mm:ss'));
}

/** The inverse of toShanghaiWall: a picker value read as Asia/Shanghai wall-clock time → ISO instant. */
export function fromShanghaiWall(d: dayjs.Dayjs): string {
  return dayjs.tz(d.format('YYYY-MM-DDTHH:mm:ss'), TIME_ZONE).toISOString();
}
