import { PlusOutlined } from '@ant-design/icons';
import { Button, Empty, Select, Table, type TableColumnsType, Tooltip, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import {
  COLOUR_INFO,
  type Colour,
  DEVICE_KINDS,
  DEVICE_STATUS_INFO,
  DEVICE_STATUSES,
  type Device,
} from '../../../../contracts/monitoring.ts';
import { can, useCurrentUser } from '../../api/auth.ts';
import { errorMessage } from '../../components/errors.tsx';
import { ImportDialog } from '../../components/import-dialog.tsx';
import { RegisterActions } from '../../components/register-actions.tsx';
import { SearchFilter } from '../../components/search-filter.tsx';
import { useRegisterParams } from '../../components/use-register-params.ts';
import { formatTime } from '../../i18n/index.ts';
import { DeviceFormDrawer } from './device-form-drawer.tsx';
import {
  DeviceStatusTag,
  fromNow,
  kindName,
  LatestValues,
  nameIn,
  useDistrictLabel,
  useDistrictOptions,
  useLang,
} from './labels.tsx';
import { useDeviceList, useMqttStatus } from './monitoring-api.ts';
import { TokenModal } from './token-modal.tsx';

const DEVICE_FILTER_KEYS = ['q', 'kind', 'status', 'district'] as const;

/** The broker's state in one line: where devices connect, or why they cannot (HTTP ingestion still works). */
function MqttLine() {
  const { t } = useTranslation('monitoring');
  const mqtt = useMqttStatus();
  if (mqtt.isPending) return null;
  if (mqtt.isError)
    return <div className="mqtt-line muted">{t('mqtt.unknown', { reason: errorMessage(mqtt.error) })}</div>;
  const s = mqtt.data;
  const on = s.mode === 'embedded' || s.mode === 'external';
  return (
    <div className={`mqtt-line ${on ? 'mqtt-on' : 'mqtt-off'}`} data-testid="mqtt-status" data-mode={s.mode}>
      <span className="status-dot" style={{ background: on ? '#52c41a' : '#faad14' }} />
      {s.mode === 'embedded'
        ? t('mqtt.embedded', { port: s.port ?? '' })
        : s.mode === 'external'
          ? t('mqtt.external', { url: s.url ?? '' })
          : t('mqtt.off', { reason: s.reason ?? s.mode })}
    </div>
  );
}

export function DeviceListPage() {
  const { t } = useTranslation('monitoring');
  const lang = useLang();
  const user = useCurrentUser();
  const navigate = useNavigate();
  const { filters, hasAny, size, offset, update, pagination } = useRegisterParams(DEVICE_FILTER_KEYS);
  const [creating, setCreating] = useState(false);
  const [importing, setImporting] = useState(false);
  const [token, setToken] = useState<{ deviceId: string; name: string; token: string } | null>(null);
  const list = useDeviceList(filters, size, offset);
  const districtLabel = useDistrictLabel();
  const districtOptions = useDistrictOptions();
  const manage = can(user, 'monitoring.manage');

  const columns: TableColumnsType<Device> = [
    {
      title: t('field.name'),
      dataIndex: 'name',
      ellipsis: true,
      render: (v: string, r) => (
        <span className="cell-title">
          {r.warningColour && r.warningColour in COLOUR_INFO && (
            <Tooltip title={t('list.activeWarning')}>
              <span
                className="warning-ring"
                style={{ borderColor: COLOUR_INFO[r.warningColour as Colour].color }}
                data-colour={r.warningColour}
              />
            </Tooltip>
          )}
          {v}
          {r.demo && <span className="demo-mark">{t('common:demoShort')}</span>}
        </span>
      ),
    },
    {
      title: t('field.code'),
      dataIndex: 'code',
      width: 150,
      render: (v: string | null) => <span className="mono">{v ?? '—'}</span>,
    },
    { title: t('field.kind'), dataIndex: 'kind', width: 150, ellipsis: true, render: (k) => kindName(k, lang) },
    {
      title: t('field.district'),
      dataIndex: 'district',
      width: 140,
      render: (d: Device['district']) => districtLabel(d),
    },
    {
      title: t('field.status'),
      dataIndex: 'status',
      width: 110,
      render: (s: Device['status']) => <DeviceStatusTag status={s} />,
    },
    {
      title: t('field.lastSeen'),
      dataIndex: 'lastSeenAt',
      width: 130,
      render: (v: string | null) => <span title={formatTime(v, true)}>{fromNow(v)}</span>,
    },
    {
      title: t('field.latest'),
      key: 'latest',
      width: 300,
      render: (_: unknown, r) => <LatestValues device={r} />,
    },
  ];

  return (
    <div className="page">
      <div className="page-head">
        <div>
          <Typography.Title level={4} className="page-title">
            {t('nav.devices')}
          </Typography.Title>
          <MqttLine />
        </div>
        <RegisterActions
          name="devices"
          list={{ refetch: list.refetch, isFetching: list.isFetching, total: list.data?.total }}
          exportQuery={{ ...filters }}
          labels={{ export: t('list.export'), import: t('list.import'), create: t('list.new') }}
          manage={manage}
          onImport={() => setImporting(true)}
          onCreate={() => setCreating(true)}
          newTestId="new-device"
        />
      </div>
      <div className="filter-bar" data-testid="device-filters">
        <SearchFilter
          value={filters.q}
          onSearch={(q) => update({ q })}
          placeholder={t('list.searchPlaceholder')}
          width={240}
          testId="device-search"
        />
        <Select
          allowClear
          placeholder={t('field.kind')}
          value={filters.kind}
          onChange={(v) => update({ kind: v })}
          options={DEVICE_KINDS.map((k) => ({ value: k, label: kindName(k, lang) }))}
          style={{ width: 200 }}
        />
        <Select
          allowClear
          placeholder={t('field.status')}
          value={filters.status}
          onChange={(v) => update({ status: v })}
          options={DEVICE_STATUSES.map((s) => ({ value: s, label: nameIn(DEVICE_STATUS_INFO[s], lang) }))}
          style={{ width: 140 }}
        />
        <Select
          allowClear
          placeholder={t('field.district')}
          value={filters.district}
          onChange={(v) => update({ district: v })}
          options={districtOptions}
          style={{ width: 150 }}
          showSearch={{ optionFilterProp: 'label' }}
        />
        {hasAny && (
          <Button
            type="link"
            onClick={() => {
              update({ q: undefined, kind: undefined, status: undefined, district: undefined });
            }}
          >
            {t('common:resetFilters')}
          </Button>
        )}
      </div>
      <Table<Device>
        className="dense-table"
        rowKey="id"
        size="small"
        columns={columns}
        dataSource={list.data?.items ?? []}
        loading={list.isFetching && !list.data}
        onRow={(r) =>
          ({
            onClick: () => navigate(`/monitoring/devices/${r.id}`),
            tabIndex: 0,
            onKeyDown: (e: React.KeyboardEvent<HTMLElement>) => {
              if (e.target !== e.currentTarget) return;
              if (e.key === 'Enter') navigate(`/monitoring/devices/${r.id}`);
              else if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
                e.preventDefault();
                const rows = [
                  ...(e.currentTarget.parentElement?.querySelectorAll<HTMLElement>('tr[data-testid="device-row"]') ??
                    []),
                ];
                rows[rows.indexOf(e.currentTarget) + (e.key === 'ArrowDown' ? 1 : -1)]?.focus();
              }
            },
            'aria-label': r.name,
            className: 'clickable-row',
            'data-testid': 'device-row',
          }) as React.HTMLAttributes<HTMLElement>
        }
        locale={{
          emptyText: list.isError ? (
            <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={errorMessage(list.error)} />
          ) : (
            <Empty
              image={Empty.PRESENTED_IMAGE_SIMPLE}
              description={hasAny ? t('list.emptyFiltered') : t('list.empty')}
            >
              {!hasAny && manage && (
                <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)}>
                  {t('list.new')}
                </Button>
              )}
            </Empty>
          ),
        }}
        pagination={pagination(list.data?.total ?? 0, t)}
        scroll={{ x: 1100 }}
      />
      <DeviceFormDrawer
        open={creating}
        onClose={() => setCreating(false)}
        onCreated={(c) => setToken({ deviceId: c.device.id, name: c.device.name, token: c.token })}
      />
      <TokenModal shown={token} onClose={() => setToken(null)} />
      <ImportDialog
        open={importing}
        onClose={() => setImporting(false)}
        registry="devices"
        title={t('nav.devices')}
        onImported={() => void list.refetch()}
      />
    </div>
  );
}
