import { useQueryClient } from '@tanstack/react-query';
import { App, Button, Empty, Popconfirm, Spin, Tag } from 'antd';
import type { Geometry } from 'geojson';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { can, useCurrentUser } from '../../api/auth.ts';
import type { Closure, ClosureState } from '../../api/contracts.ts';
import { clearClosure, geoKeys, useClosures } from '../../api/geo.ts';
import { useErrorReporter } from '../../components/errors.tsx';
import { formatTime } from '../../i18n/index.ts';
import { bboxOf } from '../../map/geo-math.ts';
import { useMapHost } from '../../map/map-host.tsx';
import { Choice } from './tools/tool-kit.tsx';

const STATE_COLOR: Record<ClosureState, string> = {
  active: 'red',
  overdue: 'magenta',
  scheduled: 'orange',
  cleared: 'green',
};

export function ClosureStateTag({ state }: { state: ClosureState }) {
  const { t } = useTranslation('geo');
  return (
    <Tag color={STATE_COLOR[state]} style={{ marginInlineEnd: 0 }} data-state={state}>
      {t(`closures.state.${state}`)}
    </Tag>
  );
}

/** Road closures in force or planned (or all), newest first; a click zooms to one, 清除 reopens the road. */
export function ClosuresPanel() {
  const { t } = useTranslation('geo');
  const { map } = useMapHost();
  const canManage = can(useCurrentUser(), 'closures.manage');
  const { message } = App.useApp();
  const report = useErrorReporter();
  const qc = useQueryClient();
  const [filter, setFilter] = useState<'current' | 'all'>('current');
  const open = useClosures('open', filter === 'current');
  const all = useClosures('all', filter === 'all');
  const [clearing, setClearing] = useState<string | null>(null);

  const items = useMemo(() => {
    const list = (filter === 'current' ? open.data?.items : all.data?.items) ?? [];
    return [...list].sort((a, b) => (a.startsAt < b.startsAt ? 1 : -1));
  }, [filter, open.data, all.data]);
  const query = filter === 'current' ? open : all;

  const zoomTo = (c: Closure) => {
    const b = bboxOf(c.geometry as Geometry);
    if (map && b) map.fitBounds(b, { padding: 100, maxZoom: 16, duration: 600 });
  };

  const clear = async (c: Closure) => {
    setClearing(c.id);
    try {
      await clearClosure(c.id);
      void message.success(t('closures.cleared', { number: c.number }));
      void qc.invalidateQueries({ queryKey: geoKeys.closures });
    } catch (err) {
      report(err, { refetch: geoKeys.closures });
    } finally {
      setClearing(null);
    }
  };

  return (
    <div className="closures-panel" data-testid="closures-panel">
      <div className="closures-filter">
        <Choice
          value={filter}
          onChange={(v) => setFilter(v as 'current' | 'all')}
          options={[
            { value: 'current', label: t('closures.current') },
            { value: 'all', label: t('closures.all') },
          ]}
        />
        <span className="muted small">{t('closures.count', { count: items.length })}</span>
      </div>
      <div className="map-panel-list">
        {query.isPending ? (
          <div className="full-center-inner">
            <Spin />
          </div>
        ) : query.error ? (
          <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={(query.error as Error).message} />
        ) : items.length === 0 ? (
          <Empty
            image={Empty.PRESENTED_IMAGE_SIMPLE}
            description={filter === 'current' ? t('closures.emptyCurrent') : t('closures.empty')}
          />
        ) : (
          items.map((c) => (
            <div key={c.id} className="closure-item" data-testid="closure-item" data-number={c.number}>
              <button type="button" className="map-item closure-item-main" onClick={() => zoomTo(c)}>
                <div className="map-item-row">
                  <ClosureStateTag state={c.state} />
                  <span className="map-item-title">
                    {c.roadNames.length ? c.roadNames.join('、') : t('closure.unnamed')}
                  </span>
                </div>
                <div className="closure-cause">{c.cause}</div>
                <div className="map-item-meta">
                  <span className="mono">{c.number}</span>
                  <span>
                    {formatTime(c.startsAt)} →{' '}
                    {c.expectedEndAt ? formatTime(c.expectedEndAt) : t('closures.untilCleared')}
                  </span>
                  {c.clearedAt && <span>{t('closures.clearedAt', { time: formatTime(c.clearedAt) })}</span>}
                </div>
              </button>
              {canManage && c.state !== 'cleared' && (
                <span className="closure-clear">
                  <Popconfirm
                    title={t('closures.clearConfirm', { number: c.number })}
                    description={t('closures.clearConfirmBody')}
                    okText={t('closures.clear')}
                    cancelText={t('common:cancel')}
                    okButtonProps={{ danger: false }}
                    onConfirm={() => clear(c)}
                  >
                    <Button size="small" loading={clearing === c.id} data-testid="closure-clear">
                      {t('closures.clear')}
                    </Button>
                  </Popconfirm>
                </span>
              )}
            </div>
          ))
        )}
      </div>
    </div>
  );
}
