/**
 * The hidden-danger treatment dashboard: KPI cards (open, overdue, major open, rectification rate) and ECharts of the
 * dangers found in the period by status, by district stacked by status, the open ones by age, and the monthly trend.
 */

import { Card, Col, DatePicker, Empty, Row, Select, Space, Statistic, Table, Tag, Typography } from 'antd';
import dayjs from 'dayjs';
import { BarChart, LineChart, PieChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import {
  AGE_BUCKET_INFO,
  AGE_BUCKETS,
  DANGER_STATUS_INFO,
  DANGER_STATUSES,
  type DangerStats,
} from '../../../../contracts/dangers.ts';
import { INDUSTRY_INFO } from '../../../../contracts/safety.ts';
import { useDistrictOptions } from '../../components/districts.ts';
import { errorMessage } from '../../components/errors.tsx';
import { useEChart } from '../../components/use-echart.ts';
import { useRegisterParams } from '../../components/use-register-params.ts';
import { useDangerStats } from './dangers-api.ts';
import { StatusTag, useDangerNames } from './labels.tsx';

echarts.use([BarChart, LineChart, PieChart, GridComponent, TooltipComponent, LegendComponent, CanvasRenderer]);

// the status colours as ECharts paints them (antd's tag colours by name)
const PAINT: Record<string, string> = {
  red: '#f5222d',
  orange: '#fa8c16',
  gold: '#faad14',
  blue: '#1677ff',
  magenta: '#eb2f96',
  cyan: '#13c2c2',
  green: '#52c41a',
  default: '#bfbfbf',
};

function Chart({ option, testId }: { option: Record<string, unknown>; testId: string }) {
  const box = useEChart(option);
  return <div ref={box} style={{ width: '100%', height: 280 }} data-testid={testId} />;
}

function useOptions(s: DangerStats | undefined) {
  const { t } = useTranslation('dangers');
  const names = useDangerNames();
  return useMemo(() => {
    if (!s) return null;
    const statuses = DANGER_STATUSES.filter((k) => (s.byStatus[k] ?? 0) > 0);
    const byStatus = {
      tooltip: { trigger: 'item' },
      legend: { bottom: 0, type: 'scroll' },
      series: [
        {
          type: 'pie',
          radius: ['40%', '68%'],
          top: -20,
          label: { show: false },
          data: statuses.map((k) => ({
            name: names.status(k),
            value: s.byStatus[k],
            itemStyle: { color: PAINT[DANGER_STATUS_INFO[k].color] },
          })),
        },
      ],
    };
    const districts = s.byDistrict.map((d) => (names.lang === 'en' ? d.nameEn : d.name));
    const byDistrict = {
      tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
      legend: { bottom: 0, type: 'scroll' },
      grid: { left: 40, right: 16, top: 16, bottom: 56, containLabel: true },
      xAxis: { type: 'category', data: districts, axisLabel: { interval: 0, rotate: districts.length > 6 ? 30 : 0 } },
      yAxis: { type: 'value', minInterval: 1 },
      series: statuses.map((k) => ({
        name: names.status(k),
        type: 'bar',
        stack: 'status',
        itemStyle: { color: PAINT[DANGER_STATUS_INFO[k].color] },
        data: s.byDistrict.map((d) => d.byStatus[k] ?? 0),
      })),
    };
    const ages = {
      tooltip: { trigger: 'axis' },
      grid: { left: 40, right: 16, top: 16, bottom: 30, containLabel: true },
      xAxis: { type: 'category', data: AGE_BUCKETS.map((b) => AGE_BUCKET_INFO[b][names.lang]) },
      yAxis: { type: 'value', minInterval: 1 },
      series: [
        {
          name: t('dash.open'),
          type: 'bar',
          data: AGE_BUCKETS.map((b, i) => ({
            value: s.ageBuckets[b],
            itemStyle: { color: ['#52c41a', '#faad14', '#fa8c16', '#f5222d'][i] },
          })),
        },
      ],
    };
    const trend = {
      tooltip: { trigger: 'axis' },
      legend: { bottom: 0 },
      grid: { left: 40, right: 16, top: 16, bottom: 40, containLabel: true },
      xAxis: { type: 'category', data: s.trend.map((m) => m.month) },
      yAxis: { type: 'value', minInterval: 1 },
      series: [
        {
          name: t('dash.found'),
          type: 'line',
          smooth: true,
          data: s.trend.map((m) => m.found),
          itemStyle: { color: '#fa8c16' },
        },
        {
          name: t('dash.closed'),
          type: 'line',
          smooth: true,
          data: s.trend.map((m) => m.closed),
          itemStyle: { color: '#52c41a' },
        },
      ],
    };
    return { byStatus, byDistrict, ages, trend };
  }, [s, names, t]);
}

/** The dashboard: the period and district in the address, the figures of the caller's scope. */
export function DashboardPage() {
  const { t } = useTranslation('dangers');
  const { filters, update } = useRegisterParams(['from', 'to', 'district'] as const);
  const districts = useDistrictOptions();
  const stats = useDangerStats(filters);
  const s = stats.data;
  const options = useOptions(s);
  const names = useDangerNames();
  const rate = s?.rectificationRate;
  return (
    <div className="page">
      <div className="page-head">
        <Typography.Title level={4} className="page-title">
          {t('nav.dashboard')}
        </Typography.Title>
        <Space wrap>
          <DatePicker.RangePicker
            allowEmpty={[true, true]}
            value={[filters.from ? dayjs(filters.from) : null, filters.to ? dayjs(filters.to) : null]}
            onChange={(v) =>
              update({
                from: v?.[0] ? v[0].startOf('day').toISOString() : undefined,
                to: v?.[1] ? v[1].add(1, 'day').startOf('day').toISOString() : undefined,
              })
            }
            aria-label={t('dash.periodLabel')}
          />
          <Select
            allowClear
            placeholder={t('field.district')}
            value={filters.district}
            onChange={(v) => update({ district: v })}
            options={districts}
            style={{ width: 140 }}
          />
        </Space>
      </div>
      <Typography.Paragraph type="secondary">
        {s ? t('dash.period', { from: s.from.slice(0, 10), to: s.to.slice(0, 10), total: s.total }) : '\u00a0'}
      </Typography.Paragraph>
      {stats.isError && <Empty description={errorMessage(stats.error)} />}
      <Row gutter={12} data-testid="danger-kpis">
        <Col xs={12} md={6}>
          <Card size="small" loading={stats.isPending}>
            <Link to="/dangers?open=true">
              <Statistic title={t('dash.open')} value={s?.open ?? 0} />
            </Link>
          </Card>
        </Col>
        <Col xs={12} md={6}>
          <Card size="small" loading={stats.isPending}>
            <Link to="/dangers?overdue=true">
              <Statistic
                title={t('dash.overdue')}
                value={s?.overdue ?? 0}
                valueStyle={{ color: s?.overdue ? '#cf1322' : undefined }}
              />
            </Link>
          </Card>
        </Col>
        <Col xs={12} md={6}>
          <Card size="small" loading={stats.isPending}>
            <Link to="/dangers?open=true&grade=major">
              <Statistic
                title={t('dash.majorOpen')}
                value={s?.majorOpen ?? 0}
                valueStyle={{ color: s?.majorOpen ? '#cf1322' : undefined }}
              />
            </Link>
          </Card>
        </Col>
        <Col xs={12} md={6}>
          <Card size="small" loading={stats.isPending}>
            <Statistic
              title={t('dash.rate')}
              value={rate == null ? '—' : (rate * 100).toFixed(1)}
              suffix={rate == null ? undefined : '%'}
            />
            <div className="muted small">{t('dash.rateRule')}</div>
          </Card>
        </Col>
      </Row>
      {options && s && s.total > 0 ? (
        <Row gutter={12} style={{ marginTop: 12 }}>
          <Col xs={24} lg={8}>
            <Card size="small" title={t('dash.byStatus')} style={{ marginBottom: 12 }}>
              <Chart option={options.byStatus} testId="chart-status" />
            </Card>
          </Col>
          <Col xs={24} lg={16}>
            <Card size="small" title={t('dash.byDistrict')} style={{ marginBottom: 12 }}>
              <Chart option={options.byDistrict} testId="chart-district" />
            </Card>
          </Col>
          <Col xs={24} lg={8}>
            <Card size="small" title={t('dash.ages')} style={{ marginBottom: 12 }}>
              <Chart option={options.ages} testId="chart-ages" />
            </Card>
          </Col>
          <Col xs={24} lg={16}>
            <Card size="small" title={t('dash.trend')} style={{ marginBottom: 12 }}>
              <Chart option={options.trend} testId="chart-trend" />
            </Card>
          </Col>
          <Col xs={24} lg={12}>
            <Card size="small" title={t('dash.majorOpenList')} style={{ marginBottom: 12 }}>
              <Table
                size="small"
                rowKey="id"
                pagination={false}
                dataSource={s.majorOpenList}
                locale={{ emptyText: t('dash.noMajor') }}
                columns={[
                  {
                    title: t('field.number'),
                    dataIndex: 'number',
                    render: (v: string, r) => <Link to={`/dangers/${r.id}`}>{v}</Link>,
                  },
                  { title: t('field.title'), dataIndex: 'title', ellipsis: true },
                  {
                    title: t('field.enterprise'),
                    dataIndex: 'enterprise',
                    render: (v: string | null) => v ?? t('publicPlace'),
                  },
                  {
                    title: t('field.status'),
                    dataIndex: 'status',
                    render: (v: DangerStats['majorOpenList'][number]['status'], r) => (
                      <>
                        <StatusTag status={v} />
                        {r.overdue && <Tag color="volcano">{t('overdue')}</Tag>}
                      </>
                    ),
                  },
                  { title: t('field.deadline'), dataIndex: 'deadline', render: (v: string | null) => v ?? '—' },
                ]}
              />
            </Card>
          </Col>
          <Col xs={24} lg={12}>
            <Card size="small" title={t('dash.byIndustry')} style={{ marginBottom: 12 }}>
              <Table
                size="small"
                rowKey="industry"
                pagination={false}
                dataSource={s.byIndustry}
                columns={[
                  {
                    title: t('dash.industry'),
                    dataIndex: 'industry',
                    render: (v: string) =>
                      v in INDUSTRY_INFO
                        ? INDUSTRY_INFO[v as keyof typeof INDUSTRY_INFO][names.lang]
                        : t(`industry.${v}`, v),
                  },
                  { title: t('dash.total'), dataIndex: 'total', align: 'right' },
                  { title: t('dash.open'), dataIndex: 'open', align: 'right' },
                ]}
              />
            </Card>
          </Col>
        </Row>
      ) : (
        !stats.isPending && <Empty style={{ marginTop: 48 }} description={t('dash.empty')} />
      )}
    </div>
  );
}
