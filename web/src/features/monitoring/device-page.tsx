import { ArrowLeftOutlined, EditOutlined, KeyOutlined, VideoCameraOutlined } from '@ant-design/icons';
import {
  App,
  Button,
  Card,
  Col,
  DatePicker,
  Descriptions,
  Empty,
  List,
  Result,
  Row,
  Segmented,
  Space,
  Spin,
  Tag,
  Typography,
} from 'antd';
import type { Dayjs } from 'dayjs';
import dayjs from 'dayjs';
import { lazy, Suspense, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import {
  COLOUR_INFO,
  type Colour,
  DEVICE_PARAM_INFO,
  DEVICE_PARAMS,
  DEVICE_STATUS_INFO,
  type Device,
  METRIC_INFO,
  type Metric,
  RULE_FN_INFO,
  type RuleFn,
} from '../../../../contracts/monitoring.ts';
import { hazardName, WARNING_STATUS_INFO } from '../../../../contracts/warnings.ts';
import { can, useCurrentUser } from '../../api/auth.ts';
import { ApiError } from '../../api/client.ts';
import { errorMessage, useErrorReporter } from '../../components/errors.tsx';
import { useTheme } from '../../components/theme.ts';
import { formatTime } from '../../i18n/index.ts';
import { PointMap } from '../../map/point-map.tsx';
import { type ChartTexts, readingsChart, type Threshold } from './chart-option.ts';
import { DeviceFormDrawer } from './device-form-drawer.tsx';
import {
  ColourTag,
  DeviceStatusTag,
  formatValue,
  fromNow,
  kindName,
  LatestValues,
  metricName,
  nameIn,
  useDistrictLabel,
  useLang,
  windowText,
} from './labels.tsx';
import { rotateToken, useDevice, useDeviceWarnings, useReadings } from './monitoring-api.ts';
import { TokenModal } from './token-modal.tsx';

const ReadingsChart = lazy(() => import('./readings-chart.tsx'));

type Preset = '24h' | '7d' | '30d' | 'custom';
const PRESET_HOURS: Record<Exclude<Preset, 'custom'>, number> = { '24h': 24, '7d': 24 * 7, '30d': 24 * 30 };
/** Up to this many days the chart shows every reading; beyond, the hourly roll-ups. */
const RAW_DAYS = 7;

function cssVar(name: string, fallback: string): string {
  const v = getComputedStyle(document.documentElement).getPropertyValue(name).trim();
  return v || fallback;
}

export function DevicePage() {
  const { id = '' } = useParams();
  const { t } = useTranslation('monitoring');
  const device = useDevice(id);
  if (device.isPending)
    return (
      <div className="page full-center-inner">
        <Spin />
      </div>
    );
  if (device.isError || !device.data) {
    const notFound = device.error instanceof ApiError && device.error.status === 404;
    return (
      <div className="page">
        <Result
          status={notFound ? '404' : 'warning'}
          title={notFound ? t('device.notFound') : t('common:loadFailed')}
          subTitle={notFound ? undefined : errorMessage(device.error)}
          extra={
            <Link to="/monitoring/devices">
              <Button>{t('device.back')}</Button>
            </Link>
          }
        />
      </div>
    );
  }
  return <DeviceView device={device.data} />;
}

function DeviceView({ device }: { device: Device }) {
  const { t } = useTranslation('monitoring');
  const lang = useLang();
  const user = useCurrentUser();
  const { modal } = App.useApp();
  const report = useErrorReporter();
  const districtLabel = useDistrictLabel();
  const [editing, setEditing] = useState(false);
  const [token, setToken] = useState<{ deviceId: string; name: string; token: string } | null>(null);
  const manage = can(user, 'monitoring.manage');

  const rotate = () =>
    modal.confirm({
      title: t('device.rotateTitle'),
      content: t('device.rotateBody'),
      okText: t('device.rotate'),
      okButtonProps: { danger: true },
      cancelText: t('common:cancel'),
      onOk: async () => {
        try {
          const r = await rotateToken(device.id);
          setToken({ deviceId: device.id, name: device.name, token: r.token });
        } catch (err) {
          report(err);
        }
      },
    });

  const params = DEVICE_PARAMS.filter((p) => typeof device.params[p] === 'number');
  const point = device.location.coordinates as [number, number];

  return (
    <div className="page">
      <div className="page-head">
        <div>
          <Link to="/monitoring/devices" className="back-link">
            <ArrowLeftOutlined /> {t('nav.devices')}
          </Link>
          <Typography.Title level={4} className="page-title" style={{ marginTop: 4 }}>
            <Space size={8} wrap>
              {device.warningColour && device.warningColour in COLOUR_INFO && (
                <ColourTag colour={device.warningColour as Colour} />
              )}
              <span data-testid="device-name">{device.name}</span>
              <DeviceStatusTag status={device.status} />
              {device.demo && <span className="demo-mark">{t('common:demoShort')}</span>}
            </Space>
          </Typography.Title>
          <div className="page-sub">
            {kindName(device.kind, lang)}
            {device.code && <span className="mono"> · {device.code}</span>} · {t('field.lastSeen')}{' '}
            <span title={formatTime(device.lastSeenAt, true)}>{fromNow(device.lastSeenAt)}</span>
          </div>
        </div>
        <Space wrap>
          {device.kind === 'camera' && device.streamUrl && (
            <Button icon={<VideoCameraOutlined />} href={device.streamUrl} target="_blank" rel="noreferrer">
              {t('device.openStream')}
            </Button>
          )}
          {manage && (
            <Button icon={<KeyOutlined />} onClick={rotate} data-testid="rotate-token">
              {t('device.rotate')}
            </Button>
          )}
          {manage && (
            <Button type="primary" icon={<EditOutlined />} onClick={() => setEditing(true)} data-testid="edit-device">
              {t('common:edit')}
            </Button>
          )}
        </Space>
      </div>
      <Row gutter={[16, 16]}>
        <Col xs={24} xl={16}>
          <ReadingsCard device={device} />
        </Col>
        <Col xs={24} xl={8}>
          <Card size="small" title={t('device.latest')} className="section-card">
            <LatestValues device={device} />
          </Card>
          <DeviceWarnings device={device} />
        </Col>
        <Col xs={24} xl={16}>
          <Card size="small" title={t('device.facts')} className="section-card">
            <Descriptions size="small" column={{ xs: 1, md: 2 }} data-testid="device-facts">
              <Descriptions.Item label={t('field.kind')}>{kindName(device.kind, lang)}</Descriptions.Item>
              <Descriptions.Item label={t('field.code')}>
                <span className="mono">{device.code ?? '—'}</span>
              </Descriptions.Item>
              <Descriptions.Item label={t('field.district')}>{districtLabel(device.district)}</Descriptions.Item>
              <Descriptions.Item label={t('field.ownerUnit')}>
                {device.ownerUnit ? (lang === 'en' ? device.ownerUnit.nameEn : device.ownerUnit.name) : '—'}
              </Descriptions.Item>
              <Descriptions.Item label={t('field.location')}>
                <span className="mono">
                  {point[0].toFixed(5)}, {point[1].toFixed(5)}
                </span>
              </Descriptions.Item>
              <Descriptions.Item label={t('field.status')}>
                {nameIn(DEVICE_STATUS_INFO[device.status], lang)}
                {!device.enabled && ` · ${t('device.disabled')}`}
              </Descriptions.Item>
              <Descriptions.Item label={t('field.metrics')}>
                {device.metrics.length
                  ? device.metrics
                      .map((m) => `${metricName(m, lang)} (${METRIC_INFO[m as Metric]?.unit || '—'})`)
                      .join(', ')
                  : '—'}
              </Descriptions.Item>
              <Descriptions.Item label={t('field.offlineAfter')}>
                {t('device.minutes', { n: device.offlineAfterMinutes })}
              </Descriptions.Item>
              <Descriptions.Item label={t('device.id')}>
                <Typography.Text className="mono small" copyable>
                  {device.id}
                </Typography.Text>
              </Descriptions.Item>
              <Descriptions.Item label={t('device.createdAt')}>{formatTime(device.createdAt)}</Descriptions.Item>
              {device.streamUrl && (
                <Descriptions.Item label={t('field.streamUrl')} span={2}>
                  <span className="mono small">{device.streamUrl}</span>
                </Descriptions.Item>
              )}
              {device.notes && (
                <Descriptions.Item label={t('field.notes')} span={2}>
                  <span className="pre-wrap">{device.notes}</span>
                </Descriptions.Item>
              )}
            </Descriptions>
          </Card>
        </Col>
        <Col xs={24} xl={8}>
          <Card size="small" title={t('field.params')} className="section-card">
            {params.length ? (
              <Descriptions size="small" column={1}>
                {params.map((p) => (
                  <Descriptions.Item key={p} label={nameIn(DEVICE_PARAM_INFO[p], lang)}>
                    <span className="mono">
                      {device.params[p]} {DEVICE_PARAM_INFO[p].unit}
                    </span>
                  </Descriptions.Item>
                ))}
              </Descriptions>
            ) : (
              <span className="muted">{t('device.noParams')}</span>
            )}
          </Card>
          <Card size="small" className="section-card" styles={{ body: { padding: 0 } }}>
            <PointMap point={point} color={DEVICE_STATUS_INFO[device.status].color} height={220} />
          </Card>
        </Col>
      </Row>
      <DeviceFormDrawer open={editing} device={device} onClose={() => setEditing(false)} />
      <TokenModal shown={token} onClose={() => setToken(null)} />
    </div>
  );
}

function ReadingsCard({ device }: { device: Device }) {
  const { t } = useTranslation('monitoring');
  const lang = useLang();
  const [metric, setMetric] = useState<Metric | undefined>(device.metrics[0] as Metric | undefined);
  const [preset, setPreset] = useState<Preset>('24h');
  const [custom, setCustom] = useState<[Dayjs, Dayjs] | null>(null);
  // the range, fixed when chosen (not moving with every render): a new choice or a refresh reads again
  const [anchor, setAnchor] = useState(() => dayjs().toISOString());
  const { from, to } = useMemo(() => {
    if (preset === 'custom' && custom) return { from: custom[0].toISOString(), to: custom[1].toISOString() };
    const hours = preset === 'custom' ? 24 : PRESET_HOURS[preset];
    return { from: dayjs(anchor).subtract(hours, 'hour').toISOString(), to: anchor };
  }, [preset, custom, anchor]);
  const days = dayjs(to).diff(dayjs(from), 'day', true);
  const resolution = days > RAW_DAYS ? 'hour' : 'raw';
  // a preset ends now and keeps up with new readings; a custom range is what it says
  const readings = useReadings(device.id, metric, from, preset === 'custom' && custom ? to : null, resolution);

  const texts = useMemo((): ChartTexts => {
    const fnText = (th: Threshold) => {
      const fn = RULE_FN_INFO[th.fn as RuleFn];
      const name = fn ? nameIn(fn, lang) : th.fn;
      const w = fn?.window ? windowText(th.windowMinutes, lang) : '';
      return w ? `${w} ${name}` : name;
    };
    return {
      value: t('chart.value'),
      mean: t('chart.mean'),
      total: t('chart.total'),
      range: t('chart.range'),
      min: t('chart.min'),
      max: t('chart.max'),
      threshold: (th) =>
        `${th.colour in COLOUR_INFO ? nameIn(COLOUR_INFO[th.colour as Colour], lang) : th.colour} · ${fnText(th)} ${
          metric ? formatValue(metric, th.value, lang) : th.value
        }`,
      format: (v) => (metric ? formatValue(metric, v, lang) : String(v)),
      time: (iso) => formatTime(iso),
    };
  }, [t, lang, metric]);
  // the chart's axes take the theme's colours: a switch of theme draws it again
  const theme = useTheme();
  const model = useMemo(
    () =>
      theme && readings.data
        ? readingsChart(readings.data, texts, {
            text: cssVar('--text-3', '#595959'),
            axis: cssVar('--border', '#e5e8ed'),
            split: cssVar('--divider', '#f0f0f0'),
            line: cssVar('--brand', '#0b5cad'),
          })
        : null,
    [readings.data, texts, theme],
  );

  if (!device.metrics.length)
    return (
      <Card size="small" title={t('chart.title')} className="section-card">
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('chart.noMetrics')} />
      </Card>
    );

  return (
    <Card
      size="small"
      className="section-card"
      title={t('chart.title')}
      extra={
        <Space wrap size={8}>
          {preset === 'custom' && (
            <DatePicker.RangePicker
              size="small"
              showTime={{ format: 'HH:mm' }}
              format="YYYY-MM-DD HH:mm"
              value={custom}
              onChange={(v) => setCustom(v?.[0] && v[1] ? [v[0], v[1]] : null)}
              data-testid="readings-custom-range"
            />
          )}
          <Segmented<Preset>
            size="small"
            value={preset}
            onChange={(v) => {
              setPreset(v);
              setAnchor(dayjs().toISOString());
            }}
            options={[
              { value: '24h', label: t('chart.preset.24h') },
              { value: '7d', label: t('chart.preset.7d') },
              { value: '30d', label: t('chart.preset.30d') },
              { value: 'custom', label: t('chart.preset.custom') },
            ]}
            data-testid="readings-range"
          />
        </Space>
      }
    >
      <div className="chart-toolbar">
        <Segmented<Metric>
          value={metric}
          onChange={setMetric}
          options={device.metrics.map((m) => ({ value: m as Metric, label: metricName(m, lang) }))}
          data-testid="readings-metric"
        />
        <span className="muted small">
          {resolution === 'hour' ? t('chart.hourly') : t('chart.raw')}
          {model ? ` · ${t('chart.points', { count: model.count })}` : ''}
        </span>
      </div>
      {readings.isError ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={errorMessage(readings.error)} />
      ) : !model ? (
        <div className="full-center-inner" style={{ height: 340 }}>
          <Spin />
        </div>
      ) : model.count === 0 ? (
        <Empty
          image={Empty.PRESENTED_IMAGE_SIMPLE}
          description={t('chart.empty')}
          style={{ height: 300, paddingTop: 80 }}
          data-testid="readings-empty"
        />
      ) : (
        <Suspense
          fallback={
            <div className="full-center-inner" style={{ height: 340 }}>
              <Spin />
            </div>
          }
        >
          <ReadingsChart option={model.option} />
        </Suspense>
      )}
      {model && (model.drawn.length > 0 || model.notDrawn.length > 0) && (
        <div className="threshold-list" data-testid="threshold-list">
          <span className="muted">{t('chart.thresholds')}</span>
          {[...model.drawn, ...model.notDrawn].map((th) => (
            <Tag
              key={`${th.colour}-${th.fn}-${th.windowMinutes}-${th.value}-${th.hazardCode}`}
              className="threshold-tag"
              title={hazardName(th.hazardCode, lang)}
            >
              <span
                className="threshold-swatch"
                style={{
                  background: COLOUR_INFO[th.colour as Colour]?.color ?? '#999',
                  opacity: model.notDrawn.includes(th) ? 0.45 : 1,
                }}
              />
              {texts.threshold(th)}
            </Tag>
          ))}
          {model.notDrawn.length > 0 && <span className="muted small">{t('chart.notDrawn')}</span>}
        </div>
      )}
    </Card>
  );
}

function DeviceWarnings({ device }: { device: Device }) {
  const { t } = useTranslation('monitoring');
  const lang = useLang();
  const user = useCurrentUser();
  const readable = can(user, 'warnings.read');
  const warnings = useDeviceWarnings(device.id, readable);
  if (!readable) return null;
  const items = [...(warnings.data?.items ?? [])].sort((a, b) => {
    const active = (s: string) => (s === 'lifted' ? 1 : 0);
    return active(a.status) - active(b.status) || (a.raisedAt < b.raisedAt ? 1 : -1);
  });
  return (
    <Card size="small" title={t('device.warnings')} className="section-card" data-testid="device-warnings">
      <List
        size="small"
        loading={warnings.isPending}
        dataSource={items}
        locale={{ emptyText: t('device.noWarnings') }}
        renderItem={(w) => (
          <List.Item
            className={w.status === 'lifted' ? 'warning-row lifted' : 'warning-row'}
            extra={<span className="muted small">{nameIn(WARNING_STATUS_INFO[w.status], lang)}</span>}
          >
            <Space size={6} wrap>
              <ColourTag colour={w.colour} />
              <Link to={`/warnings?open=${w.id}`}>{hazardName(w.hazardCode, lang)}</Link>
              <span className="muted small mono">{formatTime(w.raisedAt)}</span>
            </Space>
          </List.Item>
        )}
      />
    </Card>
  );
}
