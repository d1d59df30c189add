import { Alert, Empty, Segmented, Space, Spin, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { Incident } from '../../../../contracts/incidents.ts';
import type { NearbyRisk } from '../../../../contracts/risks.ts';
import { errorMessage } from '../../components/errors.tsx';
import { KindLabel, useLang } from './labels.tsx';
import { useNearby } from './risks-api.ts';
import { formatMeters, formatQuantity, groupNearby, pointOf } from './risks-text.ts';

const RADII = [1000, 3000, 5000, 10_000] as const;

/** What a nearby item has to say beyond its name: a hazard's level, a site's people, a shelter's capacity. */
function Facts({ item }: { item: NearbyRisk }) {
  const { t } = useTranslation('risks');
  const lang = useLang();
  const parts: string[] = [];
  if (item.hazardLevel !== null) parts.push(t('nearby.level', { level: item.hazardLevel }));
  if (item.capacity !== null) parts.push(t('nearby.capacityOf', { n: formatQuantity(item.capacity, lang) }));
  else if (item.population !== null) parts.push(t('nearby.people', { n: formatQuantity(item.population, lang) }));
  return <span className="muted small">{parts.join(' · ')}</span>;
}

/** 周边风险: the census hazards, vulnerable sites and shelters around the incident, by role, nearest first. */
export function Panel({ incident }: { incident: Incident }) {
  const { t } = useTranslation('risks');
  const [radius, setRadius] = useState<number>(3000);
  const at = pointOf(incident.location);
  const nearby = useNearby(at, radius);
  if (!at) return <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('nearby.noLocation')} />;
  const items = nearby.data?.items ?? [];
  const groups = groupNearby(items);
  const total = nearby.data?.total ?? 0;
  return (
    <div data-testid="nearby-risks">
      <div className="nearby-head">
        <Space size={6}>
          <span className="muted">{t('nearby.radius')}</span>
          <Segmented
            value={radius}
            onChange={(v) => setRadius(Number(v))}
            options={RADII.map((r) => ({ value: r, label: `${r / 1000} km` }))}
            data-testid="nearby-radius"
          />
        </Space>
        {nearby.data && total > 0 && (
          <span className="muted small">
            {items.length < total
              ? t('nearby.more', { shown: items.length, count: total })
              : t('nearby.total', { count: total })}
          </span>
        )}
        <Link to="/risks/map" className="small" style={{ marginLeft: 'auto' }}>
          {t('nav.oneMap')} →
        </Link>
      </div>
      {nearby.isError ? (
        <Alert type="error" showIcon title={errorMessage(nearby.error)} />
      ) : nearby.isPending ? (
        <Spin />
      ) : groups.length === 0 ? (
        <Empty
          image={Empty.PRESENTED_IMAGE_SIMPLE}
          description={t('nearby.empty', { radius: `${radius / 1000} km` })}
          data-testid="nearby-empty"
        />
      ) : (
        <Spin spinning={nearby.isFetching}>
          {groups.map((g) => (
            <div key={g.role} className="nearby-group" data-testid="nearby-group" data-role={g.role}>
              <Typography.Text strong>
                {t(`nearby.group.${g.role}`)} <Tag>{t('nearby.count', { count: g.items.length })}</Tag>
              </Typography.Text>
              <Table<NearbyRisk>
                size="small"
                className="dense-table"
                rowKey="id"
                pagination={false}
                dataSource={g.items}
                style={{ marginTop: 4 }}
                onRow={() => ({ 'data-testid': 'nearby-row' }) as React.HTMLAttributes<HTMLElement>}
                columns={[
                  {
                    title: t('field.distance'),
                    dataIndex: 'meters',
                    width: 90,
                    align: 'right',
                    render: (m: number) =>
                      m < 1 ? (
                        <Tag color="red">{t('nearby.inside')}</Tag>
                      ) : (
                        <span className="mono">{formatMeters(m)}</span>
                      ),
                  },
                  { title: t('field.name'), dataIndex: 'name', ellipsis: true, render: (v: string | null) => v ?? '—' },
                  {
                    title: t('field.kind'),
                    dataIndex: 'kind',
                    width: 190,
                    render: (k: NearbyRisk['kind']) => <KindLabel kind={k} />,
                  },
                  { title: '', key: 'facts', width: 160, render: (_: unknown, r) => <Facts item={r} /> },
                  {
                    title: t('field.layer'),
                    dataIndex: 'layerName',
                    width: 180,
                    ellipsis: true,
                    render: (v: string) => <span className="muted small">{v}</span>,
                  },
                ]}
              />
            </div>
          ))}
        </Spin>
      )}
    </div>
  );
}
