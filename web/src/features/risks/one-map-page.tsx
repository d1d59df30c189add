import { ReloadOutlined, SettingOutlined, SyncOutlined, UploadOutlined } from '@ant-design/icons';
import {
  Alert,
  App,
  Button,
  Card,
  Checkbox,
  Col,
  Descriptions,
  Empty,
  Progress,
  Row,
  Slider,
  Space,
  Spin,
  Table,
  Tag,
  Typography,
} from 'antd';
import type { Feature, FeatureCollection } from 'geojson';
import { lazy, Suspense, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import {
  CENSUS_KIND_INFO,
  CENSUS_KINDS,
  CENSUS_ROLES,
  type CensusFeature,
  type CensusKind,
  CONTRIBUTION_PARTS,
  type Contribution,
  RISK_CLASS_INFO,
  RISK_CLASSES,
  type RiskCellDetail,
  type RiskClass,
  type RiskDistrictRow,
} from '../../../../contracts/risks.ts';
import { can, useCurrentUser } from '../../api/auth.ts';
import { errorMessage } from '../../components/errors.tsx';
import { useTheme } from '../../components/theme.ts';
import { formatTime } from '../../i18n/index.ts';
import { KindLabel, nameIn, RiskClassTag, useDistrictLabel, useLang } from './labels.tsx';
import { RiskMap } from './risk-map.tsx';
import {
  useCellDetail,
  useCensusFeatureSets,
  useCensusKinds,
  useGridCells,
  useGridDistricts,
  useGridStatus,
  useRecompute,
  useRiskSettings,
} from './risks-api.ts';
import {
  districtChartOption,
  featureRows,
  formatMeters,
  formatQuantity,
  formatScore,
  scoreFormula,
  thresholdsText,
} from './risks-text.ts';
import { SettingsDrawer } from './settings-drawer.tsx';

/** the map and its side panel, side by side, fill the window below the banner */
const MAP_HEIGHT = 'max(480px, calc(100vh - 330px))';

const DistrictChart = lazy(() => import('./district-chart.tsx'));

/** What the map shows at first: the hazard sources; the exposed objects would hide the cells under their dots. */
const INITIALLY_SHOWN: CensusKind[] = CENSUS_KINDS.filter((k) => CENSUS_KIND_INFO[k].role === 'hazard');
/** The blue (low) cells are most of the city: shown when asked for. */
const INITIAL_CLASSES: RiskClass[] = ['major', 'large', 'general'];

type Selection = { kind: 'cell'; h3: string; feature: Feature } | { kind: 'feature'; id: string; from?: Selection };

/** The rule in force, and that its numbers are assumptions one may change. */
function RuleBanner() {
  const { t } = useTranslation('risks');
  const lang = useLang();
  const settings = useRiskSettings();
  const s = settings.data;
  return (
    <Alert
      type="info"
      showIcon
      className="risk-rule"
      data-testid="risk-rule"
      title={
        s
          ? t('map.rule', {
              formula: scoreFormula(s.value),
              percentile: s.value.percentile,
              thresholds: thresholdsText(s.value.thresholds, lang),
            })
          : t('map.assumption')
      }
      description={
        s ? (
          <>
            {t('map.assumption')}{' '}
            {s.isDefault
              ? t('map.settingsDefault')
              : t('map.settingsChanged', { at: formatTime(s.updatedAt), version: s.version })}
          </>
        ) : undefined
      }
      style={{ marginBottom: 12 }}
    />
  );
}

function Toggle({
  checked,
  onChange,
  label,
  count,
  testId,
}: {
  checked: boolean;
  onChange: (on: boolean) => void;
  label: React.ReactNode;
  count: string;
  testId?: string;
}) {
  return (
    <div className="risk-toggle">
      <Checkbox checked={checked} onChange={(e) => onChange(e.target.checked)} data-testid={testId}>
        {label}
      </Checkbox>
      <span className="risk-toggle-count">{count}</span>
    </div>
  );
}

/** H, E and V of a cell as bars 0–1. */
function HevBars({ cell }: { cell: RiskCellDetail }) {
  const { t } = useTranslation('risks');
  const rows: [string, number, string][] = [
    [t('map.part.hazard'), cell.h, '#d4380d'],
    [t('map.part.exposure'), cell.e, '#fa8c16'],
    [t('map.part.vulnerability'), cell.v, '#722ed1'],
  ];
  return (
    <div data-testid="cell-hev">
      {rows.map(([label, v, color]) => (
        <div className="hev-row" key={label}>
          <span className="small">{label}</span>
          <Progress percent={Math.round(v * 100)} showInfo={false} size="small" strokeColor={color} />
          <span className="num small mono">{formatScore(v)}</span>
        </div>
      ))}
    </div>
  );
}

function CellDetails({ h3, onFeature }: { h3: string; onFeature: (id: string, kind: CensusKind) => void }) {
  const { t } = useTranslation('risks');
  const lang = useLang();
  const cell = useCellDetail(h3);
  const districtLabel = useDistrictLabel();
  if (cell.isPending) return <Spin />;
  if (cell.isError) return <Alert type="error" showIcon title={errorMessage(cell.error)} />;
  const c = cell.data;
  return (
    <div data-testid="cell-details" data-h3={c.h3}>
      <div className="risk-details-title">
        <RiskClassTag cls={c.cls} />
        <Typography.Text strong>
          {t('field.score')} {formatScore(c.score)}
        </Typography.Text>
        <span className="muted small">
          {c.district ? districtLabel({ code: c.district, name: c.districtName ?? c.district }) : ''}
        </span>
      </div>
      <div className="muted small mono" style={{ margin: '4px 0 8px' }}>
        {t('map.cell', { h3: c.h3 })}
      </div>
      <HevBars cell={c} />
      <div className="risk-role">{t('map.raw')}</div>
      <dl className="kv-grid small" data-testid="cell-raw">
        {(
          [
            ['map.rawHazard', c.raw.hazard],
            ['map.rawExposure', c.raw.exposure],
            ['map.rawPopulation', c.raw.population],
            ['map.rawVulnerable', c.raw.vulnerable],
            ['map.rawShelter', c.raw.shelterCapacity],
          ] as const
        ).map(([key, v]) => (
          <div key={key}>
            <dt className="muted">{t(key)}</dt>
            <dd className="mono">{formatQuantity(v, lang)}</dd>
          </div>
        ))}
      </dl>
      <Typography.Text strong className="small">
        {t('map.contributions')}
      </Typography.Text>
      {c.contributions.length === 0 ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('map.noContributions')} />
      ) : (
        CONTRIBUTION_PARTS.filter((p) => c.contributions.some((x) => x.part === p)).map((part) => (
          <div key={part} style={{ marginTop: 6 }}>
            <div className="risk-role">{t(`map.part.${part}`)}</div>
            <Table<Contribution>
              size="small"
              className="dense-table"
              pagination={false}
              rowKey={(r) => `${r.part}:${r.featureId}`}
              dataSource={c.contributions.filter((x) => x.part === part)}
              onRow={(r) =>
                ({
                  onClick: () => onFeature(r.featureId, r.kind),
                  className: 'clickable-row',
                  'data-testid': 'contribution-row',
                }) as React.HTMLAttributes<HTMLElement>
              }
              columns={[
                {
                  title: t('map.feature'),
                  dataIndex: 'name',
                  ellipsis: true,
                  render: (v: string | null, r) => (
                    <span title={nameIn(CENSUS_KIND_INFO[r.kind], lang)}>
                      <span className="kind-dot" style={{ background: CENSUS_KIND_INFO[r.kind].color }} />
                      {v ?? nameIn(CENSUS_KIND_INFO[r.kind], lang)}
                    </span>
                  ),
                },
                {
                  title: t('field.distance'),
                  dataIndex: 'meters',
                  width: 72,
                  align: 'right',
                  render: (m: number | null) => (m === null ? '—' : formatMeters(m)),
                },
                {
                  title: t('map.value'),
                  dataIndex: 'value',
                  width: 78,
                  align: 'right',
                  render: (v: number) => <span className="mono">{formatQuantity(v, lang)}</span>,
                },
              ]}
            />
          </div>
        ))
      )}
    </div>
  );
}

function FeatureDetails({ feature, onBack }: { feature: CensusFeature | undefined; onBack?: () => void }) {
  const { t } = useTranslation('risks');
  const lang = useLang();
  if (!feature)
    return (
      <>
        {onBack && (
          <Button size="small" type="link" onClick={onBack} style={{ padding: 0 }}>
            {t('map.back')}
          </Button>
        )}
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('map.detailsHint')} />
      </>
    );
  const p = feature.properties;
  const rows = featureRows(p, lang, {
    kind: t('field.kind'),
    population: t('field.population'),
    capacity: t('field.capacity'),
    hazardLevel: t('field.hazardLevel'),
  });
  return (
    <div data-testid="feature-details">
      {onBack && (
        <Button size="small" type="link" onClick={onBack} style={{ padding: 0 }}>
          {t('map.back')}
        </Button>
      )}
      <div className="risk-details-title">
        <KindLabel kind={p.kind} />
        <Typography.Text strong>{p.name ?? '—'}</Typography.Text>
        {p.demo && <Tag>{t('map.demo')}</Tag>}
      </div>
      <Descriptions
        size="small"
        column={1}
        style={{ marginTop: 8 }}
        items={rows.map((r) => ({ key: r.key, label: r.label, children: r.value }))}
      />
    </div>
  );
}

function DistrictStats({ rows }: { rows: RiskDistrictRow[] }) {
  const { t } = useTranslation('risks');
  const lang = useLang();
  const dark = useTheme() === 'dark';
  const option = useMemo(
    () => districtChartOption(rows, lang, { cells: t('map.cellsAxis') }, dark),
    [rows, lang, t, dark],
  );
  if (!rows.length) return <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('map.noDistricts')} />;
  return (
    <Row gutter={16}>
      <Col xs={24} xxl={9}>
        <Suspense fallback={<Spin />}>
          <DistrictChart option={option} height={280} />
        </Suspense>
      </Col>
      <Col xs={24} xxl={15}>
        <Table<RiskDistrictRow>
          size="small"
          className="dense-table"
          rowKey="district"
          pagination={false}
          dataSource={rows}
          onRow={() => ({ 'data-testid': 'risk-district-row' }) as React.HTMLAttributes<HTMLElement>}
          scroll={{ x: 960 }}
          columns={[
            {
              title: t('field.district'),
              dataIndex: 'districtName',
              fixed: 'left',
              width: 150,
              render: (v: string, r) => (lang === 'en' ? r.districtNameEn || v : v),
            },
            { title: t('map.cellsTotal'), dataIndex: 'cells', width: 70, align: 'right' },
            ...RISK_CLASSES.map((c) => ({
              title: (
                <span>
                  <span className="risk-swatch" style={{ background: RISK_CLASS_INFO[c].color }} />
                  {nameIn(RISK_CLASS_INFO[c], lang)}
                </span>
              ),
              key: c,
              width: 96,
              align: 'right' as const,
              render: (_: unknown, r: RiskDistrictRow) => r.counts[c],
            })),
            {
              title: t('map.meanScore'),
              dataIndex: 'meanScore',
              width: 84,
              align: 'right',
              render: formatScore,
            },
            { title: t('map.maxScore'), dataIndex: 'maxScore', width: 84, align: 'right', render: formatScore },
            {
              title: t('map.populationMajor'),
              dataIndex: 'populationMajor',
              width: 110,
              align: 'right',
              render: (v: number) => formatQuantity(Math.round(v), lang),
            },
            {
              title: t('map.populationLarge'),
              dataIndex: 'populationLarge',
              width: 110,
              align: 'right',
              render: (v: number) => formatQuantity(Math.round(v), lang),
            },
          ]}
        />
      </Col>
    </Row>
  );
}

/** 风险一张图: the risk grid and the census layers on one map, a cell's make-up, the districts' statistics. */
export function OneMapPage() {
  const { t } = useTranslation('risks');
  const lang = useLang();
  const user = useCurrentUser();
  const { message } = App.useApp();
  const manage = can(user, 'risks.manage');
  const kinds = useCensusKinds();
  const status = useGridStatus();
  const computedAt = status.data?.computedAt;
  const [classes, setClasses] = useState<RiskClass[]>(INITIAL_CLASSES);
  const severe = useGridCells(computedAt, 'general');
  const every = useGridCells(computedAt, 'low', classes.includes('low'));
  const cells = classes.includes('low') && every.data ? every : severe;
  const districts = useGridDistricts(computedAt);
  const [opacity, setOpacity] = useState(0.55);
  const [shown, setShown] = useState<Set<CensusKind>>(() => new Set(INITIALLY_SHOWN));
  const [selection, setSelection] = useState<Selection | null>(null);
  const [editing, setEditing] = useState(false);
  const [sideTab, setSideTab] = useState<'layers' | 'details'>('layers');
  // what is clicked is shown at once
  const select = (next: Selection | null) => {
    setSelection(next);
    if (next) setSideTab('details');
  };
  const settings = useRiskSettings();
  const sets = useCensusFeatureSets(shown);
  const recompute = useRecompute(status.data?.jobId, (job) => {
    void status.refetch();
    if (job.state === 'done') void message.success(t('map.recomputeDone'));
    else void message.error(t('map.recomputeFailed', { message: job.error?.message ?? '' }));
  });

  const kindItems = kinds.data?.items ?? [];
  const countOf = (k: CensusKind) => kindItems.find((x) => x.kind === k)?.featureCount ?? 0;
  const totalFeatures = kindItems.reduce((n, k) => n + k.featureCount, 0);

  const byId = useMemo(() => {
    const m = new Map<string, CensusFeature>();
    for (const q of sets) for (const f of q.data?.features ?? []) m.set(f.properties.id, f);
    return m;
  }, [sets]);
  const census = useMemo<FeatureCollection>(() => {
    const features: Feature[] = [];
    CENSUS_KINDS.forEach((k, i) => {
      if (!shown.has(k)) return;
      for (const f of sets[i]?.data?.features ?? [])
        features.push({
          type: 'Feature',
          geometry: f.geometry as Feature['geometry'],
          properties: { id: f.properties.id, kind: k, color: CENSUS_KIND_INFO[k].color },
        });
    });
    return { type: 'FeatureCollection', features };
  }, [sets, shown]);
  const truncated = CENSUS_KINDS.filter((k, i) => shown.has(k) && sets[i]?.data?.truncated);

  const setKind = (k: CensusKind, on: boolean) =>
    setShown((prev) => {
      const next = new Set(prev);
      if (on) next.add(k);
      else next.delete(k);
      return next;
    });
  const selectedCell =
    selection?.kind === 'cell' ? selection : selection?.from?.kind === 'cell' ? selection.from : null;
  const st = status.data;
  const counts = st?.counts;

  const noCensus = kinds.isSuccess && totalFeatures === 0;

  return (
    <div className="page" data-testid="risk-one-map">
      <div className="page-head">
        <div>
          <Typography.Title level={4} className="page-title">
            {t('map.title')}
          </Typography.Title>
          <div className="page-sub muted">{t('map.sub')}</div>
        </div>
        <Space wrap>
          <Button
            icon={<ReloadOutlined />}
            onClick={() => {
              void status.refetch();
              void kinds.refetch();
            }}
            loading={status.isFetching && !recompute.running}
          >
            {t('common:refresh')}
          </Button>
          {manage && (
            <Button icon={<SettingOutlined />} onClick={() => setEditing(true)} data-testid="risk-settings">
              {t('settings.open')}
            </Button>
          )}
          {manage && (
            <Button
              type="primary"
              icon={<SyncOutlined spin={recompute.running} />}
              disabled={recompute.running || noCensus}
              onClick={recompute.start}
              data-testid="risk-recompute"
            >
              {recompute.running ? t('map.recomputing') : t('map.recompute')}
            </Button>
          )}
        </Space>
      </div>
      <RuleBanner />
      <div className="risk-status muted small" data-testid="risk-status" style={{ marginBottom: 8 }}>
        {st?.computedAt ? (
          <>
            <span>{t('map.computedAt', { at: formatTime(st.computedAt) })}</span>
            <span>{t('map.resolution', { res: st.resolution, cells: st.cellCount, features: st.featureCount })}</span>
          </>
        ) : (
          st && <span>{t('map.never')}</span>
        )}
        {st?.stale && !recompute.running && <Tag color="warning">{t('map.stale')}</Tag>}
      </div>
      {recompute.running && (
        <div aria-live="polite" style={{ marginBottom: 8 }} data-testid="recompute-progress">
          <Typography.Text className="small">
            {t('map.recomputing')}
            {recompute.job?.phase ? ` ${t('map.phase', { phase: recompute.job.phase })}` : ''}
            {recompute.job && recompute.job.total > 0 ? ` ${recompute.job.done} / ${recompute.job.total}` : ''}
          </Typography.Text>
          <Progress
            percent={
              recompute.job && recompute.job.total > 0
                ? Math.floor((100 * recompute.job.done) / recompute.job.total)
                : 0
            }
            status="active"
            size="small"
          />
        </div>
      )}
      {recompute.error !== null && (
        <Alert type="error" showIcon title={errorMessage(recompute.error)} style={{ marginBottom: 8 }} />
      )}
      {status.isError && <Alert type="error" showIcon title={errorMessage(status.error)} style={{ marginBottom: 8 }} />}
      {noCensus && (
        <Card size="small" className="section-card" data-testid="risk-empty">
          <Empty description={<Typography.Text strong>{t('map.emptyTitle')}</Typography.Text>}>
            <div className="muted" style={{ marginBottom: 12 }}>
              {t('map.emptyBody')}
            </div>
            <Link to="/risks/census">
              <Button type="primary" icon={<UploadOutlined />}>
                {t('map.emptyAction')}
              </Button>
            </Link>
          </Empty>
        </Card>
      )}
      {!noCensus && st && !st.computedAt && !recompute.running && (
        <Alert type="warning" showIcon title={t('map.notComputed')} style={{ marginBottom: 8 }} />
      )}
      <Row gutter={12}>
        <Col xs={24} lg={16} xxl={17}>
          <Spin spinning={(severe.isFetching && !severe.data) || every.isFetching} tip={t('map.loading')}>
            <RiskMap
              cells={cells.data as FeatureCollection | undefined}
              classes={classes}
              opacity={opacity}
              census={census}
              selected={selectedCell?.feature ?? null}
              onCell={(h3, feature) => select({ kind: 'cell', h3, feature })}
              onFeature={(id) =>
                select({
                  kind: 'feature',
                  id,
                  from: selection?.kind === 'cell' ? selection : selection?.from,
                })
              }
              height={MAP_HEIGHT}
            />
          </Spin>
        </Col>
        <Col xs={24} lg={8} xxl={7} className="risk-side">
          <Card
            size="small"
            className="risk-side-card"
            activeTabKey={sideTab}
            onTabChange={(k) => setSideTab(k === 'details' ? 'details' : 'layers')}
            tabList={[
              { key: 'layers', label: <span data-testid="tab-layers">{t('map.layers')}</span> },
              { key: 'details', label: <span data-testid="tab-details">{t('map.details')}</span> },
            ]}
            style={{ height: MAP_HEIGHT, overflowY: 'auto' }}
          >
            {sideTab === 'layers' ? (
              <div data-testid="risk-layers">
                <div className="risk-role">{t('map.grid')}</div>
                {RISK_CLASSES.map((c) => (
                  <Toggle
                    key={c}
                    checked={classes.includes(c)}
                    onChange={(on) => setClasses((prev) => (on ? [...prev, c] : prev.filter((x) => x !== c)))}
                    label={
                      <span>
                        <span className="risk-swatch" style={{ background: RISK_CLASS_INFO[c].color }} />
                        {nameIn(RISK_CLASS_INFO[c], lang)}
                      </span>
                    }
                    count={counts ? t('map.cells', { count: counts[c] }) : ''}
                    testId={`class-toggle-${c}`}
                  />
                ))}
                <div className="risk-toggle">
                  <span className="small muted">{t('map.opacity')}</span>
                  <Slider
                    min={0.1}
                    max={1}
                    step={0.05}
                    value={opacity}
                    onChange={setOpacity}
                    style={{ flex: 1, margin: '6px 8px' }}
                    aria-label={t('map.opacity')}
                  />
                </div>
                <div className="risk-toggle" style={{ marginTop: 8 }}>
                  <Typography.Text strong className="small">
                    {t('map.census')}
                  </Typography.Text>
                  <Space size={0}>
                    <Button
                      size="small"
                      type="link"
                      onClick={() => setShown(new Set(CENSUS_KINDS))}
                      data-testid="kinds-show-all"
                    >
                      {t('map.showAll')}
                    </Button>
                    <Button size="small" type="link" onClick={() => setShown(new Set())} data-testid="kinds-hide-all">
                      {t('map.hideAll')}
                    </Button>
                  </Space>
                </div>
                {CENSUS_ROLES.map((role) => (
                  <div key={role}>
                    <div className="risk-role">{t(`role.${role}`)}</div>
                    {CENSUS_KINDS.filter((k) => CENSUS_KIND_INFO[k].role === role).map((k) => (
                      <Toggle
                        key={k}
                        checked={shown.has(k)}
                        onChange={(on) => setKind(k, on)}
                        label={<KindLabel kind={k} />}
                        count={kinds.data ? t('map.featureCount', { count: countOf(k) }) : ''}
                        testId={`kind-toggle-${k}`}
                      />
                    ))}
                  </div>
                ))}
                {truncated.length > 0 && (
                  <div className="muted small" style={{ marginTop: 6 }}>
                    {truncated.map(
                      (k) => `${nameIn(CENSUS_KIND_INFO[k], lang)}: ${t('map.truncated', { count: 20000 })}`,
                    )}
                  </div>
                )}
              </div>
            ) : (
              <div data-testid="risk-details">
                {selection === null ? (
                  <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('map.detailsHint')} />
                ) : selection.kind === 'cell' ? (
                  <CellDetails
                    h3={selection.h3}
                    onFeature={(id, kind) => {
                      // its kind is fetched (and drawn) if it was not shown
                      setKind(kind, true);
                      select({ kind: 'feature', id, from: selection });
                    }}
                  />
                ) : (
                  <FeatureDetails
                    feature={byId.get(selection.id)}
                    onBack={selection.from ? () => setSelection(selection.from ?? null) : undefined}
                  />
                )}
              </div>
            )}
          </Card>
        </Col>
      </Row>
      <SettingsDrawer
        open={editing}
        settings={settings.data}
        onClose={() => setEditing(false)}
        onSaved={() => void status.refetch()}
      />
      <Card
        size="small"
        className="section-card"
        style={{ marginTop: 12 }}
        title={t('map.districts')}
        extra={<span className="muted small">{t('map.districtsSub')}</span>}
        data-testid="risk-districts"
      >
        {districts.isError ? (
          <Alert type="error" showIcon title={errorMessage(districts.error)} />
        ) : districts.isPending && computedAt ? (
          <Spin />
        ) : (
          <DistrictStats rows={districts.data?.items ?? []} />
        )}
      </Card>
    </div>
  );
}
