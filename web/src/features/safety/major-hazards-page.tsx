import { Input, Select, Table, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { HAZARD_UNIT_KIND_INFO, type HazardUnit } from '../../../../contracts/safety.ts';
import { errorMessage } from '../../components/errors.tsx';
import { useRegisterParams } from '../../components/use-register-params.ts';
import { nameIn, useDistrictOptions, useLang } from './labels.tsx';
import { useMajorHazards } from './safety-api.ts';

const FILTER_KEYS = ['grade', 'district', 'q'] as const;
const GRADE_COLOUR: Record<number, string> = { 1: 'red', 2: 'orange', 3: 'gold', 4: 'blue' };
const fmt = (n: number | null) => (n === null ? '—' : String(Math.round(n * 1000) / 1000));

/** The major hazards register (重大危险源): the hazard units identified by GB 18218-2018, filtered in the address. */
export function MajorHazardsPage() {
  const { t } = useTranslation('safety');
  const lang = useLang();
  const { filters, size, offset, update, pagination, hasAny } = useRegisterParams(FILTER_KEYS);
  const list = useMajorHazards(filters, size, offset);
  const districts = useDistrictOptions();
  return (
    <div className="page">
      <div className="page-head">
        <Typography.Title level={4} className="page-title">
          {t('nav.majorHazards')}
        </Typography.Title>
      </div>
      <div className="filter-bar">
        <Input.Search
          allowClear
          placeholder={t('majorList.search')}
          defaultValue={filters.q}
          onSearch={(v) => update({ q: v.trim() || undefined })}
          style={{ width: 240 }}
          data-testid="major-hazards-search"
        />
        <Select
          allowClear
          placeholder={t('majorList.grade')}
          value={filters.grade}
          onChange={(v) => update({ grade: v })}
          options={['1', '2', '3', '4'].map((g) => ({ value: g, label: t(`grade.${g}`) }))}
          style={{ width: 120 }}
          data-testid="major-hazards-grade"
        />
        <Select
          allowClear
          placeholder={t('field.district')}
          value={filters.district}
          onChange={(v) => update({ district: v })}
          options={districts}
          style={{ width: 130 }}
        />
      </div>
      {list.isError && <Typography.Text type="danger">{errorMessage(list.error)}</Typography.Text>}
      <Table<HazardUnit>
        size="small"
        rowKey="id"
        className="dense-table"
        dataSource={list.data?.items ?? []}
        loading={list.isFetching && !list.data}
        pagination={pagination(list.data?.total ?? 0, t)}
        locale={{ emptyText: hasAny ? t('majorList.emptyFiltered') : t('majorList.empty') }}
        data-testid="major-hazards"
        columns={[
          {
            title: t('field.name'),
            dataIndex: 'enterprise',
            render: (e: HazardUnit['enterprise']) => (
              <Link to={`/safety/enterprises/${e.id}?panel=hazards`}>{e.name}</Link>
            ),
          },
          { title: t('hazards.unit'), dataIndex: 'name' },
          {
            title: t('hazards.kind'),
            dataIndex: 'kind',
            render: (k: HazardUnit['kind']) => nameIn(HAZARD_UNIT_KIND_INFO[k], lang),
          },
          { title: t('field.district'), dataIndex: 'district', render: (d: HazardUnit['district']) => d?.name ?? '—' },
          {
            title: t('majorList.substances'),
            render: (_v, u) => u.identification.lines.map((l) => `${l.name} ${fmt(l.quantityT)} t`).join('、') || '—',
          },
          { title: t('hazards.people'), dataIndex: 'exposedPopulation', align: 'right' },
          { title: 'S', align: 'right', render: (_v, u) => fmt(u.identification.S) },
          { title: 'R', align: 'right', render: (_v, u) => fmt(u.identification.R) },
          {
            title: t('majorList.grade'),
            render: (_v, u) =>
              u.identification.grade ? (
                <Tag color={GRADE_COLOUR[u.identification.grade]}>{t(`grade.${u.identification.grade}`)}</Tag>
              ) : (
                '—'
              ),
          },
        ]}
      />
    </div>
  );
}
