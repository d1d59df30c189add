import { CheckSquareOutlined, CloudUploadOutlined, SendOutlined } from '@ant-design/icons';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  App,
  Button,
  Checkbox,
  Empty,
  Form,
  Input,
  InputNumber,
  List,
  Select,
  Space,
  Switch,
  Tabs,
  Tag,
  Typography,
} from 'antd';
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { EVENT_TYPES, isLeafType } from '../../../../contracts/incidents.ts';
import { can, useCurrentUser } from '../../api/auth.ts';
import { ApiError, api } from '../../api/client.ts';
import { useLang } from '../../components/districts.ts';
import type { LngLatValue } from '../../map/location-input.tsx';
import { DangerTab } from './danger-tab.tsx';
import { type Gps, locate } from './gps.ts';
import type { OutboxItem, OutboxState } from './outbox.ts';
import { fieldOutbox, registerServiceWorker } from './outbox-browser.ts';
import { PhotoPicker, PlacePicker, queuePhotos } from './pickers.tsx';

/** A task as the tasks service answers (interfaces of issue 12); only what this page shows. */
interface FieldTask {
  id: string;
  incidentNumber: string;
  incidentTitle: string;
  title: string;
  detail?: string;
  dueAt: string | null;
  status: 'open' | 'in_progress' | 'done' | 'cancelled';
  overdue: boolean;
  checklist: { text: string; done: boolean }[];
  version: number;
}

const STATE_COLOR: Record<OutboxState, string> = {
  queued: 'default',
  sending: 'processing',
  sent: 'success',
  failed: 'error',
};

function useOutboxItems(): OutboxItem[] {
  const [items, setItems] = useState<OutboxItem[]>([]);
  useEffect(() => fieldOutbox().subscribe(setItems), []);
  return items;
}

function useOnline(): boolean {
  const [online, setOnline] = useState(typeof navigator === 'undefined' ? true : navigator.onLine);
  useEffect(() => {
    const on = () => setOnline(true);
    const off = () => setOnline(false);
    window.addEventListener('online', on);
    window.addEventListener('offline', off);
    return () => {
      window.removeEventListener('online', on);
      window.removeEventListener('offline', off);
    };
  }, []);
  return online;
}

/** (a) Report an incident: type, place by GPS or a tap on the offline map, words, casualties, photos. */
function ReportTab() {
  const { t } = useTranslation('field');
  const lang = useLang();
  const { message } = App.useApp();
  const [form] = Form.useForm();
  const [point, setPoint] = useState<LngLatValue>(null);
  const [accuracy, setAccuracy] = useState<number | null>(null);
  const [photos, setPhotos] = useState<File[]>([]);
  const [busy, setBusy] = useState(false);
  const types = useMemo(
    () =>
      EVENT_TYPES.filter((e) => isLeafType(e.code)).map((e) => ({
        value: e.code,
        label: `${lang === 'en' ? e.nameEn : e.name} · ${e.code}`,
      })),
    [lang],
  );

  const submit = async (v: {
    typeCode: string;
    title?: string;
    description?: string;
    deaths?: number;
    injured?: number;
    missing?: number;
  }) => {
    setBusy(true);
    try {
      const type = EVENT_TYPES.find((e) => e.code === v.typeCode);
      const typeName = (lang === 'en' ? type?.nameEn : type?.name) ?? v.typeCode;
      const title = v.title?.trim() || t('report.defaultTitle', { type: typeName });
      const body = {
        title,
        typeCode: v.typeCode,
        occurredAt: new Date().toISOString(),
        ...(point ? { location: { type: 'Point', coordinates: point } } : {}),
        ...(v.description?.trim()
          ? {
              description: accuracy
                ? `${v.description.trim()}\n${t('report.accuracyNote', { m: accuracy })}`
                : v.description.trim(),
            }
          : accuracy
            ? { description: t('report.accuracyNote', { m: accuracy }) }
            : {}),
        casualties: { deaths: v.deaths ?? 0, injured: v.injured ?? 0, missing: v.missing ?? 0 },
      };
      const outbox = fieldOutbox();
      const report = await outbox.add({ kind: 'incident', label: title, method: 'POST', path: '/incidents', body });
      await queuePhotos(photos, {
        entity: 'incident',
        reportId: report.id,
        prefix: 'photo',
        label: (n) => t('report.photoLabel', { n, title }),
      });
      void outbox.replay();
      message.success(navigator.onLine ? t('report.queuedOnline') : t('report.queuedOffline'));
      form.resetFields();
      setPhotos([]);
      setPoint(null);
      setAccuracy(null);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Form form={form} layout="vertical" onFinish={submit} className="field-form" size="large">
      <Form.Item
        name="typeCode"
        label={t('report.type')}
        rules={[{ required: true, message: t('report.typeRequired') }]}
      >
        <Select showSearch options={types} optionFilterProp="label" placeholder={t('report.typePlaceholder')} />
      </Form.Item>
      <Form.Item label={t('report.place')} required>
        <PlacePicker
          point={point}
          accuracy={accuracy}
          testId="field-point"
          onChange={(p, a) => {
            setPoint(p);
            setAccuracy(a);
          }}
        />
      </Form.Item>
      <Form.Item name="title" label={t('report.title')}>
        <Input maxLength={200} placeholder={t('report.titlePlaceholder')} />
      </Form.Item>
      <Form.Item name="description" label={t('report.description')}>
        <Input.TextArea rows={3} maxLength={5000} />
      </Form.Item>
      <Space wrap className="field-counts">
        <Form.Item name="deaths" label={t('report.deaths')}>
          <InputNumber min={0} precision={0} inputMode="numeric" />
        </Form.Item>
        <Form.Item name="injured" label={t('report.injured')}>
          <InputNumber min={0} precision={0} inputMode="numeric" />
        </Form.Item>
        <Form.Item name="missing" label={t('report.missing')}>
          <InputNumber min={0} precision={0} inputMode="numeric" />
        </Form.Item>
      </Space>
      <Form.Item label={t('report.photos')}>
        <PhotoPicker photos={photos} onChange={setPhotos} />
      </Form.Item>
      <Button
        type="primary"
        htmlType="submit"
        block
        size="large"
        icon={<SendOutlined />}
        loading={busy}
        disabled={!point}
      >
        {t('report.submit')}
      </Button>
    </Form>
  );
}

/** (b) My tasks: the tasks of my unit, status and checklist, each change through the outbox. */
function TasksTab() {
  const { t } = useTranslation('field');
  const items = useOutboxItems();
  const qc = useQueryClient();
  const tasks = useQuery({
    queryKey: ['field', 'tasks'],
    queryFn: ({ signal }) =>
      api.get<{ items: FieldTask[]; total: number }>('/tasks', { mine: true, limit: 100 }, signal),
    retry: (n, err) => !(err instanceof ApiError && err.status < 500) && n < 2,
  });
  const sentCount = items.filter((i) => i.kind === 'task' && i.state === 'sent').length;
  useEffect(() => {
    if (sentCount) void qc.invalidateQueries({ queryKey: ['field', 'tasks'] });
  }, [sentCount, qc]);
  const update = async (
    task: FieldTask,
    change: { status?: FieldTask['status']; checklist?: FieldTask['checklist'] },
  ) => {
    const outbox = fieldOutbox();
    await outbox.add({
      kind: 'task',
      label: `${task.title} · ${change.status ? t(`task.status.${change.status}`) : t('task.checklist')}`,
      method: 'PATCH',
      path: `/tasks/${encodeURIComponent(task.id)}`,
      body: { version: task.version, ...change },
    });
    void outbox.replay();
  };
  if (tasks.error instanceof ApiError && tasks.error.status === 404)
    return <Alert type="info" showIcon title={t('task.notAvailable')} />;
  if (tasks.error) return <Alert type="error" showIcon title={(tasks.error as Error).message} />;
  return (
    <List
      loading={tasks.isLoading}
      locale={{ emptyText: <Empty description={t('task.none')} /> }}
      dataSource={tasks.data?.items ?? []}
      renderItem={(task) => (
        <List.Item className="field-task">
          <Space direction="vertical" style={{ width: '100%' }}>
            <Space wrap>
              <Typography.Text strong>{task.title}</Typography.Text>
              {task.overdue && <Tag color="red">{t('task.overdue')}</Tag>}
              <Tag>{t(`task.status.${task.status}`)}</Tag>
            </Space>
            <Typography.Text type="secondary">
              {task.incidentNumber} {task.incidentTitle}
            </Typography.Text>
            {task.checklist.map((c, i) => (
              <Checkbox
                key={c.text}
                checked={c.done}
                disabled={task.status === 'done' || task.status === 'cancelled'}
                onChange={(e) =>
                  update(task, {
                    checklist: task.checklist.map((x, j) => (j === i ? { ...x, done: e.target.checked } : x)),
                  })
                }
              >
                {c.text}
              </Checkbox>
            ))}
            <Space wrap>
              {task.status === 'open' && (
                <Button size="large" onClick={() => update(task, { status: 'in_progress' })}>
                  {t('task.start')}
                </Button>
              )}
              {(task.status === 'open' || task.status === 'in_progress') && (
                <Button
                  size="large"
                  type="primary"
                  icon={<CheckSquareOutlined />}
                  onClick={() => update(task, { status: 'done' })}
                >
                  {t('task.done')}
                </Button>
              )}
            </Space>
          </Space>
        </List.Item>
      )}
    />
  );
}

/** (c) Share my position for a team every N seconds while switched on (each position queued like any write). */
function PositionTab() {
  const { t } = useTranslation('field');
  const { message } = App.useApp();
  const [teamId, setTeamId] = useState<string | undefined>(() => localStorage.getItem('anlan.field.team') ?? undefined);
  const [every, setEvery] = useState(30);
  const [on, setOn] = useState(false);
  const [last, setLast] = useState<(Gps & { at: string }) | null>(null);
  const teams = useQuery({
    queryKey: ['field', 'teams'],
    queryFn: ({ signal }) => api.get<{ items: { id: string; name: string }[] }>('/teams', { limit: 200 }, signal),
    retry: false,
  });
  useEffect(() => {
    if (!on || !teamId) return;
    const send = async () => {
      try {
        const g = await locate();
        const ts = new Date().toISOString();
        setLast({ ...g, at: ts });
        const outbox = fieldOutbox();
        await outbox.add({
          kind: 'position',
          label: `${t('position.label')} ${g.point[0].toFixed(4)}, ${g.point[1].toFixed(4)}`,
          method: 'POST',
          path: `/teams/${encodeURIComponent(teamId)}/positions`,
          body: { ts, location: { type: 'Point', coordinates: g.point } },
        });
        void outbox.replay();
      } catch {
        message.warning(t('report.gpsFailed'));
      }
    };
    void send();
    const timer = setInterval(send, every * 1000);
    return () => clearInterval(timer);
  }, [on, teamId, every, t, message]);
  return (
    <Space direction="vertical" style={{ width: '100%' }} size="large">
      <Select
        size="large"
        style={{ width: '100%' }}
        showSearch
        optionFilterProp="label"
        placeholder={t('position.team')}
        value={teamId}
        loading={teams.isLoading}
        notFoundContent={teams.error ? t('position.teamsUnavailable') : undefined}
        options={(teams.data?.items ?? []).map((x) => ({ value: x.id, label: x.name }))}
        onChange={(v: string) => {
          setTeamId(v);
          localStorage.setItem('anlan.field.team', v);
        }}
      />
      <Space wrap>
        <Typography.Text>{t('position.every')}</Typography.Text>
        <Select
          value={every}
          onChange={setEvery}
          options={[15, 30, 60, 120, 300].map((s) => ({ value: s, label: t('position.seconds', { n: s }) }))}
        />
      </Space>
      <Space>
        <Switch checked={on} disabled={!teamId} onChange={setOn} />
        <Typography.Text strong>{on ? t('position.on') : t('position.off')}</Typography.Text>
      </Space>
      {last && (
        <Typography.Text type="secondary">
          {t('position.last', { lng: last.point[0].toFixed(5), lat: last.point[1].toFixed(5), m: last.accuracy })}
        </Typography.Text>
      )}
    </Space>
  );
}

/** What is waiting to be sent, being sent, sent, or refused (with the server's words). */
function OutboxTab() {
  const { t } = useTranslation('field');
  const items = useOutboxItems();
  const outbox = fieldOutbox();
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Button block size="large" icon={<CloudUploadOutlined />} onClick={() => void outbox.replay()}>
        {t('outbox.sendNow')}
      </Button>
      <List
        locale={{ emptyText: <Empty description={t('outbox.empty')} /> }}
        dataSource={[...items].reverse()}
        renderItem={(i) => (
          <List.Item
            data-testid="outbox-item"
            actions={
              i.state === 'failed'
                ? [
                    <Button key="retry" onClick={() => void outbox.retry(i.id).then(() => outbox.replay())}>
                      {t('outbox.retry')}
                    </Button>,
                    <Button key="remove" danger onClick={() => void outbox.remove(i.id)}>
                      {t('outbox.remove')}
                    </Button>,
                  ]
                : []
            }
          >
            <List.Item.Meta
              title={
                <Space wrap>
                  <Tag color={STATE_COLOR[i.state]}>{t(`outbox.state.${i.state}`)}</Tag>
                  <span>{i.label}</span>
                </Space>
              }
              description={
                i.error ? (
                  <Typography.Text type={i.state === 'failed' ? 'danger' : 'secondary'}>
                    {i.error.message}
                  </Typography.Text>
                ) : (
                  t(`outbox.kind.${i.kind}`)
                )
              }
            />
          </List.Item>
        )}
      />
    </Space>
  );
}

/** The field app: one column, big buttons, for a phone on 360 px; works offline once opened over HTTPS. */
export function FieldPage() {
  const { t } = useTranslation('field');
  const user = useCurrentUser();
  const online = useOnline();
  const items = useOutboxItems();
  useEffect(registerServiceWorker, []);
  // on a phone the page takes the whole screen (app.css: no side menu, a short header)
  useEffect(() => {
    document.body.classList.add('field-mode');
    return () => document.body.classList.remove('field-mode');
  }, []);
  const waiting = items.filter((i) => i.state === 'queued' || i.state === 'sending').length;
  const failed = items.filter((i) => i.state === 'failed').length;
  return (
    <div className="field-app">
      {!online && <Alert type="warning" showIcon title={t('offline')} />}
      <Tabs
        size="large"
        items={[
          { key: 'report', label: t('tabs.report'), children: <ReportTab /> },
          ...(can(user, 'dangers.report') ? [{ key: 'danger', label: t('tabs.danger'), children: <DangerTab /> }] : []),
          { key: 'tasks', label: t('tabs.tasks'), children: <TasksTab /> },
          { key: 'position', label: t('tabs.position'), children: <PositionTab /> },
          {
            key: 'outbox',
            label: (
              <span>
                {t('tabs.outbox')}
                {waiting + failed > 0 && (
                  <Tag color={failed ? 'red' : 'blue'} style={{ marginInlineStart: 6 }}>
                    {waiting + failed}
                  </Tag>
                )}
              </span>
            ),
            children: <OutboxTab />,
          },
        ]}
      />
    </div>
  );
}
