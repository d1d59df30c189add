import {
  Alert,
  Button,
  Card,
  Col,
  Empty,
  Input,
  Row,
  Select,
  Statistic,
  Table,
  type TableColumnsType,
  Typography,
} from 'antd';
import { BarChart, PieChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import { useCallback, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import {
  COMPLIANCE_RULE_KEYS,
  COMPLIANCE_STATUS_INFO,
  COMPLIANCE_STATUSES,
  type ComplianceItem,
} from '../../../../contracts/drills.ts';
import { can, useCurrentUser } from '../../api/auth.ts';
import { useUnits } from '../../api/org.ts';
import { useDistrictOptions, useLang } from '../../components/districts.ts';
import { errorMessage } from '../../components/errors.tsx';
import { ExportButton } from '../../components/export-button.tsx';
import { useEChart } from '../../components/use-echart.ts';
import { useRegisterParams } from '../../components/use-register-params.ts';
import { ComplianceRulesForm } from './compliance-rules-form.tsx';
import { useCompliance, useComplianceSettings } from './drills-api.ts';
import { nameIn, StatusTag } from './labels.tsx';

echarts.use([BarChart, PieChart, GridComponent, LegendComponent, TooltipComponent, CanvasRenderer]);

const FILTER_KEYS = ['asOf', 'status', 'district', 'rule', 'kind'] as const;
const COLOURS = { ok: '#52c41a', due_soon: '#faad14', overdue: '#ff4d4f' } as const;

/** Drill compliance: KPI cards, charts by status and district, the list (overdue first), the rules in force. */
export function CompliancePage() {
  const { t } = useTranslation('drills');
  const lang = useLang();
  const { filters, hasAny, size, offset, update, pagination } = useRegisterParams(FILTER_KEYS);
  const q = useCompliance(filters, size, offset);
  const settings = useComplianceSettings();
  const user = useCurrentUser();
  const [editing, setEditing] = useState(false);
  const districts = useDistrictOptions();
  const units = useUnits();
  const districtName = useCallback(
    (code: string | null) => {
      if (!code) return t('compliance.cityWide');
      const u = units.data?.items.find((x) => x.code === code);
      return u ? (lang === 'en' ? u.nameEn || u.name : u.name) : code;
    },
    [units.data, lang, t],
  );
  const data = q.data;
  const pie = useMemo(
    () => ({
      tooltip: { trigger: 'item' },
      series: [
        {
          type: 'pie',
          radius: ['45%', '70%'],
          data: COMPLIANCE_STATUSES.map((s) => ({
            name: nameIn(COMPLIANCE_STATUS_INFO[s], lang),
            value: data?.counts[s] ?? 0,
            itemStyle: { color: COLOURS[s] },
          })),
        },
      ],
    }),
    [data, lang],
  );
  const bars = useMemo(
    () => ({
      tooltip: { trigger: 'axis' },
      legend: { top: 0 },
      grid: { left: 40, right: 10, top: 30, bottom: 40 },
      xAxis: {
        type: 'category',
        data: (data?.byDistrict ?? []).map((b) => districtName(b.district)),
        axisLabel: { rotate: 30 },
      },
      yAxis: { type: 'value', minInterval: 1 },
      series: COMPLIANCE_STATUSES.map((s) => ({
        type: 'bar',
        stack: 'all',
        name: nameIn(COMPLIANCE_STATUS_INFO[s], lang),
        itemStyle: { color: COLOURS[s] },
        data: (data?.byDistrict ?? []).map((b) => b[s]),
      })),
    }),
    [data, lang, districtName],
  );
  const pieBox = useEChart(pie);
  const barBox = useEChart(bars);
  const columns: TableColumnsType<ComplianceItem> = [
    { title: t('compliance.status'), dataIndex: 'status', width: 100, render: (s) => <StatusTag s={s} lang={lang} /> },
    {
      title: t('compliance.subject'),
      key: 'subject',
      render: (_, i) => (
        <span>
          {i.subject.name}{' '}
          <Typography.Text type="secondary">
            {i.subject.kind === 'enterprise' ? t('subject.enterprise') : t('subject.plan')}
          </Typography.Text>
        </span>
      ),
    },
    { title: t('field.district'), key: 'district', width: 110, render: (_, i) => districtName(i.subject.district) },
    {
      title: t('compliance.rule'),
      key: 'rule',
      ellipsis: true,
      render: (_, i) => (lang === 'en' ? i.rule.en : i.rule.zh),
    },
    {
      title: t('compliance.lastDrill'),
      key: 'last',
      width: 190,
      render: (_, i) =>
        i.lastDrillAt && i.lastDrillId ? (
          <Link to={`/drills/records/${i.lastDrillId}`}>{i.lastDrillAt}</Link>
        ) : (
          <Typography.Text type="secondary">{t('compliance.never', { since: i.since })}</Typography.Text>
        ),
    },
    { title: t('compliance.dueAt'), dataIndex: 'dueAt', width: 110 },
    {
      title: t('compliance.daysLeft'),
      dataIndex: 'daysLeft',
      width: 110,
      render: (n: number) => (n < 0 ? t('compliance.overdueBy', { n: -n }) : t('compliance.inDays', { n })),
    },
  ];
  return (
    <div className="page" data-testid="compliance-page">
      <div className="page-head">
        <Typography.Title level={4} className="page-title">
          {t('nav.compliance')}
        </Typography.Title>
        <ExportButton path="/drills/compliance/export.xlsx" query={{ ...filters }} fileName="drill-compliance.xlsx">
          {t('list.export')}
        </ExportButton>
      </div>
      <Row gutter={12}>
        {COMPLIANCE_STATUSES.map((s) => (
          <Col key={s} xs={24} md={8}>
            <Card
              size="small"
              hoverable
              onClick={() => update({ status: filters.status === s ? undefined : s })}
              data-testid={`kpi-${s}`}
            >
              <Statistic
                title={nameIn(COMPLIANCE_STATUS_INFO[s], lang)}
                value={data?.counts[s] ?? 0}
                valueStyle={{ color: COLOURS[s] }}
              />
            </Card>
          </Col>
        ))}
      </Row>
      <Row gutter={12} style={{ marginTop: 12 }}>
        <Col xs={24} md={8}>
          <Card size="small" title={t('compliance.byStatus')}>
            <div ref={pieBox} style={{ height: 220 }} />
          </Card>
        </Col>
        <Col xs={24} md={16}>
          <Card size="small" title={t('compliance.byDistrict')}>
            <div ref={barBox} style={{ height: 220 }} />
          </Card>
        </Col>
      </Row>
      <div className="filter-bar" style={{ marginTop: 12 }}>
        <Input
          type="date"
          aria-label={t('compliance.asOf')}
          addonBefore={t('compliance.asOf')}
          value={filters.asOf ?? data?.asOf ?? ''}
          onChange={(e) => update({ asOf: e.target.value || undefined })}
          style={{ width: 240 }}
        />
        <Select
          allowClear
          placeholder={t('compliance.status')}
          value={filters.status}
          onChange={(v) => update({ status: v })}
          options={COMPLIANCE_STATUSES.map((s) => ({ value: s, label: nameIn(COMPLIANCE_STATUS_INFO[s], lang) }))}
          style={{ width: 130 }}
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
          placeholder={t('compliance.rule')}
          value={filters.rule}
          onChange={(v) => update({ rule: v })}
          options={COMPLIANCE_RULE_KEYS.map((k) => ({ value: k, label: t(`rule.${k}`) }))}
          style={{ width: 220 }}
        />
        <Select
          allowClear
          placeholder={t('compliance.kind')}
          value={filters.kind}
          onChange={(v) => update({ kind: v })}
          options={[
            { value: 'enterprise', label: t('subject.enterprise') },
            { value: 'plan', label: t('subject.plan') },
          ]}
          style={{ width: 130 }}
        />
        {hasAny && (
          <Button type="link" onClick={() => update(Object.fromEntries(FILTER_KEYS.map((k) => [k, undefined])))}>
            {t('common:resetFilters')}
          </Button>
        )}
      </div>
      <Table<ComplianceItem>
        className="dense-table"
        rowKey={(i) => `${i.subject.kind}:${i.subject.id}:${i.rule.key}`}
        size="small"
        columns={columns}
        dataSource={data?.items ?? []}
        loading={q.isFetching && !data}
        rowClassName={(i) => (i.status === 'overdue' ? 'row-overdue' : '')}
        onRow={() => ({ 'data-testid': 'compliance-row' }) as React.HTMLAttributes<HTMLElement>}
        locale={{
          emptyText: (
            <Empty
              image={Empty.PRESENTED_IMAGE_SIMPLE}
              description={q.isError ? errorMessage(q.error) : t('compliance.empty')}
            />
          ),
        }}
        pagination={pagination(data?.total ?? 0, t)}
        scroll={{ x: 1100 }}
      />
      <Card
        size="small"
        title={t('compliance.rulesInForce')}
        style={{ marginTop: 12 }}
        data-testid="rules-in-force"
        extra={
          can(user, 'drills.settings') &&
          settings.data &&
          !editing && (
            <Button size="small" onClick={() => setEditing(true)} data-testid="rules-edit">
              {t('rules.edit')}
            </Button>
          )
        }
      >
        {editing && settings.data ? (
          <ComplianceRulesForm settings={settings.data} onDone={() => setEditing(false)} />
        ) : (
          <>
            {settings.data?.rules.map((r) => (
              <div key={r.key} style={{ marginBottom: 8 }}>
                <Typography.Text strong delete={!r.enabled}>
                  {lang === 'en' ? r.en : r.zh}
                </Typography.Text>{' '}
                <Typography.Text type="secondary">
                  {t('compliance.every', { n: r.months })} · {r.basis}
                  {!r.enabled && ` · ${t('rules.off')}`}
                </Typography.Text>
                {r.note && <Alert type="info" showIcon style={{ marginTop: 4 }} title={r.note} />}
              </div>
            ))}
            <Typography.Text type="secondary">
              {t('compliance.howDue', { n: settings.data?.dueSoonDays ?? 30 })}
            </Typography.Text>
          </>
        )}
      </Card>
    </div>
  );
}
