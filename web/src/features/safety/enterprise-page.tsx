import { DeleteOutlined, EditOutlined, PlusOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Card, Descriptions, Empty, Popconfirm, Space, Spin, Table, Tabs, Tag, Typography } from 'antd';
import { type ComponentType, lazy, Suspense, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useParams, useSearchParams } from 'react-router';
import {
  AUTOMATION_INFO,
  type EnterpriseView,
  HAZARD_UNIT_KIND_INFO,
  type HazardUnit,
  HIGH_RISK_INFO,
  INDUSTRY_INFO,
  INSURANCE_INFO,
  type RiskPoint,
} from '../../../../contracts/safety.ts';
import { allows, can, useCurrentUser } from '../../api/auth.ts';
import { type EnterprisePanel, useFeatures } from '../../app/manifest.ts';
import { errorMessage, useErrorReporter } from '../../components/errors.tsx';
import { EnterpriseFormDrawer } from './enterprise-form-drawer.tsx';
import { HazardUnitDrawer } from './hazard-unit-drawer.tsx';
import { ColourTag, nameIn, useLang } from './labels.tsx';
import { RiskPointDrawer } from './risk-point-drawer.tsx';
import {
  removeHazardUnit,
  removeRiskPoint,
  safetyKeys,
  useEnterprise,
  useEnterpriseRiskPoints,
  useGrading,
  useHazardUnits,
} from './safety-api.ts';
import { WorkingTable } from './working-table.tsx';

const loaded = new Map<string, ComponentType<{ enterprise: EnterpriseView }>>();
function lazyPanel(p: EnterprisePanel) {
  let c = loaded.get(p.key);
  if (!c) {
    c = lazy(() => p.component().then((m) => ({ default: m })));
    loaded.set(p.key, c);
  }
  return c;
}

function Overview({ e }: { e: EnterpriseView }) {
  const { t } = useTranslation('safety');
  const lang = useLang();
  return (
    <Descriptions size="small" column={2} bordered data-testid="enterprise-overview">
      <Descriptions.Item label={t('field.creditCode')}>
        <code>{e.creditCode}</code>
      </Descriptions.Item>
      <Descriptions.Item label={t('field.industry')}>{nameIn(INDUSTRY_INFO[e.industry], lang)}</Descriptions.Item>
      <Descriptions.Item label={t('field.highRisk')}>
        {e.highRiskCategory ? nameIn(HIGH_RISK_INFO[e.highRiskCategory], lang) : t('none')}
      </Descriptions.Item>
      <Descriptions.Item label={t('field.crowded')}>{e.crowdedVenue ? t('yes') : t('no')}</Descriptions.Item>
      <Descriptions.Item label={t('field.district')}>{e.district?.name ?? '—'}</Descriptions.Item>
      <Descriptions.Item label={t('field.park')}>{e.park ?? '—'}</Descriptions.Item>
      <Descriptions.Item label={t('field.address')} span={2}>
        {e.address ?? '—'}
        {e.location && (
          <span className="muted">
            {' '}
            ({e.location.coordinates[0]?.toFixed(5)}, {e.location.coordinates[1]?.toFixed(5)})
          </span>
        )}
      </Descriptions.Item>
      <Descriptions.Item label={t('field.legal')}>{e.legalRepresentative ?? '—'}</Descriptions.Item>
      <Descriptions.Item label={t('field.employees')}>{e.employees ?? '—'}</Descriptions.Item>
      <Descriptions.Item label={t('field.contact')}>
        {e.safetyContacts.map((c) => `${c.name} ${c.phone}`).join('；') || '—'}
      </Descriptions.Item>
      <Descriptions.Item label={t('field.insurance')}>
        {e.insuranceExpiry ?? ''}{' '}
        <Tag color={INSURANCE_INFO[e.insuranceStatus].color}>{nameIn(INSURANCE_INFO[e.insuranceStatus], lang)}</Tag>
      </Descriptions.Item>
      <Descriptions.Item label={t('field.automation')}>{nameIn(AUTOMATION_INFO[e.automation], lang)}</Descriptions.Item>
      <Descriptions.Item label={t('field.unit')}>{e.unitCode}</Descriptions.Item>
      <Descriptions.Item label={t('field.notes')} span={2}>
        {e.notes ?? '—'}
      </Descriptions.Item>
    </Descriptions>
  );
}

/** Edit and delete buttons of a row, or nothing without the permission. */
function RowActions({
  onEdit,
  onRemove,
  testId,
}: {
  onEdit: () => void;
  onRemove: () => Promise<void>;
  testId: string;
}) {
  const { t } = useTranslation('safety');
  return (
    <Space size={4}>
      <Button size="small" type="link" icon={<EditOutlined />} onClick={onEdit} data-testid={`${testId}-edit`}>
        {t('form.edit')}
      </Button>
      <Popconfirm title={t('form.removeConfirm')} onConfirm={onRemove} okButtonProps={{ danger: true }}>
        <Button size="small" type="link" danger icon={<DeleteOutlined />} data-testid={`${testId}-remove`}>
          {t('form.remove')}
        </Button>
      </Popconfirm>
    </Space>
  );
}

/** Opens a drawer for a new record (null) or one record, and removes one with its version. */
function useRowEditing<T extends { id: string; version: number }>(
  remove: (id: string, version: number) => Promise<unknown>,
  refetch: readonly unknown[],
) {
  const [editing, setEditing] = useState<T | null | undefined>(undefined);
  const qc = useQueryClient();
  const report = useErrorReporter();
  const onRemove = async (r: T) => {
    try {
      await remove(r.id, r.version);
      void qc.invalidateQueries({ queryKey: safetyKeys.enterprises });
      void qc.invalidateQueries({ queryKey: safetyKeys.riskPoints });
    } catch (err) {
      report(err, { refetch });
    }
  };
  return { editing, setEditing, onRemove };
}

function HazardsTab({ id }: { id: string }) {
  const { t } = useTranslation('safety');
  const lang = useLang();
  const user = useCurrentUser();
  const manage = can(user, 'enterprises.manage');
  const units = useHazardUnits(id);
  const { editing, setEditing, onRemove } = useRowEditing<HazardUnit>(
    (unitId, version) => removeHazardUnit(id, unitId, version),
    safetyKeys.units(id),
  );
  if (units.isLoading) return <Spin />;
  if (units.isError) return <Alert type="error" message={errorMessage(units.error)} />;
  return (
    <>
      {manage && (
        <Button
          icon={<PlusOutlined />}
          style={{ marginBottom: 8 }}
          onClick={() => setEditing(null)}
          data-testid="new-hazard-unit"
        >
          {t('unitForm.new')}
        </Button>
      )}
      <HazardUnitDrawer
        open={editing !== undefined}
        enterpriseId={id}
        unit={editing ?? undefined}
        onClose={() => setEditing(undefined)}
      />
      <Table<HazardUnit>
        size="small"
        rowKey="id"
        pagination={false}
        dataSource={units.data ?? []}
        locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('hazards.empty')} /> }}
        expandable={{ expandedRowRender: (u) => <WorkingTable result={u.identification} /> }}
        data-testid="hazard-units"
        columns={[
          { title: t('hazards.unit'), dataIndex: 'name' },
          {
            title: t('hazards.kind'),
            dataIndex: 'kind',
            render: (k: HazardUnit['kind']) => nameIn(HAZARD_UNIT_KIND_INFO[k], lang),
          },
          { title: t('hazards.people'), dataIndex: 'exposedPopulation' },
          { title: 'S', render: (_v, u) => Math.round(u.identification.S * 1000) / 1000 },
          {
            title: t('hazards.result'),
            render: (_v, u) =>
              u.identification.isMajorHazard ? (
                <Tag color={u.identification.grade === 1 ? 'red' : u.identification.grade === 2 ? 'orange' : 'gold'}>
                  {t('hazards.majorGrade', { grade: t(`grade.${u.identification.grade}`) })} R={u.identification.R}
                </Tag>
              ) : (
                <Tag>{t('hazards.notMajor')}</Tag>
              ),
          },
          ...(manage
            ? [
                {
                  title: '',
                  width: 160,
                  render: (_v: unknown, u: HazardUnit) => (
                    <RowActions onEdit={() => setEditing(u)} onRemove={() => onRemove(u)} testId="hazard-unit" />
                  ),
                },
              ]
            : []),
        ]}
      />
    </>
  );
}

function RiskTab({ id }: { id: string }) {
  const { t } = useTranslation('safety');
  const lang = useLang();
  const points = useEnterpriseRiskPoints(id);
  const grading = useGrading();
  const user = useCurrentUser();
  const manage = can(user, 'enterprises.manage');
  const { editing, setEditing, onRemove } = useRowEditing<RiskPoint>(
    (pointId, version) => removeRiskPoint(id, pointId, version),
    safetyKeys.points(id),
  );
  if (points.isLoading) return <Spin />;
  if (points.isError) return <Alert type="error" message={errorMessage(points.error)} />;
  return (
    <>
      <Alert
        type="info"
        showIcon
        style={{ marginBottom: 8 }}
        message={t('risk.ruleInForce', {
          rule: grading.data ? (lang === 'en' ? grading.data.value.ruleNameEn : grading.data.value.ruleName) : '…',
        })}
        description={t('risk.sourcesDisagree')}
        data-testid="risk-rule"
      />
      {manage && (
        <Button
          icon={<PlusOutlined />}
          style={{ marginBottom: 8 }}
          onClick={() => setEditing(null)}
          data-testid="new-risk-point"
        >
          {t('pointForm.new')}
        </Button>
      )}
      <RiskPointDrawer
        open={editing !== undefined}
        enterpriseId={id}
        point={editing ?? undefined}
        onClose={() => setEditing(undefined)}
      />
      <Table<RiskPoint>
        size="small"
        rowKey="id"
        pagination={false}
        dataSource={points.data ?? []}
        locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('risk.empty')} /> }}
        data-testid="risk-points"
        columns={[
          // names, methods and scores on one line at 1440 px; the control measures take what is left
          { title: t('risk.name'), dataIndex: 'name', minWidth: 150 },
          { title: t('risk.area'), dataIndex: 'area', minWidth: 110, render: (v: string | null) => v ?? '—' },
          {
            title: t('risk.accidents'),
            dataIndex: 'accidentTypes',
            minWidth: 120,
            render: (v: string[]) => v.join('、') || '—',
          },
          {
            title: t('risk.method'),
            className: 'nowrap',
            render: (_v, p) => (p.method === 'LEC' ? `LEC ${p.l}×${p.e}×${p.c}` : `LS ${p.l}×${p.s}`),
          },
          { title: t('risk.score'), dataIndex: 'score', className: 'nowrap', align: 'right' },
          {
            title: t('risk.colour'),
            className: 'nowrap',
            dataIndex: 'colour',
            render: (c: RiskPoint['colour']) => <ColourTag colour={c} />,
          },
          { title: t('risk.measures'), dataIndex: 'controlMeasures', render: (v: string[]) => v.join('；') || '—' },
          {
            title: t('risk.nextReview'),
            dataIndex: 'nextReview',
            width: 150,
            render: (v: string | null, p) =>
              v ? (
                <span>
                  {v} {p.reviewOverdue && <Tag color="red">{t('risk.overdue')}</Tag>}
                </span>
              ) : (
                '—'
              ),
          },
          ...(manage
            ? [
                {
                  title: '',
                  width: 160,
                  render: (_v: unknown, p: RiskPoint) => (
                    <RowActions onEdit={() => setEditing(p)} onRemove={() => onRemove(p)} testId="risk-point" />
                  ),
                },
              ]
            : []),
        ]}
      />
    </>
  );
}

/** One enterprise: overview, major hazards with the working, risk points, and what other features add. */
export function EnterprisePage() {
  const { id = '' } = useParams();
  const { t } = useTranslation('safety');
  const { t: tAll } = useTranslation();
  const user = useCurrentUser();
  const features = useFeatures();
  const [params, setParams] = useSearchParams();
  const [editing, setEditing] = useState(false);
  const q = useEnterprise(id);
  const panels = useMemo(
    () =>
      features
        .flatMap((f) => (f.enterprisePanels ?? []).map((p) => ({ p, ns: f.name })))
        .filter(({ p }) => (user ? allows(user, p.permission) : false))
        .sort((a, b) => a.p.order - b.p.order),
    [features, user],
  );
  if (q.isLoading) return <Spin style={{ margin: 40 }} />;
  if (q.isError || !q.data) return <Alert type="error" style={{ margin: 24 }} message={errorMessage(q.error)} />;
  const e = q.data;
  const own = [
    { key: 'overview', label: t('tab.overview'), children: <Overview e={e} /> },
    { key: 'hazards', label: t('tab.hazards'), children: <HazardsTab id={e.id} /> },
    { key: 'risks', label: t('tab.risks'), children: <RiskTab id={e.id} /> },
  ];
  const items = [
    ...own,
    ...panels.map(({ p, ns }) => {
      const C = lazyPanel(p);
      return {
        key: p.key,
        label: tAll(p.label.includes(':') ? p.label : `${ns}:${p.label}`),
        children: (
          <Suspense fallback={<Spin />}>
            <C enterprise={e} />
          </Suspense>
        ),
      };
    }),
  ];
  const active = items.some((i) => i.key === params.get('panel')) ? (params.get('panel') as string) : 'overview';
  return (
    <div className="page">
      <div className="page-head">
        <Typography.Title level={4} className="page-title" data-testid="enterprise-title">
          {e.name} {e.demo && <Tag>{t('demo')}</Tag>}
        </Typography.Title>
        <span>
          {e.majorHazards.count > 0 && (
            <Tag color="red">
              {t('majorSummary', { count: e.majorHazards.count, grade: t(`grade.${e.majorHazards.highestGrade}`) })}
            </Tag>
          )}
          <ColourTag colour={e.riskColour} />
          {can(user, 'enterprises.manage') && (
            <Button icon={<EditOutlined />} onClick={() => setEditing(true)} data-testid="edit-enterprise">
              {t('form.edit')}
            </Button>
          )}
        </span>
      </div>
      <Card size="small">
        <Tabs
          activeKey={active}
          onChange={(k) =>
            setParams(
              (prev) => {
                const next = new URLSearchParams(prev);
                next.set('panel', k);
                return next;
              },
              { replace: true },
            )
          }
          items={items}
        />
      </Card>
      <EnterpriseFormDrawer
        open={editing}
        enterprise={e}
        lockedForEnterprise={user?.scope === 'enterprise'}
        onClose={() => setEditing(false)}
        onSaved={() => void q.refetch()}
      />
    </div>
  );
}
