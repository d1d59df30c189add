/**
 * The response-time targets measured exercises are judged against (setting `exercises.targets`), shown on the
 * exercises list and editable by holders of exercises.settings through PUT /exercises/targets with its version.
 * The defaults are the system's assumptions, not a standard: labelled so (TARGETS_BASIS).
 */
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Card, Descriptions, Form, InputNumber, Space, Tag } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { type ExerciseTargets, MEASURE_INFO, MEASURES, TARGETS_BASIS } from '../../../../contracts/exercises.ts';
import { can, useCurrentUser } from '../../api/auth.ts';
import { api } from '../../api/client.ts';
import { useLang } from '../../components/districts.ts';
import { applyServerError, errorMessage } from '../../components/errors.tsx';
import { type SaveFailure, SaveFailureAlert, saveFailureOf } from '../../components/form-drawer.tsx';

type TargetsReply = { targets: ExerciseTargets; version: number; assumed: boolean };
const targetsKey = ['exercises', 'targets'] as const;

export function ExerciseTargetsCard() {
  const { t } = useTranslation('exercises');
  const lang = useLang();
  const user = useCurrentUser();
  const qc = useQueryClient();
  const q = useQuery({
    queryKey: targetsKey,
    queryFn: ({ signal }) => api.get<TargetsReply>('/exercises/targets', undefined, signal),
  });
  const [editing, setEditing] = useState(false);
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<SaveFailure | null>(null);
  const [form] = Form.useForm<ExerciseTargets>();
  const data = q.data;
  const label = (m: (typeof MEASURES)[number]) => (lang === 'en' ? MEASURE_INFO[m].en : MEASURE_INFO[m].zh);
  const save = async (targets: ExerciseTargets) => {
    if (!data) return;
    setBusy(true);
    setFailure(null);
    try {
      await api.put<TargetsReply>('/exercises/targets', { targets, version: data.version });
      await qc.invalidateQueries({ queryKey: ['exercises'] });
      setEditing(false);
    } catch (err) {
      const failed = saveFailureOf(err);
      if (
        failed.conflict ||
        !applyServerError(
          form,
          err,
          MEASURES.map((m) => `targets.${m}`),
        )
      )
        setFailure(failed);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Card
      size="small"
      style={{ marginTop: 12 }}
      data-testid="exercise-targets"
      title={
        <Space>
          {t('targets.title')}
          {data?.assumed && <Tag color="gold">{t('targets.assumed')}</Tag>}
        </Space>
      }
      extra={
        can(user, 'exercises.settings') &&
        data &&
        !editing && (
          <Button size="small" onClick={() => setEditing(true)} data-testid="targets-edit">
            {t('targets.edit')}
          </Button>
        )
      }
      loading={q.isLoading}
    >
      <Alert
        type="info"
        showIcon
        title={data && !data.assumed ? t('targets.configured') : TARGETS_BASIS[lang]}
        description={data && !data.assumed ? TARGETS_BASIS[lang] : undefined}
        style={{ marginBottom: 12 }}
      />
      {q.isError && <Alert type="error" showIcon title={errorMessage(q.error)} />}
      {data && !editing && (
        <Descriptions size="small" column={{ xs: 1, md: 4 }}>
          {MEASURES.map((m) => (
            <Descriptions.Item key={m} label={label(m)}>
              {t('targets.minutes', { n: data.targets[m] })}
            </Descriptions.Item>
          ))}
        </Descriptions>
      )}
      {data && editing && (
        <Form<ExerciseTargets>
          form={form}
          layout="vertical"
          initialValues={data.targets}
          onFinish={(v) => void save(v)}
          data-testid="targets-form"
        >
          <SaveFailureAlert failure={failure} onReload={() => void qc.invalidateQueries({ queryKey: targetsKey })} />
          <Space wrap align="start">
            {MEASURES.map((m) => (
              <Form.Item
                key={m}
                name={m}
                label={label(m)}
                tooltip={lang === 'en' ? MEASURE_INFO[m].basisEn : MEASURE_INFO[m].basisZh}
                rules={[{ required: true, type: 'number', min: 0.1, max: 10080, message: t('targets.range') }]}
              >
                <InputNumber
                  min={0.1}
                  max={10080}
                  step={1}
                  addonAfter={t('targets.unit')}
                  data-testid={`target-${m}`}
                />
              </Form.Item>
            ))}
          </Space>
          <Space style={{ display: 'flex' }}>
            <Button onClick={() => setEditing(false)}>{t('common:cancel')}</Button>
            <Button type="primary" htmlType="submit" loading={busy} data-testid="targets-save">
              {t('targets.save')}
            </Button>
          </Space>
        </Form>
      )}
    </Card>
  );
}
