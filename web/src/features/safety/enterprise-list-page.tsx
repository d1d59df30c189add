import { Button, Empty, Select, Table, type TableColumnsType, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import {
  type Enterprise,
  HIGH_RISK_CATEGORIES,
  HIGH_RISK_INFO,
  INDUSTRIES,
  INDUSTRY_INFO,
  INSURANCE_INFO,
} from '../../../../contracts/safety.ts';
import { can, useCurrentUser } from '../../api/auth.ts';
import { errorMessage } from '../../components/errors.tsx';
import { ImportDialog } from '../../components/import-dialog.tsx';
import { RegisterActions } from '../../components/register-actions.tsx';
import { SearchFilter } from '../../components/search-filter.tsx';
import { useRegisterParams } from '../../components/use-register-params.ts';
import { EnterpriseFormDrawer } from './enterprise-form-drawer.tsx';
import { ColourTag, nameIn, useDistrictOptions, useLang } from './labels.tsx';
import { useEnterpriseList } from './safety-api.ts';

const FILTER_KEYS = [
  'q',
  'district',
  'industry',
  'highRiskCategory',
  'crowded',
  'majorHazard',
  'insuranceExpiring',
] as const;

/** The enterprises register: filters in the address, import and export, new in a drawer. */
export function EnterpriseListPage() {
  const { t } = useTranslation('safety');
  const lang = useLang();
  const user = useCurrentUser();
  const navigate = useNavigate();
  const { filters, hasAny, size, offset, update, pagination } = useRegisterParams(FILTER_KEYS);
  const [creating, setCreating] = useState(false);
  const [importing, setImporting] = useState(false);
  const list = useEnterpriseList(filters, size, offset);
  const districts = useDistrictOptions();
  const manage = can(user, 'enterprises.manage') && user?.scope !== 'enterprise';
  const yesNo = [
    { value: 'true', label: t('yes') },
    { value: 'false', label: t('no') },
  ];

  const columns: TableColumnsType<Enterprise> = [
    {
      title: t('field.name'),
      dataIndex: 'name',
      ellipsis: true,
      render: (v: string, r) => (
        <span className="cell-title">
          {v}
          {r.crowdedVenue && <Tag style={{ marginLeft: 6 }}>{t('crowdedShort')}</Tag>}
          {r.demo && <Tag style={{ marginLeft: 4 }}>{t('demo')}</Tag>}
        </span>
      ),
    },
    { title: t('field.creditCode'), dataIndex: 'creditCode', width: 190, render: (v: string) => <code>{v}</code> },
    {
      title: t('field.industry'),
      dataIndex: 'industry',
      width: 140,
      render: (v: Enterprise['industry']) => nameIn(INDUSTRY_INFO[v], lang),
    },
    {
      title: t('field.highRisk'),
      dataIndex: 'highRiskCategory',
      width: 120,
      render: (v: Enterprise['highRiskCategory']) => (v ? nameIn(HIGH_RISK_INFO[v], lang) : '—'),
    },
    {
      title: t('field.district'),
      dataIndex: 'district',
      width: 110,
      render: (d: Enterprise['district']) => d?.name ?? '—',
    },
    {
      title: t('field.majorHazards'),
      dataIndex: 'majorHazards',
      width: 130,
      render: (m: Enterprise['majorHazards']) =>
        m.count ? t('majorSummary', { count: m.count, grade: t(`grade.${m.highestGrade}`) }) : '—',
    },
    {
      title: t('field.riskColour'),
      dataIndex: 'riskColour',
      width: 110,
      render: (c: Enterprise['riskColour']) => <ColourTag colour={c} />,
    },
    {
      title: t('field.insurance'),
      dataIndex: 'insuranceStatus',
      width: 120,
      render: (s: Enterprise['insuranceStatus']) => (
        <Tag color={INSURANCE_INFO[s].color}>{nameIn(INSURANCE_INFO[s], lang)}</Tag>
      ),
    },
  ];

  return (
    <div className="page">
      <div className="page-head">
        <Typography.Title level={4} className="page-title">
          {t('nav.enterprises')}
        </Typography.Title>
        <RegisterActions
          name="enterprises"
          list={{ refetch: list.refetch, isFetching: list.isFetching, total: list.data?.total }}
          exportQuery={{ ...filters }}
          labels={{ export: t('list.export'), import: t('list.import'), create: t('list.new') }}
          manage={manage}
          onImport={() => setImporting(true)}
          onCreate={() => setCreating(true)}
          newTestId="new-enterprise"
        />
      </div>
      <div className="filter-bar" data-testid="enterprise-filters">
        <SearchFilter
          value={filters.q}
          onSearch={(q) => update({ q })}
          placeholder={t('list.searchPlaceholder')}
          width={230}
          testId="enterprise-search"
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
          placeholder={t('field.industry')}
          value={filters.industry}
          onChange={(v) => update({ industry: v })}
          options={INDUSTRIES.map((k) => ({ value: k, label: nameIn(INDUSTRY_INFO[k], lang) }))}
          style={{ width: 150 }}
        />
        <Select
          allowClear
          placeholder={t('field.highRisk')}
          value={filters.highRiskCategory}
          onChange={(v) => update({ highRiskCategory: v })}
          options={[
            ...HIGH_RISK_CATEGORIES.map((k) => ({ value: k, label: nameIn(HIGH_RISK_INFO[k], lang) })),
            { value: 'none', label: t('none') },
          ]}
          style={{ width: 140 }}
        />
        <Select
          allowClear
          placeholder={t('field.crowded')}
          value={filters.crowded}
          onChange={(v) => update({ crowded: v })}
          options={yesNo}
          style={{ width: 130 }}
        />
        <Select
          allowClear
          placeholder={t('field.majorHazards')}
          value={filters.majorHazard}
          onChange={(v) => update({ majorHazard: v })}
          options={yesNo}
          style={{ width: 130 }}
        />
        <Select
          allowClear
          placeholder={t('field.insurance')}
          value={filters.insuranceExpiring}
          onChange={(v) => update({ insuranceExpiring: v })}
          options={[{ value: 'true', label: t('list.insuranceExpiring') }]}
          style={{ width: 170 }}
        />
        {hasAny && (
          <Button type="link" onClick={() => update(Object.fromEntries(FILTER_KEYS.map((k) => [k, undefined])))}>
            {t('common:resetFilters')}
          </Button>
        )}
      </div>
      <Table<Enterprise>
        className="dense-table"
        rowKey="id"
        size="small"
        columns={columns}
        dataSource={list.data?.items ?? []}
        loading={list.isFetching && !list.data}
        onRow={(r) =>
          ({
            onClick: () => navigate(`/safety/enterprises/${r.id}`),
            onKeyDown: (e: React.KeyboardEvent<HTMLElement>) => {
              if (e.key === 'Enter' && e.target === e.currentTarget) navigate(`/safety/enterprises/${r.id}`);
            },
            tabIndex: 0,
            className: 'clickable-row',
            'data-testid': 'enterprise-row',
            'aria-label': r.name,
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
      <EnterpriseFormDrawer
        open={creating}
        onClose={() => setCreating(false)}
        onSaved={(e) => navigate(`/safety/enterprises/${e.id}`)}
      />
      <ImportDialog
        open={importing}
        onClose={() => setImporting(false)}
        registry="enterprises"
        title={t('nav.enterprises')}
        onImported={() => void list.refetch()}
      />
    </div>
  );
}
