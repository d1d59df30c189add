import { PlusOutlined } from '@ant-design/icons';
import { Button, Empty, Select, Table, type TableColumnsType, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import {
  SPECIALTIES,
  SPECIALTY_INFO,
  STATION_CLASS_INFO,
  STATION_CLASSES,
  TEAM_FLAGS,
  TEAM_STATUS_INFO,
  TEAM_STATUSES,
  TEAM_TYPE_INFO,
  TEAM_TYPES,
  type Team,
} from '../../../../contracts/forces.ts';
import { can, useCurrentUser } from '../../api/auth.ts';
import { errorMessage } from '../../components/errors.tsx';
import { ImportDialog } from '../../components/import-dialog.tsx';
import { RegisterActions } from '../../components/register-actions.tsx';
import { SearchFilter } from '../../components/search-filter.tsx';
import { useRegisterParams } from '../../components/use-register-params.ts';
import { useTeamList } from './forces-api.ts';
import {
  nameIn,
  stationClassName,
  TeamFlagIcons,
  TeamStatusTag,
  TeamTypeLabel,
  useDistrictLabel,
  useDistrictOptions,
  useLang,
} from './labels.tsx';
import { TeamFormDrawer } from './team-form-drawer.tsx';

const FILTER_KEYS = ['q', 'type', 'status', 'district', 'capability', 'stationClass', 'flag', 'dispatchable'] as const;

/** The forces register: every team the user may see, filtered in the address (so the board can link a filter). */
export function TeamListPage() {
  const { t } = useTranslation('forces');
  const lang = useLang();
  const user = useCurrentUser();
  const navigate = useNavigate();
  const { filters, hasAny, size, offset, update, pagination } = useRegisterParams(FILTER_KEYS);
  const [creating, setCreating] = useState(false);
  const [importing, setImporting] = useState(false);
  const list = useTeamList(filters, size, offset);
  const districtLabel = useDistrictLabel();
  const districtOptions = useDistrictOptions();
  const manage = can(user, 'forces.manage');

  const columns: TableColumnsType<Team> = [
    {
      title: t('field.name'),
      dataIndex: 'name',
      ellipsis: true,
      render: (v: string, r) => (
        <span className="cell-title">
          {v}
          {r.demo && <span className="demo-mark">{t('common:demoShort')}</span>}
        </span>
      ),
    },
    {
      title: t('field.type'),
      dataIndex: 'type',
      width: 200,
      ellipsis: true,
      render: (v: Team['type']) => <TeamTypeLabel type={v} />,
    },
    {
      title: t('field.stationClass'),
      dataIndex: 'stationClass',
      width: 190,
      ellipsis: true,
      render: (v: Team['stationClass'], r) =>
        r.type === 'fire_rescue' ? (
          stationClassName(v, lang)
        ) : r.specialties.length ? (
          <span className="muted">{r.specialties.map((s) => nameIn(SPECIALTY_INFO[s], lang)).join('、')}</span>
        ) : (
          '—'
        ),
    },
    {
      title: t('field.district'),
      dataIndex: 'district',
      width: 150,
      ellipsis: true,
      render: (d: Team['district']) => districtLabel(d),
    },
    { title: t('field.headcount'), dataIndex: 'headcount', width: 105, align: 'right' },
    {
      title: t('field.status'),
      dataIndex: 'status',
      width: 110,
      render: (s: Team['status']) => <TeamStatusTag status={s} />,
    },
    {
      title: t('field.flags'),
      key: 'flags',
      width: 70,
      render: (_: unknown, r) => <TeamFlagIcons flags={r.flags} />,
    },
  ];

  return (
    <div className="page">
      <div className="page-head">
        <Typography.Title level={4} className="page-title">
          {t('nav.teams')}
        </Typography.Title>
        <RegisterActions
          name="teams"
          list={{ refetch: list.refetch, isFetching: list.isFetching, total: list.data?.total }}
          exportQuery={{ ...filters }}
          labels={{ export: t('list.export'), import: t('list.import'), create: t('list.new') }}
          manage={manage}
          onImport={() => setImporting(true)}
          onCreate={() => setCreating(true)}
          newTestId="new-team"
        />
      </div>
      <div className="filter-bar" data-testid="team-filters">
        <SearchFilter
          value={filters.q}
          onSearch={(q) => update({ q })}
          placeholder={t('list.searchPlaceholder')}
          width={250}
          testId="team-search"
        />
        <Select
          allowClear
          placeholder={t('field.type')}
          value={filters.type}
          onChange={(v) => update({ type: v })}
          options={TEAM_TYPES.map((k) => ({ value: k, label: nameIn(TEAM_TYPE_INFO[k], lang) }))}
          style={{ width: 170 }}
          data-testid="filter-type"
        />
        <Select
          allowClear
          placeholder={t('field.status')}
          value={filters.status}
          onChange={(v) => update({ status: v })}
          options={TEAM_STATUSES.map((s) => ({ value: s, label: nameIn(TEAM_STATUS_INFO[s], lang) }))}
          style={{ width: 120 }}
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
          showSearch
          placeholder={t('field.capability')}
          value={filters.capability}
          onChange={(v) => update({ capability: v })}
          options={SPECIALTIES.map((s) => ({ value: s, label: nameIn(SPECIALTY_INFO[s], lang) }))}
          style={{ width: 150 }}
          // a free tag is typed and confirmed with Enter (the specialties are offered)
          onInputKeyDown={(e) => {
            const v = (e.target as HTMLInputElement).value.trim();
            if (e.key === 'Enter' && v) update({ capability: v });
          }}
        />
        <Select
          allowClear
          placeholder={t('field.class')}
          value={filters.stationClass}
          onChange={(v) => update({ stationClass: v })}
          options={STATION_CLASSES.map((c) => ({ value: c, label: nameIn(STATION_CLASS_INFO[c], lang) }))}
          style={{ width: 160 }}
        />
        <Select
          allowClear
          placeholder={t('field.flag')}
          value={filters.flag}
          onChange={(v) => update({ flag: v })}
          options={TEAM_FLAGS.map((f) => ({ value: f, label: t(`flags.${f}`) }))}
          style={{ width: 150 }}
          data-testid="filter-flag"
        />
        <Select
          allowClear
          placeholder={t('field.dispatchable')}
          value={filters.dispatchable}
          onChange={(v) => update({ dispatchable: v })}
          options={[
            { value: 'true', label: t('list.dispatchableYes') },
            { value: 'false', label: t('list.dispatchableNo') },
          ]}
          style={{ width: 130 }}
        />
        {hasAny && (
          <Button
            type="link"
            onClick={() => {
              update(Object.fromEntries(FILTER_KEYS.map((k) => [k, undefined])));
            }}
          >
            {t('common:resetFilters')}
          </Button>
        )}
      </div>
      <Table<Team>
        className="dense-table"
        rowKey="id"
        size="small"
        columns={columns}
        dataSource={list.data?.items ?? []}
        loading={list.isFetching && !list.data}
        onRow={(r) =>
          ({
            onClick: () => navigate(`/forces/teams/${r.id}`),
            onKeyDown: (e: React.KeyboardEvent<HTMLElement>) => {
              if (e.key === 'Enter' && e.target === e.currentTarget) navigate(`/forces/teams/${r.id}`);
            },
            tabIndex: 0,
            className: 'clickable-row',
            'data-testid': 'team-row',
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
              data-testid="team-empty"
            >
              {!hasAny && manage && (
                <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)}>
                  {t('list.new')}
                </Button>
              )}
            </Empty>
          ),
        }}
        pagination={pagination(list.data?.total ?? 0, t)}
        scroll={{ x: 1150 }}
      />
      <TeamFormDrawer
        open={creating}
        onClose={() => setCreating(false)}
        onSaved={(team) => navigate(`/forces/teams/${team.id}`)}
      />
      <ImportDialog
        open={importing}
        onClose={() => setImporting(false)}
        registry="teams"
        title={t('nav.teams')}
        onImported={() => void list.refetch()}
      />
    </div>
  );
}
