import { Button, Empty, Select, Switch, Table, type TableColumnsType, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { DANGER_GRADES, DANGER_SOURCES, DANGER_STATUSES, type HiddenDanger } from '../../../../contracts/dangers.ts';
import { can, useCurrentUser } from '../../api/auth.ts';
import { useDistrictOptions } from '../../components/districts.ts';
import { errorMessage } from '../../components/errors.tsx';
import { ImportDialog } from '../../components/import-dialog.tsx';
import { RegisterActions } from '../../components/register-actions.tsx';
import { SearchFilter } from '../../components/search-filter.tsx';
import { useRegisterParams } from '../../components/use-register-params.ts';
import { formatTime } from '../../i18n/index.ts';
import { useDangerList } from './dangers-api.ts';
import { GradeTag, StatusTag, useDangerNames } from './labels.tsx';
import { ReportDrawer } from './report-drawer.tsx';

const FILTER_KEYS = ['q', 'status', 'grade', 'source', 'district', 'enterpriseId', 'overdue', 'open'] as const;

/** The columns of a danger list (the register and an enterprise's tab). */
export function useDangerColumns(opts: { enterprise?: boolean } = {}): TableColumnsType<HiddenDanger> {
  const { t } = useTranslation('dangers');
  const names = useDangerNames();
  return [
    {
      title: t('field.number'),
      dataIndex: 'number',
      width: 150,
      render: (v: string) => <span className="mono">{v}</span>,
    },
    {
      title: t('field.title'),
      dataIndex: 'title',
      render: (v: string, r) => (
        <span className="cell-title">
          {v}
          {r.demo && <span className="demo-mark">{t('common:demoShort')}</span>}
        </span>
      ),
    },
    {
      title: t('field.grade'),
      dataIndex: 'grade',
      width: 100,
      render: (g: HiddenDanger['grade']) => <GradeTag grade={g} />,
    },
    {
      title: t('field.status'),
      dataIndex: 'status',
      width: 130,
      render: (s: HiddenDanger['status'], r) => (
        <>
          <StatusTag status={s} />
          {r.overdue && <Tag color="volcano">{t('overdue')}</Tag>}
        </>
      ),
    },
    ...(opts.enterprise
      ? []
      : [
          {
            title: t('field.enterprise'),
            key: 'enterprise',
            width: 200,
            ellipsis: true,
            render: (_: unknown, r: HiddenDanger) =>
              r.enterprise?.name ?? <span className="muted">{t('publicPlace')}</span>,
          },
          { title: t('field.district'), dataIndex: 'districtName', width: 100 },
        ]),
    {
      title: t('field.source'),
      dataIndex: 'source',
      width: 100,
      render: (s: HiddenDanger['source']) => names.source(s),
    },
    { title: t('field.foundAt'), dataIndex: 'foundAt', width: 150, render: (v: string) => formatTime(v) },
    { title: t('field.deadline'), dataIndex: 'deadline', width: 110, render: (v: string | null) => v ?? '—' },
  ];
}

/** The hidden-danger register: filters in the address, Excel import and export, a new report. */
export function DangersPage() {
  const { t } = useTranslation('dangers');
  const names = useDangerNames();
  const user = useCurrentUser();
  const navigate = useNavigate();
  const { filters, hasAny, size, offset, update, pagination } = useRegisterParams(FILTER_KEYS);
  const [creating, setCreating] = useState(false);
  const [importing, setImporting] = useState(false);
  const list = useDangerList(filters, size, offset);
  const districts = useDistrictOptions();
  const columns = useDangerColumns();

  return (
    <div className="page">
      <div className="page-head">
        <Typography.Title level={4} className="page-title">
          {t('nav.register')}
        </Typography.Title>
        <RegisterActions
          name="hidden-dangers"
          list={{ refetch: list.refetch, isFetching: list.isFetching, total: list.data?.total }}
          exportQuery={{ ...filters }}
          labels={{ export: t('list.export'), import: t('list.import'), create: t('list.new') }}
          manage={can(user, 'dangers.supervise')}
          onImport={() => setImporting(true)}
          onCreate={() => setCreating(true)}
          newTestId="new-danger"
        />
        {!can(user, 'dangers.supervise') && can(user, 'dangers.report') && (
          <Button type="primary" onClick={() => setCreating(true)} data-testid="new-danger">
            {t('list.new')}
          </Button>
        )}
      </div>
      <div className="filter-bar" data-testid="danger-filters">
        <SearchFilter
          value={filters.q}
          onSearch={(q) => update({ q })}
          placeholder={t('list.searchPlaceholder')}
          width={230}
          testId="danger-search"
        />
        <Select
          allowClear
          placeholder={t('field.status')}
          value={filters.status}
          onChange={(v) => update({ status: v })}
          options={DANGER_STATUSES.map((s) => ({ value: s, label: names.status(s) }))}
          style={{ width: 120 }}
        />
        <Select
          allowClear
          placeholder={t('field.grade')}
          value={filters.grade}
          onChange={(v) => update({ grade: v })}
          options={DANGER_GRADES.map((g) => ({ value: g, label: names.grade(g) }))}
          style={{ width: 120 }}
        />
        <Select
          allowClear
          placeholder={t('field.source')}
          value={filters.source}
          onChange={(v) => update({ source: v })}
          options={DANGER_SOURCES.map((s) => ({ value: s, label: names.source(s) }))}
          style={{ width: 120 }}
        />
        <Select
          allowClear
          placeholder={t('field.district')}
          value={filters.district}
          onChange={(v) => update({ district: v })}
          options={districts}
          style={{ width: 130 }}
        />
        <span>
          <Switch
            size="small"
            checked={filters.overdue === 'true'}
            onChange={(on) => update({ overdue: on ? 'true' : undefined })}
            aria-label={t('list.overdueOnly')}
          />{' '}
          {t('list.overdueOnly')}
        </span>
        <span>
          <Switch
            size="small"
            checked={filters.open === 'true'}
            onChange={(on) => update({ open: on ? 'true' : undefined })}
            aria-label={t('list.openOnly')}
          />{' '}
          {t('list.openOnly')}
        </span>
        {hasAny && (
          <Button type="link" onClick={() => update(Object.fromEntries(FILTER_KEYS.map((k) => [k, undefined])))}>
            {t('common:resetFilters')}
          </Button>
        )}
      </div>
      <Table<HiddenDanger>
        className="dense-table"
        rowKey="id"
        size="small"
        columns={columns}
        dataSource={list.data?.items ?? []}
        loading={list.isFetching && !list.data}
        onRow={(r) =>
          ({
            onClick: () => navigate(`/dangers/${r.id}`),
            onKeyDown: (e: React.KeyboardEvent<HTMLElement>) => {
              if (e.key === 'Enter' && e.target === e.currentTarget) navigate(`/dangers/${r.id}`);
            },
            tabIndex: 0,
            className: 'clickable-row',
            'data-testid': 'danger-row',
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
        pagination={pagination(list.data?.total ?? 0, t)}
        scroll={{ x: 1100 }}
      />
      <ReportDrawer open={creating} onClose={() => setCreating(false)} onSaved={(d) => navigate(`/dangers/${d.id}`)} />
      <ImportDialog
        open={importing}
        onClose={() => setImporting(false)}
        registry="hidden-dangers"
        title={t('nav.register')}
        onImported={() => void list.refetch()}
      />
    </div>
  );
}
