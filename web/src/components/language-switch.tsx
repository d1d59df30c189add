import { Segmented } from 'antd';
import { useTranslation } from 'react-i18next';
import { changeLanguage, type UiLanguage } from '../i18n/index.ts';

/** 中文 / English; the choice is remembered in localStorage. */
export function LanguageSwitch({ dark }: { dark?: boolean }) {
  const { i18n } = useTranslation();
  return (
    <Segmented<UiLanguage>
      size="small"
      className={dark ? 'lang-switch lang-switch-dark' : 'lang-switch'}
      value={i18n.language === 'en' ? 'en' : 'zh-CN'}
      onChange={(v) => changeLanguage(v)}
      options={[
        { label: '中文', value: 'zh-CN' },
        { label: 'English', value: 'en' },
      ]}
      data-testid="language-switch"
    />
  );
}
