/** The plans register: filters in the address, review-due flags, Excel export, the create/edit drawer. */
import { PlusOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Select, Space, Table, type TableColumnsType, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import {
  PLAN_KIND_INFO,
  PLAN_KINDS,
  PLAN_STATUS_INFO,
  PLAN_STATUSES,
  type Plan,
} from '../../../../contracts/command.ts';
import { can, useCurrentUser } from '../../api/auth.ts';
import { useLang } from '../../components/districts.ts';
import { errorMessage } from '../../components/errors.tsx';
import { ExportButton } from '../../components/export-button.tsx';
import { SearchFilter } from '../../components/search-filter.tsx';
import { commandKeys, type PlanFilters, usePlans } from './command-api.ts';
import { PlanDrawer } from './plan-drawer.tsx';

const KEYS = ['q', 'kind', 'status', 'review', 'hazard', 'unit'] as const;

export function ReviewTag({ plan }: { plan: Plan }) {
  const { t } = useTranslation('command');
  if (plan.overdue) return <Tag color="red">{t('plan.reviewOverdue', { on: plan.reviewDueOn })}</Tag>;
  if (plan.reviewDue) return <Tag color="orange">{t('plan.reviewSoon', { on: plan.reviewDueOn })}</Tag>;
  return plan.reviewDueOn ? <Typography.Text type="secondary">{plan.reviewDueOn}</Typography.Text> : <>—</>;
}

export function PlansPage() {
  const { t } = useTranslation('command');
  const lang = useLang();
  const user = useCurrentUser();
  const qc = useQueryClient();
  const [params, setParams] = useSearchParams();
  const filters: PlanFilters = Object.fromEntries(
    KEYS.map((k) => [k, params.get(k) ?? undefined]).filter(([, v]) => v),
  );
  const page = Math.max(1, Number(params.get('page') ?? 1) || 1);
  const size = 20;
  const set = (k: string, v: string | undefined) => {
    const next = new URLSearchParams(params);
    if (v) next.set(k, v);
    else next.delete(k);
    next.delete('page');
    setParams(next, { replace: true });
  };
  const list = usePlans(filters, size, (page - 1) * size);
  const [creating, setCreating] = useState(false);
  const columns: TableColumnsType<Plan> = [
    {
      title: t('field.name'),
      dataIndex: 'name',
      render: (v: string, r) => (
        <Space>
          <Link to={`/plans/${r.id}`}>{v}</Link>
          {r.digital && <Tag color="geekblue">{t('plan.digitalTag')}</Tag>}
          {r.demo && <span className="demo-mark">{t('common:demoShort')}</span>}
        </Space>
      ),
    },
    { title: t('field.kind'), dataIndex: 'kind', width: 150, render: (k: Plan['kind']) => PLAN_KIND_INFO[k][lang] },
    {
      title: t('field.owner'),
      width: 160,
      render: (_, r) =>
        r.ownerUnit ? (lang === 'en' ? r.ownerUnit.nameEn || r.ownerUnit.name : r.ownerUnit.name) : '—',
    },
    {
      title: t('field.status'),
      dataIndex: 'status',
      width: 90,
      render: (s: Plan['status']) => PLAN_STATUS_INFO[s][lang],
    },
    { title: t('field.edition'), dataIndex: 'edition', width: 70 },
    { title: t('field.approvedOn'), dataIndex: 'approvedOn', width: 110, render: (v: string | null) => v ?? '—' },
    { title: t('field.reviewDue'), width: 170, render: (_, r) => <ReviewTag plan={r} /> },
  ];
  return (
    <Space direction="vertical" className="page" style={{ width: '100%' }}>
      <Typography.Title level={4}>{t('nav.plans')}</Typography.Title>
      <Space wrap>
        <SearchFilter
          value={filters.q}
          onSearch={(q) => set('q', q)}
          placeholder={t('plan.search')}
          width={220}
          testId="plan-search"
        />
        <Select
          allowClear
          style={{ width: 170 }}
          placeholder={t('field.kind')}
          value={filters.kind}
          onChange={(v) => set('kind', v)}
          options={PLAN_KINDS.map((k) => ({ value: k, label: PLAN_KIND_INFO[k][lang] }))}
        />
        <Select
          allowClear
          style={{ width: 120 }}
          placeholder={t('field.status')}
          value={filters.status}
          onChange={(v) => set('status', v)}
          options={PLAN_STATUSES.map((s) => ({ value: s, label: PLAN_STATUS_INFO[s][lang] }))}
        />
        <Select
          allowClear
          style={{ width: 160 }}
          placeholder={t('field.reviewDue')}
          value={filters.review}
          onChange={(v) => set('review', v)}
          options={[
            { value: 'due', label: t('plan.filterDue') },
            { value: 'overdue', label: t('plan.filterOverdue') },
          ]}
        />
        <ExportButton
          path="/plans/export.xlsx"
          query={filters}
          fileName="plans.xlsx"
          disabled={!list.data?.total}
          testId="plan-export"
        >
          {t('plan.export')}
        </ExportButton>
        {can(user, 'plans.manage') && (
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="plan-new">
            {t('plan.new')}
          </Button>
        )}
      </Space>
      {list.error && <Alert type="error" showIcon title={errorMessage(list.error)} />}
      <Table
        rowKey="id"
        size="small"
        loading={list.isLoading}
        columns={columns}
        dataSource={list.data?.items ?? []}
        locale={{ emptyText: t('plan.none') }}
        pagination={{
          current: page,
          pageSize: size,
          total: list.data?.total ?? 0,
          onChange: (p) => {
            const next = new URLSearchParams(params);
            next.set('page', String(p));
            setParams(next, { replace: true });
          },
        }}
      />
      {creating && (
        <PlanDrawer
          onClose={() => setCreating(false)}
          onSaved={() => {
            setCreating(false);
            void qc.invalidateQueries({ queryKey: commandKeys.plans });
          }}
        />
      )}
    </Space>
  );
}
