import { Alert, Card, Col, Empty, InputNumber, Progress, Row, Select, Space, Spin, Table, Typography } from 'antd';
import { lazy, Suspense, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import {
  type GapLine,
  type ProcurementLine,
  WAREHOUSE_TIER_INFO,
  WAREHOUSE_TIERS,
} from '../../../../contracts/logistics.ts';
import { errorMessage } from '../../components/errors.tsx';
import { ExportButton } from '../../components/export-button.tsx';
import { formatTime } from '../../i18n/index.ts';
import { nameIn, TierTag, useDistrictOptions, useLang } from './labels.tsx';
import { type GapFilters, useGaps, useProcurement } from './logistics-api.ts';
import { gapChartData, gapItems, qty, yuan } from './logistics-text.ts';

const GapsChart = lazy(() => import('./gaps-chart.tsx'));

/**
 * Reserve gaps: what the reserve norms require of each district and tier against what is held (stock and
 * commitments), one item's bars by district, the lines by item and tier, and the procurement proposal with its cost.
 */
export function GapsPage() {
  const { t } = useTranslation('logistics');
  const lang = useLang();
  const [params, setParams] = useSearchParams();
  const filters: GapFilters = {
    district: params.get('district') ?? undefined,
    tier: params.get('tier') ?? undefined,
  };
  const update = (patch: Record<string, string | undefined>) => {
    const next = new URLSearchParams(params);
    for (const [k, v] of Object.entries(patch)) {
      if (v) next.set(k, v);
      else next.delete(k);
    }
    setParams(next, { replace: true });
  };
  const districtOptions = useDistrictOptions();
  const gaps = useGaps(filters);
  const lines = gaps.data?.items ?? [];
  const items = useMemo(() => gapItems(lines), [lines]);
  const item = params.get('item') ?? items[0]?.code;
  const chosen = items.find((x) => x.code === item);
  const year = Number(params.get('year')) || undefined;
  const procurement = useProcurement(year);
  const [onlyGaps, setOnlyGaps] = useState(true);

  const option = useMemo(() => {
    if (!item) return null;
    const d = gapChartData(lines, item);
    if (!d.districts.length) return null;
    const unit = chosen?.unit ?? '';
    return {
      tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
      legend: { top: 0 },
      grid: { left: 8, right: 16, top: 36, bottom: 8, containLabel: true },
      xAxis: { type: 'category', data: d.districts.map((x) => x.name), axisLabel: { interval: 0, rotate: 30 } },
      yAxis: { type: 'value', name: unit },
      series: [
        {
          name: t('gaps.held'),
          type: 'bar',
          stack: 'q',
          data: d.held.map((h, i) => Math.min(h, d.required[i])),
          itemStyle: { color: '#52c41a' },
        },
        { name: t('gaps.gap'), type: 'bar', stack: 'q', data: d.gap, itemStyle: { color: '#f5222d' } },
      ],
    };
  }, [lines, item, chosen, t]);

  const shown = onlyGaps ? lines.filter((l) => l.gap > 0) : lines;
  const totalCost = procurement.data?.costYuan ?? null;
  const unpriced = procurement.data?.unpriced.length ?? 0;

  return (
    <div className="page">
      <div className="page-head">
        <Typography.Title level={4} className="page-title">
          {t('nav.gaps')}
        </Typography.Title>
        <ExportButton
          path="/logistics/gaps"
          query={{ ...filters, format: 'xlsx' }}
          fileName="gaps.xlsx"
          disabled={!lines.length}
          testId="export-gaps"
        >
          {t('gaps.export')}
        </ExportButton>
      </div>
      <div className="filter-bar">
        <Select
          allowClear
          placeholder={t('field.district')}
          value={filters.district}
          onChange={(v) => update({ district: v })}
          options={districtOptions}
          style={{ width: 150 }}
        />
        <Select
          allowClear
          placeholder={t('field.tier')}
          value={filters.tier}
          onChange={(v) => update({ tier: v })}
          options={WAREHOUSE_TIERS.map((k) => ({ value: k, label: nameIn(WAREHOUSE_TIER_INFO[k], lang) }))}
          style={{ width: 120 }}
        />
      </div>
      {gaps.isError && <Alert type="error" showIcon title={errorMessage(gaps.error)} style={{ marginBottom: 12 }} />}
      <Alert
        type="info"
        showIcon
        title={gaps.data ? gaps.data.rule[lang] : t('gaps.basis')}
        description={
          <>
            <div>{t('gaps.assumption')}</div>
            {gaps.data && <div>{t('gaps.asOf', { at: formatTime(gaps.data.at) })}</div>}
          </>
        }
        style={{ marginBottom: 12 }}
      />
      <Card
        size="small"
        title={t('gaps.chartTitle')}
        extra={
          <Select
            value={item}
            onChange={(v) => update({ item: v })}
            options={items.map((x) => ({ value: x.code, label: `${x.name} (${x.unit})` }))}
            style={{ width: 240 }}
            showSearch={{ optionFilterProp: 'label' }}
            aria-label={t('field.item')}
            data-testid="gaps-item"
          />
        }
      >
        {gaps.isLoading ? (
          <Spin />
        ) : option ? (
          <Suspense fallback={<Spin />}>
            <GapsChart option={option} height={320} />
          </Suspense>
        ) : (
          <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('gaps.empty')} />
        )}
      </Card>
      <Row gutter={16} style={{ marginTop: 16 }}>
        <Col xs={24} xxl={13}>
          <Card
            size="small"
            title={t('gaps.tableTitle')}
            extra={
              <Select
                value={onlyGaps ? 'gaps' : 'all'}
                onChange={(v) => setOnlyGaps(v === 'gaps')}
                options={[
                  { value: 'gaps', label: t('gaps.onlyShort') },
                  { value: 'all', label: t('gaps.allLines') },
                ]}
                style={{ width: 140 }}
              />
            }
          >
            <Table<GapLine>
              size="small"
              className="dense-table"
              rowKey={(r) => `${r.districtCode}|${r.tier}|${r.itemCode}`}
              dataSource={shown}
              loading={gaps.isFetching && !gaps.data}
              pagination={{ pageSize: 15, size: 'small', hideOnSinglePage: true }}
              locale={{ emptyText: t('gaps.empty') }}
              data-testid="gaps-table"
              columns={[
                { title: t('field.item'), dataIndex: 'itemName', ellipsis: true },
                {
                  title: t('field.tier'),
                  dataIndex: 'tier',
                  width: 90,
                  render: (v: GapLine['tier']) => <TierTag tier={v} />,
                },
                { title: t('field.district'), dataIndex: 'districtName', width: 110, ellipsis: true },
                {
                  title: t('gaps.required'),
                  dataIndex: 'required',
                  align: 'right',
                  render: (v: number, r) => `${qty(v)} ${r.unit}`,
                },
                {
                  title: t('gaps.heldShort'),
                  key: 'held',
                  align: 'right',
                  render: (_: unknown, r) => `${qty(r.stock + r.committed)} ${r.unit}`,
                },
                {
                  title: t('gaps.gap'),
                  dataIndex: 'gap',
                  align: 'right',
                  render: (v: number, r) => <span className={v ? 'bad' : ''}>{`${qty(v)} ${r.unit}`}</span>,
                },
                {
                  title: t('gaps.ratio'),
                  dataIndex: 'ratio',
                  width: 120,
                  render: (v: number | null) =>
                    v === null ? (
                      '—'
                    ) : (
                      <Progress
                        percent={Math.min(100, Math.round(v * 100))}
                        size="small"
                        status={v < 1 ? 'exception' : 'success'}
                        format={() => `${Math.round(v * 100)} %`}
                      />
                    ),
                },
              ]}
            />
          </Card>
        </Col>
        <Col xs={24} xxl={11}>
          <Card
            size="small"
            title={t('gaps.procurement')}
            extra={
              <Space>
                <InputNumber
                  value={year ?? procurement.data?.year}
                  min={2020}
                  max={2100}
                  precision={0}
                  onChange={(v) => update({ year: v ? String(v) : undefined })}
                  aria-label={t('gaps.year')}
                  prefix={t('gaps.year')}
                  style={{ width: 130 }}
                />
                <ExportButton
                  path="/logistics/procurement"
                  query={{ year: year ?? procurement.data?.year, format: 'xlsx' }}
                  fileName={`procurement-${year ?? procurement.data?.year ?? ''}.xlsx`}
                  disabled={!procurement.data?.items.length}
                  testId="export-procurement"
                >
                  {t('gaps.exportProcurement')}
                </ExportButton>
              </Space>
            }
          >
            {procurement.isError && <Alert type="error" showIcon title={errorMessage(procurement.error)} />}
            <div className="procurement-total" data-testid="procurement-total">
              {t('gaps.totalCost', { cost: yuan(totalCost, lang) })}
              {unpriced > 0 && <span className="muted small"> · {t('gaps.unpriced', { count: unpriced })}</span>}
            </div>
            <Table<ProcurementLine>
              size="small"
              className="dense-table"
              rowKey="itemCode"
              dataSource={procurement.data?.items ?? []}
              loading={procurement.isLoading}
              pagination={{ pageSize: 15, size: 'small', hideOnSinglePage: true }}
              locale={{ emptyText: t('gaps.noProcurement') }}
              columns={[
                { title: t('field.item'), dataIndex: 'itemName', ellipsis: true },
                {
                  title: t('gaps.buy'),
                  dataIndex: 'quantity',
                  align: 'right',
                  render: (v: number, r) => `${qty(v)} ${r.unit}`,
                },
                {
                  title: t('gaps.rotation'),
                  dataIndex: 'rotation',
                  align: 'right',
                  render: (v: number, r) => (v ? `${qty(v)} ${r.unit}` : '—'),
                },
                {
                  title: t('gaps.unitPrice'),
                  dataIndex: 'unitPriceYuan',
                  align: 'right',
                  render: (v: number | null) => yuan(v, lang),
                },
                {
                  title: t('gaps.cost'),
                  dataIndex: 'costYuan',
                  align: 'right',
                  render: (v: number | null) => yuan(v, lang),
                },
              ]}
            />
          </Card>
        </Col>
      </Row>
    </div>
  );
}
