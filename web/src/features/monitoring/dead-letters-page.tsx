import { ReloadOutlined } from '@ant-design/icons';
import { Button, Empty, Select, Space, Table, type TableColumnsType, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import type { DeadLetter } from '../../../../contracts/monitoring.ts';
import { errorMessage } from '../../components/errors.tsx';
import { formatTime } from '../../i18n/index.ts';
import { useDeadLetters, useMapDevices } from './monitoring-api.ts';

const PAGE_SIZE = 50;

/** A payload as received: one line, or the whole of it (pretty if it is JSON) when opened. */
function Payload({ text }: { text: string }) {
  const { t } = useTranslation('monitoring');
  const [open, setOpen] = useState(false);
  let pretty = text;
  try {
    pretty = JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    // not JSON: shown as received
  }
  const long = text.length > 90 || text.includes('\n');
  if (!long) return <code className="payload-line">{text || '∅'}</code>;
  return (
    <div>
      {open ? (
        <pre className="json-block payload-full">{pretty}</pre>
      ) : (
        <code className="payload-line">{text.slice(0, 90)}…</code>
      )}
      <Button type="link" size="small" onClick={() => setOpen(!open)} aria-expanded={open}>
        {open ? t('deadLetters.collapse') : t('deadLetters.expand', { count: text.length })}
      </Button>
    </div>
  );
}

/** What ingestion refused (malformed, unknown device or metric, out of the physical range), with its reason. */
export function DeadLettersPage() {
  const { t } = useTranslation('monitoring');
  const [params, setParams] = useSearchParams();
  const deviceId = params.get('deviceId') ?? undefined;
  const page = Math.max(1, Number(params.get('page') ?? 1) || 1);
  const list = useDeadLetters(deviceId, PAGE_SIZE, (page - 1) * PAGE_SIZE);
  const devices = useMapDevices();
  const names = new Map((devices.data?.items ?? []).map((d) => [d.id, d.name]));
  const set = (k: string, v: string | undefined) => {
    const next = new URLSearchParams(params);
    if (v) next.set(k, v);
    else next.delete(k);
    if (k !== 'page') next.delete('page');
    setParams(next, { replace: true });
  };

  const columns: TableColumnsType<DeadLetter> = [
    {
      title: t('deadLetters.at'),
      dataIndex: 'at',
      width: 160,
      render: (v: string) => <span className="mono">{formatTime(v, true)}</span>,
    },
    {
      title: t('deadLetters.device'),
      dataIndex: 'deviceId',
      width: 200,
      render: (id: string | null) =>
        id ? (
          names.has(id) ? (
            <Link to={`/monitoring/devices/${id}`}>{names.get(id)}</Link>
          ) : (
            <span className="mono small">{id}</span>
          )
        ) : (
          <span className="muted">{t('deadLetters.unknownDevice')}</span>
        ),
    },
    {
      title: t('deadLetters.via'),
      dataIndex: 'via',
      width: 80,
      render: (v: string) => <span className="mono">{v}</span>,
    },
    {
      title: t('deadLetters.reason'),
      dataIndex: 'reason',
      width: 280,
      render: (v: string) => <span className="dead-reason">{v}</span>,
    },
    { title: t('deadLetters.payload'), dataIndex: 'payload', render: (v: string) => <Payload text={v} /> },
  ];

  return (
    <div className="page">
      <div className="page-head">
        <div>
          <Typography.Title level={4} className="page-title">
            {t('nav.deadLetters')}
          </Typography.Title>
          <div className="page-sub">{t('deadLetters.subtitle')}</div>
        </div>
        <Space>
          <Button icon={<ReloadOutlined />} onClick={() => list.refetch()} loading={list.isFetching}>
            {t('common:refresh')}
          </Button>
        </Space>
      </div>
      <div className="filter-bar">
        <Select
          allowClear
          placeholder={t('deadLetters.device')}
          value={deviceId}
          onChange={(v) => set('deviceId', v)}
          showSearch={{ optionFilterProp: 'label' }}
          loading={devices.isLoading}
          options={(devices.data?.items ?? []).map((d) => ({
            value: d.id,
            label: d.code ? `${d.name} (${d.code})` : d.name,
          }))}
          style={{ width: 280 }}
        />
      </div>
      <Table<DeadLetter>
        className="dense-table"
        rowKey="id"
        size="small"
        columns={columns}
        dataSource={list.data?.items ?? []}
        loading={list.isFetching && !list.data}
        locale={{
          emptyText: (
            <Empty
              image={Empty.PRESENTED_IMAGE_SIMPLE}
              description={list.isError ? errorMessage(list.error) : t('deadLetters.empty')}
            />
          ),
        }}
        pagination={{
          current: page,
          pageSize: PAGE_SIZE,
          total: list.data?.total ?? 0,
          showSizeChanger: false,
          showTotal: (n) => t('common:total', { count: n }),
          onChange: (p) => set('page', p > 1 ? String(p) : undefined),
        }}
        scroll={{ x: 1000 }}
        data-testid="dead-letters"
      />
    </div>
  );
}
