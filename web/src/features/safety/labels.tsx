import { Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import { RISK_COLOUR_INFO, type RiskColour } from '../../../../contracts/safety.ts';

export { useDistrictLabel, useDistrictOptions, useLang } from '../../components/districts.ts';

/** zh or en of a `{zh, en}` pair */
export function nameIn(x: { zh: string; en: string }, lang: string): string {
  return lang === 'en' ? x.en : x.zh;
}

/** A four-colour risk tag (红橙黄蓝). */
export function ColourTag({ colour }: { colour: RiskColour | null }) {
  const { t } = useTranslation('safety');
  if (!colour) return <span className="muted">—</span>;
  const hex = RISK_COLOUR_INFO[colour].hex;
  return (
    <Tag color={hex} style={{ color: colour === 'yellow' ? '#000' : '#fff' }} data-testid={`risk-${colour}`}>
      {t(`colour.${colour}`)}
    </Tag>
  );
}
