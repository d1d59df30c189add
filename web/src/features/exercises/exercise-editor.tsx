import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Card, Form, Input, InputNumber, Select, Space, Spin, Table, Typography } from 'antd';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate, useParams } from 'react-router';
import {
  EXERCISE_CONTENTS,
  EXERCISE_FORMS,
  type Exercise,
  type ExerciseInput,
  INJECT_KINDS,
  type InjectInput,
  type InjectKind,
} from '../../../../contracts/exercises.ts';
import type { Device } from '../../../../contracts/monitoring.ts';
import { METRICS } from '../../../../contracts/monitoring.ts';
import { api } from '../../api/client.ts';
import type { ListReply } from '../../api/contracts.ts';
import { useUnits } from '../../api/org.ts';
import { applyServerError, useErrorReporter } from '../../components/errors.tsx';
import { DrillTag } from './exercise-banner.tsx';
import { exerciseKeys, useExercise } from './exercises-api.ts';

/** An inject as the form holds it: minutes after the start, and the payload's fields flat. */
interface InjectRow {
  offsetMinutes: number;
  kind: InjectKind;
  title: string;
  typeCode?: string;
  address?: string;
  lng?: number;
  lat?: number;
  injured?: number;
  deaths?: number;
  deviceId?: string;
  metric?: string;
  start?: number;
  step?: number;
  count?: number;
  intervalMinutes?: number;
  text?: string;
}
type FormValues = Omit<ExerciseInput, 'injects'> & { injects: InjectRow[] };

function toInput(r: InjectRow): InjectInput {
  const base = { offsetSeconds: Math.round((r.offsetMinutes ?? 0) * 60), kind: r.kind, title: r.title };
  switch (r.kind) {
    case 'incident':
      return {
        ...base,
        payload: {
          typeCode: r.typeCode ?? '',
          ...(r.address ? { address: r.address } : {}),
          ...(r.lng != null && r.lat != null ? { location: { type: 'Point', coordinates: [r.lng, r.lat] } } : {}),
          casualties: { injured: r.injured ?? 0, deaths: r.deaths ?? 0 },
        },
      };
    case 'readings':
      return {
        ...base,
        payload: {
          deviceId: r.deviceId,
          metric: r.metric,
          start: r.start,
          step: r.step,
          count: r.count,
          intervalMinutes: r.intervalMinutes,
        },
      };
    case 'message':
      return { ...base, payload: { text: r.text ?? '' } };
  }
}

function toRow(i: Exercise['injects'][number]): InjectRow {
  const p = i.payload as Record<string, unknown> & {
    location?: { coordinates: number[] };
    casualties?: { injured?: number; deaths?: number };
  };
  return {
    offsetMinutes: i.offsetSeconds / 60,
    kind: i.kind,
    title: i.title,
    ...(i.kind === 'incident'
      ? {
          typeCode: p.typeCode as string,
          address: p.address as string | undefined,
          lng: p.location?.coordinates[0],
          lat: p.location?.coordinates[1],
          injured: p.casualties?.injured,
          deaths: p.casualties?.deaths,
        }
      : i.kind === 'readings'
        ? (p as Partial<InjectRow>)
        : { text: p.text as string }),
  };
}

export function NewExercisePage() {
  return <ExerciseEditor />;
}

export function EditExercisePage() {
  const { id } = useParams();
  const ex = useExercise(id);
  if (!ex.data) return <Spin />;
  return <ExerciseEditor exercise={ex.data} />;
}

/** The exercise's plan and its injects as a timeline table (a payload form per kind). */
function ExerciseEditor({ exercise }: { exercise?: Exercise }) {
  const { t } = useTranslation('exercises');
  const { message } = App.useApp();
  const report = useErrorReporter();
  const navigate = useNavigate();
  const qc = useQueryClient();
  const [form] = Form.useForm<FormValues>();
  const units = useUnits();
  const devices = useQuery({
    queryKey: ['devices', 'all'],
    queryFn: ({ signal }) => api.get<ListReply<Device>>('/devices', { limit: 2000 }, signal),
    staleTime: 60_000,
  });
  useEffect(() => {
    if (exercise)
      form.setFieldsValue({
        title: exercise.title,
        scenario: exercise.scenario,
        content: exercise.content,
        form: exercise.form,
        planName: exercise.plan?.name ?? '',
        organiserUnit: exercise.organiserUnit.code,
        participants: exercise.participants.map((p) => p.code),
        director: exercise.director,
        injects: exercise.injects.map(toRow),
      });
  }, [exercise, form]);

  const save = async (v: FormValues) => {
    const body = { ...v, injects: (v.injects ?? []).map(toInput) };
    try {
      const saved = exercise
        ? await api.patch<Exercise>(`/exercises/${exercise.id}`, { ...body, version: exercise.version })
        : await api.post<Exercise>('/exercises', body);
      await qc.invalidateQueries({ queryKey: exerciseKeys.all });
      message.success(t('saved'));
      navigate(`/exercises/${saved.id}`);
    } catch (err) {
      if (!applyServerError(form, err)) report(err);
    }
  };
  const unitOptions = (units.data?.items ?? []).map((u) => ({ value: u.code, label: u.name }));
  return (
    <Card
      title={
        <Space>
          <DrillTag />
          <Typography.Title level={4} style={{ margin: 0 }}>
            {exercise ? exercise.title : t('list.new')}
          </Typography.Title>
        </Space>
      }
    >
      <Form<FormValues>
        form={form}
        layout="vertical"
        onFinish={save}
        initialValues={{ content: 'comprehensive', form: 'tabletop', injects: [] }}
      >
        <Space wrap align="start">
          <Form.Item name="title" label={t('field.title')} rules={[{ required: true }]} style={{ width: 360 }}>
            <Input maxLength={200} autoFocus />
          </Form.Item>
          <Form.Item name="content" label={t('field.content')} tooltip={t('typeBasis')}>
            <Select
              style={{ width: 150 }}
              options={EXERCISE_CONTENTS.map((c) => ({ value: c, label: t(`content.${c}`) }))}
            />
          </Form.Item>
          <Form.Item name="form" label={t('field.form')}>
            <Select style={{ width: 150 }} options={EXERCISE_FORMS.map((c) => ({ value: c, label: t(`form.${c}`) }))} />
          </Form.Item>
          <Form.Item name="planName" label={t('field.planName')} style={{ width: 300 }}>
            <Input maxLength={300} />
          </Form.Item>
        </Space>
        <Space wrap align="start">
          <Form.Item name="organiserUnit" label={t('field.organiserUnit')} style={{ width: 260 }}>
            <Select showSearch optionFilterProp="label" options={unitOptions} />
          </Form.Item>
          <Form.Item name="participants" label={t('field.participants')} style={{ width: 420 }}>
            <Select mode="multiple" showSearch optionFilterProp="label" options={unitOptions} />
          </Form.Item>
          <Form.Item name="director" label={t('field.director')} style={{ width: 160 }}>
            <Input maxLength={100} />
          </Form.Item>
        </Space>
        <Form.Item name="scenario" label={t('field.scenario')}>
          <Input.TextArea rows={3} maxLength={20000} />
        </Form.Item>
        <Typography.Title level={5}>{t('inject.title')}</Typography.Title>
        <Form.List name="injects">
          {(fields, { add, remove }) => (
            <>
              <Table
                size="small"
                rowKey="key"
                pagination={false}
                dataSource={fields}
                columns={[
                  {
                    title: t('inject.offset'),
                    width: 110,
                    render: (_, f) => (
                      <Form.Item name={[f.name, 'offsetMinutes']} noStyle>
                        <InputNumber min={0} step={1} style={{ width: 90 }} />
                      </Form.Item>
                    ),
                  },
                  {
                    title: t('inject.kind'),
                    width: 150,
                    render: (_, f) => (
                      <Form.Item name={[f.name, 'kind']} noStyle>
                        <Select
                          style={{ width: 140 }}
                          options={INJECT_KINDS.map((k) => ({ value: k, label: t(`kind.${k}`) }))}
                        />
                      </Form.Item>
                    ),
                  },
                  {
                    title: t('inject.name'),
                    width: 220,
                    render: (_, f) => (
                      <Form.Item name={[f.name, 'title']} noStyle rules={[{ required: true }]}>
                        <Input maxLength={200} />
                      </Form.Item>
                    ),
                  },
                  {
                    title: t('inject.payload'),
                    render: (_, f) => (
                      <Form.Item noStyle shouldUpdate>
                        {() => (
                          <PayloadFields
                            name={f.name}
                            kind={form.getFieldValue(['injects', f.name, 'kind'])}
                            devices={devices.data?.items ?? []}
                          />
                        )}
                      </Form.Item>
                    ),
                  },
                  {
                    title: '',
                    width: 50,
                    render: (_, f) => (
                      <Button
                        type="text"
                        danger
                        aria-label={t('inject.remove')}
                        icon={<DeleteOutlined />}
                        onClick={() => remove(f.name)}
                      />
                    ),
                  },
                ]}
              />
              <Button
                style={{ marginTop: 8 }}
                icon={<PlusOutlined />}
                onClick={() =>
                  add({
                    offsetMinutes: fields.length * 5,
                    kind: 'incident',
                    title: '',
                    typeCode: '',
                    count: 6,
                    intervalMinutes: 5,
                    start: 0,
                    step: 10,
                  })
                }
              >
                {t('inject.add')}
              </Button>
            </>
          )}
        </Form.List>
        <Space style={{ marginTop: 16 }}>
          <Button type="primary" htmlType="submit">
            {t('action.save')}
          </Button>
          <Button onClick={() => navigate(exercise ? `/exercises/${exercise.id}` : '/exercises')}>
            {t('common:cancel', { defaultValue: '取消' })}
          </Button>
        </Space>
      </Form>
    </Card>
  );
}

/** The payload's fields for an inject's kind: an incident's facts; a readings series builder; a message. */
function PayloadFields({ name, kind, devices }: { name: number; kind: InjectKind; devices: Device[] }) {
  const { t } = useTranslation('exercises');
  const f = (field: string) => [name, field];
  if (kind === 'message')
    return (
      <Form.Item name={f('text')} noStyle>
        <Input.TextArea rows={1} placeholder={t('inject.text')} maxLength={5000} />
      </Form.Item>
    );
  if (kind === 'readings')
    return (
      <Space wrap size={4}>
        <Form.Item name={f('deviceId')} noStyle>
          <Select
            showSearch
            optionFilterProp="label"
            style={{ width: 200 }}
            placeholder={t('inject.deviceId')}
            options={devices.map((d) => ({ value: d.id, label: d.name }))}
          />
        </Form.Item>
        <Form.Item name={f('metric')} noStyle>
          <Select
            style={{ width: 140 }}
            placeholder={t('inject.metric')}
            options={METRICS.map((m) => ({ value: m, label: m }))}
          />
        </Form.Item>
        <Form.Item name={f('start')} noStyle>
          <InputNumber placeholder={t('inject.start')} addonBefore={t('inject.start')} style={{ width: 150 }} />
        </Form.Item>
        <Form.Item name={f('step')} noStyle>
          <InputNumber addonBefore={t('inject.step')} style={{ width: 150 }} />
        </Form.Item>
        <Form.Item name={f('count')} noStyle>
          <InputNumber min={1} max={500} addonBefore={t('inject.count')} style={{ width: 150 }} />
        </Form.Item>
        <Form.Item name={f('intervalMinutes')} noStyle>
          <InputNumber min={0.1} addonBefore={t('inject.interval')} style={{ width: 170 }} />
        </Form.Item>
      </Space>
    );
  return (
    <Space wrap size={4}>
      <Form.Item name={f('typeCode')} noStyle>
        <Input placeholder={t('inject.typeCode')} style={{ width: 130 }} maxLength={5} />
      </Form.Item>
      <Form.Item name={f('address')} noStyle>
        <Input placeholder={t('inject.address')} style={{ width: 160 }} />
      </Form.Item>
      <Form.Item name={f('lng')} noStyle>
        <InputNumber placeholder={t('inject.lng')} style={{ width: 110 }} />
      </Form.Item>
      <Form.Item name={f('lat')} noStyle>
        <InputNumber placeholder={t('inject.lat')} style={{ width: 100 }} />
      </Form.Item>
      <Form.Item name={f('injured')} noStyle>
        <InputNumber min={0} addonBefore={t('inject.injured')} style={{ width: 150 }} />
      </Form.Item>
      <Form.Item name={f('deaths')} noStyle>
        <InputNumber min={0} addonBefore={t('inject.deaths')} style={{ width: 150 }} />
      </Form.Item>
    </Space>
  );
}
