import { Button, Empty, Input, Select, Table, type TableColumnsType, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { EXPERT_TITLE_INFO, EXPERT_TITLES, type Expert } from '../../../../contracts/experts.ts';
import { can, useCurrentUser } from '../../api/auth.ts';
import { errorMessage } from '../../components/errors.tsx';
import { ImportDialog } from '../../components/import-dialog.tsx';
import { RegisterActions } from '../../components/register-actions.tsx';
import { SearchFilter } from '../../components/search-filter.tsx';
import { useRegisterParams } from '../../components/use-register-params.ts';
import { ExpertFormDrawer } from './expert-form-drawer.tsx';
import { useExpertList } from './experts-api.ts';
import { FieldSelect, FieldTags, nameIn, useDistrictLabel, useLang } from './labels.tsx';

const FILTER_KEYS = ['q', 'field', 'organisation', 'availability', 'title', 'active'] as const;

/** The expert register: filters in the address, Excel import and export, a new expert. */
export function ExpertListPage() {
  const { t } = useTranslation('experts');
  const lang = useLang();
  const user = useCurrentUser();
  const navigate = useNavigate();
  const { filters, hasAny, size, offset, update, pagination } = useRegisterParams(FILTER_KEYS);
  const [creating, setCreating] = useState(false);
  const [importing, setImporting] = useState(false);
  const list = useExpertList(filters, size, offset);
  const districtLabel = useDistrictLabel();
  const manage = can(user, 'experts.manage');

  const columns: TableColumnsType<Expert> = [
    {
      title: t('field.name'),
      dataIndex: 'name',
      width: 130,
      render: (v: string, r) => (
        <span className="cell-title">
          {v}
          {r.demo && <span className="demo-mark">{t('common:demoShort')}</span>}
        </span>
      ),
    },
    { title: t('field.fields'), dataIndex: 'fields', render: (f: string[]) => <FieldTags fields={f} /> },
    {
      title: t('field.title'),
      dataIndex: 'title',
      width: 150,
      render: (v: Expert['title'], r) => r.titleText || nameIn(EXPERT_TITLE_INFO[v], lang),
    },
    { title: t('field.organisation'), dataIndex: 'organisation', ellipsis: true, width: 220 },
    {
      title: t('field.district'),
      dataIndex: 'district',
      width: 110,
      render: (d: Expert['district']) => districtLabel(d),
    },
    {
      title: t('field.availability'),
      key: 'availability',
      width: 130,
      render: (_: unknown, r) =>
        !r.active ? (
          <Tag>{t('status.inactive')}</Tag>
        ) : r.availableNow ? (
          <Tag color="green">{t('status.available')}</Tag>
        ) : (
          <Tag color="orange" title={r.availability.reason}>
            {r.availability.until
              ? t('status.unavailableUntil', { day: r.availability.until })
              : t('status.unavailable')}
          </Tag>
        ),
    },
  ];

  return (
    <div className="page">
      <div className="page-head">
        <Typography.Title level={4} className="page-title">
          {t('nav.register')}
        </Typography.Title>
        <RegisterActions
          name="experts"
          list={{ refetch: list.refetch, isFetching: list.isFetching, total: list.data?.total }}
          exportQuery={{ ...filters }}
          labels={{ export: t('list.export'), import: t('list.import'), create: t('list.new') }}
          manage={manage}
          onImport={() => setImporting(true)}
          onCreate={() => setCreating(true)}
          newTestId="new-expert"
        />
      </div>
      <div className="filter-bar" data-testid="expert-filters">
        <SearchFilter
          value={filters.q}
          onSearch={(q) => update({ q })}
          placeholder={t('list.searchPlaceholder')}
          width={230}
          testId="expert-search"
        />
        <FieldSelect
          multiple={false}
          value={filters.field}
          onChange={(v) => update({ field: (v as string | undefined) ?? undefined })}
          placeholder={t('field.fields')}
          width={220}
        />
        <Input.Search
          allowClear
          defaultValue={filters.organisation}
          placeholder={t('field.organisation')}
          onSearch={(v) => update({ organisation: v.trim() || undefined })}
          style={{ width: 200 }}
        />
        <Select
          allowClear
          placeholder={t('field.availability')}
          value={filters.availability}
          onChange={(v) => update({ availability: v })}
          options={[
            { value: 'available', label: t('status.available') },
            { value: 'unavailable', label: t('status.unavailable') },
          ]}
          style={{ width: 130 }}
        />
        <Select
          allowClear
          placeholder={t('field.title')}
          value={filters.title}
          onChange={(v) => update({ title: v })}
          options={EXPERT_TITLES.map((k) => ({ value: k, label: nameIn(EXPERT_TITLE_INFO[k], lang) }))}
          style={{ width: 130 }}
        />
        <Select
          allowClear
          placeholder={t('field.active')}
          value={filters.active}
          onChange={(v) => update({ active: v })}
          options={[
            { value: 'true', label: t('status.active') },
            { value: 'false', label: t('status.inactive') },
          ]}
          style={{ width: 110 }}
        />
        {hasAny && (
          <Button type="link" onClick={() => update(Object.fromEntries(FILTER_KEYS.map((k) => [k, undefined])))}>
            {t('common:resetFilters')}
          </Button>
        )}
      </div>
      <Table<Expert>
        className="dense-table"
        rowKey="id"
        size="small"
        columns={columns}
        dataSource={list.data?.items ?? []}
        loading={list.isFetching && !list.data}
        onRow={(r) =>
          ({
            onClick: () => navigate(`/experts/${r.id}`),
            onKeyDown: (e: React.KeyboardEvent<HTMLElement>) => {
              if (e.key === 'Enter' && e.target === e.currentTarget) navigate(`/experts/${r.id}`);
            },
            tabIndex: 0,
            className: 'clickable-row',
            'data-testid': 'expert-row',
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
        scroll={{ x: 1000 }}
      />
      <ExpertFormDrawer
        open={creating}
        onClose={() => setCreating(false)}
        onSaved={(e) => navigate(`/experts/${e.id}`)}
      />
      <ImportDialog
        open={importing}
        onClose={() => setImporting(false)}
        registry="experts"
        title={t('nav.register')}
        onImported={() => void list.refetch()}
      />
    </div>
  );
}
