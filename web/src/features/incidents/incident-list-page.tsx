import { PlusOutlined, ReloadOutlined, UploadOutlined } from '@ant-design/icons';
import { Button, DatePicker, Empty, Select, Space, Table, type TableColumnsType, Tag, Tooltip, Typography } from 'antd';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate, useSearchParams } from 'react-router';
import { can, useCurrentUser } from '../../api/auth.ts';
import { CATEGORIES, eventTypeName, type Incident, LEVELS, STATUSES } from '../../api/contracts.ts';
import { type IncidentFilters, useDistrictName, useIncidentList } from '../../api/incidents.ts';
import { useUnits } from '../../api/org.ts';
import { errorMessage, useErrorReporter } from '../../components/errors.tsx';
import { ExportButton } from '../../components/export-button.tsx';
import { ImportDialog } from '../../components/import-dialog.tsx';
import { SearchFilter } from '../../components/search-filter.tsx';
import { formatTime, fromShanghaiWall, toShanghaiWall } from '../../i18n/index.ts';
import { EventTypeSelect } from './event-type-select.tsx';
import { IncidentFormDrawer } from './incident-form-drawer.tsx';
import {
  CasualtySummary,
  ExerciseTag,
  LevelTag,
  StatusTag,
  useCategoryLabel,
  useLevelLabel,
  useStatusLabel,
} from './tags.tsx';

const PAGE_SIZES = [20, 50, 100];

/** Filters live in the URL so a duty officer can bookmark or share a view. */
function useFilters() {
  const [params, setParams] = useSearchParams();
  const filters: IncidentFilters = {
    q: params.get('q') ?? undefined,
    status: params.get('status')?.split(',').filter(Boolean),
    category: params.get('category') ?? undefined,
    typeCode: params.get('typeCode') ?? undefined,
    level: params.get('level')?.split(',').filter(Boolean),
    district: params.get('district') ?? undefined,
    from: params.get('from') ?? undefined,
    to: params.get('to') ?? undefined,
  };
  const page = Math.max(1, Number(params.get('page') ?? 1) || 1);
  const size = PAGE_SIZES.includes(Number(params.get('size'))) ? Number(params.get('size')) : 20;
  const update = (patch: Record<string, string | string[] | undefined | null>, keepPage = false) => {
    const next = new URLSearchParams(params);
    for (const [k, v] of Object.entries(patch)) {
      const s = Array.isArray(v) ? v.join(',') : v;
      if (s) next.set(k, s);
      else next.delete(k);
    }
    if (!keepPage) next.delete('page');
    setParams(next, { replace: true });
  };
  // the report form's being open is in the address too (`new=1`): the N shortcut opens it from any page, and a reload
  // or a sign-in on the sign-in page brings the user back to it, with the draft
  const creating = params.get('new') === '1';
  const setCreating = (open: boolean) => {
    const next = new URLSearchParams(params);
    if (open) next.set('new', '1');
    else next.delete('new');
    setParams(next, { replace: !open });
  };
  return {
    filters,
    page,
    size,
    update,
    creating,
    setCreating,
    hasAny: [...params.keys()].some((k) => k !== 'page' && k !== 'size' && k !== 'new'),
  };
}

export function IncidentListPage() {
  const { t, i18n } = useTranslation('incidents');
  const en = i18n.language === 'en';
  const user = useCurrentUser();
  const navigate = useNavigate();
  const { filters, page, size, update, hasAny, creating: wantsForm, setCreating } = useFilters();
  const creating = wantsForm && can(user, 'incidents.create');
  const [importing, setImporting] = useState(false);
  const _report = useErrorReporter();
  const list = useIncidentList(filters, size, (page - 1) * size);
  const units = useUnits();
  const statusLabel = useStatusLabel();
  const levelLabel = useLevelLabel();
  const categoryLabel = useCategoryLabel();
  const districtName = useDistrictName();

  const districtOptions = useMemo(() => {
    const items = (units.data?.items ?? []).filter((u) => u.kind === 'district' || u.kind === 'zone');
    return [
      ...items.map((u) => ({ value: u.code, label: en ? u.nameEn || u.name : u.name })),
      { value: 'sea', label: t('district.sea') },
      { value: 'outside', label: t('district.outside') },
      { value: 'unknown', label: t('district.unknown') },
    ];
  }, [units.data, en, t]);

  const columns: TableColumnsType<Incident> = [
    {
      title: t('field.number'),
      dataIndex: 'number',
      width: 188,
      render: (v: string, r) => (
        <span className="mono">
          {v}
          {r.demo && <span className="demo-mark">{t('common:demoShort')}</span>}
        </span>
      ),
    },
    {
      title: t('field.title'),
      dataIndex: 'title',
      ellipsis: true,
      render: (v: string, r) => (
        <span className="cell-title">
          {v}
          <ExerciseTag exercise={r.exercise} />
          {r.mergedInto ? (
            <Tag style={{ marginInlineStart: 6 }}>{t('duplicates.mergedTag')}</Tag>
          ) : r.possibleDuplicateOf.length > 0 ? (
            <Tag color="orange" style={{ marginInlineStart: 6 }} data-testid="duplicate-tag">
              {t('duplicates.tag')}
            </Tag>
          ) : null}
        </span>
      ),
    },
    {
      title: t('field.type'),
      dataIndex: 'typeName',
      width: 150,
      ellipsis: true,
      // the type's name in the reader's language, whatever language the record was delivered in (a live event)
      render: (_: string, r) => {
        const name = eventTypeName(r.typeCode, en ? 'en' : 'zh');
        return <span title={`${r.typeCode} ${name}`}>{name}</span>;
      },
    },
    {
      title: t('field.level'),
      dataIndex: 'level',
      width: 110,
      render: (_: unknown, r) => <LevelTag level={r.level} override={!!r.levelOverride} />,
    },
    {
      title: t('field.district'),
      dataIndex: 'district',
      width: 110,
      render: (_: unknown, r) => districtName(r),
    },
    {
      title: t('field.status'),
      dataIndex: 'status',
      width: 96,
      render: (_: unknown, r) => <StatusTag status={r.status} />,
    },
    {
      title: t('field.occurredAt'),
      dataIndex: 'occurredAt',
      width: 150,
      render: (v: string) => <span className="mono">{formatTime(v)}</span>,
    },
    {
      title: t('field.casualties'),
      key: 'casualties',
      width: 190,
      render: (_: unknown, r) => <CasualtySummary incident={r} />,
    },
  ];

  const total = list.data?.total ?? 0;

  return (
    <div className="page">
      <div className="page-head">
        <div>
          <Typography.Title level={4} className="page-title">
            {t('nav.incidents')}
          </Typography.Title>
          <div className="page-sub">{t(`list.subtitle.${user.scope}`)}</div>
        </div>
        <Space>
          <Button icon={<ReloadOutlined />} onClick={() => list.refetch()} loading={list.isFetching}>
            {t('common:refresh')}
          </Button>
          <ExportButton
            path="/incidents/export"
            query={{ ...filters }}
            fileName="incidents.xlsx"
            disabled={!list.data?.total}
            testId="export-incidents"
          >
            {t('list.export')}
          </ExportButton>
          {can(user, 'incidents.create') && (
            <Button icon={<UploadOutlined />} onClick={() => setImporting(true)} data-testid="import-incidents">
              {t('list.import')}
            </Button>
          )}
          {can(user, 'incidents.create') && (
            <Tooltip title={t('list.newShortcut')}>
              <Button
                type="primary"
                icon={<PlusOutlined />}
                onClick={() => setCreating(true)}
                aria-keyshortcuts="N Alt+N"
                data-testid="new-incident"
              >
                {t('list.new')}
              </Button>
            </Tooltip>
          )}
        </Space>
      </div>
      <div className="filter-bar" data-testid="incident-filters">
        <SearchFilter
          value={filters.q}
          onSearch={(q) => update({ q })}
          placeholder={t('list.searchPlaceholder')}
          width={240}
          testId="incident-search"
        />
        <Select
          mode="multiple"
          allowClear
          maxTagCount="responsive"
          placeholder={t('field.status')}
          value={filters.status ?? []}
          onChange={(v) => update({ status: v })}
          options={STATUSES.map((s) => ({ value: s, label: statusLabel(s) }))}
          style={{ width: 200 }}
        />
        <Select
          allowClear
          placeholder={t('field.category')}
          value={filters.category}
          onChange={(v) => update({ category: v })}
          options={CATEGORIES.map((c) => ({ value: c, label: categoryLabel(c) }))}
          style={{ width: 140 }}
        />
        <EventTypeSelect
          minLevel={1}
          allowClear
          placeholder={t('field.type')}
          value={filters.typeCode}
          onChange={(v) => update({ typeCode: v })}
          style={{ width: 180 }}
        />
        <Select
          mode="multiple"
          allowClear
          maxTagCount="responsive"
          placeholder={t('field.level')}
          value={filters.level ?? []}
          onChange={(v) => update({ level: v })}
          options={[
            ...LEVELS.map((l) => ({ value: l, label: levelLabel(l, true) })),
            { value: 'none', label: t('level.none') },
          ]}
          style={{ width: 170 }}
        />
        <Select
          allowClear
          placeholder={t('field.district')}
          value={filters.district}
          onChange={(v) => update({ district: v })}
          options={districtOptions}
          loading={units.isLoading}
          style={{ width: 150 }}
          showSearch={{ optionFilterProp: 'label' }}
        />
        <DatePicker.RangePicker
          value={
            filters.from || filters.to
              ? [
                  filters.from ? toShanghaiWall(filters.from) : null,
                  filters.to ? (toShanghaiWall(filters.to)?.subtract(1, 'day') ?? null) : null,
                ]
              : null
          }
          onChange={(range) =>
            update({
              from: range?.[0] ? fromShanghaiWall(range[0].startOf('day')) : undefined,
              to: range?.[1] ? fromShanghaiWall(range[1].startOf('day').add(1, 'day')) : undefined,
            })
          }
          allowEmpty={[true, true]}
          placeholder={[t('list.from'), t('list.to')]}
          style={{ width: 240 }}
        />
        {hasAny && (
          <Button
            type="link"
            onClick={() => {
              update({
                q: undefined,
                status: undefined,
                category: undefined,
                typeCode: undefined,
                level: undefined,
                district: undefined,
                from: undefined,
                to: undefined,
              });
            }}
          >
            {t('common:resetFilters')}
          </Button>
        )}
      </div>
      <Table<Incident>
        className="dense-table"
        rowKey="id"
        size="small"
        columns={columns}
        dataSource={list.data?.items ?? []}
        loading={list.isFetching && !list.data ? true : list.isFetching ? { delay: 300 } : false}
        onRow={(r) =>
          ({
            onClick: () => navigate(`/incidents/${r.id}`),
            // by keyboard: Tab reaches a row, ↑/↓ move between rows, Enter opens one
            tabIndex: 0,
            onKeyDown: (e: React.KeyboardEvent<HTMLElement>) => {
              if (e.target !== e.currentTarget) return;
              if (e.key === 'Enter') {
                e.preventDefault();
                navigate(`/incidents/${r.id}`);
              } else if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
                e.preventDefault();
                const rows = [
                  ...(e.currentTarget.parentElement?.querySelectorAll<HTMLElement>('tr[data-testid="incident-row"]') ??
                    []),
                ];
                rows[rows.indexOf(e.currentTarget) + (e.key === 'ArrowDown' ? 1 : -1)]?.focus();
              }
            },
            'aria-label': `${r.number} ${r.title}`,
            className: 'clickable-row',
            'data-testid': 'incident-row',
            'data-number': r.number,
          }) as React.HTMLAttributes<HTMLElement>
        }
        locale={{
          emptyText: list.isError ? (
            <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={errorMessage(list.error)} />
          ) : (
            <Empty
              image={Empty.PRESENTED_IMAGE_SIMPLE}
              description={hasAny ? t('list.emptyFiltered') : t('list.empty')}
            />
          ),
        }}
        pagination={{
          current: page,
          pageSize: size,
          total,
          showSizeChanger: true,
          pageSizeOptions: PAGE_SIZES,
          showTotal: (n) => t('common:total', { count: n }),
          onChange: (p, s) =>
            update({ page: p > 1 ? String(p) : undefined, size: s !== 20 ? String(s) : undefined }, true),
        }}
        scroll={{ x: 1100 }}
      />
      <IncidentFormDrawer open={creating} onClose={() => setCreating(false)} onSaved={() => undefined} />
      <ImportDialog
        open={importing}
        onClose={() => setImporting(false)}
        registry="incidents"
        title={t('list.importTitle')}
        onImported={() => void list.refetch()}
      />
    </div>
  );
}
