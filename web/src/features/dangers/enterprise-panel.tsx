import { Button, Card, Empty, Space, Statistic, Table } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import type { EnterpriseView } from '../../../../contracts/safety.ts';
import { can, useCurrentUser } from '../../api/auth.ts';
import { errorMessage } from '../../components/errors.tsx';
import { useDangerList } from './dangers-api.ts';
import { useDangerColumns } from './dangers-page.tsx';
import { ReportDrawer } from './report-drawer.tsx';

/** The enterprise page's tab: its hidden dangers (open first in the counts), and a report for it. */
export function Panel({ enterprise }: { enterprise: EnterpriseView }) {
  const { t } = useTranslation('dangers');
  const user = useCurrentUser();
  const navigate = useNavigate();
  const [page, setPage] = useState(1);
  const [reporting, setReporting] = useState(false);
  const list = useDangerList({ enterpriseId: enterprise.id }, 20, (page - 1) * 20);
  const open = useDangerList({ enterpriseId: enterprise.id, open: 'true' }, 1, 0);
  const overdue = useDangerList({ enterpriseId: enterprise.id, overdue: 'true' }, 1, 0);
  const columns = useDangerColumns({ enterprise: true });
  return (
    <Card
      size="small"
      title={
        <Space size="large">
          <Statistic title={t('dash.total')} value={list.data?.total ?? 0} />
          <Statistic title={t('dash.open')} value={open.data?.total ?? 0} />
          <Statistic title={t('dash.overdue')} value={overdue.data?.total ?? 0} />
        </Space>
      }
      extra={
        <Space>
          <Link to={`/dangers?enterpriseId=${enterprise.id}`}>{t('panel.all')}</Link>
          {can(user, 'dangers.report') && (
            <Button type="primary" onClick={() => setReporting(true)} data-testid="enterprise-report-danger">
              {t('list.new')}
            </Button>
          )}
        </Space>
      }
    >
      <Table
        size="small"
        rowKey="id"
        columns={columns}
        dataSource={list.data?.items ?? []}
        loading={list.isLoading}
        onRow={(r) => ({ onClick: () => navigate(`/dangers/${r.id}`), className: 'clickable-row' })}
        locale={{
          emptyText: (
            <Empty
              image={Empty.PRESENTED_IMAGE_SIMPLE}
              description={list.isError ? errorMessage(list.error) : t('panel.none')}
            />
          ),
        }}
        pagination={{ current: page, pageSize: 20, total: list.data?.total ?? 0, onChange: setPage }}
      />
      <ReportDrawer
        open={reporting}
        enterprise={{ id: enterprise.id, name: enterprise.name }}
        onClose={() => setReporting(false)}
        onSaved={(d) => navigate(`/dangers/${d.id}`)}
      />
    </Card>
  );
}
