import { ReloadOutlined } from '@ant-design/icons';
import { Button, Input, Select, Space, Typography } from 'antd';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { MOVEMENT_KIND_INFO, MOVEMENT_KINDS } from '../../../../contracts/logistics.ts';
import { ExportButton } from '../../components/export-button.tsx';
import { useRegisterParams } from '../../components/use-register-params.ts';
import { ItemSelect, nameIn, useLang } from './labels.tsx';
import { useAllWarehouses, useMovements } from './logistics-api.ts';
import { MovementTable } from './movement-table.tsx';

const FILTER_KEYS = ['warehouseId', 'itemCode', 'kind', 'docNo'] as const;

/** The ledger of every warehouse the user may see: filtered by warehouse, item, kind and document; Excel export. */
export function MovementsPage() {
  const { t } = useTranslation('logistics');
  const lang = useLang();
  const { filters, page, size, offset, update, goTo } = useRegisterParams(FILTER_KEYS);
  const list = useMovements(filters, size, offset);
  const warehouses = useAllWarehouses();
  const names = useMemo(() => new Map((warehouses.data?.items ?? []).map((w) => [w.id, w.name])), [warehouses.data]);

  return (
    <div className="page">
      <div className="page-head">
        <Typography.Title level={4} className="page-title">
          {t('nav.movements')}
        </Typography.Title>
        <Space>
          <Button icon={<ReloadOutlined />} onClick={() => void list.refetch()} loading={list.isFetching}>
            {t('common:refresh')}
          </Button>
          <ExportButton
            path="/warehouses/movements/export.xlsx"
            query={{ ...filters }}
            fileName="movements.xlsx"
            disabled={!list.data?.total}
            testId="export-movements"
          >
            {t('list.export')}
          </ExportButton>
        </Space>
      </div>
      <div className="filter-bar">
        <Select
          allowClear
          showSearch={{ optionFilterProp: 'label' }}
          placeholder={t('field.warehouse')}
          value={filters.warehouseId}
          onChange={(v) => update({ warehouseId: v })}
          options={(warehouses.data?.items ?? []).map((w) => ({ value: w.id, label: w.name }))}
          style={{ width: 220 }}
        />
        <ItemSelect
          allowClear
          value={filters.itemCode}
          onChange={(v) => update({ itemCode: v })}
          style={{ width: 220 }}
        />
        <Select
          allowClear
          placeholder={t('field.kind')}
          value={filters.kind}
          onChange={(v) => update({ kind: v })}
          options={MOVEMENT_KINDS.map((k) => ({ value: k, label: nameIn(MOVEMENT_KIND_INFO[k], lang) }))}
          style={{ width: 150 }}
        />
        <Input.Search
          allowClear
          placeholder={t('field.docNo')}
          defaultValue={filters.docNo}
          onSearch={(v) => update({ docNo: v.trim() || undefined })}
          style={{ width: 200 }}
        />
      </div>
      <MovementTable
        data={list.data?.items ?? []}
        total={list.data?.total ?? 0}
        loading={list.isFetching && !list.data}
        error={list.error}
        page={page}
        size={size}
        onPage={goTo}
        warehouseName={(id) => names.get(id) ?? id.slice(0, 8)}
      />
    </div>
  );
}
