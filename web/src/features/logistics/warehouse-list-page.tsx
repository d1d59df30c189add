import { PlusOutlined } from '@ant-design/icons';
import { Button, Empty, Progress, Segmented, Select, Table, type TableColumnsType, Tag, Typography } from 'antd';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import {
  RESERVE_TYPE_INFO,
  RESERVE_TYPES,
  WAREHOUSE_TIER_INFO,
  WAREHOUSE_TIERS,
  type Warehouse,
} from '../../../../contracts/logistics.ts';
import { can, useCurrentUser } from '../../api/auth.ts';
import { errorMessage } from '../../components/errors.tsx';
import { ImportDialog } from '../../components/import-dialog.tsx';
import { RegisterActions } from '../../components/register-actions.tsx';
import { SearchFilter } from '../../components/search-filter.tsx';
import { useRegisterParams } from '../../components/use-register-params.ts';
import {
  ItemSelect,
  nameIn,
  RESERVE_COLORS,
  ReserveLabel,
  TierTag,
  useDistrictLabel,
  useDistrictOptions,
  useLang,
} from './labels.tsx';
import { useWarehouseList } from './logistics-api.ts';
import { LogisticsMap, type LogisticsPoint } from './logistics-map.tsx';
import { WarehouseFormDrawer } from './warehouse-form-drawer.tsx';

const FILTER_KEYS = ['q', 'tier', 'reserveType', 'district', 'itemCode', 'active'] as const;

/** The warehouses register: filtered in the address, as a table or on the map; new, import and export. */
export function WarehouseListPage() {
  const { t } = useTranslation('logistics');
  const lang = useLang();
  const user = useCurrentUser();
  const navigate = useNavigate();
  const { params, filters, hasAny, size, offset, update, pagination } = useRegisterParams(FILTER_KEYS);
  const view = params.get('view') === 'map' ? 'map' : 'table';
  const [creating, setCreating] = useState(false);
  const [importing, setImporting] = useState(false);
  // the map shows every match (the register's upper limit), the table one page
  const list = useWarehouseList(filters, view === 'map' ? 500 : size, view === 'map' ? 0 : offset);
  const districtLabel = useDistrictLabel();
  const districtOptions = useDistrictOptions();
  const manage = can(user, 'supplies.manage');

  const points = useMemo<LogisticsPoint[]>(
    () =>
      (list.data?.items ?? []).map((w) => ({
        at: w.location.coordinates as [number, number],
        kind: 'warehouse',
        color: RESERVE_COLORS[w.reserveType],
        faded: !w.active,
        title: w.name,
        detail: `${nameIn(WAREHOUSE_TIER_INFO[w.tier], lang)} · ${nameIn(RESERVE_TYPE_INFO[w.reserveType], lang)}\n${
          w.address ?? ''
        }`,
      })),
    [list.data, lang],
  );

  const columns: TableColumnsType<Warehouse> = [
    { title: t('field.code'), dataIndex: 'code', width: 150 },
    {
      title: t('field.name'),
      dataIndex: 'name',
      ellipsis: true,
      render: (v: string, r) => (
        <span className="cell-title">
          {v}
          {!r.active && <Tag style={{ marginLeft: 8 }}>{t('status.inactive')}</Tag>}
        </span>
      ),
    },
    { title: t('field.tier'), dataIndex: 'tier', width: 100, render: (v: Warehouse['tier']) => <TierTag tier={v} /> },
    {
      title: t('field.reserveType'),
      dataIndex: 'reserveType',
      width: 170,
      render: (v: Warehouse['reserveType']) => <ReserveLabel type={v} />,
    },
    {
      title: t('field.district'),
      dataIndex: 'district',
      width: 140,
      ellipsis: true,
      render: (d: Warehouse['district']) => districtLabel(d),
    },
    { title: t('field.manager'), dataIndex: 'manager', width: 110, render: (v: string | null) => v ?? '—' },
    {
      title: t('field.fill'),
      dataIndex: 'fill',
      width: 140,
      render: (v: number | null) =>
        v === null ? (
          <span className="muted">—</span>
        ) : (
          <Progress
            percent={Math.round(v * 100)}
            size="small"
            status={v > 1 ? 'exception' : 'normal'}
            format={(p) => `${p} %`}
          />
        ),
    },
  ];

  return (
    <div className="page">
      <div className="page-head">
        <Typography.Title level={4} className="page-title">
          {t('nav.warehouses')}
        </Typography.Title>
        <RegisterActions
          name="warehouses"
          list={{ refetch: list.refetch, isFetching: list.isFetching, total: list.data?.total }}
          exportQuery={{ ...filters }}
          labels={{ export: t('list.export'), import: t('list.import'), create: t('list.new') }}
          manage={manage}
          onImport={() => setImporting(true)}
          onCreate={() => setCreating(true)}
          newTestId="new-warehouse"
        />
      </div>
      <div className="filter-bar" data-testid="warehouse-filters">
        <SearchFilter
          value={filters.q}
          onSearch={(q) => update({ q })}
          placeholder={t('list.searchPlaceholder')}
          width={230}
          testId="warehouse-search"
        />
        <Select
          allowClear
          placeholder={t('field.tier')}
          value={filters.tier}
          onChange={(v) => update({ tier: v })}
          options={WAREHOUSE_TIERS.map((k) => ({ value: k, label: nameIn(WAREHOUSE_TIER_INFO[k], lang) }))}
          style={{ width: 110 }}
        />
        <Select
          allowClear
          placeholder={t('field.reserveType')}
          value={filters.reserveType}
          onChange={(v) => update({ reserveType: v })}
          options={RESERVE_TYPES.map((k) => ({ value: k, label: nameIn(RESERVE_TYPE_INFO[k], lang) }))}
          style={{ width: 160 }}
        />
        <Select
          allowClear
          placeholder={t('field.district')}
          value={filters.district}
          onChange={(v) => update({ district: v })}
          options={districtOptions}
          style={{ width: 140 }}
          showSearch={{ optionFilterProp: 'label' }}
        />
        <ItemSelect
          allowClear
          value={filters.itemCode}
          onChange={(v) => update({ itemCode: v })}
          placeholder={t('list.holdsItem')}
          style={{ width: 200 }}
        />
        <Select
          allowClear
          placeholder={t('field.active')}
          value={filters.active}
          onChange={(v) => update({ active: v })}
          options={[
            { value: 'true', label: t('status.active') },
            { value: 'false', label: t('status.inactive') },
          ]}
          style={{ width: 110 }}
        />
        {hasAny && (
          <Button type="link" onClick={() => update(Object.fromEntries(FILTER_KEYS.map((k) => [k, undefined])))}>
            {t('common:resetFilters')}
          </Button>
        )}
        <Segmented
          style={{ marginLeft: 'auto' }}
          value={view}
          onChange={(v) => update({ view: v === 'map' ? 'map' : undefined })}
          options={[
            { value: 'table', label: t('list.asTable') },
            { value: 'map', label: t('list.asMap') },
          ]}
          data-testid="warehouse-view"
        />
      </div>
      {view === 'map' ? (
        <LogisticsMap points={points} height="calc(100vh - 260px)" fitKey={list.dataUpdatedAt} />
      ) : (
        <Table<Warehouse>
          className="dense-table"
          rowKey="id"
          size="small"
          columns={columns}
          dataSource={list.data?.items ?? []}
          loading={list.isFetching && !list.data}
          onRow={(r) =>
            ({
              onClick: () => navigate(`/logistics/warehouses/${r.id}`),
              onKeyDown: (e: React.KeyboardEvent<HTMLElement>) => {
                if (e.key === 'Enter' && e.target === e.currentTarget) navigate(`/logistics/warehouses/${r.id}`);
              },
              tabIndex: 0,
              className: 'clickable-row',
              'data-testid': 'warehouse-row',
              'aria-label': r.name,
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
          scroll={{ x: 1000 }}
        />
      )}
      <WarehouseFormDrawer
        open={creating}
        onClose={() => setCreating(false)}
        onSaved={(w) => navigate(`/logistics/warehouses/${w.id}`)}
      />
      <ImportDialog
        open={importing}
        onClose={() => setImporting(false)}
        registry="warehouses"
        title={t('nav.warehouses')}
        onImported={() => void list.refetch()}
      />
    </div>
  );
}
