import { MoonOutlined, SunOutlined } from '@ant-design/icons';
import { Button, Tooltip } from 'antd';
import { useTranslation } from 'react-i18next';
import { themeStore, useTheme } from './theme.ts';

/** Sun or moon beside the language switch: light or dark, remembered per user. */
export function ThemeSwitch({ dark }: { dark?: boolean }) {
  const { t } = useTranslation();
  const theme = useTheme();
  const next = theme === 'dark' ? 'light' : 'dark';
  const hint = `${t('theme.toLight')} / ${t('theme.toDark')}`;
  return (
    <Tooltip title={hint}>
      <Button
        type="text"
        size="small"
        className={dark ? 'theme-switch theme-switch-dark' : 'theme-switch'}
        icon={theme === 'dark' ? <SunOutlined /> : <MoonOutlined />}
        aria-label={t(next === 'dark' ? 'theme.toDark' : 'theme.toLight')}
        aria-pressed={theme === 'dark'}
        onClick={() => themeStore.choose(next)}
        data-testid="theme-switch"
        data-theme-current={theme}
      />
    </Tooltip>
  );
}
