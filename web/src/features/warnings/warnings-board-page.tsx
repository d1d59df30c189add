import { FileAddOutlined, LinkOutlined, PlusOutlined, ReloadOutlined } from '@ant-design/icons';
import { Badge, Button, Empty, Select, Space, Spin, Table, type TableColumnsType, Tabs, Typography } from 'antd';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { COLOUR_INFO } from '../../../../contracts/monitoring.ts';
import { hazardName, WARNING_SOURCES, type Warning } from '../../../../contracts/warnings.ts';
import { can, useCurrentUser } from '../../api/auth.ts';
import { errorMessage } from '../../components/errors.tsx';
import { formatTime } from '../../i18n/index.ts';
import { BOARD_COLOURS, boardColumns } from './board.ts';
import { CapImportDialog } from './cap-import-dialog.tsx';
import { ColourTag, colourLabel, useDistrictLabel, useDistrictOptions, useHazardOptions, useLang } from './labels.tsx';
import { NewWarningModal } from './new-warning-modal.tsx';
import { useWarningActions } from './warning-actions.tsx';
import { LevelDots, WarningCard, WarningSubject } from './warning-card.tsx';
import { WarningDrawer } from './warning-drawer.tsx';
import { BOARD_LIMIT, useWarningList, type WarningFilters } from './warnings-api.ts';

const HISTORY_PAGE = 50;

/**
 * The warnings board: the active warnings in columns by colour (red first), kept current by the stream; the history
 * of lifted ones; a warning's detail in a drawer (`?open=<id>` or `?id=<id>`: a link from a device, an alarm or a
 * notification opens it).
 */
export function WarningsBoardPage() {
  const { t } = useTranslation('warnings');
  const lang = useLang();
  const user = useCurrentUser();
  const [params, setParams] = useSearchParams();
  const tab = params.get('tab') === 'history' ? 'history' : 'board';
  // `?open=<id>` from the pages, `?id=<id>` from the alarms and the notifications' links
  const openId = params.get('open') ?? params.get('id');
  const filters: WarningFilters = {
    hazardCode: params.get('hazardCode') ?? undefined,
    colour: params.get('colour') ?? undefined,
    source: params.get('source') ?? undefined,
    district: params.get('district') ?? undefined,
  };
  const hasAny = Object.values(filters).some(Boolean);
  const page = Math.max(1, Number(params.get('page') ?? 1) || 1);
  const set = (patch: Record<string, string | undefined | null>, keepPage = false) => {
    const next = new URLSearchParams(params);
    for (const [k, v] of Object.entries(patch)) {
      if (v) next.set(k, v);
      else next.delete(k);
    }
    if (!keepPage) next.delete('page');
    setParams(next, { replace: true });
  };
  const active = useWarningList({ ...filters, status: 'active' }, BOARD_LIMIT, 0);
  const history = useWarningList(
    { ...filters, status: 'lifted' },
    HISTORY_PAGE,
    (page - 1) * HISTORY_PAGE,
    tab === 'history',
  );
  const columns = useMemo(() => boardColumns(active.data?.items ?? []), [active.data]);
  const actions = useWarningActions();
  const hazards = useHazardOptions(true);
  const districts = useDistrictOptions();
  const district = useDistrictLabel();
  const [capOpen, setCapOpen] = useState(false);
  const [creating, setCreating] = useState(false);
  const open = (id: string | null) => set({ open: id, id: null }, true);
  const unacked = columns.reduce((n, c) => n + c.unacknowledged, 0);

  const historyColumns: TableColumnsType<Warning> = [
    { title: t('field.colour'), dataIndex: 'colour', width: 90, render: (c) => <ColourTag colour={c} /> },
    {
      title: t('field.hazard'),
      dataIndex: 'hazardCode',
      width: 140,
      render: (c: string) => hazardName(c, lang),
    },
    {
      title: t('field.subject'),
      key: 'subject',
      ellipsis: true,
      // an area warning is known by its title
      render: (_: unknown, w) =>
        w.deviceId ? <WarningSubject warning={w} /> : lang === 'en' ? w.titleEn || w.title : w.title,
    },
    { title: t('field.district'), dataIndex: 'district', width: 110, render: (d) => district(d) },
    { title: t('field.levels'), key: 'levels', width: 110, render: (_: unknown, w) => <LevelDots warning={w} /> },
    {
      title: t('field.raisedAt'),
      dataIndex: 'raisedAt',
      width: 140,
      render: (v) => <span className="mono">{formatTime(v)}</span>,
    },
    {
      title: t('field.liftedAt'),
      dataIndex: 'liftedAt',
      width: 140,
      render: (v) => <span className="mono">{formatTime(v)}</span>,
    },
    {
      title: t('field.liftedReason'),
      dataIndex: 'liftedReason',
      ellipsis: true,
      render: (v: string | null) => v ?? t('detail.automatic'),
    },
  ];

  return (
    <div className="page">
      <div className="page-head">
        <div>
          <Typography.Title level={4} className="page-title">
            {t('nav.board')}
          </Typography.Title>
          <div className="page-sub">
            {t('board.subtitle')}{' '}
            <a href="/public/warnings" target="_blank" rel="noreferrer">
              <LinkOutlined /> {t('board.publicPage')}
            </a>{' '}
            ·{' '}
            <a href="/public/cap/feed.atom" target="_blank" rel="noreferrer">
              {t('board.feed')}
            </a>
          </div>
        </div>
        <Space wrap>
          <Button
            icon={<ReloadOutlined />}
            onClick={() => void (tab === 'board' ? active.refetch() : history.refetch())}
          >
            {t('common:refresh')}
          </Button>
          {can(user, 'cap.import') && (
            <Button icon={<FileAddOutlined />} onClick={() => setCapOpen(true)} data-testid="cap-import-open">
              {t('cap.open')}
            </Button>
          )}
          {can(user, 'warnings.manage') && (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="new-warning">
              {t('create.open')}
            </Button>
          )}
        </Space>
      </div>
      <div className="filter-bar" data-testid="warning-filters">
        <Select
          allowClear
          placeholder={t('field.hazard')}
          value={filters.hazardCode}
          onChange={(v) => set({ hazardCode: v })}
          options={hazards}
          showSearch={{ optionFilterProp: 'label' }}
          popupMatchSelectWidth={false}
          style={{ width: 200 }}
        />
        <Select
          allowClear
          placeholder={t('field.colour')}
          value={filters.colour}
          onChange={(v) => set({ colour: v })}
          options={BOARD_COLOURS.map((c) => ({ value: c, label: colourLabel(c, lang, true) }))}
          style={{ width: 140 }}
        />
        <Select
          allowClear
          placeholder={t('field.district')}
          value={filters.district}
          onChange={(v) => set({ district: v })}
          options={districts}
          showSearch={{ optionFilterProp: 'label' }}
          style={{ width: 150 }}
        />
        <Select
          allowClear
          placeholder={t('field.source')}
          value={filters.source}
          onChange={(v) => set({ source: v })}
          options={WARNING_SOURCES.map((s) => ({ value: s, label: t(`source.${s}`) }))}
          style={{ width: 140 }}
        />
        {hasAny && (
          <Button
            type="link"
            onClick={() => set({ hazardCode: undefined, colour: undefined, district: undefined, source: undefined })}
          >
            {t('common:resetFilters')}
          </Button>
        )}
      </div>
      <Tabs
        activeKey={tab}
        onChange={(k) => set({ tab: k === 'history' ? 'history' : undefined })}
        items={[
          {
            key: 'board',
            label: (
              <span data-testid="tab-board">
                {t('board.active')} <Badge count={active.data?.total ?? 0} showZero color="#8c8c8c" size="small" />
                {unacked > 0 && <span className="unacked-note">{t('board.unacked', { count: unacked })}</span>}
              </span>
            ),
            children: active.isPending ? (
              <div className="full-center-inner">
                <Spin />
              </div>
            ) : active.isError ? (
              <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={errorMessage(active.error)} />
            ) : (
              <div className="warning-board" data-testid="warning-board">
                {columns
                  .filter((c) => !filters.colour || c.colour === filters.colour)
                  .map((col) => (
                    <section
                      key={col.colour}
                      className="warning-column"
                      data-colour={col.colour}
                      aria-label={colourLabel(col.colour, lang, true)}
                    >
                      <header className="warning-column-head" style={{ borderTopColor: COLOUR_INFO[col.colour].color }}>
                        <span className="warning-column-title">
                          <span className="colour-swatch" style={{ background: COLOUR_INFO[col.colour].color }} />
                          {t('board.column', { colour: colourLabel(col.colour, lang, true) })}
                        </span>
                        <span className="warning-column-count">{col.items.length}</span>
                      </header>
                      <div className="warning-column-body">
                        {col.items.length === 0 ? (
                          <div className="warning-column-empty">{t('board.none')}</div>
                        ) : (
                          col.items.map((w) => (
                            <WarningCard
                              key={w.id}
                              warning={w}
                              onOpen={(x) => open(x.id)}
                              actions={actions.buttons(w)}
                            />
                          ))
                        )}
                      </div>
                    </section>
                  ))}
              </div>
            ),
          },
          {
            key: 'history',
            label: <span data-testid="tab-history">{t('board.history')}</span>,
            children: (
              <Table<Warning>
                className="dense-table"
                rowKey="id"
                size="small"
                columns={historyColumns}
                dataSource={history.data?.items ?? []}
                loading={history.isFetching && !history.data}
                onRow={(w) =>
                  ({
                    onClick: () => open(w.id),
                    tabIndex: 0,
                    onKeyDown: (e: React.KeyboardEvent) => {
                      if (e.key === 'Enter') open(w.id);
                    },
                    className: 'clickable-row',
                  }) as React.HTMLAttributes<HTMLElement>
                }
                locale={{
                  emptyText: (
                    <Empty
                      image={Empty.PRESENTED_IMAGE_SIMPLE}
                      description={history.isError ? errorMessage(history.error) : t('board.historyEmpty')}
                    />
                  ),
                }}
                pagination={{
                  current: page,
                  pageSize: HISTORY_PAGE,
                  total: history.data?.total ?? 0,
                  showSizeChanger: false,
                  showTotal: (n) => t('common:total', { count: n }),
                  onChange: (p) => set({ page: p > 1 ? String(p) : undefined }, true),
                }}
                scroll={{ x: 1000 }}
                data-testid="warning-history"
              />
            ),
          },
        ]}
      />
      <WarningDrawer id={openId} onClose={() => open(null)} actions={(w) => actions.buttons(w, 'middle')} />
      {actions.dialogs}
      <CapImportDialog open={capOpen} onClose={() => setCapOpen(false)} onOpenWarning={(id) => open(id)} />
      <NewWarningModal open={creating} onClose={() => setCreating(false)} onCreated={(w) => open(w.id)} />
    </div>
  );
}
