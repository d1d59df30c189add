import { Empty, Table, type TableColumnsType, Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import { MOVEMENT_KIND_INFO, type Movement } from '../../../../contracts/logistics.ts';
import { errorMessage } from '../../components/errors.tsx';
import { formatTime } from '../../i18n/index.ts';
import { nameIn, useLang } from './labels.tsx';
import { qty } from './logistics-text.ts';

/** The ledger: each movement with its document, signed quantity and the balance after it. */
export function MovementTable({
  data,
  total,
  loading,
  error,
  page,
  size,
  onPage,
  warehouseName,
}: {
  data: Movement[];
  total: number;
  loading: boolean;
  error?: unknown;
  page: number;
  size: number;
  onPage: (page: number, size: number) => void;
  /** the warehouse column (the all-warehouses ledger) */
  warehouseName?: (id: string) => string;
}) {
  const { t } = useTranslation('logistics');
  const lang = useLang();
  const columns: TableColumnsType<Movement> = [
    { title: t('field.at'), dataIndex: 'at', width: 150, render: (v: string) => formatTime(v) },
    { title: t('field.docNo'), dataIndex: 'docNo', width: 170, ellipsis: true },
    {
      title: t('field.kind'),
      dataIndex: 'kind',
      width: 120,
      render: (v: Movement['kind']) => (
        <Tag color={v === 'receive' || v === 'transfer_in' ? 'green' : v === 'adjust' ? 'gold' : 'blue'}>
          {nameIn(MOVEMENT_KIND_INFO[v], lang)}
        </Tag>
      ),
    },
    ...(warehouseName
      ? [
          {
            title: t('field.warehouse'),
            dataIndex: 'warehouseId',
            ellipsis: true,
            render: (v: string) => warehouseName(v),
          },
        ]
      : []),
    { title: t('field.item'), dataIndex: 'itemName', ellipsis: true },
    { title: t('field.batch'), dataIndex: 'batch', width: 120, render: (v: string | null) => v ?? '—' },
    {
      title: t('field.quantity'),
      dataIndex: 'quantity',
      width: 100,
      align: 'right',
      render: (v: number) => <span className={v < 0 ? 'bad' : 'good'}>{v > 0 ? `+${qty(v)}` : qty(v)}</span>,
    },
    { title: t('field.balance'), dataIndex: 'balance', width: 100, align: 'right', render: (v: number) => qty(v) },
    { title: t('field.operator'), dataIndex: ['operator', 'name'], width: 100, ellipsis: true },
    {
      title: t('field.note'),
      key: 'note',
      ellipsis: true,
      render: (_: unknown, r) => [r.counterpart, r.note].filter(Boolean).join(' · ') || '—',
    },
  ];
  return (
    <Table<Movement>
      size="small"
      className="dense-table"
      rowKey="id"
      columns={columns}
      dataSource={data}
      loading={loading}
      data-testid="movement-table"
      locale={{
        emptyText: (
          <Empty
            image={Empty.PRESENTED_IMAGE_SIMPLE}
            description={error ? errorMessage(error) : t('movements.empty')}
          />
        ),
      }}
      pagination={{
        current: page,
        pageSize: size,
        total,
        showSizeChanger: true,
        pageSizeOptions: [20, 50, 100],
        showTotal: (n) => t('common:total', { count: n }),
        onChange: onPage,
      }}
      scroll={{ x: 1100 }}
    />
  );
}
