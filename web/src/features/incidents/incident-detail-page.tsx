import { ArrowLeftOutlined, EditOutlined, FlagOutlined, RollbackOutlined, SendOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  App,
  Button,
  Card,
  Col,
  Descriptions,
  Empty,
  Form,
  Input,
  Modal,
  Result,
  Row,
  Select,
  Space,
  Spin,
  Tag,
  Timeline,
  Typography,
} from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { can, useCurrentUser } from '../../api/auth.ts';
import { ApiError } from '../../api/client.ts';
import {
  DATUM_INFO,
  describeLogEntry,
  eventTypeName,
  type Incident,
  LEVELS,
  type Level,
  type Status,
} from '../../api/contracts.ts';
import {
  addLogNote,
  incidentKeys,
  patchIncident,
  transitionIncident,
  upsertIncidentInCache,
  useDistrictName,
  useIncident,
  useIncidentLog,
} from '../../api/incidents.ts';
import { Attachments } from '../../components/attachments.tsx';
import { applyServerError, errorMessage, useErrorReporter } from '../../components/errors.tsx';
import { formatTime } from '../../i18n/index.ts';
import { PointMap } from '../../map/point-map.tsx';
import { incidentActions } from './incident-actions.ts';
import { IncidentFormDrawer } from './incident-form-drawer.tsx';
import { IncidentPanels } from './incident-panels.tsx';
import {
  ExerciseTag,
  LevelTag,
  levelColor,
  StatusTag,
  useCategoryLabel,
  useLevelLabel,
  useStatusLabel,
} from './tags.tsx';

const LOG_COLORS: Record<string, string> = {
  created: 'blue',
  status: 'green',
  level: 'red',
  note: 'gray',
  updated: 'blue',
  acknowledged: 'orange',
};

export function IncidentDetailPage() {
  const { id = '' } = useParams();
  const { t } = useTranslation('incidents');
  const incident = useIncident(id);

  if (incident.isPending)
    return (
      <div className="page full-center-inner">
        <Spin />
      </div>
    );
  if (incident.isError || !incident.data) {
    const notFound = incident.error instanceof ApiError && incident.error.status === 404;
    return (
      <div className="page">
        <Result
          status={notFound ? '404' : 'warning'}
          title={notFound ? t('detail.notFound') : t('common:loadFailed')}
          subTitle={notFound ? undefined : errorMessage(incident.error)}
          extra={
            <Link to="/incidents">
              <Button>{t('detail.backToList')}</Button>
            </Link>
          }
        />
      </div>
    );
  }
  return <IncidentDetail incident={incident.data} />;
}

function IncidentDetail({ incident }: { incident: Incident }) {
  const { t, i18n } = useTranslation('incidents');
  const en = i18n.language === 'en';
  const user = useCurrentUser();
  const qc = useQueryClient();
  const report = useErrorReporter();
  const { message, modal } = App.useApp();
  const statusLabel = useStatusLabel();
  const levelLabel = useLevelLabel();
  const categoryLabel = useCategoryLabel();
  const districtName = useDistrictName();
  const [editing, setEditing] = useState(false);
  const [levelOpen, setLevelOpen] = useState(false);
  const [transitionTo, setTransitionTo] = useState<Status | null>(null);
  const reload = () => void qc.invalidateQueries({ queryKey: incidentKeys.detail(incident.id) });

  const saved = (i: Incident) => upsertIncidentInCache(qc, i);

  const removeOverride = () =>
    modal.confirm({
      title: t('level.removeOverrideTitle'),
      content: t('level.removeOverrideBody', { level: levelLabel(incident.computedLevel, true) }),
      okText: t('level.removeOverride'),
      cancelText: t('common:cancel'),
      onOk: async () => {
        try {
          saved(await patchIncident(incident.id, { level: null, version: incident.version }));
          void message.success(t('level.overrideRemoved'));
        } catch (err) {
          report(err, reload);
        }
      },
    });

  const c = incident.casualties;
  const actions = incidentActions(incident, (p) => can(user, p));
  const next = actions.transitions;
  const point = incident.location?.coordinates as [number, number] | undefined;

  return (
    <div className="page" data-testid="incident-detail">
      <div className="page-head">
        <div className="detail-head">
          <Link to="/incidents" className="back-link">
            <ArrowLeftOutlined /> {t('detail.backToList')}
          </Link>
          <Typography.Title level={4} className="page-title">
            <span className="mono detail-number">{incident.number}</span>
            {incident.title}
            <ExerciseTag exercise={incident.exercise} />
          </Typography.Title>
          <Space size={8} wrap>
            <LevelTag level={incident.level} override={!!incident.levelOverride} long />
            <StatusTag status={incident.status} />
            {incident.mergedInto ? (
              <Tag>{t('duplicates.mergedTag')}</Tag>
            ) : incident.possibleDuplicateOf.length > 0 ? (
              <Tag color="orange">{t('duplicates.tag')}</Tag>
            ) : null}
            <span className="muted">
              {incident.typeCode} {eventTypeName(incident.typeCode, en ? 'en' : 'zh')} ·{' '}
              {categoryLabel(incident.category)}
            </span>
            {incident.demo && <span className="demo-mark">{t('common:demo')}</span>}
          </Space>
        </div>
        <Space wrap>
          {actions.edit && (
            <Button icon={<EditOutlined />} onClick={() => setEditing(true)} data-testid="edit-incident">
              {t('common:edit')}
            </Button>
          )}
          {actions.level && (
            <Button icon={<FlagOutlined />} onClick={() => setLevelOpen(true)} data-testid="adjust-level">
              {t('level.adjust')}
            </Button>
          )}
          {next.map((s) => (
            <Button
              key={s}
              type={s === 'closed' ? 'default' : 'primary'}
              danger={s === 'closed'}
              onClick={() => setTransitionTo(s)}
              data-testid={`transition-${s}`}
            >
              {s === 'closed' ? t('transition.close') : t('transition.to', { status: statusLabel(s) })}
            </Button>
          ))}
        </Space>
      </div>

      <Row gutter={16}>
        <Col xs={24} xl={15}>
          <Card size="small" title={t('detail.level')} className="section-card">
            <div className="level-panel">
              <div className="level-big" style={{ borderColor: levelColor(incident.level) }}>
                <div className="level-big-label">{t('detail.levelInForce')}</div>
                <LevelTag level={incident.level} long />
              </div>
              <div className="level-basis">
                <div>
                  <span className="muted">{t('detail.computedLevel')}：</span>
                  <LevelTag level={incident.computedLevel} long />
                </div>
                <div className="basis-text">
                  <span className="muted">{t('detail.levelBasis')}：</span>
                  {(en ? incident.levelBasisEn : incident.levelBasis) || '—'}
                </div>
                <Link to="/admin/level-rules" className="level-rules-link" data-testid="view-level-rules">
                  {t('detail.viewLevelRules')}
                </Link>
              </div>
            </div>
            {incident.levelOverride && (
              <Alert
                type="warning"
                showIcon
                style={{ marginTop: 12 }}
                title={t('level.overrideBy', {
                  level: levelLabel(incident.levelOverride.level, true),
                  by: incident.levelOverride.by,
                  at: formatTime(incident.levelOverride.at),
                })}
                description={`${t('level.reason')}：${incident.levelOverride.reason}`}
                action={
                  can(user, 'incidents.level') ? (
                    <Button
                      size="small"
                      icon={<RollbackOutlined />}
                      onClick={removeOverride}
                      data-testid="remove-override"
                    >
                      {t('level.removeOverride')}
                    </Button>
                  ) : undefined
                }
              />
            )}
          </Card>

          <Card size="small" title={t('detail.basics')} className="section-card">
            <Descriptions
              size="small"
              column={{ xs: 1, md: 2 }}
              bordered
              items={[
                {
                  key: 'number',
                  label: t('field.number'),
                  children: <span className="mono">{incident.number}</span>,
                },
                { key: 'status', label: t('field.status'), children: <StatusTag status={incident.status} /> },
                {
                  key: 'type',
                  label: t('field.type'),
                  children: `${incident.typeCode} ${eventTypeName(incident.typeCode, en ? 'en' : 'zh')}`,
                },
                { key: 'category', label: t('field.category'), children: categoryLabel(incident.category) },
                { key: 'occurredAt', label: t('field.occurredAt'), children: formatTime(incident.occurredAt) },
                { key: 'reportedAt', label: t('field.reportedAt'), children: formatTime(incident.reportedAt) },
                {
                  key: 'district',
                  label: t('field.district'),
                  children: districtName(incident),
                },
                {
                  key: 'location',
                  label: t('field.location'),
                  children: point ? (
                    <>
                      <span className="mono">
                        {point[0].toFixed(5)}, {point[1].toFixed(5)}
                      </span>
                      {incident.locationEntered && (
                        // how it was entered, when another datum was converted
                        <div className="muted" data-testid="location-entered">
                          {t('detail.locationEntered', {
                            datum: DATUM_INFO[incident.locationEntered.datum][en ? 'en' : 'zh'],
                            coordinates: incident.locationEntered.coordinates.join(', '),
                          })}
                        </div>
                      )}
                    </>
                  ) : (
                    '—'
                  ),
                },
                { key: 'address', label: t('field.address'), children: incident.address || '—', span: 2 },
                {
                  key: 'description',
                  label: t('field.description'),
                  children: <div className="pre-wrap">{incident.description || '—'}</div>,
                  span: 2,
                },
                {
                  key: 'reporter',
                  label: t('field.reporter'),
                  span: 2,
                  children:
                    [incident.reporter?.name, incident.reporter?.unit, incident.reporter?.phone]
                      .filter(Boolean)
                      .join(' · ') || '—',
                },
                {
                  key: 'updatedAt',
                  label: t('field.updatedAt'),
                  children: formatTime(incident.updatedAt, true),
                },
                { key: 'version', label: t('field.version'), children: incident.version },
              ]}
            />
          </Card>

          <Card size="small" title={t('field.casualties')} className="section-card">
            <div className="casualty-grid">
              {(['deaths', 'missing', 'seriouslyInjured', 'injured', 'affected', 'relocated'] as const).map((k) => (
                <div
                  key={k}
                  className={`casualty-cell${c[k] && (k === 'deaths' || k === 'missing') ? ' serious' : ''}`}
                >
                  <div className="casualty-value">{c[k]}</div>
                  <div className="casualty-label">{t(`casualty.${k}`)}</div>
                </div>
              ))}
              <div className="casualty-cell">
                <div className="casualty-value">{incident.directLossWan}</div>
                <div className="casualty-label">{t('field.directLossWan')}</div>
              </div>
            </div>
          </Card>
        </Col>
        <Col xs={24} xl={9}>
          <Card size="small" title={t('field.location')} className="section-card">
            {point ? (
              <PointMap point={point} color={levelColor(incident.level)} />
            ) : (
              <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('detail.noLocation')} />
            )}
          </Card>
          <Card size="small" title={t('detail.attachments')} className="section-card">
            <Attachments entity="incident" entityId={incident.id} canAttach={can(user, 'incidents.log')} />
          </Card>
          <LogCard incident={incident} canWrite={can(user, 'incidents.log')} en={en} />
        </Col>
      </Row>
      <IncidentPanels incident={incident} />

      <IncidentFormDrawer open={editing} incident={incident} onClose={() => setEditing(false)} />
      <LevelModal open={levelOpen} incident={incident} onClose={() => setLevelOpen(false)} onSaved={saved} />
      <TransitionModal to={transitionTo} incident={incident} onClose={() => setTransitionTo(null)} onSaved={saved} />
    </div>
  );
}

function LogCard({ incident, canWrite, en }: { incident: Incident; canWrite: boolean; en: boolean }) {
  const { t } = useTranslation('incidents');
  const log = useIncidentLog(incident.id);
  const qc = useQueryClient();
  const report = useErrorReporter();
  const [text, setText] = useState('');
  const [busy, setBusy] = useState(false);

  const add = async () => {
    if (!text.trim()) return;
    setBusy(true);
    try {
      await addLogNote(incident.id, text.trim());
      setText('');
      await qc.invalidateQueries({ queryKey: incidentKeys.log(incident.id) });
    } catch (err) {
      report(err);
    } finally {
      setBusy(false);
    }
  };

  const lang = en ? 'en' : 'zh';
  const items = [...(log.data?.items ?? [])].sort((a, b) => (a.at < b.at ? 1 : -1));
  return (
    <Card size="small" title={t('log.title')} className="section-card" data-testid="incident-log">
      {canWrite && (
        <div className="log-input">
          <Input.TextArea
            value={text}
            onChange={(e) => setText(e.target.value)}
            placeholder={t('log.placeholder')}
            autoSize={{ minRows: 2, maxRows: 5 }}
            maxLength={5000}
            onKeyDown={(e) => {
              if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) void add();
            }}
            data-testid="log-input"
          />
          <div className="log-input-actions">
            <span className="muted">{t('log.ctrlEnter')}</span>
            <Button
              type="primary"
              size="small"
              icon={<SendOutlined />}
              loading={busy}
              onClick={add}
              disabled={!text.trim()}
            >
              {t('log.add')}
            </Button>
          </div>
        </div>
      )}
      {log.isPending ? (
        <Spin />
      ) : log.isError ? (
        <Alert type="error" showIcon title={errorMessage(log.error)} />
      ) : items.length === 0 ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('log.empty')} />
      ) : (
        <Timeline
          className="log-timeline"
          items={items.map((e) => ({
            key: e.id,
            color: LOG_COLORS[e.kind] ?? 'gray',
            content: (
              <div className="log-entry">
                <div className="log-meta">
                  <span className="mono">{formatTime(e.at, true)}</span>
                  <span>{e.actor?.displayName ?? t('log.system')}</span>
                  <span className="log-kind">{t(`log.kind.${e.kind}`, { defaultValue: e.kind })}</span>
                </div>
                <div className="pre-wrap">{describeLogEntry(e.kind, e.data, lang) ?? e.text}</div>
              </div>
            ),
          }))}
        />
      )}
    </Card>
  );
}

function LevelModal({
  open,
  incident,
  onClose,
  onSaved,
}: {
  open: boolean;
  incident: Incident;
  onClose: () => void;
  onSaved: (i: Incident) => void;
}) {
  const { t, i18n } = useTranslation('incidents');
  const [form] = Form.useForm<{ level: Level; levelReason: string }>();
  const [busy, setBusy] = useState(false);
  const levelLabel = useLevelLabel();
  const report = useErrorReporter();
  const { message } = App.useApp();

  const submit = async () => {
    const v = await form.validateFields();
    setBusy(true);
    try {
      onSaved(
        await patchIncident(incident.id, {
          level: v.level,
          levelReason: v.levelReason.trim(),
          version: incident.version,
        }),
      );
      void message.success(t('level.saved'));
      onClose();
    } catch (err) {
      if (!applyServerError(form, err, ['level', 'levelReason']))
        report(err, { refetch: incidentKeys.detail(incident.id), close: onClose });
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal
      open={open}
      title={t('level.adjust')}
      onOk={submit}
      onCancel={onClose}
      okText={t('common:save')}
      cancelText={t('common:cancel')}
      confirmLoading={busy}
      destroyOnHidden
    >
      <p className="muted">
        {t('detail.computedLevel')}：{levelLabel(incident.computedLevel, true)} —{' '}
        {i18n.language === 'en' ? incident.levelBasisEn : incident.levelBasis}
      </p>
      <Form
        form={form}
        layout="vertical"
        preserve={false}
        initialValues={{ level: incident.levelOverride?.level ?? incident.level ?? undefined }}
      >
        <Form.Item name="level" label={t('field.level')} rules={[{ required: true }]}>
          <Select options={LEVELS.map((l) => ({ value: l, label: levelLabel(l, true) }))} />
        </Form.Item>
        <Form.Item
          name="levelReason"
          label={t('level.reason')}
          rules={[{ required: true, whitespace: true, message: t('level.reasonRequired') }]}
        >
          <Input.TextArea autoSize={{ minRows: 3 }} maxLength={1000} autoFocus />
        </Form.Item>
      </Form>
    </Modal>
  );
}

function TransitionModal({
  to,
  incident,
  onClose,
  onSaved,
}: {
  to: Status | null;
  incident: Incident;
  onClose: () => void;
  onSaved: (i: Incident) => void;
}) {
  const { t } = useTranslation('incidents');
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);
  const statusLabel = useStatusLabel();
  const report = useErrorReporter();
  const { message } = App.useApp();

  const submit = async () => {
    if (!to) return;
    setBusy(true);
    try {
      onSaved(await transitionIncident(incident.id, to, incident.version, note.trim()));
      void message.success(t('transition.done', { status: statusLabel(to) }));
      setNote('');
      onClose();
    } catch (err) {
      report(err, { refetch: incidentKeys.detail(incident.id), close: onClose });
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal
      open={!!to}
      title={to ? t('transition.confirmTitle', { from: statusLabel(incident.status), to: statusLabel(to) }) : ''}
      onOk={submit}
      onCancel={onClose}
      okText={t('common:confirm')}
      cancelText={t('common:cancel')}
      okButtonProps={{ danger: to === 'closed', 'data-testid': 'transition-confirm' } as never}
      confirmLoading={busy}
      destroyOnHidden
    >
      <Input.TextArea
        value={note}
        onChange={(e) => setNote(e.target.value)}
        placeholder={t('transition.notePlaceholder')}
        autoSize={{ minRows: 3 }}
        maxLength={2000}
        autoFocus
      />
    </Modal>
  );
}
