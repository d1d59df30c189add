import { Button, Empty, Input, Select, Table, type TableColumnsType, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import {
  DRILL_CONTENT_INFO,
  DRILL_CONTENTS,
  DRILL_FORM_INFO,
  DRILL_FORMS,
  type Drill,
} from '../../../../contracts/drills.ts';
import { can, useCurrentUser } from '../../api/auth.ts';
import { useDistrictOptions, useLang } from '../../components/districts.ts';
import { errorMessage } from '../../components/errors.tsx';
import { ImportDialog } from '../../components/import-dialog.tsx';
import { RegisterActions } from '../../components/register-actions.tsx';
import { SearchFilter } from '../../components/search-filter.tsx';
import { useRegisterParams } from '../../components/use-register-params.ts';
import { DrillFormDrawer } from './drill-form-drawer.tsx';
import { useDrillList } from './drills-api.ts';
import { nameIn, planTestedText, TypeTags } from './labels.tsx';

const FILTER_KEYS = ['q', 'from', 'to', 'content', 'form', 'district', 'overdueActions'] as const;

/** Drill records (演练记录): filters in the address, Excel export, participants import, a new record. */
export function RecordsPage() {
  const { t } = useTranslation('drills');
  const lang = useLang();
  const user = useCurrentUser();
  const navigate = useNavigate();
  const { filters, hasAny, size, offset, update, pagination } = useRegisterParams(FILTER_KEYS);
  const [creating, setCreating] = useState(false);
  const [importing, setImporting] = useState(false);
  const list = useDrillList(filters, size, offset);
  const districts = useDistrictOptions();
  const manage = can(user, 'drills.manage');
  const columns: TableColumnsType<Drill> = [
    { title: t('field.number'), dataIndex: 'number', width: 150 },
    {
      title: t('field.title'),
      dataIndex: 'title',
      render: (v: string, r) => (
        <span className="cell-title">
          {v}
          {r.demo && <span className="demo-mark">{t('common:demoShort')}</span>}
          {r.source.kind === 'exercise' && <Tag color="geekblue">{t('source.exercise')}</Tag>}
        </span>
      ),
    },
    { title: t('field.date'), dataIndex: 'date', width: 110 },
    { title: t('field.subject'), key: 'subject', width: 200, ellipsis: true, render: (_, r) => r.subject.name },
    { title: t('field.type'), key: 'type', width: 190, render: (_, r) => <TypeTags d={r} lang={lang} /> },
    {
      title: t('field.planTested'),
      key: 'plan',
      width: 200,
      ellipsis: true,
      render: (_, r) => planTestedText(r, lang),
    },
    {
      title: t('field.participants'),
      key: 'att',
      width: 90,
      render: (_, r) => `${r.attendance.attended}/${r.attendance.total}`,
    },
    {
      title: t('field.actions'),
      key: 'actions',
      width: 130,
      render: (_, r) =>
        r.overdueActions > 0 ? (
          <Tag color="red">{t('action.overdueCount', { n: r.overdueActions })}</Tag>
        ) : r.openActions > 0 ? (
          <Tag color="gold">{t('action.openCount', { n: r.openActions })}</Tag>
        ) : (
          '—'
        ),
    },
  ];
  return (
    <div className="page">
      <div className="page-head">
        <Typography.Title level={4} className="page-title">
          {t('nav.records')}
        </Typography.Title>
        <RegisterActions
          name="drills"
          list={{ refetch: list.refetch, isFetching: list.isFetching, total: list.data?.total }}
          exportQuery={{ ...filters }}
          labels={{ export: t('list.export'), import: t('list.importParticipants'), create: t('list.new') }}
          manage={manage}
          onImport={() => setImporting(true)}
          onCreate={() => setCreating(true)}
          newTestId="new-drill"
        />
      </div>
      <div className="filter-bar">
        <SearchFilter
          value={filters.q}
          onSearch={(q) => update({ q })}
          placeholder={t('list.search')}
          width={220}
          testId="drill-search"
        />
        <Input
          type="date"
          aria-label={t('list.from')}
          value={filters.from ?? ''}
          onChange={(e) => update({ from: e.target.value || undefined })}
          style={{ width: 150 }}
        />
        <Input
          type="date"
          aria-label={t('list.to')}
          value={filters.to ?? ''}
          onChange={(e) => update({ to: e.target.value || undefined })}
          style={{ width: 150 }}
        />
        <Select
          allowClear
          placeholder={t('field.content')}
          value={filters.content}
          onChange={(v) => update({ content: v })}
          options={DRILL_CONTENTS.map((k) => ({ value: k, label: nameIn(DRILL_CONTENT_INFO[k], lang) }))}
          style={{ width: 130 }}
        />
        <Select
          allowClear
          placeholder={t('field.form')}
          value={filters.form}
          onChange={(v) => update({ form: v })}
          options={DRILL_FORMS.map((k) => ({ value: k, label: nameIn(DRILL_FORM_INFO[k], lang) }))}
          style={{ width: 130 }}
        />
        <Select
          allowClear
          placeholder={t('field.district')}
          value={filters.district}
          onChange={(v) => update({ district: v })}
          options={districts}
          style={{ width: 130 }}
        />
        <Select
          allowClear
          placeholder={t('field.actions')}
          value={filters.overdueActions}
          onChange={(v) => update({ overdueActions: v })}
          options={[{ value: 'true', label: t('list.overdueOnly') }]}
          style={{ width: 150 }}
        />
        {hasAny && (
          <Button type="link" onClick={() => update(Object.fromEntries(FILTER_KEYS.map((k) => [k, undefined])))}>
            {t('common:resetFilters')}
          </Button>
        )}
      </div>
      <Table<Drill>
        className="dense-table"
        rowKey="id"
        size="small"
        columns={columns}
        dataSource={list.data?.items ?? []}
        loading={list.isFetching && !list.data}
        onRow={(r) =>
          ({
            onClick: () => navigate(`/drills/records/${r.id}`),
            onKeyDown: (e: React.KeyboardEvent<HTMLElement>) => {
              if (e.key === 'Enter' && e.target === e.currentTarget) navigate(`/drills/records/${r.id}`);
            },
            tabIndex: 0,
            className: 'clickable-row',
            'data-testid': 'drill-row',
          }) as React.HTMLAttributes<HTMLElement>
        }
        locale={{
          emptyText: (
            <Empty
              image={Empty.PRESENTED_IMAGE_SIMPLE}
              description={list.isError ? errorMessage(list.error) : hasAny ? t('list.emptyFiltered') : t('list.empty')}
            />
          ),
        }}
        pagination={pagination(list.data?.total ?? 0, t)}
        scroll={{ x: 1200 }}
      />
      <DrillFormDrawer
        open={creating}
        onClose={() => setCreating(false)}
        onSaved={(d) => navigate(`/drills/records/${d.id}`)}
      />
      <ImportDialog
        open={importing}
        onClose={() => setImporting(false)}
        registry="drills/participants"
        title={t('list.importParticipants')}
        onImported={() => void list.refetch()}
      />
    </div>
  );
}
