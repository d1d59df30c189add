import { Alert, Input, Segmented, Table, type TableColumnsType, Tag, Typography } from 'antd';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { type OrgUnitDto, UNIT_KINDS } from '../../api/contracts.ts';
import { useUnits } from '../../api/org.ts';
import { errorMessage } from '../../components/errors.tsx';

export function UnitsPage() {
  const { t, i18n } = useTranslation('org');
  const en = i18n.language === 'en';
  const units = useUnits();
  const [kind, setKind] = useState<string>('all');
  const [q, setQ] = useState('');
  const byCode = useMemo(() => new Map((units.data?.items ?? []).map((u) => [u.code, u])), [units.data]);
  const rows = useMemo(() => {
    const s = q.trim().toLowerCase();
    return (units.data?.items ?? []).filter(
      (u) =>
        (kind === 'all' || u.kind === kind) &&
        (!s || [u.code, u.name, u.nameEn].some((v) => v?.toLowerCase().includes(s))),
    );
  }, [units.data, kind, q]);

  const columns: TableColumnsType<OrgUnitDto> = [
    { title: t('units.code'), dataIndex: 'code', width: 110, render: (v) => <span className="mono">{v}</span> },
    { title: t('units.name'), dataIndex: 'name', ellipsis: true },
    { title: t('units.nameEn'), dataIndex: 'nameEn', ellipsis: true },
    {
      title: t('units.kind'),
      dataIndex: 'kind',
      width: 110,
      render: (k: string) => <Tag>{t(`unitKind.${k}`)}</Tag>,
    },
    {
      title: t('units.parent'),
      dataIndex: 'parentCode',
      width: 150,
      render: (c: string | null) => {
        if (!c) return '—';
        const p = byCode.get(c);
        return p ? (en ? p.nameEn || p.name : p.name) : c;
      },
    },
    {
      title: t('units.population'),
      dataIndex: 'population',
      width: 150,
      align: 'right',
      render: (v: number | null, u) =>
        v === null ? (
          '—'
        ) : (
          <span>
            {v.toLocaleString(en ? 'en' : 'zh-CN')}
            {u.populationDemo && (
              <span className="demo-mark" title={t('units.populationDemo')}>
                {t('common:demoShort')}
              </span>
            )}
          </span>
        ),
    },
    {
      title: t('units.boundary'),
      dataIndex: 'hasBoundary',
      width: 110,
      render: (b: boolean) =>
        b ? <Tag color="blue">{t('units.hasBoundary')}</Tag> : <span className="muted">{t('units.noBoundary')}</span>,
    },
  ];

  return (
    <div className="page">
      <div className="page-head">
        <div>
          <Typography.Title level={4} className="page-title">
            {t('nav.units')}
          </Typography.Title>
          <div className="page-sub">{t('units.subtitle')}</div>
        </div>
      </div>
      <div className="filter-bar">
        <Segmented
          value={kind}
          onChange={(v) => setKind(String(v))}
          options={[
            { value: 'all', label: t('common:all') },
            ...UNIT_KINDS.map((k) => ({ value: k, label: t(`unitKind.${k}`) })),
          ]}
        />
        <Input.Search
          allowClear
          placeholder={t('units.search')}
          value={q}
          onChange={(e) => setQ(e.target.value)}
          style={{ width: 240 }}
        />
      </div>
      {units.isError && <Alert type="error" showIcon title={errorMessage(units.error)} style={{ marginBottom: 12 }} />}
      <Table<OrgUnitDto>
        className="dense-table"
        rowKey="code"
        size="small"
        loading={units.isLoading}
        columns={columns}
        dataSource={rows}
        pagination={{ pageSize: 50, hideOnSinglePage: true, showTotal: (n) => t('common:total', { count: n }) }}
      />
    </div>
  );
}
