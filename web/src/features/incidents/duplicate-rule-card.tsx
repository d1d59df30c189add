import { useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Card, Form, InputNumber, Select, Space, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { can, useCurrentUser } from '../../api/auth.ts';
import { api } from '../../api/client.ts';
import { useErrorReporter } from '../../components/errors.tsx';

interface Rule {
  match: 'type' | 'category';
  distanceMeters: number;
  hours: number;
  version: number;
}
const KEY = ['incidents', 'duplicate-rule'] as const;

/** When a new report is flagged as a possible duplicate: shown to all, changed by holders of incidents.rules. */
export function DuplicateRuleCard() {
  const { t } = useTranslation('incidents');
  const user = useCurrentUser();
  const canEdit = can(user, 'incidents.rules');
  const qc = useQueryClient();
  const report = useErrorReporter();
  const { message } = App.useApp();
  const rule = useQuery({ queryKey: KEY, queryFn: () => api.get<Rule>('/incidents/duplicate-rule') });
  const [form] = Form.useForm<Rule>();
  if (!rule.data) return null;
  const save = async (v: Omit<Rule, 'version'>) => {
    try {
      await api.put('/incidents/duplicate-rule', { ...v, version: rule.data.version });
      message.success(t('duplicateRule.saved'));
      void qc.invalidateQueries({ queryKey: KEY });
    } catch (err) {
      report(err, { refetch: KEY });
    }
  };
  return (
    <Card title={t('duplicateRule.title')} style={{ marginTop: 16 }} data-testid="duplicate-rule">
      <Typography.Paragraph type="secondary">{t('duplicateRule.explain')}</Typography.Paragraph>
      <Form form={form} layout="inline" initialValues={rule.data} onFinish={save} disabled={!canEdit}>
        <Form.Item name="match" label={t('duplicateRule.match')}>
          <Select
            style={{ width: 160 }}
            options={[
              { value: 'type', label: t('duplicateRule.sameType') },
              { value: 'category', label: t('duplicateRule.sameCategory') },
            ]}
          />
        </Form.Item>
        <Form.Item name="distanceMeters" label={t('duplicateRule.distance')} rules={[{ required: true }]}>
          <InputNumber min={1} max={100000} precision={0} addonAfter="m" />
        </Form.Item>
        <Form.Item name="hours" label={t('duplicateRule.hours')} rules={[{ required: true }]}>
          <InputNumber min={0.1} max={720} addonAfter="h" />
        </Form.Item>
        {canEdit && (
          <Space>
            <Button type="primary" htmlType="submit">
              {t('duplicateRule.save')}
            </Button>
          </Space>
        )}
      </Form>
    </Card>
  );
}
