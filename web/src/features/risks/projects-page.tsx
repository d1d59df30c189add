import { PlusOutlined, ReloadOutlined, UploadOutlined } from '@ant-design/icons';
import { Button, Card, Empty, Progress, Select, Space, Table, type TableColumnsType, Tooltip, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  PROJECT_STATUS_INFO,
  PROJECT_STATUSES,
  PROJECT_TYPE_INFO,
  PROJECT_TYPES,
  type PreventionProject,
  type ProjectSummaryRow,
} from '../../../../contracts/risks.ts';
import { can, useCurrentUser } from '../../api/auth.ts';
import { errorMessage } from '../../components/errors.tsx';
import { ExportButton } from '../../components/export-button.tsx';
import { ImportDialog } from '../../components/import-dialog.tsx';
import { SearchFilter } from '../../components/search-filter.tsx';
import { useRegisterParams } from '../../components/use-register-params.ts';
import { nameIn, ProjectStatusTag, useDistrictLabel, useDistrictOptions, useLang } from './labels.tsx';
import { ProjectDrawer } from './project-drawer.tsx';
import { ProjectFormDrawer } from './project-form-drawer.tsx';
import { ProjectProgress } from './project-progress.tsx';
import { useProjectSummary, useProjects } from './risks-api.ts';
import { formatQuantity, formatShare, unitIn } from './risks-text.ts';

const FILTER_KEYS = ['type', 'district', 'status', 'q'] as const;

/** Per type: done of target in its unit (蓄水设施 120 / 178 个), the projects and how many are behind. */
function Summary({ onType, active }: { onType: (type: string | undefined) => void; active?: string }) {
  const { t } = useTranslation('risks');
  const lang = useLang();
  const summary = useProjectSummary();
  const districtLabel = useDistrictLabel();
  const rows = summary.data?.items ?? [];
  const totals = rows.filter((r) => r.district === null);
  if (!totals.length) return null;
  const byDistrict = (r: ProjectSummaryRow) => rows.filter((x) => x.type === r.type && x.district !== null);
  return (
    <div className="summary-cards" data-testid="project-summary">
      {totals.map((r) => {
        const unit = unitIn(r.unit, r.type, lang);
        const districts = byDistrict(r);
        return (
          <Card
            key={r.type}
            size="small"
            className="summary-card clickable-row"
            hoverable
            onClick={() => onType(active === r.type ? undefined : r.type)}
            style={active === r.type ? { borderColor: 'var(--ant-color-primary, #1677ff)' } : undefined}
            data-testid="summary-card"
            data-type={r.type}
            tabIndex={0}
            onKeyDown={(e) => {
              if (e.key === 'Enter') onType(active === r.type ? undefined : r.type);
            }}
          >
            <div className="muted small">{nameIn(PROJECT_TYPE_INFO[r.type], lang)}</div>
            <Tooltip
              title={
                districts.length ? (
                  <div>
                    <div style={{ fontWeight: 600 }}>{t('projects.byDistrict')}</div>
                    {districts.map((d) => (
                      <div key={d.district}>
                        {districtLabel({ code: d.district ?? '', name: d.districtName ?? '' })}:{' '}
                        {formatQuantity(d.done, lang)} / {formatQuantity(d.target, lang)} {unit}
                      </div>
                    ))}
                  </div>
                ) : undefined
              }
            >
              <div className="summary-figure" data-testid="summary-figure">
                {t('projects.summaryLine', {
                  done: formatQuantity(r.done, lang),
                  target: formatQuantity(r.target, lang),
                  unit,
                })}
              </div>
            </Tooltip>
            <Progress
              percent={Math.round(r.share * 100)}
              size="small"
              format={() => formatShare(r.share)}
              strokeColor={r.behind > 0 ? PROJECT_STATUS_INFO.behind.color : undefined}
            />
            <div className="muted small">
              {t('projects.summaryProjects', { count: r.projects })}
              {r.behind > 0 && (
                <span style={{ color: PROJECT_STATUS_INFO.behind.color }}>
                  {' · '}
                  {t('projects.summaryBehind', { count: r.behind })}
                </span>
              )}
            </div>
          </Card>
        );
      })}
    </div>
  );
}

/** 防灾减灾工程: the summary per type, the register filtered in the address, a project's drawer, new, import, export. */
export function ProjectsPage() {
  const { t } = useTranslation('risks');
  const lang = useLang();
  const user = useCurrentUser();
  const manage = can(user, 'projects.manage');
  const { params, filters, hasAny, size, offset, update, pagination } = useRegisterParams(FILTER_KEYS);
  const list = useProjects(filters, size, offset);
  const districtOptions = useDistrictOptions();
  const districtLabel = useDistrictLabel();
  const [creating, setCreating] = useState(false);
  const [importing, setImporting] = useState(false);
  const open = params.get('project');
  const setOpen = (id: string | undefined) => update({ project: id }, true);

  const columns: TableColumnsType<PreventionProject> = [
    {
      title: t('field.name'),
      dataIndex: 'name',
      ellipsis: true,
      render: (v: string) => <span className="cell-title">{v}</span>,
    },
    {
      title: t('field.type'),
      dataIndex: 'type',
      width: 170,
      render: (v: PreventionProject['type']) => nameIn(PROJECT_TYPE_INFO[v], lang),
    },
    {
      title: t('field.district'),
      dataIndex: 'districtName',
      width: 110,
      render: (v: string, r) => districtLabel({ code: r.district, name: v }),
    },
    {
      title: t('field.progress'),
      key: 'progress',
      width: 230,
      render: (_: unknown, r) => <ProjectProgress project={r} />,
    },
    {
      title: t('field.status'),
      dataIndex: 'status',
      width: 100,
      render: (s: PreventionProject['status']) => <ProjectStatusTag status={s} />,
    },
    { title: t('field.endDate'), dataIndex: 'endDate', width: 110, render: (v: string) => v.slice(0, 10) },
    { title: t('field.responsibleUnit'), dataIndex: 'responsibleUnit', width: 180, ellipsis: true },
    {
      title: t('field.lastReport'),
      dataIndex: 'lastReportDate',
      width: 110,
      render: (v: string | null) => v?.slice(0, 10) ?? '—',
    },
  ];

  return (
    <div className="page" data-testid="projects-page">
      <div className="page-head">
        <div>
          <Typography.Title level={4} className="page-title">
            {t('projects.title')}
          </Typography.Title>
          <div className="page-sub muted">{t('projects.sub')}</div>
        </div>
        <Space wrap>
          <Button icon={<ReloadOutlined />} onClick={() => list.refetch()} loading={list.isFetching}>
            {t('common:refresh')}
          </Button>
          <ExportButton
            path="/prevention-projects/export"
            query={{ type: filters.type, district: filters.district, status: filters.status }}
            fileName="prevention-projects.xlsx"
            disabled={!list.data?.total}
            testId="export-projects"
          >
            {t('projects.export')}
          </ExportButton>
          {manage && (
            <Button icon={<UploadOutlined />} onClick={() => setImporting(true)} data-testid="import-projects">
              {t('projects.import')}
            </Button>
          )}
          {manage && (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="new-project">
              {t('projects.new')}
            </Button>
          )}
        </Space>
      </div>
      <Summary active={filters.type} onType={(type) => update({ type })} />
      <div className="filter-bar" data-testid="project-filters">
        <SearchFilter
          value={filters.q}
          onSearch={(q) => update({ q })}
          placeholder={t('projects.searchPlaceholder')}
          width={220}
          testId="project-search"
        />
        <Select
          allowClear
          placeholder={t('field.type')}
          value={filters.type}
          onChange={(v) => update({ type: v })}
          options={PROJECT_TYPES.map((k) => ({ value: k, label: nameIn(PROJECT_TYPE_INFO[k], lang) }))}
          style={{ width: 170 }}
          data-testid="project-type-filter"
        />
        <Select
          allowClear
          placeholder={t('field.district')}
          value={filters.district}
          onChange={(v) => update({ district: v })}
          options={districtOptions}
          style={{ width: 140 }}
          showSearch={{ optionFilterProp: 'label' }}
        />
        <Select
          allowClear
          placeholder={t('field.status')}
          value={filters.status}
          onChange={(v) => update({ status: v })}
          options={PROJECT_STATUSES.map((k) => ({ value: k, label: nameIn(PROJECT_STATUS_INFO[k], lang) }))}
          style={{ width: 130 }}
          data-testid="project-status-filter"
        />
        {hasAny && (
          <Button type="link" onClick={() => update(Object.fromEntries(FILTER_KEYS.map((k) => [k, undefined])))}>
            {t('common:resetFilters')}
          </Button>
        )}
      </div>
      <Table<PreventionProject>
        className="dense-table"
        rowKey="id"
        size="small"
        columns={columns}
        dataSource={list.data?.items ?? []}
        loading={list.isFetching && !list.data}
        pagination={pagination(list.data?.total ?? 0, t)}
        scroll={{ x: 1100 }}
        onRow={(r) =>
          ({
            onClick: () => setOpen(r.id),
            onKeyDown: (e: React.KeyboardEvent<HTMLElement>) => {
              if (e.key === 'Enter' && e.target === e.currentTarget) setOpen(r.id);
            },
            tabIndex: 0,
            className: 'clickable-row',
            'data-testid': 'project-row',
            'aria-label': r.name,
          }) as React.HTMLAttributes<HTMLElement>
        }
        locale={{
          emptyText: list.isError ? (
            <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={errorMessage(list.error)} />
          ) : (
            <Empty
              image={Empty.PRESENTED_IMAGE_SIMPLE}
              description={hasAny ? t('projects.emptyFiltered') : t('projects.empty')}
            >
              {!hasAny && manage && (
                <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)}>
                  {t('projects.new')}
                </Button>
              )}
            </Empty>
          ),
        }}
      />
      <ProjectFormDrawer open={creating} onClose={() => setCreating(false)} onSaved={(p) => setOpen(p.id)} />
      <ProjectDrawer id={open} manage={manage} onClose={() => setOpen(undefined)} />
      <ImportDialog
        open={importing}
        onClose={() => setImporting(false)}
        registry="prevention-projects"
        title={t('projects.title')}
        onImported={() => void list.refetch()}
      />
    </div>
  );
}
