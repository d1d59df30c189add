import { Card, Descriptions, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { useSystemInfo } from '../../api/auth.ts';

export function AboutPage() {
  const { t } = useTranslation('system');
  const info = useSystemInfo();
  return (
    <div className="page">
      <div className="page-head">
        <Typography.Title level={4} className="page-title">
          {t('nav.about')}
        </Typography.Title>
      </div>
      <Card size="small" className="section-card">
        <Descriptions
          column={1}
          size="small"
          bordered
          items={[
            { key: 'name', label: t('about.name'), children: info.data?.name ?? t('common:app.title') },
            { key: 'version', label: t('about.version'), children: info.data?.version ?? '—' },
            { key: 'demo', label: t('about.demo'), children: info.data?.demo ? t('about.demoYes') : t('about.demoNo') },
            {
              key: 'attribution',
              label: t('about.attribution'),
              children: info.data?.dataAttribution?.length ? (
                <ul className="plain-list" data-testid="about-attribution">
                  {info.data.dataAttribution.map((a) => (
                    <li key={a}>{a}</li>
                  ))}
                </ul>
              ) : (
                '—'
              ),
            },
            { key: 'codes', label: t('about.eventCodes'), children: t('about.eventCodesSource') },
          ]}
        />
      </Card>
    </div>
  );
}
