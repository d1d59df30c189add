import { MinusCircleOutlined, PlusOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import type { ButtonProps } from 'antd';
import { Alert, App, Button, Col, DatePicker, Form, Input, InputNumber, Modal, Radio, Row, Select, Table } from 'antd';
import type dayjs from 'dayjs';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { StockLine, Warehouse } from '../../../../contracts/logistics.ts';
import { applyServerError, useErrorReporter } from '../../components/errors.tsx';
import { ItemSelect } from './labels.tsx';
import {
  logisticsKeys,
  postStock,
  postStocktake,
  type StockAction,
  type StocktakeReply,
  useAllWarehouses,
} from './logistics-api.ts';
import { qty } from './logistics-text.ts';

export type MoveKind = 'receive' | 'issue' | 'transfer' | 'adjust' | 'stocktake';

interface Line {
  itemCode?: string;
  quantity?: number;
  batch?: string;
  /** adjust: `itemCode|batch` */
  batchKey?: string;
  producedOn?: dayjs.Dayjs | null;
  expiresOn?: dayjs.Dayjs | null;
}
interface Values {
  docNo?: string;
  note?: string;
  recipient?: string;
  toWarehouseId?: string;
  reason?: string;
  adjustKind?: 'adjust' | 'writeoff';
  items: Line[];
}

const ACTION: Record<Exclude<MoveKind, 'stocktake'>, StockAction> = {
  receive: 'receipts',
  issue: 'issues',
  transfer: 'transfers',
  adjust: 'adjustments',
};
const day = (d: dayjs.Dayjs | null | undefined) => (d ? d.format('YYYY-MM-DD') : undefined);

/** Receive, issue, transfer or adjust stock of a warehouse: one document of several lines, all or none. */
export function StockMoveModal({
  kind,
  warehouse,
  stock,
  onClose,
}: {
  kind: Exclude<MoveKind, 'stocktake'>;
  warehouse: Warehouse;
  stock: StockLine[];
  onClose: () => void;
}) {
  const { t } = useTranslation('logistics');
  const [form] = Form.useForm<Values>();
  const [busy, setBusy] = useState(false);
  const report = useErrorReporter();
  const qc = useQueryClient();
  const { message } = App.useApp();
  const warehouses = useAllWarehouses(kind === 'transfer');
  const batchOptions = useMemo(
    () =>
      stock.flatMap((s) =>
        s.batches.map((b) => ({
          value: `${s.itemCode}|${b.batch}`,
          label: `${s.itemName} · ${b.batch} (${qty(b.quantity)} ${s.unit})`,
        })),
      ),
    [stock],
  );
  const inStock = useMemo(() => new Map(stock.map((s) => [s.itemCode, s])), [stock]);
  const adjustKind = Form.useWatch('adjustKind', form);
  // what can leave is what is here
  const stockOptions = useMemo(
    () =>
      stock
        .filter((s) => s.quantity > 0)
        .map((s) => ({ value: s.itemCode, label: `${s.itemCode} ${s.itemName} (${qty(s.quantity)} ${s.unit})` })),
    [stock],
  );

  const submit = async () => {
    const v = await form.validateFields();
    const items = v.items ?? [];
    const base = { ...(v.docNo ? { docNo: v.docNo } : {}) };
    let body: Parameters<typeof postStock>[2];
    if (kind === 'receive')
      body = {
        ...base,
        ...(v.note ? { note: v.note } : {}),
        items: items.map((l) => ({
          itemCode: l.itemCode as string,
          quantity: l.quantity as number,
          ...(l.batch ? { batch: l.batch } : {}),
          ...(l.producedOn ? { producedOn: day(l.producedOn) } : {}),
          ...(l.expiresOn ? { expiresOn: day(l.expiresOn) } : {}),
        })),
      };
    else if (kind === 'adjust')
      body = {
        ...base,
        kind: v.adjustKind ?? 'adjust',
        reason: v.reason ?? '',
        items: items.map((l) => {
          const [itemCode, batch] = (l.batchKey ?? '|').split('|');
          return { itemCode, batch, quantity: l.quantity ?? 0 };
        }),
      };
    else
      body = {
        ...base,
        ...(v.note ? { note: v.note } : {}),
        ...(v.recipient ? { recipient: v.recipient } : {}),
        ...(kind === 'transfer' ? { toWarehouseId: v.toWarehouseId as string } : {}),
        items: items.map((l) => ({ itemCode: l.itemCode as string, quantity: l.quantity as number })),
      };
    setBusy(true);
    try {
      const r = await postStock(warehouse.id, ACTION[kind], body);
      message.success(t('stock.done', { docNo: r.docNo }));
      void qc.invalidateQueries({ queryKey: logisticsKeys.warehouses });
      void qc.invalidateQueries({ queryKey: logisticsKeys.movements });
      onClose();
    } catch (err) {
      if (!applyServerError(form, err)) report(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal
      open
      width={kind === 'receive' ? 1000 : 720}
      title={t(`stock.${kind}Title`, { name: warehouse.name })}
      onCancel={onClose}
      onOk={() => void submit()}
      okText={t(`stock.${kind}`)}
      okButtonProps={{ 'data-testid': 'stock-submit' } as ButtonProps}
      confirmLoading={busy}
      destroyOnHidden
    >
      <Form
        form={form}
        layout="vertical"
        initialValues={{ items: [{ quantity: kind === 'adjust' ? 0 : 1 }], adjustKind: 'adjust' }}
      >
        <Row gutter={12}>
          <Col span={8}>
            <Form.Item name="docNo" label={t('field.docNo')} tooltip={t('stock.docNoHelp')} rules={[{ max: 64 }]}>
              <Input placeholder={t('stock.docNoAuto')} />
            </Form.Item>
          </Col>
          {kind === 'transfer' && (
            <Col span={16}>
              <Form.Item
                name="toWarehouseId"
                label={t('field.toWarehouse')}
                rules={[{ required: true, message: t('stock.toRequired') }]}
              >
                <Select
                  showSearch={{ optionFilterProp: 'label' }}
                  options={(warehouses.data?.items ?? [])
                    .filter((w) => w.id !== warehouse.id && w.active)
                    .map((w) => ({ value: w.id, label: w.name }))}
                />
              </Form.Item>
            </Col>
          )}
          {kind === 'issue' && (
            <Col span={16}>
              <Form.Item name="recipient" label={t('field.recipient')} rules={[{ max: 200 }]}>
                <Input placeholder={t('stock.recipientHelp')} />
              </Form.Item>
            </Col>
          )}
          {kind === 'adjust' && (
            <Col span={16}>
              <Form.Item name="adjustKind" label={t('field.adjustKind')}>
                <Radio.Group
                  options={[
                    { value: 'adjust', label: t('stock.adjustSet') },
                    { value: 'writeoff', label: t('stock.writeoff') },
                  ]}
                />
              </Form.Item>
            </Col>
          )}
        </Row>
        {kind === 'adjust' && (
          <Form.Item
            name="reason"
            label={t('field.reason')}
            rules={[{ required: true, message: t('stock.reasonRequired'), max: 500 }]}
          >
            <Input />
          </Form.Item>
        )}
        <Form.List name="items">
          {(fields, { add, remove }) => (
            <>
              {fields.map((f, i) => (
                <Row gutter={8} key={f.key} align="top" data-testid="stock-line">
                  {kind === 'adjust' ? (
                    <Col span={15}>
                      <Form.Item
                        name={[f.name, 'batchKey']}
                        label={i === 0 ? t('field.batch') : undefined}
                        rules={[{ required: true, message: t('stock.batchRequired') }]}
                      >
                        <Select showSearch={{ optionFilterProp: 'label' }} options={batchOptions} />
                      </Form.Item>
                    </Col>
                  ) : (
                    <Col span={kind === 'receive' ? 8 : 15}>
                      <Form.Item
                        name={[f.name, 'itemCode']}
                        label={i === 0 ? t('field.item') : undefined}
                        rules={[{ required: true, message: t('form.itemRequired') }]}
                        extra={
                          kind !== 'receive' ? (
                            <Form.Item noStyle shouldUpdate>
                              {() => {
                                const code = form.getFieldValue(['items', f.name, 'itemCode']);
                                const s = code ? inStock.get(code) : undefined;
                                return code
                                  ? t('stock.available', { n: qty(s?.quantity ?? 0), unit: s?.unit ?? '' })
                                  : null;
                              }}
                            </Form.Item>
                          ) : undefined
                        }
                      >
                        {kind === 'receive' ? (
                          <ItemSelect testId={`stock-item-${i}`} />
                        ) : (
                          <Select
                            showSearch={{ optionFilterProp: 'label' }}
                            options={stockOptions}
                            data-testid={`stock-item-${i}`}
                          />
                        )}
                      </Form.Item>
                    </Col>
                  )}
                  <Col span={kind === 'receive' ? 3 : 8}>
                    <Form.Item
                      name={[f.name, 'quantity']}
                      label={
                        i === 0
                          ? kind !== 'adjust'
                            ? t('field.quantity')
                            : adjustKind === 'writeoff'
                              ? t('stock.writeoffQuantity')
                              : t('stock.counted')
                          : undefined
                      }
                      rules={[{ required: true, message: t('form.quantityRequired') }]}
                    >
                      <InputNumber
                        min={kind === 'adjust' && adjustKind !== 'writeoff' ? 0 : 1}
                        precision={0}
                        style={{ width: '100%' }}
                        data-testid={`stock-qty-${i}`}
                      />
                    </Form.Item>
                  </Col>
                  {kind === 'receive' && (
                    <>
                      <Col span={3}>
                        <Form.Item name={[f.name, 'batch']} label={i === 0 ? t('field.batch') : undefined}>
                          <Input placeholder={t('stock.batchAuto')} maxLength={64} />
                        </Form.Item>
                      </Col>
                      <Col span={4}>
                        <Form.Item name={[f.name, 'producedOn']} label={i === 0 ? t('field.producedOn') : undefined}>
                          <DatePicker style={{ width: '100%' }} />
                        </Form.Item>
                      </Col>
                      <Col span={5}>
                        <Form.Item
                          name={[f.name, 'expiresOn']}
                          label={i === 0 ? t('field.expiresOn') : undefined}
                          tooltip={i === 0 ? t('stock.expiresHelp') : undefined}
                        >
                          <DatePicker style={{ width: '100%' }} />
                        </Form.Item>
                      </Col>
                    </>
                  )}
                  <Col span={1} style={i === 0 ? { paddingTop: 30 } : undefined}>
                    {fields.length > 1 && (
                      <MinusCircleOutlined
                        className="row-remove"
                        aria-label={t('form.removeLine')}
                        onClick={() => remove(f.name)}
                      />
                    )}
                  </Col>
                </Row>
              ))}
              <Button
                type="dashed"
                icon={<PlusOutlined />}
                onClick={() => add({ quantity: kind === 'adjust' ? 0 : 1 })}
                block
              >
                {t('form.addLine')}
              </Button>
            </>
          )}
        </Form.List>
        {kind !== 'adjust' && (
          <Form.Item name="note" label={t('field.note')} rules={[{ max: 500 }]} style={{ marginTop: 12 }}>
            <Input />
          </Form.Item>
        )}
      </Form>
    </Modal>
  );
}

interface CountRow {
  key: string;
  itemCode: string;
  itemName: string;
  unit: string;
  batch: string;
  book: number;
}

/** A stocktake: every batch counted; the differences checked first, then applied as one adjustment. */
export function StocktakeModal({
  warehouse,
  stock,
  onClose,
}: {
  warehouse: Warehouse;
  stock: StockLine[];
  onClose: () => void;
}) {
  const { t } = useTranslation('logistics');
  const report = useErrorReporter();
  const qc = useQueryClient();
  const { message } = App.useApp();
  const rows = useMemo<CountRow[]>(
    () =>
      stock.flatMap((s) =>
        s.batches.map((b) => ({
          key: `${s.itemCode}|${b.batch}`,
          itemCode: s.itemCode,
          itemName: s.itemName,
          unit: s.unit,
          batch: b.batch,
          book: b.quantity,
        })),
      ),
    [stock],
  );
  const [counted, setCounted] = useState<Record<string, number>>(() =>
    Object.fromEntries(rows.map((r) => [r.key, r.book])),
  );
  const [reply, setReply] = useState<StocktakeReply | null>(null);
  const [busy, setBusy] = useState(false);

  const send = async (apply: boolean) => {
    setBusy(true);
    try {
      const r = await postStocktake(warehouse.id, {
        apply,
        items: rows.map((x) => ({ itemCode: x.itemCode, batch: x.batch, counted: counted[x.key] ?? x.book })),
      });
      setReply(r);
      if (r.applied) {
        message.success(t('stock.stocktakeApplied', { docNo: r.docNo ?? '' }));
        void qc.invalidateQueries({ queryKey: logisticsKeys.warehouses });
        void qc.invalidateQueries({ queryKey: logisticsKeys.movements });
        onClose();
      }
    } catch (err) {
      report(err);
    } finally {
      setBusy(false);
    }
  };

  const diffs = reply?.differences.filter((d) => d.difference !== 0) ?? [];
  return (
    <Modal
      open
      width={820}
      title={t('stock.stocktakeTitle', { name: warehouse.name })}
      onCancel={onClose}
      destroyOnHidden
      footer={[
        <Button key="c" onClick={onClose}>
          {t('common:cancel')}
        </Button>,
        <Button key="check" loading={busy && !reply} onClick={() => void send(false)} disabled={!rows.length}>
          {t('stock.checkDifferences')}
        </Button>,
        <Button
          key="apply"
          type="primary"
          loading={busy && !!reply}
          disabled={!reply || diffs.length === 0}
          onClick={() => void send(true)}
        >
          {t('stock.applyDifferences', { count: diffs.length })}
        </Button>,
      ]}
    >
      {reply && (
        <Alert
          type={diffs.length ? 'warning' : 'success'}
          showIcon
          style={{ marginBottom: 12 }}
          title={diffs.length ? t('stock.differences', { count: diffs.length }) : t('stock.noDifferences')}
        />
      )}
      <Table<CountRow>
        size="small"
        rowKey="key"
        dataSource={rows}
        pagination={rows.length > 10 ? { pageSize: 10, size: 'small' } : false}
        locale={{ emptyText: t('stock.empty') }}
        columns={[
          { title: t('field.item'), dataIndex: 'itemName', ellipsis: true },
          { title: t('field.batch'), dataIndex: 'batch', width: 130 },
          { title: t('stock.book'), dataIndex: 'book', width: 100, align: 'right', render: (v: number) => qty(v) },
          {
            title: t('stock.counted'),
            key: 'counted',
            width: 140,
            render: (_: unknown, r) => (
              <InputNumber
                size="small"
                min={0}
                precision={0}
                value={counted[r.key]}
                onChange={(v) => {
                  setCounted((c) => ({ ...c, [r.key]: v ?? 0 }));
                  setReply(null);
                }}
                aria-label={`${r.itemName} ${r.batch}`}
                style={{ width: '100%' }}
              />
            ),
          },
          {
            title: t('stock.difference'),
            key: 'diff',
            width: 100,
            align: 'right',
            render: (_: unknown, r) => {
              const d = (counted[r.key] ?? r.book) - r.book;
              return d ? <span className={d < 0 ? 'bad' : 'good'}>{d > 0 ? `+${qty(d)}` : qty(d)}</span> : '—';
            },
          },
        ]}
      />
    </Modal>
  );
}
