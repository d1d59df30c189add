import { DeleteOutlined, PlayCircleOutlined, SendOutlined, UploadOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  App,
  Button,
  Card,
  Checkbox,
  Col,
  DatePicker,
  Empty,
  Form,
  Input,
  InputNumber,
  Progress,
  Row,
  Select,
  Space,
  Table,
  type TableColumnsType,
  Tabs,
  Typography,
} from 'antd';
import type dayjs from 'dayjs';
import type { FeatureCollection } from 'geojson';
import { useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate, useSearchParams } from 'react-router';
import type { Plan, PlanPlace, PlanRequest, Shipment } from '../../../../contracts/logistics.ts';
import { can, useCurrentUser } from '../../api/auth.ts';
import { errorMessage, useErrorReporter } from '../../components/errors.tsx';
import { formatTime, fromShanghaiWall, toShanghaiWall } from '../../i18n/index.ts';
import { RESERVE_COLORS, useItemNames, useLang } from './labels.tsx';
import {
  logisticsKeys,
  makeOrders,
  runPlan,
  useAllWarehouses,
  usePlan,
  usePlanProgress,
  usePlanRoutes,
  usePlans,
} from './logistics-api.ts';
import { LogisticsMap, type LogisticsPoint } from './logistics-map.tsx';
import {
  clockAt,
  decodeCsv,
  etaClock,
  hoursMinutes,
  type PlaceRowError,
  placesFromRows,
  qty,
  splitCsv,
  xlsxRows,
} from './logistics-text.ts';

type Place = PlanPlace & { people: number };
const PLACE_COLOR = '#cf1322';
const ROUTE_COLOR = '#1d39c4';

interface Params {
  name?: string;
  days: number;
  deadlineHours: number;
  startAt?: dayjs.Dayjs | null;
  loadingMinutes?: number | null;
  keep: boolean;
}

/** Seconds since `from` while `running`, ticking each second (the run's progress). */
function useElapsed(running: boolean): number {
  const [s, setS] = useState(0);
  useEffect(() => {
    if (!running) return;
    setS(0);
    const started = Date.now();
    const id = setInterval(() => setS(Math.floor((Date.now() - started) / 1000)), 1000);
    return () => clearInterval(id);
  }, [running]);
  return s;
}

/**
 * Relief planning: affected places clicked on the map or imported from a list, the parameters, the run; then the
 * verdict against the deadline, the shipments with their departures and arrivals, what stays unmet and the extra
 * stock that would close it, the routes, the greedy plan's figures beside the optimum, and the dispatch orders.
 */
export function PlanPage() {
  const { t } = useTranslation('logistics');
  const lang = useLang();
  const user = useCurrentUser();
  const navigate = useNavigate();
  const { message } = App.useApp();
  const report = useErrorReporter();
  const qc = useQueryClient();
  const [params, setParams] = useSearchParams();
  const storedId = params.get('plan');
  const stored = usePlan(storedId);
  const plans = usePlans();
  const warehouses = useAllWarehouses();
  const itemNames = useItemNames();
  const [form] = Form.useForm<Params>();
  const [places, setPlaces] = useState<Place[]>([]);
  const [fresh, setFresh] = useState<Plan | null>(null);
  const [running, setRunning] = useState(false);
  const [runError, setRunError] = useState<string | null>(null);
  const [importErrors, setImportErrors] = useState<PlaceRowError[]>([]);
  const [ordering, setOrdering] = useState(false);
  const elapsed = useElapsed(running);
  const fileInput = useRef<HTMLInputElement>(null);
  const nextId = useRef(1);
  // an imported list re-fits the map to what it shows
  const [imports, setImports] = useState(0);

  const plan = fresh ?? stored.data ?? null;
  // a stored plan opened from the address brings its places
  useEffect(() => {
    if (!stored.data || fresh) return;
    setPlaces(stored.data.places.map((p) => ({ ...p, people: p.people ?? 0 })));
    nextId.current = stored.data.places.length + 1;
  }, [stored.data, fresh]);

  // the parameters a plan was made with, shown beside it
  useEffect(() => {
    if (!plan) return;
    form.setFieldsValue({
      deadlineHours: plan.deadlineHours,
      startAt: toShanghaiWall(plan.startAt),
      ...(plan.name ? { name: plan.name } : {}),
    });
  }, [plan, form]);

  const routes = usePlanRoutes(plan?.id ?? null);
  const progress = usePlanProgress(plan?.id ?? null);
  const o = progress.data?.orders;
  const ordered = o ? o.planned + o.loaded + o.en_route + o.delivered + o.cancelled > 0 : false;
  const whById = useMemo(() => new Map((warehouses.data?.items ?? []).map((w) => [w.id, w])), [warehouses.data]);
  const placeById = useMemo(() => new Map((plan?.places ?? places).map((p) => [p.id, p])), [plan, places]);
  const placeName = (id: string) => placeById.get(id)?.name || id;
  const whName = (id: string | null) => (id ? (whById.get(id)?.name ?? id.slice(0, 8)) : t('plan.noWarehouse'));
  const itemLabel = (code: string) => itemNames.get(code)?.name ?? code;
  const unit = (code: string) => itemNames.get(code)?.unit ?? '';

  const addPlace = (at: [number, number]) => {
    const n = nextId.current++;
    setPlaces((ps) => [
      ...ps,
      { id: `p${n}`, name: t('plan.placeName', { n }), location: { type: 'Point', coordinates: at }, people: 500 },
    ]);
    setFresh(null);
  };
  const patchPlace = (id: string, patch: Partial<Place>) =>
    setPlaces((ps) => ps.map((p) => (p.id === id ? { ...p, ...patch } : p)));

  const importFile = async (f: File | undefined) => {
    if (!f) return;
    try {
      const rows = /\.xlsx$/i.test(f.name)
        ? await xlsxRows(await f.arrayBuffer())
        : splitCsv(decodeCsv(await f.arrayBuffer()));
      const r = placesFromRows(rows, nextId.current);
      nextId.current += r.places.length;
      setPlaces((ps) => [...ps, ...r.places]);
      setImportErrors(r.errors);
      if (r.places.length) setImports((n) => n + 1);
      if (r.places.length) message.success(t('plan.imported', { count: r.places.length }));
    } catch (err) {
      report(new Error(t('plan.importUnreadable', { name: f.name, reason: errorMessage(err) })));
    } finally {
      if (fileInput.current) fileInput.current.value = '';
    }
  };

  const run = async () => {
    const v = await form.validateFields();
    if (!places.length) {
      setRunError(t('plan.noPlaces'));
      return;
    }
    const req: PlanRequest = {
      places: places.map((p) => ({ id: p.id, name: p.name, location: p.location, people: p.people })),
      days: v.days,
      deadlineHours: v.deadlineHours,
      ...(v.startAt ? { startAt: fromShanghaiWall(v.startAt) } : {}),
      ...(v.loadingMinutes !== null && v.loadingMinutes !== undefined ? { loadingMinutes: v.loadingMinutes } : {}),
      ...(v.name ? { name: v.name } : {}),
      dryRun: !v.keep,
    };
    setRunning(true);
    setRunError(null);
    try {
      const answer = await runPlan(req);
      setFresh(answer);
      if (answer.id) {
        setParams({ plan: answer.id }, { replace: true });
        qc.setQueryData(logisticsKeys.plan(answer.id), answer);
        void qc.invalidateQueries({ queryKey: logisticsKeys.plans, exact: true });
      }
    } catch (err) {
      setRunError(errorMessage(err));
    } finally {
      setRunning(false);
    }
  };

  const order = async () => {
    if (!plan?.id) return;
    setOrdering(true);
    try {
      const r = await makeOrders(plan.id);
      const n = Array.isArray(r) ? r.length : r.items.length;
      message.success(t('plan.ordersMade', { count: n }));
      void qc.invalidateQueries({ queryKey: logisticsKeys.orders });
      navigate(`/logistics/orders?planId=${plan.id}`);
    } catch (err) {
      report(err);
    } finally {
      setOrdering(false);
    }
  };

  // what the map shows: the warehouses (faded when the plan ships nothing from them), the places, the routes
  const shipping = useMemo(() => new Set(plan?.shipments.map((s) => s.warehouseId) ?? []), [plan]);
  const points = useMemo<LogisticsPoint[]>(() => {
    const ws: LogisticsPoint[] = (warehouses.data?.items ?? [])
      .filter((w) => w.active)
      .map((w) => ({
        at: w.location.coordinates as [number, number],
        kind: 'warehouse',
        color: RESERVE_COLORS[w.reserveType],
        faded: !!plan && !shipping.has(w.id),
        title: w.name,
        detail: w.address ?? undefined,
      }));
    const ps: LogisticsPoint[] = (plan ? plan.places : places).map((p) => ({
      at: p.location.coordinates as [number, number],
      kind: 'place',
      color: PLACE_COLOR,
      title: p.name || p.id,
      detail: t('plan.peopleCount', { n: qty(p.people ?? 0) }),
      label: p.id,
    }));
    return [...ws, ...ps];
  }, [warehouses.data, plan, places, shipping, t]);

  // stored plans have their road routes; a dry run is drawn as straight lines warehouse → place
  const lines = useMemo<FeatureCollection | null>(() => {
    if (!plan) return null;
    if (routes.data?.features?.length) return routes.data;
    const seen = new Set<string>();
    const features: FeatureCollection['features'] = [];
    for (const s of plan.shipments) {
      const key = `${s.warehouseId}|${s.placeId}`;
      const w = whById.get(s.warehouseId);
      const p = placeById.get(s.placeId);
      if (seen.has(key) || !w || !p) continue;
      seen.add(key);
      features.push({
        type: 'Feature',
        geometry: { type: 'LineString', coordinates: [w.location.coordinates, p.location.coordinates] },
        properties: { color: ROUTE_COLOR, straight: true },
      });
    }
    return { type: 'FeatureCollection', features };
  }, [plan, routes.data, whById, placeById]);

  const placeColumns: TableColumnsType<Place> = [
    { title: '#', dataIndex: 'id', width: 56 },
    {
      title: t('field.placeName'),
      dataIndex: 'name',
      render: (v: string | undefined, r) => (
        <Input
          size="small"
          value={v}
          maxLength={200}
          onChange={(e) => patchPlace(r.id, { name: e.target.value })}
          aria-label={t('field.placeName')}
          disabled={!!plan}
        />
      ),
    },
    {
      title: t('field.people'),
      dataIndex: 'people',
      width: 120,
      render: (v: number, r) => (
        <InputNumber
          size="small"
          min={0}
          precision={0}
          value={v}
          onChange={(n) => patchPlace(r.id, { people: n ?? 0 })}
          aria-label={t('field.people')}
          style={{ width: '100%' }}
          disabled={!!plan}
          data-testid="place-people"
        />
      ),
    },
    {
      key: 'rm',
      width: 40,
      render: (_: unknown, r) =>
        plan ? null : (
          <Button
            size="small"
            type="text"
            danger
            icon={<DeleteOutlined />}
            aria-label={t('plan.removePlace')}
            onClick={() => setPlaces((ps) => ps.filter((p) => p.id !== r.id))}
          />
        ),
    },
  ];

  const editing = !plan;
  const startOver = () => {
    setFresh(null);
    setParams({}, { replace: true });
    if (stored.data) setPlaces(stored.data.places.map((p) => ({ ...p, people: p.people ?? 0 })));
  };

  return (
    <div className="page plan-page">
      <div className="page-head">
        <Typography.Title level={4} className="page-title">
          {t('nav.plan')}
        </Typography.Title>
        <Space wrap>
          <Select
            allowClear
            placeholder={t('plan.openStored')}
            value={storedId ?? undefined}
            onChange={(id) => {
              setFresh(null);
              setParams(id ? { plan: id } : {}, { replace: true });
              if (!id) setPlaces([]);
            }}
            options={(plans.data ?? []).map((p) => ({
              value: p.id,
              label: `${p.number ?? ''} ${p.name ?? ''} · ${formatTime(p.createdAt)}`,
            }))}
            loading={plans.isLoading}
            style={{ width: 300 }}
            data-testid="plan-stored"
          />
        </Space>
      </div>
      <Row gutter={16}>
        <Col xs={24} xl={14}>
          <Card size="small" className="plan-map-card">
            <div className="muted small plan-map-hint">{editing ? t('plan.mapHint') : t('plan.mapResultHint')}</div>
            <LogisticsMap
              points={points}
              lines={lines}
              onMapClick={editing ? addPlace : undefined}
              crosshair={editing}
              height={520}
              fitKey={plan ? `plan-${plan.id ?? plan.startAt}` : `wh-${warehouses.dataUpdatedAt}-${imports}`}
              testId="plan-map"
            />
            <div className="plan-legend muted small">
              <span>
                <span className="type-dot" style={{ background: PLACE_COLOR }} />
                {t('plan.legendPlace')}
              </span>
              <span>
                <span className="type-dot wh-dot" style={{ background: RESERVE_COLORS.government }} />
                {t('plan.legendWarehouse')}
              </span>
              {plan && (
                <span>
                  <span className="line-swatch" style={{ background: ROUTE_COLOR }} />
                  {routes.data?.features?.length ? t('plan.legendRoute') : t('plan.legendStraight')}
                </span>
              )}
            </div>
          </Card>
        </Col>
        <Col xs={24} xl={10}>
          <Card
            size="small"
            title={t('plan.places', { count: places.length })}
            extra={
              editing && (
                <Space>
                  <input
                    ref={fileInput}
                    type="file"
                    hidden
                    accept=".csv,.txt,.xlsx"
                    onChange={(e) => void importFile(e.target.files?.[0])}
                    data-testid="plan-import-input"
                  />
                  <Button size="small" icon={<UploadOutlined />} onClick={() => fileInput.current?.click()}>
                    {t('plan.import')}
                  </Button>
                  {places.length > 0 && (
                    <Button size="small" onClick={() => setPlaces([])}>
                      {t('plan.clearPlaces')}
                    </Button>
                  )}
                </Space>
              )
            }
          >
            {importErrors.length > 0 && (
              <Alert
                type="warning"
                showIcon
                closable
                onClose={() => setImportErrors([])}
                title={t('plan.importErrors', { count: importErrors.length })}
                description={
                  <ul className="compact-list">
                    {importErrors.slice(0, 8).map((e) => (
                      <li key={`${e.row}-${e.column}`}>
                        {t('plan.importError', {
                          row: e.row,
                          column: e.column,
                          problem: t(`plan.problem.${e.problem}`),
                        })}
                      </li>
                    ))}
                  </ul>
                }
                style={{ marginBottom: 8 }}
              />
            )}
            <Table<Place>
              size="small"
              rowKey="id"
              columns={placeColumns}
              dataSource={places}
              pagination={places.length > 8 ? { pageSize: 8, size: 'small' } : false}
              locale={{
                emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('plan.placesEmpty')} />,
              }}
              data-testid="plan-places"
            />
            <div className="muted small" style={{ marginTop: 4 }}>
              {t('plan.importHelp')}
            </div>
            <div className="muted small" style={{ marginTop: 4 }} data-testid="plan-norms-note">
              {t('plan.normsNote')}
            </div>
          </Card>
          <Card size="small" title={t('plan.parameters')} style={{ marginTop: 16 }}>
            <Form
              form={form}
              layout="vertical"
              initialValues={{ days: 1, deadlineHours: 12, keep: true }}
              disabled={!editing || running}
              onFinish={() => void run()}
            >
              <Row gutter={12}>
                <Col span={8}>
                  <Form.Item name="days" label={t('field.days')} rules={[{ required: true }]}>
                    <InputNumber min={1} max={30} precision={0} style={{ width: '100%' }} suffix={t('unit.day')} />
                  </Form.Item>
                </Col>
                <Col span={8}>
                  <Form.Item name="deadlineHours" label={t('field.deadlineHours')} rules={[{ required: true }]}>
                    <InputNumber min={0.25} max={240} style={{ width: '100%' }} suffix={t('unit.h')} />
                  </Form.Item>
                </Col>
                <Col span={8}>
                  <Form.Item name="loadingMinutes" label={t('field.loadingMinutes')} tooltip={t('plan.loadingHelp')}>
                    <InputNumber
                      min={0}
                      max={1440}
                      precision={0}
                      style={{ width: '100%' }}
                      suffix={t('unit.min')}
                      placeholder={t('plan.loadingDefault')}
                    />
                  </Form.Item>
                </Col>
              </Row>
              <Row gutter={12}>
                <Col span={12}>
                  <Form.Item name="startAt" label={t('field.startAt')} tooltip={t('plan.startHelp')}>
                    <DatePicker showTime={{ format: 'HH:mm' }} format="YYYY-MM-DD HH:mm" style={{ width: '100%' }} />
                  </Form.Item>
                </Col>
                <Col span={12}>
                  <Form.Item name="name" label={t('field.planName')} rules={[{ max: 200 }]}>
                    <Input />
                  </Form.Item>
                </Col>
              </Row>
              <Space wrap style={{ width: '100%', justifyContent: 'space-between' }}>
                <Form.Item name="keep" valuePropName="checked" noStyle>
                  <Checkbox>{t('plan.keep')}</Checkbox>
                </Form.Item>
                {editing ? (
                  <Button
                    type="primary"
                    htmlType="submit"
                    icon={<PlayCircleOutlined />}
                    loading={running}
                    disabled={!places.length}
                    data-testid="plan-run"
                  >
                    {t('plan.run')}
                  </Button>
                ) : (
                  <Button onClick={startOver} disabled={false} data-testid="plan-again">
                    {t('plan.again')}
                  </Button>
                )}
              </Space>
            </Form>
            {running && (
              <div className="plan-running" data-testid="plan-running" role="status">
                <Progress percent={99} status="active" showInfo={false} size="small" />
                <span className="muted small">{t('plan.running', { s: elapsed })}</span>
              </div>
            )}
            {runError && (
              <Alert type="error" showIcon title={t('plan.failed')} description={runError} style={{ marginTop: 12 }} />
            )}
          </Card>
        </Col>
      </Row>
      {storedId && stored.isError && !fresh && (
        <Alert type="error" showIcon title={errorMessage(stored.error)} style={{ marginTop: 16 }} />
      )}
      {plan && (
        <PlanResult
          plan={plan}
          placeName={placeName}
          whName={whName}
          itemLabel={itemLabel}
          unit={unit}
          canOrder={can(user, 'logistics.dispatch') && !!plan.id}
          ordered={ordered}
          ordering={ordering}
          onOrder={() => void order()}
          onOpenOrders={() => navigate(`/logistics/orders?planId=${plan.id}`)}
          lang={lang}
        />
      )}
    </div>
  );
}

function PlanResult({
  plan,
  placeName,
  whName,
  itemLabel,
  unit,
  canOrder,
  ordered,
  ordering,
  onOrder,
  onOpenOrders,
}: {
  plan: Plan;
  placeName: (id: string) => string;
  whName: (id: string | null) => string;
  itemLabel: (code: string) => string;
  unit: (code: string) => string;
  canOrder: boolean;
  /** its dispatch orders are made */
  ordered: boolean;
  ordering: boolean;
  onOrder: () => void;
  onOpenOrders: () => void;
  lang: 'zh' | 'en';
}) {
  const { t } = useTranslation('logistics');
  const tot = plan.totals;
  const ok = plan.feasibleWithinDeadline && tot.unmet === 0;
  const lastAt = tot.lastArrivalSeconds === null ? null : etaClock(plan.startAt, tot.lastArrivalSeconds);
  const shipments = useMemo(
    () => [...plan.shipments].sort((a, b) => a.etaSeconds - b.etaSeconds || a.placeId.localeCompare(b.placeId)),
    [plan],
  );
  const avg = (x: Plan['totals']) => (x.delivered ? x.weightedSeconds / x.delivered : null);

  const shipmentColumns: TableColumnsType<Shipment> = [
    { title: t('field.warehouse'), dataIndex: 'warehouseId', ellipsis: true, render: (v: string) => whName(v) },
    { title: t('field.place'), dataIndex: 'placeId', ellipsis: true, render: (v: string) => placeName(v) },
    { title: t('field.item'), dataIndex: 'itemCode', ellipsis: true, render: (v: string) => itemLabel(v) },
    {
      title: t('field.quantity'),
      dataIndex: 'quantity',
      align: 'right',
      width: 130,
      render: (v: number, r) => `${qty(v)} ${unit(r.itemCode)}`,
    },
    {
      title: t('field.departAt'),
      dataIndex: 'departAt',
      width: 100,
      render: (v: string) => clockAt(v, plan.startAt),
    },
    {
      title: t('field.eta'),
      dataIndex: 'etaSeconds',
      width: 100,
      render: (v: number) => <span data-testid="shipment-eta">{etaClock(plan.startAt, v)}</span>,
    },
  ];

  return (
    <div className="plan-result" data-testid="plan-result">
      <Alert
        type={ok ? 'success' : 'error'}
        showIcon
        className="plan-verdict"
        data-testid="plan-verdict"
        data-feasible={ok ? 'true' : 'false'}
        title={
          ok
            ? t('plan.verdictOk', { h: plan.deadlineHours, at: lastAt ?? '—' })
            : plan.solver.status === 'no-supply'
              ? t('plan.verdictNoSupply')
              : tot.unmet > 0
                ? t('plan.verdictUnmet', { h: plan.deadlineHours, n: qty(tot.unmet) })
                : t('plan.verdictLate', { h: plan.deadlineHours, at: lastAt ?? '—' })
        }
        description={
          <span>
            {t('plan.verdictDetail', {
              start: formatTime(plan.startAt),
              deadline: formatTime(plan.deadlineAt),
              need: qty(tot.need),
              delivered: qty(tot.delivered),
            })}
            {plan.number && ` · ${plan.number}`}
            {` · ${t('plan.solverTime', { ms: Math.round(plan.solver.ms + plan.solver.matrixMs) })}`}
          </span>
        }
        action={
          ordered ? (
            <Button onClick={onOpenOrders} data-testid="open-orders">
              {t('plan.openOrders')}
            </Button>
          ) : canOrder && plan.shipments.length > 0 ? (
            <Button
              type="primary"
              icon={<SendOutlined />}
              loading={ordering}
              onClick={onOrder}
              data-testid="make-orders"
            >
              {t('plan.makeOrders')}
            </Button>
          ) : undefined
        }
      />
      {plan.unreachablePlaces.length > 0 && (
        <Alert
          type="warning"
          showIcon
          style={{ marginTop: 8 }}
          data-testid="plan-unreachable"
          title={t('plan.unreachable', { places: plan.unreachablePlaces.map(placeName).join('、') })}
        />
      )}
      {!plan.id && <Alert type="info" showIcon style={{ marginTop: 8 }} title={t('plan.dryRunNote')} />}
      <Row gutter={16} style={{ marginTop: 16 }}>
        <Col xs={24} lg={9}>
          <Card size="small" title={t('plan.compare')}>
            <table className="compare-table" data-testid="plan-compare">
              <thead>
                <tr>
                  <th />
                  <th>{t('plan.optimum')}</th>
                  <th>{t('plan.greedy')}</th>
                </tr>
              </thead>
              <tbody>
                <tr>
                  <th>{t('plan.delivered')}</th>
                  <td>{qty(tot.delivered)}</td>
                  <td>{qty(plan.greedy.delivered)}</td>
                </tr>
                <tr>
                  <th>{t('plan.unmet')}</th>
                  <td className={tot.unmet ? 'bad' : ''}>{qty(tot.unmet)}</td>
                  <td className={plan.greedy.unmet ? 'bad' : ''}>{qty(plan.greedy.unmet)}</td>
                </tr>
                <tr>
                  <th>{t('plan.avgArrival')}</th>
                  <td>{hoursMinutes(avg(tot))}</td>
                  <td>{hoursMinutes(avg(plan.greedy))}</td>
                </tr>
                <tr>
                  <th>{t('plan.lastArrival')}</th>
                  <td>{hoursMinutes(tot.lastArrivalSeconds)}</td>
                  <td>{hoursMinutes(plan.greedy.lastArrivalSeconds)}</td>
                </tr>
              </tbody>
            </table>
            <div className="muted small" style={{ marginTop: 8 }}>
              {t('plan.compareNote')}
            </div>
          </Card>
        </Col>
        <Col xs={24} lg={15}>
          <Tabs
            items={[
              {
                key: 'shipments',
                label: t('plan.shipments', { count: plan.shipments.length }),
                children: (
                  <Table<Shipment>
                    size="small"
                    className="dense-table"
                    rowKey={(r) => `${r.warehouseId}|${r.placeId}|${r.itemCode}`}
                    columns={shipmentColumns}
                    dataSource={shipments}
                    pagination={{ pageSize: 12, size: 'small', hideOnSinglePage: true }}
                    locale={{ emptyText: t('plan.noShipments') }}
                    data-testid="plan-shipments"
                  />
                ),
              },
              {
                key: 'unmet',
                label: t('plan.unmetTab', { count: plan.unmet.length }),
                children: (
                  <Table
                    size="small"
                    rowKey={(r) => `${r.placeId}|${r.itemCode}`}
                    dataSource={plan.unmet}
                    pagination={{ pageSize: 12, size: 'small', hideOnSinglePage: true }}
                    locale={{ emptyText: t('plan.nothingUnmet') }}
                    columns={[
                      { title: t('field.place'), dataIndex: 'placeId', render: (v: string) => placeName(v) },
                      { title: t('field.item'), dataIndex: 'itemCode', render: (v: string) => itemLabel(v) },
                      {
                        title: t('field.quantity'),
                        dataIndex: 'quantity',
                        align: 'right',
                        render: (v: number, r) => `${qty(v)} ${unit(r.itemCode)}`,
                      },
                    ]}
                  />
                ),
              },
              {
                key: 'extra',
                label: t('plan.extraTab', { count: plan.extraStock.length }),
                children: (
                  <>
                    <div className="muted small" style={{ marginBottom: 8 }}>
                      {t('plan.extraHelp')}
                    </div>
                    <Table
                      size="small"
                      rowKey={(r) => `${r.warehouseId}|${r.itemCode}`}
                      dataSource={plan.extraStock}
                      pagination={{ pageSize: 12, size: 'small', hideOnSinglePage: true }}
                      locale={{ emptyText: t('plan.nothingUnmet') }}
                      columns={[
                        {
                          title: t('field.warehouse'),
                          dataIndex: 'warehouseId',
                          render: (v: string | null) => whName(v),
                        },
                        { title: t('field.item'), dataIndex: 'itemCode', render: (v: string) => itemLabel(v) },
                        {
                          title: t('field.quantity'),
                          dataIndex: 'quantity',
                          align: 'right',
                          render: (v: number, r) => `${qty(v)} ${unit(r.itemCode)}`,
                        },
                        {
                          title: t('field.places'),
                          dataIndex: 'placeIds',
                          ellipsis: true,
                          render: (v: string[]) => v.map(placeName).join('、'),
                        },
                      ]}
                    />
                  </>
                ),
              },
            ]}
          />
        </Col>
      </Row>
    </div>
  );
}
