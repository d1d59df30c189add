import { DownloadOutlined, FileExcelOutlined, PlayCircleOutlined } from '@ant-design/icons';
import {
  Alert,
  Button,
  Card,
  Col,
  Descriptions,
  Empty,
  Form,
  InputNumber,
  List,
  Row,
  Select,
  Space,
  Statistic,
  Switch,
  Table,
  Tabs,
  Tag,
  Typography,
} from 'antd';
import { type ReactNode, useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import {
  AREA_KIND_INFO,
  type AviationCoverageReply,
  type ChemicalParksReply,
  type DistrictShare,
  type FireCoverageReply,
  type ForestCoverageReply,
  type StationDistrict,
  type StationSitingReply,
  TEAM_STATUS_INFO,
  TEAM_TYPE_INFO,
  type TeamType,
} from '../../../../contracts/forces.ts';
import { useDistrictLabel } from '../../components/districts.ts';
import { errorMessage, useErrorReporter } from '../../components/errors.tsx';
import { AnalysisMap, COVERED, type MapPoint, outlineFeatures, REACH, UNCOVERED } from './analysis-map.tsx';
import { type AnalysisPath, downloadAnalysis, runAnalysis, useAllTeams, useAreas } from './forces-api.ts';
import { bboxOf, elapsedText, formatKm2, formatShare } from './forces-text.ts';
import { nameIn, ShareBar, stationClassName, useLang } from './labels.tsx';

const TABS = ['fire', 'forest', 'aviation', 'parks', 'siting'] as const;
type Tab = (typeof TABS)[number];

/** A run of one analysis: the body it was asked with, its answer or refusal, and how long it has been running. */
function useAnalysis<R>(path: AnalysisPath) {
  const [state, setState] = useState<{ body: unknown; result?: R; error?: unknown; running: boolean }>({
    body: null,
    running: false,
  });
  const [started, setStarted] = useState<number | null>(null);
  const [now, setNow] = useState(0);
  const run = async (body: unknown) => {
    setState({ body, running: true });
    setStarted(Date.now());
    setNow(Date.now());
    try {
      const result = await runAnalysis<R>(path, body);
      setState({ body, result, running: false });
    } catch (error) {
      setState({ body, error, running: false });
    } finally {
      setStarted(null);
    }
  };
  // the counter ticks while a run lasts (siting may take a minute)
  useEffect(() => {
    if (started === null) return;
    const id = setInterval(() => setNow(Date.now()), 500);
    return () => clearInterval(id);
  }, [started]);
  return { ...state, run, elapsed: started === null ? 0 : now - started };
}

/** Teams of these types to ask a what-if question with (none chosen: every dispatchable team of the type). */
function TeamsPicker({
  types,
  value,
  onChange,
}: {
  types: TeamType[];
  value?: string[];
  onChange?: (v: string[]) => void;
}) {
  const { t } = useTranslation('forces');
  const teams = useAllTeams();
  const options = (teams.data?.items ?? [])
    .filter((x) => types.includes(x.type))
    .map((x) => ({ value: x.id, label: x.dispatchable ? x.name : `${x.name} (${t('analyses.notDispatchable')})` }));
  return (
    <Select
      mode="multiple"
      allowClear
      value={value}
      onChange={onChange}
      options={options}
      loading={teams.isPending}
      placeholder={t('analyses.allTeams')}
      showSearch={{ optionFilterProp: 'label' }}
      maxTagCount="responsive"
      data-testid="teams-picker"
    />
  );
}

/** The form's column: fields, Run with its spinner and elapsed time, and the two exports of the last answer. */
function RunPanel({
  path,
  children,
  initial,
  running,
  elapsed,
  lastBody,
  hasResult,
  onRun,
  showElapsed,
}: {
  path: AnalysisPath;
  children: ReactNode;
  initial: Record<string, unknown>;
  running: boolean;
  elapsed: number;
  lastBody: unknown;
  hasResult: boolean;
  onRun: (body: Record<string, unknown>) => void;
  showElapsed?: boolean;
}) {
  const { t } = useTranslation('forces');
  const [form] = Form.useForm();
  const report = useErrorReporter();
  const [exporting, setExporting] = useState<'xlsx' | 'geojson' | null>(null);
  const exportAs = async (format: 'xlsx' | 'geojson') => {
    setExporting(format);
    try {
      await downloadAnalysis(path, lastBody, format);
    } catch (err) {
      report(err);
    } finally {
      setExporting(null);
    }
  };
  return (
    <Card size="small" className="section-card analysis-form">
      <Form
        form={form}
        layout="vertical"
        initialValues={initial}
        onFinish={(v: Record<string, unknown>) => {
          // empty fields are left out: the server's defaults apply
          const body = Object.fromEntries(
            Object.entries(v).filter(([, x]) => x !== undefined && x !== null && !(Array.isArray(x) && !x.length)),
          );
          onRun(body);
        }}
        className="dense-form"
        data-testid={`analysis-form-${path}`}
      >
        {children}
        <Button
          type="primary"
          htmlType="submit"
          icon={<PlayCircleOutlined />}
          loading={running}
          block
          data-testid="analysis-run"
        >
          {running && showElapsed ? t('analyses.running', { elapsed: elapsedText(elapsed) }) : t('analyses.run')}
        </Button>
      </Form>
      <Space className="analysis-exports" wrap>
        <Button
          icon={<FileExcelOutlined />}
          disabled={!hasResult || running}
          loading={exporting === 'xlsx'}
          onClick={() => exportAs('xlsx')}
          data-testid="export-xlsx"
        >
          {t('analyses.exportExcel')}
        </Button>
        <Button
          icon={<DownloadOutlined />}
          disabled={!hasResult || running}
          loading={exporting === 'geojson'}
          onClick={() => exportAs('geojson')}
          data-testid="export-geojson"
        >
          {t('analyses.exportGeojson')}
        </Button>
      </Space>
      {!hasResult && !running && <div className="muted small analysis-hint">{t('analyses.exportHint')}</div>}
    </Card>
  );
}

/** Share of each district; a zone without a boundary says so. */
function DistrictTable<T extends DistrictShare>({
  rows,
  extra,
}: {
  rows: T[];
  extra?: Parameters<typeof Table<T>>[0]['columns'];
}) {
  const { t } = useTranslation('forces');
  const districtLabel = useDistrictLabel();
  return (
    <Table<T>
      size="small"
      rowKey="code"
      className="dense-table"
      pagination={false}
      dataSource={rows}
      onRow={() => ({ 'data-testid': 'district-row' }) as React.HTMLAttributes<HTMLElement>}
      columns={[
        {
          title: t('field.district'),
          dataIndex: 'name',
          width: 150,
          render: (_: string, d: T) => districtLabel(d),
        },
        {
          title: t('analyses.coveredShare'),
          dataIndex: 'coveredShare',
          render: (v: number | null, d: T) => <ShareBar share={v} hasBoundary={d.hasBoundary} />,
        },
        { title: t('analyses.areaKm2'), dataIndex: 'areaKm2', width: 110, align: 'right', render: formatKm2 },
        { title: t('analyses.coveredKm2'), dataIndex: 'coveredKm2', width: 110, align: 'right', render: formatKm2 },
        ...(extra ?? []),
      ]}
    />
  );
}

/** The headline of an answer: the share covered and what it was measured on. */
function Headline({ share, items }: { share: number; items: { label: string; value: ReactNode }[] }) {
  const { t } = useTranslation('forces');
  return (
    <div className="analysis-headline" data-testid="analysis-headline">
      <Statistic
        title={t('analyses.coveredShare')}
        value={formatShare(share, '—')}
        valueStyle={{ color: share >= 0.9 ? COVERED : share >= 0.6 ? '#d48806' : UNCOVERED }}
      />
      {items.map((i) => (
        <Statistic key={i.label} title={i.label} value={i.value as string} />
      ))}
    </div>
  );
}

function ResultFrame({ error, running, children }: { error?: unknown; running: boolean; children?: ReactNode }) {
  const { t } = useTranslation('forces');
  if (error) return <Alert type="error" showIcon title={errorMessage(error)} data-testid="analysis-error" />;
  if (!children)
    return (
      <Card size="small" className="section-card">
        <Empty description={running ? t('analyses.runningHint') : t('analyses.notRun')} />
      </Card>
    );
  return <div className={running ? 'analysis-result stale' : 'analysis-result'}>{children}</div>;
}

function FireTab() {
  const { t } = useTranslation('forces');
  const lang = useLang();
  const a = useAnalysis<FireCoverageReply>('fire-coverage');
  const r = a.result;
  const points = useMemo<MapPoint[]>(
    () =>
      (r?.stations ?? []).map((s) => ({
        at: [s.location[0], s.location[1]],
        color: TEAM_TYPE_INFO.fire_rescue.color,
        title: s.name,
        detail: `${stationClassName(s.stationClass, lang)} · ${formatKm2(s.districtKm2)} km²${
          s.limitKm2 !== null ? ` / ${s.limitKm2} km²` : ''
        }`,
        alert: s.offNetwork || s.withinLimit === false,
      })),
    [r, lang],
  );
  return (
    <Row gutter={16}>
      <Col xs={24} lg={7} xxl={6}>
        <RunPanel
          path="fire-coverage"
          initial={{ minutes: 5, turnoutMinutes: 1 }}
          running={a.running}
          elapsed={a.elapsed}
          lastBody={a.body}
          hasResult={!!r}
          onRun={a.run}
        >
          <Form.Item name="minutes" label={t('analyses.minutes')} tooltip={t('analyses.fireMinutesHint')}>
            <InputNumber min={1} max={60} suffix={t('unit.min')} style={{ width: '100%' }} />
          </Form.Item>
          <Form.Item name="turnoutMinutes" label={t('analyses.turnout')}>
            <InputNumber min={0} max={30} suffix={t('unit.min')} style={{ width: '100%' }} />
          </Form.Item>
          <Form.Item name="teamIds" label={t('analyses.teams')} tooltip={t('analyses.teamsHint')}>
            <TeamsPicker types={['fire_rescue']} />
          </Form.Item>
        </RunPanel>
      </Col>
      <Col xs={24} lg={17} xxl={18}>
        <ResultFrame error={a.error} running={a.running}>
          {r && (
            <>
              <Headline
                share={r.coveredShare}
                items={[
                  { label: t('analyses.drive'), value: `${r.driveMinutes} ${t('unit.min')}` },
                  { label: t('analyses.builtUp'), value: `${formatKm2(r.areaKm2)} km²` },
                  { label: t('analyses.coveredKm2'), value: `${formatKm2(r.coveredKm2)} km²` },
                ]}
              />
              <div className="muted small analysis-note">
                {t('analyses.network', { name: r.network.name })}
                {r.network.synthetic && <Tag color="orange">{t('analyses.synthetic')}</Tag>}
                {' · '}
                {r.areaSource === 'register' ? t('analyses.areasRegister') : t('analyses.areasRequest')}
              </div>
              <Card size="small" className="section-card map-card">
                <AnalysisMap covered={r.covered} uncovered={r.uncovered} points={points} />
                <MapKey />
              </Card>
              <Card size="small" title={t('analyses.byDistrict')} className="section-card">
                <DistrictTable rows={r.districts} />
              </Card>
              <Card size="small" title={t('analyses.stations')} className="section-card">
                <StationsTable rows={r.stations} />
                {r.excluded.length > 0 && (
                  <div className="muted small analysis-note" data-testid="excluded">
                    {t('analyses.excluded')}:{' '}
                    {r.excluded
                      .map((x) =>
                        t(`analyses.excludedBecause.${x.reason}`, {
                          name: x.name,
                          status: nameIn(TEAM_STATUS_INFO[x.status], lang),
                        }),
                      )
                      .join(lang === 'en' ? '; ' : '；')}
                  </div>
                )}
              </Card>
            </>
          )}
        </ResultFrame>
      </Col>
    </Row>
  );
}

function MapKey({ reach, gap }: { reach?: boolean; gap?: boolean }) {
  const { t } = useTranslation('forces');
  return (
    <div className="map-key">
      {!gap && (
        <>
          <span className="key-swatch" style={{ background: COVERED }} /> {t('analyses.keyCovered')}
          <span className="key-swatch" style={{ background: UNCOVERED }} /> {t('analyses.keyUncovered')}
        </>
      )}
      {gap && (
        <>
          <span className="key-swatch" style={{ background: UNCOVERED }} /> {t('analyses.keyGap')}
        </>
      )}
      {reach && (
        <>
          <span className="key-swatch key-line" style={{ borderColor: REACH }} /> {t('analyses.keyReach')}
        </>
      )}
      <span className="key-swatch key-ring" /> {t('analyses.keyAlert')}
    </div>
  );
}

function StationsTable({ rows }: { rows: StationDistrict[] }) {
  const { t } = useTranslation('forces');
  const lang = useLang();
  return (
    <Table<StationDistrict>
      size="small"
      rowKey="id"
      className="dense-table"
      pagination={false}
      dataSource={rows}
      columns={[
        {
          title: t('analyses.station'),
          dataIndex: 'name',
          render: (v: string, s) => (
            <Space size={4}>
              <Link to={`/forces/teams/${s.id}`}>{v}</Link>
              {s.offNetwork && <Tag color="red">{t('analyses.offNetwork')}</Tag>}
              {s.suburban && <Tag>{t('field.suburban')}</Tag>}
            </Space>
          ),
        },
        {
          title: t('field.stationClass'),
          dataIndex: 'stationClass',
          width: 150,
          render: (c) => stationClassName(c, lang),
        },
        {
          title: t('analyses.districtKm2'),
          dataIndex: 'districtKm2',
          width: 170,
          align: 'right',
          render: (v: number, s) => (
            <span className={s.withinLimit === false ? 'over-limit' : undefined} data-within={String(s.withinLimit)}>
              {formatKm2(v)}
              {s.limitKm2 !== null ? ` / ≤ ${s.limitKm2}` : ''} km²
            </span>
          ),
        },
      ]}
    />
  );
}

function ForestTab() {
  const { t } = useTranslation('forces');
  const a = useAnalysis<ForestCoverageReply>('forest-coverage');
  const teams = useAllTeams();
  const r = a.result;
  const points = useMemo<MapPoint[]>(() => {
    const byId = new Map((teams.data?.items ?? []).map((x) => [x.id, x]));
    return (r?.teams ?? []).flatMap((x) => {
      const team = byId.get(x.id);
      if (!team) return [];
      return [
        {
          at: [team.location.coordinates[0], team.location.coordinates[1]] as [number, number],
          color: TEAM_TYPE_INFO[x.type].color,
          title: x.name,
          detail: `${t('analyses.reachedKm2')} ${formatKm2(x.reachedKm2)} km²`,
          alert: x.offNetwork,
        },
      ];
    });
  }, [r, teams.data, t]);
  return (
    <Row gutter={16}>
      <Col xs={24} lg={7} xxl={6}>
        <RunPanel
          path="forest-coverage"
          initial={{ minutes: 30, turnoutMinutes: 0 }}
          running={a.running}
          elapsed={a.elapsed}
          lastBody={a.body}
          hasResult={!!r}
          onRun={a.run}
        >
          <Form.Item name="minutes" label={t('analyses.minutes')}>
            <InputNumber min={1} max={240} suffix={t('unit.min')} style={{ width: '100%' }} />
          </Form.Item>
          <Form.Item name="turnoutMinutes" label={t('analyses.turnout')}>
            <InputNumber min={0} max={60} suffix={t('unit.min')} style={{ width: '100%' }} />
          </Form.Item>
          <Form.Item name="teamIds" label={t('analyses.teams')} tooltip={t('analyses.teamsHint')}>
            <TeamsPicker types={['forest_fire']} />
          </Form.Item>
        </RunPanel>
      </Col>
      <Col xs={24} lg={17} xxl={18}>
        <ResultFrame error={a.error} running={a.running}>
          {r && (
            <>
              <Headline
                share={r.coveredShare}
                items={[
                  { label: t('analyses.forestArea'), value: `${formatKm2(r.areaKm2)} km²` },
                  { label: t('analyses.coveredKm2'), value: `${formatKm2(r.coveredKm2)} km²` },
                ]}
              />
              <Card size="small" className="section-card map-card">
                <AnalysisMap covered={r.covered} uncovered={r.uncovered} points={points} />
                <MapKey />
              </Card>
              <Card size="small" title={t('analyses.byDistrict')} className="section-card">
                <DistrictTable
                  rows={r.districts}
                  extra={[
                    {
                      title: t('analyses.allReached'),
                      dataIndex: 'covered',
                      width: 200,
                      render: (c: boolean | null, d) =>
                        c === null ? (
                          <span className="muted">{t('analyses.noForest')}</span>
                        ) : c ? (
                          <Tag color="green">{t('analyses.yes')}</Tag>
                        ) : (
                          <span>
                            <Tag color="red">{t('analyses.no')}</Tag>
                            <span className="small">{d.missing.join('、')}</span>
                          </span>
                        ),
                    },
                  ]}
                />
              </Card>
              <Card size="small" title={t('analyses.forestAreas')} className="section-card">
                <Table
                  size="small"
                  rowKey={(x) => x.id ?? x.name}
                  pagination={false}
                  dataSource={r.areas}
                  columns={[
                    {
                      title: t('areas.name'),
                      dataIndex: 'name',
                      render: (v: string, x) => (
                        <Space size={4}>
                          {v}
                          {x.approximate && <Tag>{t('areas.approximate')}</Tag>}
                        </Space>
                      ),
                    },
                    { title: t('field.district'), dataIndex: 'district', width: 120, render: (v) => v ?? '—' },
                    {
                      title: t('analyses.areaKm2'),
                      dataIndex: 'areaKm2',
                      width: 100,
                      align: 'right',
                      render: formatKm2,
                    },
                    {
                      title: t('analyses.coveredShare'),
                      dataIndex: 'coveredShare',
                      width: 220,
                      render: (v: number) => <ShareBar share={v} />,
                    },
                    {
                      title: t('analyses.reached'),
                      dataIndex: 'reached',
                      width: 90,
                      render: (v: boolean) => (
                        <Tag color={v ? 'green' : 'red'}>{v ? t('analyses.yes') : t('analyses.no')}</Tag>
                      ),
                    },
                  ]}
                />
              </Card>
            </>
          )}
        </ResultFrame>
      </Col>
    </Row>
  );
}

function AviationTab() {
  const { t } = useTranslation('forces');
  const a = useAnalysis<AviationCoverageReply>('aviation-coverage');
  const r = a.result;
  const points = useMemo<MapPoint[]>(
    () =>
      (r?.bases ?? []).map((b) => ({
        at: [b.location[0], b.location[1]],
        color: TEAM_TYPE_INFO.aviation.color,
        title: b.name,
        detail: `${b.radiusKm} km`,
      })),
    [r],
  );
  const areas = useMemo(
    () => (r ? [...outlineFeatures(r.reach, REACH, 0.08), ...outlineFeatures(r.uncovered, UNCOVERED, 0.35)] : []),
    [r],
  );
  return (
    <Row gutter={16}>
      <Col xs={24} lg={7} xxl={6}>
        <RunPanel
          path="aviation-coverage"
          initial={{ includeSea: false }}
          running={a.running}
          elapsed={a.elapsed}
          lastBody={a.body}
          hasResult={!!r}
          onRun={a.run}
        >
          <Form.Item name="radiusKm" label={t('field.radiusKm')} tooltip={t('analyses.radiusHint')}>
            <InputNumber min={0} max={2000} placeholder="80" suffix="km" style={{ width: '100%' }} />
          </Form.Item>
          <Form.Item name="includeSea" label={t('analyses.includeSea')} valuePropName="checked">
            <Switch />
          </Form.Item>
          <Form.Item name="teamIds" label={t('analyses.teams')} tooltip={t('analyses.teamsHint')}>
            <TeamsPicker types={['aviation']} />
          </Form.Item>
        </RunPanel>
      </Col>
      <Col xs={24} lg={17} xxl={18}>
        <ResultFrame error={a.error} running={a.running}>
          {r && (
            <>
              <Headline
                share={r.coveredShare}
                items={[
                  {
                    label: r.includeSea ? t('analyses.landSea') : t('analyses.land'),
                    value: `${formatKm2(r.areaKm2)} km²`,
                  },
                  { label: t('analyses.coveredKm2'), value: `${formatKm2(r.coveredKm2)} km²` },
                  { label: t('analyses.bases'), value: String(r.bases.length) },
                ]}
              />
              <Card size="small" className="section-card map-card">
                <AnalysisMap areas={areas} points={points} />
                <MapKey reach gap />
              </Card>
              <Card size="small" title={t('analyses.byDistrict')} className="section-card">
                <DistrictTable rows={r.districts} />
              </Card>
            </>
          )}
        </ResultFrame>
      </Col>
    </Row>
  );
}

function ParksTab() {
  const { t } = useTranslation('forces');
  const lang = useLang();
  const a = useAnalysis<ChemicalParksReply>('chemical-parks');
  const parks = useAreas('chemical_park');
  const r = a.result;
  const areas = useMemo(() => {
    if (!r) return [];
    const ok = new Map(r.items.map((p) => [p.id, p.compliant]));
    return (parks.data?.items ?? []).flatMap((p) =>
      outlineFeatures(
        p.geometry,
        ok.get(p.id) === false ? UNCOVERED : ok.get(p.id) ? COVERED : AREA_KIND_INFO.chemical_park.color,
        0.3,
      ),
    );
  }, [r, parks.data]);
  const teams = useAllTeams();
  // the parks are small at city scale: each is also marked at its centre, ringed red when not compliant
  const points = useMemo<MapPoint[]>(() => {
    if (!r) return [];
    const byId = new Map((teams.data?.items ?? []).map((x) => [x.id, x]));
    const geometry = new Map((parks.data?.items ?? []).map((p) => [p.id, p.geometry]));
    const parkPoints = r.items.flatMap((p) => {
      const box = bboxOf(geometry.get(p.id));
      if (!box) return [];
      return [
        {
          at: [(box[0] + box[2]) / 2, (box[1] + box[3]) / 2] as [number, number],
          color: AREA_KIND_INFO.chemical_park.color,
          title: p.name,
          detail: p.compliant ? t('analyses.compliant') : t('analyses.notCompliant'),
          alert: !p.compliant,
        },
      ];
    });
    const seen = new Set<string>();
    const teamPoints = r.items.flatMap((p) =>
      p.teams.flatMap((x) => {
        const team = byId.get(x.id);
        if (!team || seen.has(x.id)) return [];
        seen.add(x.id);
        return [
          {
            at: [team.location.coordinates[0], team.location.coordinates[1]] as [number, number],
            color: TEAM_TYPE_INFO[x.type].color,
            title: x.name,
            detail: nameIn(TEAM_TYPE_INFO[x.type], lang),
          },
        ];
      }),
    );
    return [...parkPoints, ...teamPoints];
  }, [r, parks.data, teams.data, t, lang]);
  return (
    <Row gutter={16}>
      <Col xs={24} lg={7} xxl={6}>
        <RunPanel
          path="chemical-parks"
          initial={{ minutes: 10 }}
          running={a.running}
          elapsed={a.elapsed}
          lastBody={a.body}
          hasResult={!!r}
          onRun={a.run}
        >
          <Form.Item name="minutes" label={t('analyses.minutes')} tooltip={t('analyses.parksMinutesHint')}>
            <InputNumber min={0} max={120} suffix={t('unit.min')} style={{ width: '100%' }} />
          </Form.Item>
          <Form.Item name="teamIds" label={t('analyses.teams')} tooltip={t('analyses.teamsHint')}>
            <TeamsPicker types={['enterprise', 'professional']} />
          </Form.Item>
        </RunPanel>
      </Col>
      <Col xs={24} lg={17} xxl={18}>
        <ResultFrame error={a.error} running={a.running}>
          {r && (
            <>
              <div className="analysis-headline" data-testid="analysis-headline">
                <Statistic title={t('analyses.compliantParks')} value={r.compliant} suffix={`/ ${r.total}`} />
                <Statistic title={t('analyses.minutes')} value={`${r.minutes} ${t('unit.min')}`} />
              </div>
              <Row gutter={16}>
                <Col xs={24} xl={12}>
                  <Card size="small" className="section-card map-card">
                    <AnalysisMap areas={areas} points={points} height={420} />
                  </Card>
                </Col>
                <Col xs={24} xl={12}>
                  <Card size="small" title={t('analyses.compliance')} className="section-card">
                    <List
                      dataSource={r.items}
                      locale={{ emptyText: t('analyses.noParks') }}
                      renderItem={(p) => (
                        <List.Item data-testid="park-row">
                          <List.Item.Meta
                            title={
                              <Space>
                                {p.name}
                                <Tag color={p.compliant ? 'green' : 'red'}>
                                  {p.compliant ? t('analyses.compliant') : t('analyses.notCompliant')}
                                </Tag>
                              </Space>
                            }
                            description={
                              p.teams.length
                                ? p.teams
                                    .map(
                                      (x) =>
                                        `${x.name} · ${nameIn(TEAM_TYPE_INFO[x.type], lang)} · ${
                                          x.inside
                                            ? t('analyses.inside')
                                            : x.minutes === null
                                              ? t('analyses.unreachable')
                                              : t('analyses.driveMin', { minutes: x.minutes.toFixed(1) })
                                        }`,
                                    )
                                    .join('；')
                                : t('analyses.noTeam')
                            }
                          />
                        </List.Item>
                      )}
                    />
                  </Card>
                </Col>
              </Row>
            </>
          )}
        </ResultFrame>
      </Col>
    </Row>
  );
}

function SitingTab() {
  const { t } = useTranslation('forces');
  const a = useAnalysis<StationSitingReply>('station-siting');
  const r = a.result;
  const teams = useAllTeams();
  const points = useMemo<MapPoint[]>(() => {
    if (!r) return [];
    const existing = (teams.data?.items ?? [])
      .filter((x) => x.type === 'fire_rescue' && x.dispatchable)
      .map((x) => ({
        at: [x.location.coordinates[0], x.location.coordinates[1]] as [number, number],
        color: '#8c8c8c',
        title: x.name,
        detail: t('analyses.existing'),
      }));
    const sites = r.sites.map((s, i) => ({
      at: [s.location[0], s.location[1]] as [number, number],
      color: TEAM_TYPE_INFO.fire_rescue.color,
      title: t('analyses.site', { n: i + 1 }),
      detail: `+${formatShare(s.marginalShare, '—')}`,
    }));
    return [...existing, ...sites];
  }, [r, teams.data, t]);
  const areas = useMemo(() => (r ? outlineFeatures(r.reach, REACH, 0.18) : []), [r]);
  return (
    <Row gutter={16}>
      <Col xs={24} lg={7} xxl={6}>
        <RunPanel
          path="station-siting"
          initial={{ k: 3, minutes: 5, turnoutMinutes: 1, candidateCount: 300 }}
          running={a.running}
          elapsed={a.elapsed}
          lastBody={a.body}
          hasResult={!!r}
          onRun={a.run}
          showElapsed
        >
          <Form.Item name="k" label={t('analyses.k')} rules={[{ required: true }]}>
            <InputNumber min={1} max={50} precision={0} style={{ width: '100%' }} />
          </Form.Item>
          <Row gutter={8}>
            <Col span={12}>
              <Form.Item name="minutes" label={t('analyses.minutes')}>
                <InputNumber min={1} max={60} suffix={t('unit.min')} style={{ width: '100%' }} />
              </Form.Item>
            </Col>
            <Col span={12}>
              <Form.Item name="turnoutMinutes" label={t('analyses.turnout')}>
                <InputNumber min={0} max={30} suffix={t('unit.min')} style={{ width: '100%' }} />
              </Form.Item>
            </Col>
          </Row>
          <Form.Item name="targetShare" label={t('analyses.targetShare')} tooltip={t('analyses.targetHint')}>
            <InputNumber min={0} max={1} step={0.05} placeholder="0.8" style={{ width: '100%' }} />
          </Form.Item>
          <Form.Item name="candidateCount" label={t('analyses.candidateCount')}>
            <InputNumber min={10} max={3000} precision={0} style={{ width: '100%' }} />
          </Form.Item>
          <Form.Item name="teamIds" label={t('analyses.existingTeams')} tooltip={t('analyses.teamsHint')}>
            <TeamsPicker types={['fire_rescue']} />
          </Form.Item>
          {a.running && <div className="muted small analysis-hint">{t('analyses.sitingWait')}</div>}
        </RunPanel>
      </Col>
      <Col xs={24} lg={17} xxl={18}>
        <ResultFrame error={a.error} running={a.running}>
          {r && (
            <>
              <div className="analysis-headline" data-testid="analysis-headline">
                <Statistic title={t('analyses.before')} value={formatShare(r.coveredShareBefore, '—')} />
                <Statistic
                  title={t('analyses.after')}
                  value={formatShare(r.coveredShareAfter, '—')}
                  valueStyle={{ color: COVERED }}
                />
                <Statistic title={t('analyses.greedyAfter')} value={formatShare(r.greedy.coveredShareAfter, '—')} />
                <Statistic
                  title={t('analyses.proof')}
                  value={r.optimal ? t('analyses.optimal') : t('analyses.gap', { gap: formatShare(r.gap, '—') })}
                />
              </div>
              <Card size="small" className="section-card map-card">
                {/* fitted to the proposed sites and their reach: the existing stations are context */}
                <AnalysisMap areas={areas} points={points} fit={[r.reach, ...r.sites.map((s) => s.location)]} />
                <div className="map-key">
                  <span className="key-swatch" style={{ background: TEAM_TYPE_INFO.fire_rescue.color }} />{' '}
                  {t('analyses.keySites')}
                  <span className="key-swatch" style={{ background: '#8c8c8c' }} /> {t('analyses.existing')}
                  <span className="key-swatch key-line" style={{ borderColor: REACH }} /> {t('analyses.keyReach')}
                </div>
              </Card>
              <Row gutter={16}>
                <Col xs={24} xl={14}>
                  <Card size="small" title={t('analyses.sites')} className="section-card">
                    <Table
                      size="small"
                      rowKey={(_, i) => String(i)}
                      pagination={false}
                      dataSource={r.sites.map((s, i) => ({ ...s, n: i + 1 }))}
                      columns={[
                        { title: '#', dataIndex: 'n', width: 40 },
                        {
                          title: t('field.location'),
                          dataIndex: 'location',
                          render: (l: number[]) => (
                            <span className="mono">{`${l[0].toFixed(5)}, ${l[1].toFixed(5)}`}</span>
                          ),
                        },
                        {
                          title: t('analyses.marginal'),
                          dataIndex: 'marginalShare',
                          width: 140,
                          align: 'right',
                          render: (v: number) => `+${formatShare(v, '—')}`,
                        },
                      ]}
                    />
                  </Card>
                </Col>
                <Col xs={24} xl={10}>
                  <Card size="small" title={t('analyses.solver')} className="section-card">
                    <Descriptions
                      size="small"
                      column={1}
                      items={[
                        { key: 'status', label: t('analyses.status'), children: r.status },
                        { key: 'opt', label: t('analyses.objective'), children: r.objective.toFixed(3) },
                        { key: 'bound', label: t('analyses.bound'), children: r.bound.toFixed(3) },
                        { key: 'gap', label: t('analyses.gapLabel'), children: formatShare(r.gap, '—') },
                        { key: 'sec', label: t('analyses.seconds'), children: `${r.solverSeconds.toFixed(1)} s` },
                        {
                          key: 'greedy',
                          label: t('analyses.greedy'),
                          children: t('analyses.greedyText', {
                            after: formatShare(r.greedy.coveredShareAfter, '—'),
                            gap: formatShare(r.greedy.gap, '—'),
                          }),
                        },
                        {
                          key: 'size',
                          label: t('analyses.instance'),
                          children: t('analyses.instanceText', { candidates: r.candidates, cells: r.demandCells }),
                        },
                        ...(r.minSites
                          ? [
                              {
                                key: 'min',
                                label: t('analyses.minSites', { share: formatShare(r.minSites.targetShare, '—') }),
                                children: r.minSites.feasible
                                  ? `${r.minSites.count}${r.minSites.optimal ? '' : ` (${t('analyses.notProven')})`}`
                                  : t('analyses.infeasible'),
                              },
                            ]
                          : []),
                      ]}
                    />
                  </Card>
                </Col>
              </Row>
            </>
          )}
        </ResultFrame>
      </Col>
    </Row>
  );
}

const TAB_BODY: Record<Tab, () => ReactNode> = {
  fire: () => <FireTab />,
  forest: () => <ForestTab />,
  aviation: () => <AviationTab />,
  parks: () => <ParksTab />,
  siting: () => <SitingTab />,
};

/** The coverage analyses: one tab each; a tab keeps its answer while another is looked at. */
export function AnalysesPage() {
  const { t } = useTranslation('forces');
  const [params, setParams] = useSearchParams();
  const tab = (TABS as readonly string[]).includes(params.get('tab') ?? '') ? (params.get('tab') as Tab) : 'fire';
  const visited = useRef(new Set<Tab>());
  visited.current.add(tab);
  return (
    <div className="page" data-testid="analyses-page">
      <div className="page-head">
        <div>
          <Typography.Title level={4} className="page-title">
            {t('nav.analyses')}
          </Typography.Title>
          <div className="page-sub muted">{t(`analyses.sub.${tab}`)}</div>
        </div>
      </div>
      <Tabs
        activeKey={tab}
        onChange={(k) => setParams({ tab: k }, { replace: true })}
        destroyOnHidden={false}
        items={TABS.map((k) => ({
          key: k,
          label: <span data-testid={`tab-${k}`}>{t(`analyses.tab.${k}`)}</span>,
          children: visited.current.has(k) ? TAB_BODY[k]() : null,
        }))}
      />
    </div>
  );
}
