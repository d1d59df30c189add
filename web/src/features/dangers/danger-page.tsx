import { useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  Button,
  Card,
  Col,
  DatePicker,
  Descriptions,
  Form,
  Input,
  InputNumber,
  Modal,
  Result,
  Row,
  Select,
  Skeleton,
  Space,
  Tag,
  Timeline,
  Typography,
} from 'antd';
import type dayjs from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import {
  DANGER_ACTION_INFO,
  DANGER_STATUS_INFO,
  type DangerAction,
  type DangerDetail,
  type DangerStatus,
  type HiddenDanger,
} from '../../../../contracts/dangers.ts';
import { can, useCurrentUser } from '../../api/auth.ts';
import { api } from '../../api/client.ts';
import { useUnits } from '../../api/org.ts';
import { Attachments } from '../../components/attachments.tsx';
import { applyServerError, errorMessage, useErrorReporter } from '../../components/errors.tsx';
import { formatTime } from '../../i18n/index.ts';
import { dangerKeys, useDanger } from './dangers-api.ts';
import { GradeTag, StatusTag, useDangerNames } from './labels.tsx';

const PRIMARY: DangerAction[] = ['assign', 'start', 'submit', 'verify', 'close'];

/** The form of one step: what it asks for (assign: who, by when, how; submit: what was done; reject/cancel: why). */
function StepModal({
  danger,
  action,
  onClose,
}: {
  danger: HiddenDanger;
  action: DangerAction | null;
  onClose: () => void;
}) {
  const { t } = useTranslation('dangers');
  const names = useDangerNames();
  const [form] = Form.useForm();
  const [busy, setBusy] = useState(false);
  const report = useErrorReporter();
  const qc = useQueryClient();
  const units = useUnits();
  if (!action) return null;
  const unitOptions = (units.data?.items ?? []).map((u) => ({
    value: u.code,
    label: names.lang === 'en' ? u.nameEn || u.name : u.name,
  }));
  const submit = async () => {
    const v = await form.validateFields();
    const body: Record<string, unknown> = { version: danger.version };
    for (const [k, x] of Object.entries(v)) if (x !== undefined && x !== null && x !== '') body[k] = x;
    if (v.deadline) body.deadline = (v.deadline as dayjs.Dayjs).format('YYYY-MM-DD');
    if (action === 'submit') {
      const files = await api
        .get<{ items: { id: string }[] }>('/files', { entity: 'hidden_danger_evidence', entityId: danger.id })
        .catch(() => ({ items: [] }));
      if (files.items.length) body.evidenceFileIds = files.items.map((f) => f.id);
    }
    setBusy(true);
    try {
      await api.post<DangerDetail>(`/hidden-dangers/${danger.id}/${action}`, body);
      void qc.invalidateQueries({ queryKey: dangerKeys.all });
      form.resetFields();
      onClose();
    } catch (err) {
      if (
        !applyServerError(form, err, [
          'responsibleUnit',
          'responsiblePerson',
          'deadline',
          'measures',
          'funds',
          'note',
          'reason',
        ])
      )
        report(err, { refetch: dangerKeys.detail(danger.id), close: onClose });
    } finally {
      setBusy(false);
    }
  };
  const major = danger.grade === 'major';
  return (
    <Modal
      open
      title={DANGER_ACTION_INFO[action][names.lang]}
      onCancel={onClose}
      onOk={() => void submit()}
      okText={DANGER_ACTION_INFO[action][names.lang]}
      okButtonProps={{ loading: busy, 'data-testid': 'step-confirm' }}
      destroyOnHidden
    >
      <Form form={form} layout="vertical" onFinish={() => void submit()}>
        {action === 'assign' && (
          <>
            <Form.Item name="responsibleUnit" label={t('field.responsibleUnit')} extra={t('step.unitExtra')}>
              <Select allowClear showSearch optionFilterProp="label" options={unitOptions} />
            </Form.Item>
            <Form.Item
              name="responsiblePerson"
              label={t('field.responsiblePerson')}
              rules={[{ required: true, message: t('step.required') }]}
            >
              <Input maxLength={100} data-testid="step-person" />
            </Form.Item>
            <Form.Item
              name="deadline"
              label={t('field.deadline')}
              rules={major ? [{ required: true, message: t('step.majorNeeds') }] : []}
            >
              <DatePicker data-testid="step-deadline" />
            </Form.Item>
            <Form.Item
              name="measures"
              label={t('field.measures')}
              rules={major ? [{ required: true, message: t('step.majorNeeds') }] : []}
            >
              <Input.TextArea rows={3} maxLength={5000} />
            </Form.Item>
            <Form.Item name="funds" label={t('field.funds')}>
              <InputNumber min={0} style={{ width: 200 }} />
            </Form.Item>
          </>
        )}
        {action === 'submit' && (
          <>
            <Form.Item
              name="note"
              label={t('field.rectificationNote')}
              rules={[{ required: true, message: t('step.required') }]}
            >
              <Input.TextArea rows={4} maxLength={5000} data-testid="step-note" />
            </Form.Item>
            <Typography.Paragraph type="secondary">{t('step.evidenceHint')}</Typography.Paragraph>
          </>
        )}
        {(action === 'verify' || action === 'close' || action === 'start') && (
          <Form.Item name="note" label={t('step.note')}>
            <Input.TextArea rows={3} maxLength={5000} />
          </Form.Item>
        )}
        {(action === 'reject' || action === 'cancel') && (
          <Form.Item name="reason" label={t('step.reason')} rules={[{ required: true, message: t('step.required') }]}>
            <Input.TextArea rows={3} maxLength={2000} data-testid="step-reason" />
          </Form.Item>
        )}
      </Form>
    </Modal>
  );
}

/** One hidden danger: its record, the steps taken (who, when), photos and evidence, and the steps the user may take. */
export function DangerPage() {
  const { id } = useParams();
  const { t } = useTranslation('dangers');
  const names = useDangerNames();
  const user = useCurrentUser();
  const danger = useDanger(id);
  const [action, setAction] = useState<DangerAction | null>(null);
  if (danger.isPending) return <Skeleton active />;
  if (danger.isError)
    return (
      <Result
        status="warning"
        title={errorMessage(danger.error)}
        extra={<Link to="/dangers">{t('nav.register')}</Link>}
      />
    );
  const { danger: d, steps } = danger.data;
  const stepWords = (a: string) =>
    a in DANGER_ACTION_INFO ? DANGER_ACTION_INFO[a as DangerAction][names.lang] : t(`stepKind.${a}`, a);
  return (
    <div className="page">
      <div className="page-head">
        <Space wrap>
          <Link to="/dangers">{t('nav.register')}</Link>
          <span>/</span>
          <span className="mono">{d.number}</span>
          <Typography.Title level={4} className="page-title">
            {d.title}
          </Typography.Title>
          <GradeTag grade={d.grade} />
          <StatusTag status={d.status} />
          {d.overdue && <Tag color="volcano">{t('overdue')}</Tag>}
          {d.escalationLevel === 2 && <Tag color="red">{t('escalated')}</Tag>}
          {d.demo && <span className="demo-mark">{t('common:demoShort')}</span>}
        </Space>
        <Space wrap data-testid="danger-actions">
          {d.allowedActions.map((a) => (
            <Button
              key={a}
              type={PRIMARY.includes(a) ? 'primary' : 'default'}
              danger={a === 'reject' || a === 'cancel'}
              onClick={() => setAction(a)}
              data-testid={`step-${a}`}
            >
              {DANGER_ACTION_INFO[a][names.lang]}
            </Button>
          ))}
        </Space>
      </div>
      {d.status === 'returned' && d.returnReason && (
        <Alert
          type="warning"
          showIcon
          title={t('returnedBecause', { reason: d.returnReason })}
          style={{ marginBottom: 12 }}
        />
      )}
      {d.status === 'cancelled' && (
        <Alert
          type="info"
          showIcon
          title={t('cancelledBecause', { reason: d.cancelReason })}
          style={{ marginBottom: 12 }}
        />
      )}
      <Row gutter={12}>
        <Col xs={24} lg={16}>
          <Card size="small" style={{ marginBottom: 12 }} title={t('section.record')}>
            <Descriptions size="small" column={{ xs: 1, md: 2 }}>
              <Descriptions.Item label={t('field.enterprise')}>
                {d.enterprise?.name ?? t('publicPlace')}
              </Descriptions.Item>
              <Descriptions.Item label={t('field.district')}>{d.districtName || '—'}</Descriptions.Item>
              <Descriptions.Item label={t('field.category')}>{names.category(d.category)}</Descriptions.Item>
              <Descriptions.Item label={t('field.source')}>{names.source(d.source)}</Descriptions.Item>
              <Descriptions.Item label={t('field.foundAt')}>{formatTime(d.foundAt)}</Descriptions.Item>
              <Descriptions.Item label={t('field.reporter')}>{d.reporter.name}</Descriptions.Item>
              <Descriptions.Item label={t('field.address')}>{d.address || '—'}</Descriptions.Item>
              <Descriptions.Item label={t('field.location')}>
                {d.location
                  ? `${d.location.coordinates[0]?.toFixed(5)}, ${d.location.coordinates[1]?.toFixed(5)} (WGS-84)`
                  : '—'}
              </Descriptions.Item>
              {d.inspectionId && (
                <Descriptions.Item label={t('field.inspection')}>
                  <Link to={`/inspections?id=${d.inspectionId}`}>{t('nav.inspections')}</Link>
                </Descriptions.Item>
              )}
            </Descriptions>
            {d.description && <Typography.Paragraph className="pre-wrap">{d.description}</Typography.Paragraph>}
          </Card>
          <Card size="small" style={{ marginBottom: 12 }} title={t('section.treatment')}>
            <Descriptions size="small" column={{ xs: 1, md: 2 }}>
              <Descriptions.Item label={t('field.responsibleUnit')}>{d.responsibleUnitName || '—'}</Descriptions.Item>
              <Descriptions.Item label={t('field.responsiblePerson')}>{d.responsiblePerson || '—'}</Descriptions.Item>
              <Descriptions.Item label={t('field.deadline')}>{d.deadline ?? '—'}</Descriptions.Item>
              <Descriptions.Item label={t('field.funds')}>{d.funds ?? '—'}</Descriptions.Item>
              <Descriptions.Item label={t('field.measures')} span={2}>
                {d.measures || '—'}
              </Descriptions.Item>
              <Descriptions.Item label={t('field.rectificationNote')} span={2}>
                {d.rectificationNote || '—'}
              </Descriptions.Item>
              <Descriptions.Item label={t('field.verificationNote')} span={2}>
                {d.verificationNote || '—'}
              </Descriptions.Item>
            </Descriptions>
          </Card>
          <Row gutter={12}>
            <Col xs={24} md={12}>
              <Card size="small" title={t('section.photos')} style={{ marginBottom: 12 }}>
                <Attachments
                  entity="hidden_danger"
                  entityId={d.id}
                  canAttach={can(user, 'dangers.report')}
                  accept="image/*"
                />
              </Card>
            </Col>
            <Col xs={24} md={12}>
              <Card size="small" title={t('section.evidence')} style={{ marginBottom: 12 }}>
                <Attachments
                  entity="hidden_danger_evidence"
                  entityId={d.id}
                  canAttach={d.allowedActions.includes('submit')}
                  accept="image/*"
                />
              </Card>
            </Col>
          </Row>
        </Col>
        <Col xs={24} lg={8}>
          <Card size="small" title={t('section.steps')}>
            <Timeline
              data-testid="danger-steps"
              items={steps.map((s) => ({
                color: DANGER_STATUS_INFO[s.to as DangerStatus]?.color === 'green' ? 'green' : 'blue',
                children: (
                  <div>
                    <div>
                      <strong>{stepWords(s.action)}</strong> → {names.status(s.to as DangerStatus)}
                    </div>
                    <div className="muted small">
                      {s.byName} · {formatTime(s.at)}
                    </div>
                    {s.note && <div className="pre-wrap small">{s.note}</div>}
                  </div>
                ),
              }))}
            />
          </Card>
        </Col>
      </Row>
      <StepModal danger={d} action={action} onClose={() => setAction(null)} />
    </div>
  );
}
