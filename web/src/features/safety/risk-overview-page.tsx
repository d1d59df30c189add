import { Alert, Card, Col, Empty, Row, Select, Spin, Statistic, Table, Tag, Typography } from 'antd';
import { lazy, Suspense, useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import {
  INDUSTRIES,
  INDUSTRY_INFO,
  RISK_COLOUR_INFO,
  RISK_COLOURS,
  type RiskPoint,
} from '../../../../contracts/safety.ts';
import { errorMessage } from '../../components/errors.tsx';
import { useRegisterParams } from '../../components/use-register-params.ts';
import { ColourTag, nameIn, useDistrictOptions, useLang } from './labels.tsx';
import { useRiskCounts, useRiskPoints } from './safety-api.ts';

const RiskChart = lazy(() => import('./risk-chart.tsx'));
const FILTER_KEYS = ['colour', 'district', 'industry', 'overdue'] as const;

/** Risk points across enterprises: four-colour counts, by district, and the list filtered in the address. */
export function RiskOverviewPage() {
  const { t } = useTranslation('safety');
  const lang = useLang();
  const { filters, size, offset, update, pagination } = useRegisterParams(FILTER_KEYS);
  const counts = useRiskCounts({ district: filters.district, industry: filters.industry });
  const list = useRiskPoints(filters, size, offset);
  const districts = useDistrictOptions();
  const option = useMemo(() => {
    const rows = counts.data?.byDistrict ?? [];
    return {
      tooltip: { trigger: 'axis' },
      legend: { top: 0 },
      grid: { left: 40, right: 16, top: 32, bottom: 24 },
      xAxis: { type: 'category', data: rows.map((r) => r.name) },
      yAxis: { type: 'value', minInterval: 1 },
      series: RISK_COLOURS.map((c) => ({
        name: t(`colour.${c}`),
        type: 'bar',
        stack: 'all',
        itemStyle: { color: RISK_COLOUR_INFO[c].hex },
        data: rows.map((r) => r[c]),
      })),
    };
  }, [counts.data, t]);

  return (
    <div className="page">
      <div className="page-head">
        <Typography.Title level={4} className="page-title">
          {t('nav.risks')}
        </Typography.Title>
      </div>
      {counts.data && (
        <Alert
          type="info"
          showIcon
          style={{ marginBottom: 12 }}
          message={t('risk.ruleInForce', { rule: counts.data.rule })}
          description={t('risk.sourcesDisagree')}
          data-testid="risk-rule"
        />
      )}
      {counts.isError && <Alert type="error" message={errorMessage(counts.error)} />}
      <Row gutter={12} style={{ marginBottom: 12 }}>
        {RISK_COLOURS.map((c) => (
          <Col span={5} key={c}>
            <Card size="small" hoverable onClick={() => update({ colour: filters.colour === c ? undefined : c })}>
              <Statistic
                title={<ColourTag colour={c} />}
                value={counts.data?.[c] ?? 0}
                loading={counts.isLoading}
                valueStyle={{ color: c === 'yellow' ? '#ad8b00' : RISK_COLOUR_INFO[c].hex }}
              />
            </Card>
          </Col>
        ))}
        <Col span={4}>
          <Card size="small" hoverable onClick={() => update({ overdue: filters.overdue ? undefined : 'true' })}>
            <Statistic title={t('risk.overdue')} value={counts.data?.overdue ?? 0} loading={counts.isLoading} />
          </Card>
        </Col>
      </Row>
      <Card size="small" style={{ marginBottom: 12 }} title={t('risk.byDistrict')}>
        {counts.data && counts.data.byDistrict.length === 0 ? (
          <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('risk.empty')} />
        ) : (
          <Suspense fallback={<Spin />}>
            <RiskChart option={option} height={240} />
          </Suspense>
        )}
      </Card>
      <div className="filter-bar">
        <Select
          allowClear
          placeholder={t('risk.colour')}
          value={filters.colour}
          onChange={(v) => update({ colour: v })}
          options={RISK_COLOURS.map((c) => ({ value: c, label: t(`colour.${c}`) }))}
          style={{ width: 140 }}
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
        {filters.overdue && (
          <Tag closable onClose={() => update({ overdue: undefined })}>
            {t('risk.overdue')}
          </Tag>
        )}
      </div>
      <Table<RiskPoint>
        size="small"
        rowKey="id"
        className="dense-table"
        dataSource={list.data?.items ?? []}
        loading={list.isFetching && !list.data}
        pagination={pagination(list.data?.total ?? 0, t)}
        data-testid="risk-list"
        columns={[
          { title: t('risk.name'), dataIndex: 'name' },
          {
            title: t('field.name'),
            dataIndex: 'enterprise',
            render: (e: RiskPoint['enterprise']) => (
              <Link to={`/safety/enterprises/${e.id}?panel=risks`}>{e.name}</Link>
            ),
          },
          { title: t('field.district'), dataIndex: 'district', render: (d: RiskPoint['district']) => d?.name ?? '—' },
          {
            title: t('risk.method'),
            render: (_v, p) => (p.method === 'LEC' ? `LEC ${p.l}×${p.e}×${p.c}` : `LS ${p.l}×${p.s}`),
          },
          { title: t('risk.score'), dataIndex: 'score' },
          {
            title: t('risk.colour'),
            dataIndex: 'colour',
            render: (c: RiskPoint['colour']) => <ColourTag colour={c} />,
          },
          {
            title: t('risk.nextReview'),
            dataIndex: 'nextReview',
            render: (v: string | null, p) =>
              v ? (
                <span>
                  {v} {p.reviewOverdue && <Tag color="red">{t('risk.overdue')}</Tag>}
                </span>
              ) : (
                '—'
              ),
          },
        ]}
      />
    </div>
  );
}
