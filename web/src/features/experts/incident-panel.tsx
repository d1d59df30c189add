import { Card, Empty, List, Space } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { Incident } from '../../api/contracts.ts';
import { useConsultations, useDraws } from './experts-api.ts';
import { ConsultationStatusTag, localTime } from './labels.tsx';

/** The incident page's tab: its consultations and its expert draws. */
export function Panel({ incident }: { incident: Incident }) {
  const { t } = useTranslation('experts');
  const consultations = useConsultations({ incidentId: incident.id }, 50, 0);
  const draws = useDraws({ incidentId: incident.id });
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Card size="small" title={t('nav.consultations')} extra={<Link to="/consultations">{t('panel.all')}</Link>}>
        <List
          size="small"
          loading={consultations.isLoading}
          dataSource={consultations.data?.items ?? []}
          locale={{
            emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('panel.noConsultations')} />,
          }}
          renderItem={(c) => (
            <List.Item>
              <Link to={`/consultations/${c.id}`}>{c.title}</Link>
              <Space>
                <span className="muted">{localTime(c.startsAt)}</span>
                <ConsultationStatusTag status={c.status} />
              </Space>
            </List.Item>
          )}
        />
      </Card>
      <Card size="small" title={t('nav.draws')} extra={<Link to="/experts/draws">{t('panel.newDraw')}</Link>}>
        <List
          size="small"
          loading={draws.isLoading}
          dataSource={draws.data?.items ?? []}
          locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('panel.noDraws')} /> }}
          renderItem={(d) => (
            <List.Item>
              <Link to={`/experts/draws/${d.id}`}>{d.purpose}</Link>
              <span className="muted">
                {t('draw.repliesSummary', { accepted: d.accepted, declined: d.declined, invited: d.invited })}
              </span>
            </List.Item>
          )}
        />
      </Card>
    </Space>
  );
}
