import { CaretRightOutlined, DownloadOutlined, EditOutlined, StopOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  App,
  Button,
  Card,
  Descriptions,
  Empty,
  Form,
  Input,
  Result,
  Space,
  Spin,
  Table,
  Tag,
  Typography,
} from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams } from 'react-router';
import {
  type Exercise,
  type ImprovementAction,
  type Inject,
  MEASURE_INFO,
  type Measurement,
  TARGETS_BASIS,
} from '../../../../contracts/exercises.ts';
import { can, useCurrentUser } from '../../api/auth.ts';
import { api, downloadFile } from '../../api/client.ts';
import { useErrorReporter } from '../../components/errors.tsx';
import { formatTime } from '../../i18n/index.ts';
import { DrillTag } from './exercise-banner.tsx';
import { exerciseKeys, useExercise } from './exercises-api.ts';
import { ExerciseStatusTag } from './labels.tsx';

const VERDICT_COLOR = { met: 'green', missed: 'red', pending: 'gold' } as const;

function useClock(since: string | null): string {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    if (!since) return;
    const id = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(id);
  }, [since]);
  if (!since) return '';
  const s = Math.max(0, Math.floor((now - Date.parse(since)) / 1000));
  const hh = String(Math.floor(s / 3600)).padStart(2, '0');
  const mm = String(Math.floor((s % 3600) / 60)).padStart(2, '0');
  const ss = String(s % 60).padStart(2, '0');
  return `${hh}:${mm}:${ss}`;
}

/** The exercise's console: the 演练 banner, its clock, injects played and pending, measured times, the evaluation. */
export function ExercisePage() {
  const { id } = useParams();
  const { t, i18n } = useTranslation('exercises');
  const lang = i18n.language.startsWith('en') ? 'en' : 'zh';
  const user = useCurrentUser();
  const runner = can(user, 'exercises.run');
  const { modal } = App.useApp();
  const report = useErrorReporter();
  const navigate = useNavigate();
  const qc = useQueryClient();
  const q = useExercise(id, true);
  const ex = q.data;
  const clock = useClock(ex?.status === 'running' ? ex.startedAt : null);
  if (q.isError) return <Result status="warning" title={String(q.error)} />;
  if (!ex) return <Spin />;

  const act = async (path: string, body: unknown = { version: ex.version }) => {
    try {
      const next = await api.post<Exercise>(`/exercises/${ex.id}/${path}`, body);
      qc.setQueryData(exerciseKeys.detail(ex.id), next);
      await qc.invalidateQueries({ queryKey: exerciseKeys.all });
    } catch (err) {
      report(err);
    }
  };
  const confirm = (text: string, path: string, danger = false) =>
    modal.confirm({ title: text, okButtonProps: { danger }, onOk: () => act(path) });

  const injectColumns = [
    { title: '#', dataIndex: 'seq', width: 50 },
    {
      title: t('inject.offset'),
      dataIndex: 'offsetSeconds',
      width: 110,
      render: (s: number) => `T+${Math.round(s / 60)}′`,
    },
    { title: t('inject.kind'), dataIndex: 'kind', width: 130, render: (k: Inject['kind']) => t(`kind.${k}`) },
    {
      title: t('inject.name'),
      render: (_: unknown, i: Inject) => (
        <div>
          <div>{i.title}</div>
          {i.kind === 'message' && (
            <Typography.Text type="secondary">{String((i.payload as { text?: string }).text ?? '')}</Typography.Text>
          )}
        </div>
      ),
    },
    {
      title: t('inject.playedAt'),
      width: 170,
      render: (_: unknown, i: Inject) => (i.playedAt ? formatTime(i.playedAt, true) : <Tag>{t('inject.pending')}</Tag>),
    },
    {
      title: t('inject.result'),
      render: (_: unknown, i: Inject) =>
        !i.result ? null : i.result.error ? (
          <Typography.Text type="danger">{t('inject.error', { error: i.result.error })}</Typography.Text>
        ) : i.result.incidentId ? (
          <Link to={`/incidents/${i.result.incidentId}`}>
            {t('inject.incident', { number: i.result.incidentNumber })}
          </Link>
        ) : i.result.readings !== undefined ? (
          t('inject.readings', { readings: i.result.readings, transitions: i.result.transitions ?? 0 })
        ) : (
          t('inject.sent')
        ),
    },
    ...(runner && ex.status === 'running'
      ? [
          {
            title: '',
            width: 120,
            render: (_: unknown, i: Inject) =>
              !i.playedAt && (
                <Button size="small" icon={<CaretRightOutlined />} onClick={() => act(`injects/${i.id}/play`, {})}>
                  {t('inject.playNow')}
                </Button>
              ),
          },
        ]
      : []),
  ];
  const measureColumns = [
    {
      title: t('measure.incident'),
      render: (_: unknown, m: Measurement) => (
        <Link to={`/incidents/${m.incidentId}`}>
          {m.incidentNumber} {m.injectTitle}
        </Link>
      ),
    },
    {
      title: t('measure.step'),
      render: (_: unknown, m: Measurement) => (lang === 'en' ? MEASURE_INFO[m.measure].en : MEASURE_INFO[m.measure].zh),
    },
    {
      title: t('measure.time'),
      render: (_: unknown, m: Measurement) =>
        m.seconds === null ? t('measure.notYet') : t('measure.minutes', { n: (m.seconds / 60).toFixed(1) }),
    },
    {
      title: t('measure.target'),
      render: (_: unknown, m: Measurement) => t('measure.minutes', { n: m.targetMinutes }),
    },
    {
      title: t('measure.verdict'),
      render: (_: unknown, m: Measurement) => <Tag color={VERDICT_COLOR[m.verdict]}>{t(`measure.${m.verdict}`)}</Tag>,
    },
  ];

  return (
    <Space direction="vertical" style={{ width: '100%' }} size="middle">
      <Alert
        type="error"
        showIcon
        banner
        message={<strong style={{ fontSize: 16 }}>{t('bigBanner')}</strong>}
        style={{ background: '#fff0f6', borderColor: '#eb2f96' }}
      />
      <Card
        title={
          <Space wrap>
            <DrillTag />
            <Typography.Title level={4} style={{ margin: 0 }}>
              {ex.title}
            </Typography.Title>
            <ExerciseStatusTag status={ex.status} />
            {ex.status === 'running' && (
              <Typography.Text strong className="mono" aria-live="off">
                {t('clock', { time: clock })}
              </Typography.Text>
            )}
          </Space>
        }
        extra={
          <Space wrap>
            {runner && ex.status === 'draft' && (
              <>
                <Button icon={<EditOutlined />} onClick={() => navigate(`/exercises/${ex.id}/edit`)}>
                  {t('action.edit')}
                </Button>
                <Button
                  type="primary"
                  icon={<CaretRightOutlined />}
                  onClick={() => confirm(t('action.confirmStart'), 'start')}
                >
                  {t('action.start')}
                </Button>
              </>
            )}
            {runner && ex.status === 'running' && (
              <Button
                danger
                type="primary"
                icon={<StopOutlined />}
                onClick={() => confirm(t('action.confirmEnd'), 'end', true)}
              >
                {t('action.end')}
              </Button>
            )}
            {runner && (ex.status === 'draft' || ex.status === 'running') && (
              <Button onClick={() => confirm(t('action.confirmCancel'), 'cancel', true)}>{t('action.cancel')}</Button>
            )}
            <Button
              icon={<DownloadOutlined />}
              onClick={() =>
                downloadFile(`/exercises/${ex.id}/report.docx`, undefined, `exercise-${ex.number}.docx`).catch(report)
              }
            >
              {t('action.report')}
            </Button>
          </Space>
        }
      >
        <Descriptions size="small" column={{ xs: 1, md: 3 }}>
          <Descriptions.Item label={t('field.number')}>{ex.number}</Descriptions.Item>
          <Descriptions.Item label={`${t('field.content')} · ${t('field.form')}`}>
            {t(`content.${ex.content}`)} · {t(`form.${ex.form}`)}
          </Descriptions.Item>
          <Descriptions.Item label={t('field.planName')}>{ex.plan?.name || '—'}</Descriptions.Item>
          <Descriptions.Item label={t('field.organiserUnit')}>{ex.organiserUnit.name}</Descriptions.Item>
          <Descriptions.Item label={t('field.participants')}>
            {ex.participants.map((p) => p.name).join('、') || '—'}
          </Descriptions.Item>
          <Descriptions.Item label={t('field.director')}>{ex.director || '—'}</Descriptions.Item>
          <Descriptions.Item label={t('field.startedAt')}>{formatTime(ex.startedAt)}</Descriptions.Item>
          <Descriptions.Item label={t('field.endedAt')}>{formatTime(ex.endedAt)}</Descriptions.Item>
        </Descriptions>
        {ex.scenario && <Typography.Paragraph style={{ whiteSpace: 'pre-wrap' }}>{ex.scenario}</Typography.Paragraph>}
      </Card>
      <Card title={t('inject.title')} size="small">
        <Table rowKey="id" size="small" pagination={false} dataSource={ex.injects} columns={injectColumns} />
      </Card>
      <Card
        title={t('measure.title')}
        size="small"
        extra={<Typography.Text type="secondary">{TARGETS_BASIS[lang]}</Typography.Text>}
      >
        <Table
          rowKey={(m) => `${m.injectId}-${m.measure}`}
          size="small"
          pagination={false}
          dataSource={ex.measurements}
          columns={measureColumns}
          locale={{ emptyText: <Empty description={t('measure.empty')} /> }}
        />
      </Card>
      {ex.status === 'ended' && <Evaluation ex={ex} editable={runner} />}
    </Space>
  );
}

/** Observations and improvement actions (entered by the evaluator once the exercise has ended). */
function Evaluation({ ex, editable }: { ex: Exercise; editable: boolean }) {
  const { t } = useTranslation('exercises');
  const { message } = App.useApp();
  const report = useErrorReporter();
  const qc = useQueryClient();
  const [form] = Form.useForm<{ observations: string; improvements: ImprovementAction[] }>();
  const save = async (v: { observations: string; improvements: ImprovementAction[] }) => {
    try {
      const next = await api.patch<Exercise>(`/exercises/${ex.id}`, {
        observations: v.observations ?? '',
        improvements: (v.improvements ?? []).filter((a) => a?.action?.trim()),
        version: ex.version,
      });
      qc.setQueryData(exerciseKeys.detail(ex.id), next);
      message.success(t('saved'));
    } catch (err) {
      report(err);
    }
  };
  return (
    <Card title={t('evaluation')} size="small">
      <Form
        form={form}
        layout="vertical"
        disabled={!editable}
        onFinish={save}
        initialValues={{ observations: ex.observations, improvements: ex.improvements }}
      >
        <Form.Item name="observations" label={t('field.observations')}>
          <Input.TextArea rows={4} maxLength={20000} />
        </Form.Item>
        <Typography.Text strong>{t('field.improvements')}</Typography.Text>
        <Form.List name="improvements">
          {(fields, { add, remove }) => (
            <>
              {fields.map((f) => (
                <Space key={f.key} wrap style={{ display: 'flex', marginTop: 8 }}>
                  <Form.Item name={[f.name, 'action']} noStyle>
                    <Input placeholder={t('field.action')} style={{ width: 360 }} maxLength={1000} />
                  </Form.Item>
                  <Form.Item name={[f.name, 'owner']} noStyle>
                    <Input placeholder={t('field.owner')} style={{ width: 180 }} maxLength={200} />
                  </Form.Item>
                  <Form.Item name={[f.name, 'dueDate']} noStyle>
                    <Input placeholder={`${t('field.dueDate')} YYYY-MM-DD`} style={{ width: 170 }} />
                  </Form.Item>
                  <Button onClick={() => remove(f.name)}>{t('inject.remove')}</Button>
                </Space>
              ))}
              <Button style={{ marginTop: 8, display: 'block' }} onClick={() => add({ action: '' })}>
                {t('action.addImprovement')}
              </Button>
            </>
          )}
        </Form.List>
        {editable && (
          <Button type="primary" htmlType="submit" style={{ marginTop: 12, display: 'block' }}>
            {t('action.saveEvaluation')}
          </Button>
        )}
      </Form>
    </Card>
  );
}
