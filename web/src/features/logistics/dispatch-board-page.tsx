import { ClockCircleOutlined, ReloadOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import type { ButtonProps } from 'antd';
import { Alert, App, Button, Card, Empty, Form, Input, Modal, Select, Space, Switch, Tag, Typography } from 'antd';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate, useSearchParams } from 'react-router';
import {
  type DispatchOrder,
  ORDER_NEXT,
  ORDER_STATE_INFO,
  type OrderState,
  type OrderTransition,
} from '../../../../contracts/logistics.ts';
import { can, useCurrentUser } from '../../api/auth.ts';
import { api } from '../../api/client.ts';
import type { FileInfo } from '../../api/contracts.ts';
import { Attachments } from '../../components/attachments.tsx';
import { applyServerError, errorMessage, useErrorReporter } from '../../components/errors.tsx';
import { formatTime } from '../../i18n/index.ts';
import { nameIn, OrderStateTag, useLang } from './labels.tsx';
import {
  logisticsKeys,
  type OrderFilters,
  transitionOrder,
  useAllWarehouses,
  useOrders,
  usePlanProgress,
  usePlans,
} from './logistics-api.ts';
import { BOARD_COLUMNS, boardColumns, clockAt, qty } from './logistics-text.ts';

/**
 * The dispatch board: orders in columns by state (late ones first and flagged), each with the steps it may take
 * next; loading takes the vehicle and driver, delivery the one who signed for it and photos of the delivery.
 */
export function DispatchBoardPage() {
  const { t } = useTranslation('logistics');
  const lang = useLang();
  const user = useCurrentUser();
  const navigate = useNavigate();
  const [params, setParams] = useSearchParams();
  const filters: OrderFilters = {
    planId: params.get('planId') ?? undefined,
    warehouseId: params.get('warehouseId') ?? undefined,
    late: params.get('late') ?? undefined,
  };
  const update = (patch: Record<string, string | undefined>) => {
    const next = new URLSearchParams(params);
    for (const [k, v] of Object.entries(patch)) {
      if (v) next.set(k, v);
      else next.delete(k);
    }
    setParams(next, { replace: true });
  };
  const orders = useOrders(filters);
  const plans = usePlans();
  const warehouses = useAllWarehouses();
  const progress = usePlanProgress(filters.planId ?? null);
  const cols = useMemo(() => boardColumns(orders.data ?? []), [orders.data]);
  const [acting, setActing] = useState<{ order: DispatchOrder; to: OrderState } | null>(null);
  const mayAct = can(user, 'logistics.dispatch');
  const lateCount = (orders.data ?? []).filter((o) => o.late).length;

  return (
    <div className="page">
      <div className="page-head">
        <Typography.Title level={4} className="page-title">
          {t('nav.orders')}
        </Typography.Title>
        <Button icon={<ReloadOutlined />} onClick={() => void orders.refetch()} loading={orders.isFetching}>
          {t('common:refresh')}
        </Button>
      </div>
      <div className="filter-bar">
        <Select
          allowClear
          placeholder={t('orders.plan')}
          value={filters.planId}
          onChange={(v) => update({ planId: v })}
          options={(plans.data ?? []).map((p) => ({
            value: p.id,
            label: `${p.number ?? ''} ${p.name ?? ''} · ${formatTime(p.createdAt)}`,
          }))}
          style={{ width: 300 }}
          data-testid="orders-plan"
        />
        <Select
          allowClear
          showSearch={{ optionFilterProp: 'label' }}
          placeholder={t('field.warehouse')}
          value={filters.warehouseId}
          onChange={(v) => update({ warehouseId: v })}
          options={(warehouses.data?.items ?? []).map((w) => ({ value: w.id, label: w.name }))}
          style={{ width: 220 }}
        />
        <Space>
          <Switch
            checked={filters.late === 'true'}
            onChange={(v) => update({ late: v ? 'true' : undefined })}
            aria-label={t('orders.lateOnly')}
          />
          <span>{t('orders.lateOnly')}</span>
        </Space>
        {lateCount > 0 && (
          <Tag color="red" icon={<ClockCircleOutlined />} data-testid="late-count">
            {t('orders.lateCount', { count: lateCount })}
          </Tag>
        )}
      </div>
      {filters.planId && progress.data && (
        <Alert
          type={progress.data.remaining.some((r) => r.remaining > 0) ? 'info' : 'success'}
          showIcon
          style={{ marginBottom: 12 }}
          title={t('orders.progress', {
            delivered: qty(progress.data.remaining.reduce((s, r) => s + r.delivered, 0)),
            need: qty(progress.data.remaining.reduce((s, r) => s + r.need, 0)),
            remaining: qty(progress.data.remaining.reduce((s, r) => s + r.remaining, 0)),
          })}
        />
      )}
      {orders.isError && (
        <Alert type="error" showIcon title={errorMessage(orders.error)} style={{ marginBottom: 12 }} />
      )}
      {orders.data?.length === 0 && !filters.planId && !filters.warehouseId && !filters.late && (
        <Alert
          type="info"
          showIcon
          style={{ marginBottom: 12 }}
          title={t('orders.fromPlans')}
          action={
            <Button size="small" onClick={() => navigate('/logistics/plan')}>
              {t('nav.plan')}
            </Button>
          }
        />
      )}
      <div className="order-board" data-testid="order-board">
        {BOARD_COLUMNS.map((state) => (
          <div className="order-column" key={state} data-testid={`column-${state}`}>
            <div className="order-column-head">
              <OrderStateTag state={state} />
              <span className="muted">{cols[state].length}</span>
            </div>
            {cols[state].length === 0 ? (
              <Empty
                image={Empty.PRESENTED_IMAGE_SIMPLE}
                description={orders.isLoading ? t('loading') : t('orders.none')}
              />
            ) : (
              cols[state].map((o) => (
                <OrderCard
                  key={o.id}
                  order={o}
                  mayAct={mayAct}
                  onAct={(to) => setActing({ order: o, to })}
                  lang={lang}
                />
              ))
            )}
          </div>
        ))}
      </div>
      {acting && <TransitionModal order={acting.order} to={acting.to} onClose={() => setActing(null)} />}
    </div>
  );
}

function OrderCard({
  order: o,
  mayAct,
  onAct,
  lang,
}: {
  order: DispatchOrder;
  mayAct: boolean;
  onAct: (to: OrderState) => void;
  lang: 'zh' | 'en';
}) {
  const { t } = useTranslation('logistics');
  const next = ORDER_NEXT[o.state];
  // clock times (Beijing), with the day when not today
  const now = new Date().toISOString();
  return (
    <Card
      size="small"
      className={`order-card${o.late ? ' order-late' : ''}`}
      data-testid="order-card"
      data-number={o.number}
    >
      <div className="order-card-head">
        <strong>{o.number}</strong>
        {o.late && (
          <Tag color="red" icon={<ClockCircleOutlined />} data-testid="order-late">
            {t('orders.late')}
          </Tag>
        )}
      </div>
      <div className="order-route">
        {o.warehouseName} → {o.placeName ?? o.placeId}
      </div>
      <ul className="compact-list">
        {o.lines.slice(0, 4).map((l) => (
          <li key={l.itemCode}>
            {l.itemName} {qty(l.quantity)} {l.unit}
          </li>
        ))}
        {o.lines.length > 4 && <li className="muted">{t('orders.moreLines', { count: o.lines.length - 4 })}</li>}
      </ul>
      <div className="muted small">
        {t('orders.departEta', { depart: clockAt(o.plannedDepartAt, now), eta: clockAt(o.etaAt, now) })}
      </div>
      {o.deliveredAt && (
        <div className="muted small">{t('orders.deliveredAt', { at: clockAt(o.deliveredAt, now) })}</div>
      )}
      {(o.vehicle || o.driver) && (
        <div className="muted small">{[o.vehicle, o.driver].filter(Boolean).join(' · ')}</div>
      )}
      {o.proof && (
        <div className="muted small">
          {t('orders.receivedBy', { name: o.proof.receivedBy })}
          {o.proof.fileIds.length > 0 && ` · ${t('orders.photos', { count: o.proof.fileIds.length })}`}
        </div>
      )}
      {mayAct && next.length > 0 && (
        <Space size={4} wrap style={{ marginTop: 6 }}>
          {next.map((to) => (
            <Button
              key={to}
              size="small"
              type={to === 'cancelled' ? 'default' : 'primary'}
              danger={to === 'cancelled'}
              ghost={to !== 'cancelled'}
              onClick={() => onAct(to)}
              data-testid={`to-${to}`}
            >
              {t(`orders.action.${to}`, { defaultValue: nameIn(ORDER_STATE_INFO[to], lang) })}
            </Button>
          ))}
        </Space>
      )}
    </Card>
  );
}

interface TransitionValues {
  vehicle?: string;
  driver?: string;
  receivedBy?: string;
  note?: string;
}

/** One step of an order: what that step asks for (vehicle and driver, who signed and photos, a reason). */
function TransitionModal({ order, to, onClose }: { order: DispatchOrder; to: OrderState; onClose: () => void }) {
  const { t } = useTranslation('logistics');
  const lang = useLang();
  const [form] = Form.useForm<TransitionValues>();
  const [busy, setBusy] = useState(false);
  const report = useErrorReporter();
  const qc = useQueryClient();
  const { message } = App.useApp();

  const submit = async () => {
    const v = await form.validateFields();
    setBusy(true);
    try {
      const body: OrderTransition = { state: to, version: order.version };
      if (v.vehicle) body.vehicle = v.vehicle;
      if (v.driver) body.driver = v.driver;
      if (v.note) body.note = v.note;
      if (to === 'delivered') {
        body.receivedBy = v.receivedBy;
        const files = await api.get<{ items: FileInfo[] }>('/files', {
          entity: 'dispatch_order',
          entityId: order.id,
          limit: 10,
        });
        body.fileIds = files.items.map((f) => f.id);
      }
      await transitionOrder(order.id, body);
      message.success(t('orders.done', { number: order.number, state: nameIn(ORDER_STATE_INFO[to], lang) }));
      void qc.invalidateQueries({ queryKey: logisticsKeys.orders });
      void qc.invalidateQueries({ queryKey: logisticsKeys.plans });
      void qc.invalidateQueries({ queryKey: logisticsKeys.warehouses });
      onClose();
    } catch (err) {
      if (!applyServerError(form, err, ['vehicle', 'driver', 'receivedBy', 'note']))
        report(err, { refetch: logisticsKeys.orders, close: onClose });
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal
      open
      onCancel={onClose}
      title={t('orders.transitionTitle', { number: order.number, state: nameIn(ORDER_STATE_INFO[to], lang) })}
      okText={t(`orders.action.${to}`)}
      okButtonProps={{ danger: to === 'cancelled', 'data-testid': 'transition-ok' } as ButtonProps}
      onOk={() => void submit()}
      confirmLoading={busy}
      destroyOnHidden
    >
      {to === 'loaded' && <Alert type="info" showIcon title={t('orders.loadNote')} style={{ marginBottom: 12 }} />}
      <Form form={form} layout="vertical" initialValues={{ vehicle: order.vehicle, driver: order.driver }}>
        {(to === 'loaded' || to === 'en_route') && (
          <Space.Compact block>
            <Form.Item name="vehicle" label={t('field.vehicle')} rules={[{ max: 64 }]} style={{ flex: 1 }}>
              <Input autoFocus />
            </Form.Item>
            <Form.Item name="driver" label={t('field.driver')} rules={[{ max: 100 }]} style={{ flex: 1 }}>
              <Input />
            </Form.Item>
          </Space.Compact>
        )}
        {to === 'delivered' && (
          <>
            <Form.Item
              name="receivedBy"
              label={t('field.receivedBy')}
              rules={[{ required: true, message: t('orders.receivedByRequired'), max: 100 }]}
            >
              <Input autoFocus data-testid="received-by" />
            </Form.Item>
            {/* outside a Form.Item: the form's styles would show the hidden file input */}
            <div className="photo-field">
              <div className="photo-field-label">{t('field.photos')}</div>
              <Attachments entity="dispatch_order" entityId={order.id} canAttach accept="image/*" />
              <div className="muted small">{t('orders.photosHelp')}</div>
            </div>
          </>
        )}
        <Form.Item
          name="note"
          label={to === 'cancelled' ? t('field.reason') : t('field.note')}
          rules={[{ required: to === 'cancelled', message: t('orders.reasonRequired') }, { max: 500 }]}
        >
          <Input.TextArea rows={2} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
