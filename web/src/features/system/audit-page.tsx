import { ReloadOutlined } from '@ant-design/icons';
import { Alert, Button, DatePicker, Input, Select, Table, type TableColumnsType, Typography } from 'antd';
import type { Dayjs } from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { can, useCurrentUser } from '../../api/auth.ts';
import type { AuditEntryDto } from '../../api/contracts.ts';
import { type AuditQuery, useAudit, useUsers } from '../../api/org.ts';
import { errorMessage } from '../../components/errors.tsx';
import { formatTime, fromShanghaiWall } from '../../i18n/index.ts';

function Json({ value }: { value: unknown }) {
  if (value === null || value === undefined) return <span className="muted">—</span>;
  return <pre className="json-block">{JSON.stringify(value, null, 2)}</pre>;
}

export function AuditPage() {
  const { t } = useTranslation('system');
  const user = useCurrentUser();
  const users = useUsers(can(user, 'org.read') || can(user, 'org.manage'));
  const [query, setQuery] = useState<AuditQuery>({});
  const [range, setRange] = useState<[Dayjs | null, Dayjs | null] | null>(null);
  const [page, setPage] = useState(1);
  const [size, setSize] = useState(50);
  const audit = useAudit(query, size, (page - 1) * size);
  const set = (patch: Partial<AuditQuery>) => {
    setQuery((q) => ({ ...q, ...patch }));
    setPage(1);
  };

  const columns: TableColumnsType<AuditEntryDto> = [
    { title: '#', dataIndex: 'seq', width: 80, render: (v) => <span className="mono">{v}</span> },
    {
      title: t('audit.at'),
      dataIndex: 'at',
      width: 170,
      render: (v: string) => <span className="mono">{formatTime(v, true)}</span>,
    },
    {
      title: t('audit.actor'),
      dataIndex: 'actorName',
      width: 130,
      render: (v) => v ?? <span className="muted">{t('audit.system')}</span>,
    },
    {
      title: t('audit.action'),
      dataIndex: 'action',
      width: 200,
      render: (v) => <span className="mono">{v}</span>,
    },
    {
      title: t('audit.entity'),
      dataIndex: 'entity',
      width: 120,
      render: (v) => <span className="mono">{v}</span>,
    },
    {
      title: t('audit.entityId'),
      dataIndex: 'entityId',
      ellipsis: true,
      render: (v) => <span className="mono small">{v ?? '—'}</span>,
    },
    {
      title: t('audit.address'),
      dataIndex: 'address',
      width: 130,
      render: (v) => <span className="mono small">{v ?? '—'}</span>,
    },
  ];

  return (
    <div className="page">
      <div className="page-head">
        <div>
          <Typography.Title level={4} className="page-title">
            {t('nav.audit')}
          </Typography.Title>
          <div className="page-sub">{t('audit.subtitle')}</div>
        </div>
        <Button icon={<ReloadOutlined />} onClick={() => audit.refetch()} loading={audit.isFetching}>
          {t('common:refresh')}
        </Button>
      </div>
      <div className="filter-bar">
        {users.data ? (
          <Select
            allowClear
            showSearch={{ optionFilterProp: 'label' }}
            placeholder={t('audit.actor')}
            style={{ width: 180 }}
            value={query.actor}
            onChange={(v) => set({ actor: v })}
            options={users.data.items.map((u) => ({ value: u.id, label: `${u.displayName} (${u.username})` }))}
          />
        ) : (
          <Input
            allowClear
            placeholder={t('audit.actorId')}
            style={{ width: 180 }}
            onPressEnter={(e) => set({ actor: e.currentTarget.value.trim() || undefined })}
          />
        )}
        <Input
          allowClear
          placeholder={t('audit.entity')}
          style={{ width: 150 }}
          onPressEnter={(e) => set({ entity: e.currentTarget.value.trim() || undefined })}
          onChange={(e) => !e.target.value && set({ entity: undefined })}
        />
        <Input
          allowClear
          placeholder={t('audit.action')}
          style={{ width: 180 }}
          onPressEnter={(e) => set({ action: e.currentTarget.value.trim() || undefined })}
          onChange={(e) => !e.target.value && set({ action: undefined })}
        />
        <DatePicker.RangePicker
          value={range}
          allowEmpty={[true, true]}
          onChange={(r) => {
            setRange(r);
            set({
              from: r?.[0] ? fromShanghaiWall(r[0].startOf('day')) : undefined,
              to: r?.[1] ? fromShanghaiWall(r[1].startOf('day').add(1, 'day')) : undefined,
            });
          }}
          style={{ width: 240 }}
        />
        <span className="muted small">{t('audit.enterHint')}</span>
      </div>
      {audit.isError && <Alert type="error" showIcon title={errorMessage(audit.error)} style={{ marginBottom: 12 }} />}
      <Table<AuditEntryDto>
        className="dense-table"
        rowKey="seq"
        size="small"
        loading={audit.isFetching}
        columns={columns}
        dataSource={audit.data?.items ?? []}
        expandable={{
          expandedRowRender: (r) => (
            <div className="audit-diff">
              <div>
                <div className="audit-diff-title">{t('audit.before')}</div>
                <Json value={r.before} />
              </div>
              <div>
                <div className="audit-diff-title">{t('audit.after')}</div>
                <Json value={r.after} />
              </div>
              <div className="audit-meta muted small">
                requestId: <span className="mono">{r.requestId ?? '—'}</span> · hash:{' '}
                <span className="mono">{r.hash}</span>
              </div>
            </div>
          ),
        }}
        pagination={{
          current: page,
          pageSize: size,
          total: audit.data?.total ?? 0,
          showSizeChanger: true,
          pageSizeOptions: [20, 50, 100, 200],
          showTotal: (n) => t('common:total', { count: n }),
          onChange: (p, s) => {
            setPage(p);
            setSize(s);
          },
        }}
        scroll={{ x: 1000 }}
      />
    </div>
  );
}
