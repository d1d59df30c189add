import { useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Empty, Select, Space, Table, Tag, Tooltip } from 'antd';
import type { FeatureCollection } from 'geojson';
import { useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Dispatch, NearestTeam } from '../../../../contracts/dispatch.ts';
import { TEAM_TYPE_INFO, TEAM_TYPES } from '../../../../contracts/forces.ts';
import type { Incident } from '../../../../contracts/incidents.ts';
import { can, useCurrentUser } from '../../api/auth.ts';
import { errorMessage, useErrorReporter } from '../../components/errors.tsx';
import { formatTime } from '../../i18n/index.ts';
import { type OverlayLayer, useGeojsonOverlay } from '../../map/overlay.ts';
import { useOfflineMap } from '../../map/use-offline-map.ts';
import {
  arriveDispatch,
  dispatchKeys,
  dispatchTeam,
  releaseDispatch,
  useDispatches,
  useNearestTeams,
} from './dispatch-api.ts';
import { useAllTeams } from './forces-api.ts';
import { bboxOf } from './forces-text.ts';
import { nameIn, TeamStatusTag, TeamTypeLabel, useLang } from './labels.tsx';

const minutes = (s: number | null) => (s === null ? null : Math.max(1, Math.round(s / 60)));
const km = (m: number | null) => (m === null ? null : (m / 1000).toFixed(1));

const ROUTE_LAYERS: OverlayLayer[] = [
  {
    id: 'dispatch-routes',
    type: 'line',
    paint: { 'line-color': '#d4380d', 'line-width': 4, 'line-opacity': 0.8 },
  } as OverlayLayer,
];
const POINT_LAYERS: OverlayLayer[] = [
  {
    id: 'dispatch-points',
    type: 'circle',
    paint: {
      'circle-radius': ['match', ['get', 'kind'], 'incident', 9, 6],
      'circle-color': ['get', 'color'],
      'circle-stroke-color': '#ffffff',
      'circle-stroke-width': 2,
    },
  } as OverlayLayer,
];

/** The incident, the candidate and dispatched teams (moving with their positions) and the routes sent. */
function DispatchMap({
  incident,
  nearest,
  orders,
}: {
  incident: Incident;
  nearest: NearestTeam[];
  orders: Dispatch[];
}) {
  const ref = useRef<HTMLDivElement>(null);
  const map = useOfflineMap(ref);
  const all = useAllTeams();
  const open = orders.filter((d) => d.state !== 'released');
  const routes = useMemo<FeatureCollection>(
    () => ({
      type: 'FeatureCollection',
      features: open.map((d) => ({ type: 'Feature', geometry: d.route, properties: { id: d.id } })),
    }),
    [open],
  );
  const points = useMemo<FeatureCollection>(() => {
    const where = new Map((all.data?.items ?? []).map((x) => [x.id, x.location.coordinates]));
    const teams = [
      ...nearest.map((x) => ({ id: x.id, type: x.type, at: where.get(x.id) ?? x.location.coordinates })),
      ...open.map((d) => ({ id: d.team.id, type: d.team.type, at: where.get(d.team.id) })),
    ].filter((x): x is { id: string; type: NearestTeam['type']; at: number[] } => !!x.at);
    return {
      type: 'FeatureCollection',
      features: [
        ...(incident.location
          ? [
              {
                type: 'Feature' as const,
                geometry: incident.location,
                properties: { kind: 'incident', color: '#cf1322' },
              },
            ]
          : []),
        ...teams.map((x) => ({
          type: 'Feature' as const,
          geometry: { type: 'Point' as const, coordinates: x.at },
          properties: { kind: 'team', color: TEAM_TYPE_INFO[x.type].color, id: x.id },
        })),
      ],
    };
  }, [incident.location, nearest, open, all.data]);
  useGeojsonOverlay(map, 'dispatch-routes', routes, ROUTE_LAYERS, 'lines');
  useGeojsonOverlay(map, 'dispatch-points', points, POINT_LAYERS, 'points');
  // fitted once, when the map and the first points are there (markers then move without moving the view)
  const fitted = useRef(false);
  useEffect(() => {
    if (!map || fitted.current || points.features.length === 0) return;
    const box = bboxOf(points, routes);
    if (box) {
      map.fitBounds(box, { padding: 40, maxZoom: 14, duration: 0 });
      fitted.current = true;
    }
  }, [map, points, routes]);
  return <div ref={ref} className="analysis-map" style={{ height: 360 }} data-testid="dispatch-map" />;
}

/** The incident page's dispatch tab: nearest teams by road, sending one, the orders with arrival and release. */
export function Panel({ incident }: { incident: Incident }) {
  const { t } = useTranslation('forces');
  const lang = useLang();
  const user = useCurrentUser();
  const qc = useQueryClient();
  const { message } = App.useApp();
  const report = useErrorReporter();
  const [type, setType] = useState<string | undefined>();
  const [busy, setBusy] = useState<string | null>(null);
  const mayDispatch = can(user, 'forces.dispatch');
  const mayReport = mayDispatch || can(user, 'forces.status');
  const nearest = useNearestTeams(incident.id, type, mayDispatch && !!incident.location);
  const orders = useDispatches(incident.id);
  const closed = incident.status === 'closed';

  const act = async (key: string, fn: () => Promise<unknown>, done: string) => {
    setBusy(key);
    try {
      await fn();
      void message.success(t(done));
      void qc.invalidateQueries({ queryKey: dispatchKeys.all });
    } catch (err) {
      report(err);
    } finally {
      setBusy(null);
    }
  };

  const orderItems = orders.data?.items ?? [];
  return (
    <Space direction="vertical" style={{ width: '100%' }} data-testid="dispatch-panel">
      {!incident.location && <Alert type="warning" showIcon title={t('dispatch.noLocation')} />}
      {mayDispatch && incident.location && (
        <Card
          size="small"
          title={t('dispatch.nearest')}
          extra={
            <Select
              allowClear
              placeholder={t('dispatch.anyType')}
              value={type}
              onChange={setType}
              style={{ width: 200 }}
              options={TEAM_TYPES.map((x) => ({ value: x, label: nameIn(TEAM_TYPE_INFO[x], lang) }))}
              data-testid="dispatch-type"
            />
          }
        >
          {nearest.error ? (
            <Alert type="error" showIcon title={errorMessage(nearest.error)} />
          ) : (
            <>
              {nearest.data?.incidentOffNetwork && (
                <Alert type="info" showIcon style={{ marginBottom: 8 }} title={t('dispatch.offNetwork')} />
              )}
              <Table<NearestTeam>
                size="small"
                rowKey="id"
                loading={nearest.isLoading}
                dataSource={nearest.data?.items ?? []}
                pagination={false}
                locale={{ emptyText: <Empty description={t('dispatch.noTeams')} /> }}
                columns={[
                  { title: t('dispatch.team'), dataIndex: 'name' },
                  { title: t('field.type'), render: (_, r) => <TeamTypeLabel type={r.type} /> },
                  { title: t('field.status'), render: (_, r) => <TeamStatusTag status={r.status} /> },
                  {
                    title: t('dispatch.eta'),
                    render: (_, r) =>
                      r.etaSeconds === null ? (
                        <Tag>{t('dispatch.unreachable')}</Tag>
                      ) : (
                        <Space size={4}>
                          {t('dispatch.minutes', { n: minutes(r.etaSeconds) })}
                          {r.estimated && (
                            <Tooltip
                              title={t('dispatch.estimatedHint', {
                                factor: nearest.data?.estimate.detourFactor,
                                speed: nearest.data?.estimate.speedKmh,
                              })}
                            >
                              <Tag color="orange">{t('dispatch.estimated')}</Tag>
                            </Tooltip>
                          )}
                          {r.from === 'position' && <Tag color="blue">{t('dispatch.fromPosition')}</Tag>}
                        </Space>
                      ),
                  },
                  {
                    title: t('dispatch.distance'),
                    render: (_, r) => (r.meters === null ? '—' : t('dispatch.km', { n: km(r.meters) })),
                  },
                  {
                    title: '',
                    render: (_, r) => (
                      <Button
                        size="small"
                        type="primary"
                        disabled={closed}
                        loading={busy === r.id}
                        onClick={() => act(r.id, () => dispatchTeam(incident.id, r.id), 'dispatch.sent')}
                        data-testid="dispatch-send"
                      >
                        {t('dispatch.send')}
                      </Button>
                    ),
                  },
                ]}
              />
              {nearest.data && (
                <div className="muted small" style={{ marginTop: 6 }}>
                  {t('dispatch.basis', { total: nearest.data.total })}
                  {nearest.data.closures ? ` · ${t('dispatch.closures')}` : ''}
                </div>
              )}
            </>
          )}
        </Card>
      )}
      <Card size="small" title={t('dispatch.orders')}>
        {orders.error ? (
          <Alert type="error" showIcon title={errorMessage(orders.error)} />
        ) : (
          <Table<Dispatch>
            size="small"
            rowKey="id"
            loading={orders.isLoading}
            dataSource={orderItems}
            pagination={false}
            locale={{ emptyText: <Empty description={t('dispatch.noOrders')} /> }}
            columns={[
              { title: t('dispatch.team'), render: (_, d) => d.team.name },
              { title: t('dispatch.state'), render: (_, d) => <Tag>{t(`dispatch.states.${d.state}`)}</Tag> },
              { title: t('dispatch.sentAt'), render: (_, d) => formatTime(d.dispatchedAt) },
              {
                title: t('dispatch.eta'),
                render: (_, d) =>
                  d.etaSeconds === null
                    ? '—'
                    : `${t('dispatch.minutes', { n: minutes(d.etaSeconds) })}${d.estimated ? ` (${t('dispatch.estimated')})` : ''}`,
              },
              { title: t('dispatch.arrivedAt'), render: (_, d) => (d.arrivedAt ? formatTime(d.arrivedAt) : '—') },
              { title: t('dispatch.releasedAt'), render: (_, d) => (d.releasedAt ? formatTime(d.releasedAt) : '—') },
              {
                title: '',
                render: (_, d) =>
                  mayReport && d.state !== 'released' ? (
                    <Space>
                      {d.state === 'en_route' && (
                        <Button
                          size="small"
                          loading={busy === `a${d.id}`}
                          onClick={() => act(`a${d.id}`, () => arriveDispatch(d.id), 'dispatch.arrivedDone')}
                        >
                          {t('dispatch.arrive')}
                        </Button>
                      )}
                      <Button
                        size="small"
                        loading={busy === `r${d.id}`}
                        onClick={() => act(`r${d.id}`, () => releaseDispatch(d.id), 'dispatch.releasedDone')}
                      >
                        {t('dispatch.release')}
                      </Button>
                    </Space>
                  ) : null,
              },
            ]}
          />
        )}
      </Card>
      {incident.location && <DispatchMap incident={incident} nearest={nearest.data?.items ?? []} orders={orderItems} />}
    </Space>
  );
}
