import { ArrowLeftOutlined, EditOutlined } from '@ant-design/icons';
import {
  Alert,
  Button,
  Card,
  Descriptions,
  Dropdown,
  Empty,
  Result,
  Space,
  Spin,
  Table,
  type TableColumnsType,
  Tabs,
  Tag,
  Typography,
} from 'antd';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate, useParams } from 'react-router';
import type { Batch, StockLine } from '../../../../contracts/logistics.ts';
import { can, useCurrentUser } from '../../api/auth.ts';
import { ApiError } from '../../api/client.ts';
import { errorMessage } from '../../components/errors.tsx';
import { ExpiryTag, ReserveLabel, TierTag, useDistrictLabel, useItemNames } from './labels.tsx';
import { useMovements, useStock, useWarehouse } from './logistics-api.ts';
import { beijingDay, expiryState, qty } from './logistics-text.ts';
import { MovementTable } from './movement-table.tsx';
import { type MoveKind, StockMoveModal, StocktakeModal } from './stock-forms.tsx';
import { WarehouseFormDrawer } from './warehouse-form-drawer.tsx';

/** A warehouse: what it is, its stock by item with batches and expiry flags, the stock forms, its ledger. */
export function WarehousePage() {
  const { id = '' } = useParams();
  const { t } = useTranslation('logistics');
  const navigate = useNavigate();
  const user = useCurrentUser();
  const w = useWarehouse(id);
  const stock = useStock(id);
  const districtLabel = useDistrictLabel();
  const itemNames = useItemNames();
  const [editing, setEditing] = useState(false);
  const [moving, setMoving] = useState<MoveKind | null>(null);
  const [ledgerPage, setLedgerPage] = useState({ page: 1, size: 20 });
  const ledger = useMovements({ warehouseId: id }, ledgerPage.size, (ledgerPage.page - 1) * ledgerPage.size);
  const today = beijingDay();
  const lines = stock.data?.items ?? [];
  const flagged = useMemo(
    () =>
      lines.reduce(
        (acc, l) => {
          for (const b of l.batches) {
            const s = expiryState(b.expiresOn, today);
            if (s === 'expired') acc.expired++;
            if (s === 'soon') acc.soon++;
          }
          return acc;
        },
        { expired: 0, soon: 0 },
      ),
    [lines, today],
  );

  if (w.isLoading) return <Spin style={{ margin: 48 }} />;
  if (w.isError || !w.data)
    return (
      <Result
        status={w.error instanceof ApiError && w.error.status === 404 ? '404' : 'error'}
        title={errorMessage(w.error)}
        extra={<Button onClick={() => navigate('/logistics/warehouses')}>{t('warehouse.back')}</Button>}
      />
    );
  const wh = w.data;
  const manage = can(user, 'supplies.manage');
  const move = can(user, 'stock.move') && wh.active;
  const committedType = wh.reserveType === 'agreement' || wh.reserveType === 'capacity';

  const stockColumns: TableColumnsType<StockLine> = [
    { title: t('field.itemCode'), dataIndex: 'itemCode', width: 120 },
    { title: t('field.item'), dataIndex: 'itemName', ellipsis: true },
    {
      title: t('field.quantity'),
      dataIndex: 'quantity',
      align: 'right',
      width: 130,
      render: (v: number, r) => `${qty(v)} ${r.unit}`,
    },
    ...(committedType
      ? [
          {
            title: t('field.committed'),
            dataIndex: 'committed',
            align: 'right' as const,
            width: 130,
            render: (v: number, r: StockLine) => `${qty(v)} ${r.unit}`,
          },
        ]
      : []),
    { title: t('field.batches'), key: 'n', width: 80, align: 'right', render: (_: unknown, r) => r.batches.length },
    {
      title: t('field.nextExpiry'),
      dataIndex: 'nextExpiry',
      width: 200,
      render: (v: string | null) => (
        <Space size={4}>
          {v ?? '—'}
          <ExpiryTag state={expiryState(v, today)} />
        </Space>
      ),
    },
  ];
  const batchColumns: TableColumnsType<Batch> = [
    { title: t('field.batch'), dataIndex: 'batch' },
    { title: t('field.quantity'), dataIndex: 'quantity', align: 'right', render: (v: number) => qty(v) },
    { title: t('field.producedOn'), dataIndex: 'producedOn', render: (v: string | null) => v ?? '—' },
    {
      title: t('field.expiresOn'),
      dataIndex: 'expiresOn',
      render: (v: string | null) => (
        <Space size={4}>
          {v ?? t('stock.noExpiry')}
          <ExpiryTag state={expiryState(v, today)} />
        </Space>
      ),
    },
  ];
  const a = wh.agreement;

  return (
    <div className="page">
      <div className="page-head">
        <Space align="center">
          <Button
            type="text"
            icon={<ArrowLeftOutlined />}
            onClick={() => navigate('/logistics/warehouses')}
            aria-label={t('warehouse.back')}
          />
          <Typography.Title level={4} className="page-title" style={{ margin: 0 }}>
            {wh.name}
          </Typography.Title>
          <span className="muted">{wh.code}</span>
          <TierTag tier={wh.tier} />
          {!wh.active && <Tag>{t('status.inactive')}</Tag>}
        </Space>
        <Space wrap>
          {move && (
            <>
              <Button type="primary" onClick={() => setMoving('receive')} data-testid="stock-receive">
                {t('stock.receive')}
              </Button>
              <Button onClick={() => setMoving('issue')} data-testid="stock-issue">
                {t('stock.issue')}
              </Button>
              <Dropdown
                menu={{
                  items: [
                    { key: 'transfer', label: t('stock.transfer') },
                    { key: 'adjust', label: t('stock.adjust') },
                    { key: 'stocktake', label: t('stock.stocktake') },
                  ],
                  onClick: ({ key }) => setMoving(key as MoveKind),
                }}
              >
                <Button data-testid="stock-more">{t('stock.more')}</Button>
              </Dropdown>
            </>
          )}
          {manage && (
            <Button icon={<EditOutlined />} onClick={() => setEditing(true)}>
              {t('common:edit')}
            </Button>
          )}
        </Space>
      </div>
      <Card size="small">
        <Descriptions size="small" column={{ xs: 1, md: 2, xl: 3 }}>
          <Descriptions.Item label={t('field.reserveType')}>
            <ReserveLabel type={wh.reserveType} />
          </Descriptions.Item>
          <Descriptions.Item label={t('field.district')}>{districtLabel(wh.district)}</Descriptions.Item>
          <Descriptions.Item label={t('field.address')}>{wh.address ?? '—'}</Descriptions.Item>
          <Descriptions.Item label={t('field.manager')}>
            {[wh.manager, ...wh.phones].filter(Boolean).join(' ') || '—'}
          </Descriptions.Item>
          <Descriptions.Item label={t('field.capacityM3')}>
            {wh.capacityM3 === null ? '—' : `${qty(wh.capacityM3)} m³`}
            {wh.fill !== null && (
              <span className="muted"> · {t('warehouse.fill', { p: Math.round(wh.fill * 100) })}</span>
            )}
          </Descriptions.Item>
          <Descriptions.Item label={t('field.loadingMinutes')}>
            {t('warehouse.minutes', { n: wh.loadingMinutes })}
          </Descriptions.Item>
          {a && (
            <>
              <Descriptions.Item label={t('field.partner')}>
                {[a.partner, a.contact, a.phone].filter(Boolean).join(' ')}
              </Descriptions.Item>
              <Descriptions.Item label={t('field.leadTimeHours')}>
                {t('warehouse.hours', { n: a.leadTimeHours })}
              </Descriptions.Item>
              <Descriptions.Item label={t('field.validUntil')}>{a.validUntil ?? '—'}</Descriptions.Item>
            </>
          )}
          {wh.notes && <Descriptions.Item label={t('field.notes')}>{wh.notes}</Descriptions.Item>}
        </Descriptions>
        {a && a.items.length > 0 && (
          <div className="muted small">
            {t('warehouse.agreementItems')}:{' '}
            {a.items
              .map(
                (x) =>
                  `${itemNames.get(x.itemCode)?.name ?? x.itemCode} ${qty(x.quantity)} ${itemNames.get(x.itemCode)?.unit ?? ''}`,
              )
              .join('、')}
          </div>
        )}
      </Card>
      {(flagged.expired > 0 || flagged.soon > 0) && (
        <Alert
          type={flagged.expired ? 'error' : 'warning'}
          showIcon
          style={{ marginTop: 12 }}
          title={[
            flagged.expired ? t('stock.flagsExpired', { count: flagged.expired }) : '',
            flagged.soon ? t('stock.flagsSoon', { count: flagged.soon }) : '',
          ]
            .filter(Boolean)
            .join(t('stock.flagsJoin'))}
          data-testid="expiry-flags"
        />
      )}
      <Tabs
        style={{ marginTop: 8 }}
        items={[
          {
            key: 'stock',
            label: t('warehouse.stock', { count: lines.length }),
            children: (
              <Table<StockLine>
                size="small"
                className="dense-table"
                rowKey="itemCode"
                columns={stockColumns}
                dataSource={lines}
                loading={stock.isLoading}
                pagination={lines.length > 50 ? { pageSize: 50 } : false}
                expandable={{
                  rowExpandable: (r) => r.batches.length > 0,
                  expandedRowRender: (r) => (
                    <Table<Batch>
                      size="small"
                      rowKey="batch"
                      columns={batchColumns}
                      dataSource={r.batches}
                      pagination={false}
                    />
                  ),
                }}
                locale={{
                  emptyText: (
                    <Empty
                      image={Empty.PRESENTED_IMAGE_SIMPLE}
                      description={stock.isError ? errorMessage(stock.error) : t('stock.empty')}
                    />
                  ),
                }}
                data-testid="stock-table"
              />
            ),
          },
          {
            key: 'ledger',
            label: t('warehouse.ledger'),
            children: (
              <MovementTable
                data={ledger.data?.items ?? []}
                total={ledger.data?.total ?? 0}
                loading={ledger.isFetching && !ledger.data}
                error={ledger.error}
                page={ledgerPage.page}
                size={ledgerPage.size}
                onPage={(page, size) => setLedgerPage({ page, size })}
              />
            ),
          },
        ]}
      />
      <WarehouseFormDrawer open={editing} warehouse={wh} onClose={() => setEditing(false)} />
      {moving === 'stocktake' && <StocktakeModal warehouse={wh} stock={lines} onClose={() => setMoving(null)} />}
      {moving && moving !== 'stocktake' && (
        <StockMoveModal kind={moving} warehouse={wh} stock={lines} onClose={() => setMoving(null)} />
      )}
    </div>
  );
}
