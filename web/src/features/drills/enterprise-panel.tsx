import { Button, Card, List, Space, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { can, useCurrentUser } from '../../api/auth.ts';
import { useLang } from '../../components/districts.ts';
import { DrillFormDrawer } from './drill-form-drawer.tsx';
import { useCompliance, useDrillList } from './drills-api.ts';
import { StatusTag, TypeTags } from './labels.tsx';

/** The enterprise page's tab: its compliance with each rule and its drill records. */
export function Panel({ enterprise }: { enterprise: { id: string } }) {
  const { t } = useTranslation('drills');
  const lang = useLang();
  const user = useCurrentUser();
  const navigate = useNavigate();
  const [creating, setCreating] = useState(false);
  const drills = useDrillList({ enterpriseId: enterprise.id }, 50, 0);
  const compliance = useCompliance({ kind: 'enterprise' }, 1000, 0);
  const mine = (compliance.data?.items ?? []).filter((i) => i.subject.id === enterprise.id);
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Card size="small" title={t('nav.compliance')}>
        {mine.map((i) => (
          <div key={i.rule.key}>
            <StatusTag s={i.status} lang={lang} /> {lang === 'en' ? i.rule.en : i.rule.zh} ·{' '}
            <Typography.Text type="secondary">
              {i.lastDrillAt ?? t('compliance.never', { since: i.since })} → {i.dueAt}
            </Typography.Text>
          </div>
        ))}
      </Card>
      <Card
        size="small"
        title={t('nav.records')}
        extra={
          can(user, 'drills.manage') && (
            <Button size="small" onClick={() => setCreating(true)}>
              {t('list.new')}
            </Button>
          )
        }
      >
        <List
          size="small"
          loading={drills.isLoading}
          dataSource={drills.data?.items ?? []}
          locale={{ emptyText: t('list.empty') }}
          renderItem={(d) => (
            <List.Item>
              <Space wrap>
                <Link to={`/drills/records/${d.id}`}>{d.title}</Link>
                <span>{d.date}</span>
                <TypeTags d={d} lang={lang} />
                {d.overdueActions > 0 && <Tag color="red">{t('action.overdueCount', { n: d.overdueActions })}</Tag>}
              </Space>
            </List.Item>
          )}
        />
      </Card>
      <DrillFormDrawer
        open={creating}
        enterpriseId={enterprise.id}
        onClose={() => setCreating(false)}
        onSaved={(d) => navigate(`/drills/records/${d.id}`)}
      />
    </Space>
  );
}
