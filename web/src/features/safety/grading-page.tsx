import { useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Card, Col, Form, Input, InputNumber, Row, Spin, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { DEFAULT_RISK_GRADING, type RiskGrading } from '../../../../contracts/safety.ts';
import { can, useCurrentUser } from '../../api/auth.ts';
import { applyServerError, errorMessage, useErrorReporter } from '../../components/errors.tsx';
import { putGrading, safetyKeys, useGrading } from './safety-api.ts';

/** The risk grading rule: LEC and LS thresholds to four colours, its name as shown everywhere; version-checked. */
export function GradingPage() {
  const { t } = useTranslation('safety');
  const user = useCurrentUser();
  const q = useGrading();
  const qc = useQueryClient();
  const report = useErrorReporter();
  const [form] = Form.useForm<RiskGrading>();
  const [busy, setBusy] = useState(false);
  const edit = can(user, 'safety.settings');
  useEffect(() => {
    if (q.data) form.setFieldsValue(q.data.value);
  }, [q.data, form]);
  if (q.isLoading) return <Spin style={{ margin: 40 }} />;
  if (q.isError || !q.data) return <Alert type="error" message={errorMessage(q.error)} />;
  const version = q.data.version;
  async function save(v: RiskGrading) {
    setBusy(true);
    try {
      await putGrading({ value: v, version });
      await qc.invalidateQueries({ queryKey: ['safety'] });
      await qc.invalidateQueries({ queryKey: safetyKeys.enterprises });
    } catch (err) {
      if (!applyServerError(form, err)) report(err, { refetch: safetyKeys.grading });
    } finally {
      setBusy(false);
    }
  }
  const thresholds = (m: 'lec' | 'ls', max: number) => (
    <Row gutter={8}>
      {(['red', 'orange', 'yellow'] as const).map((c) => (
        <Col span={8} key={c}>
          <Form.Item name={['value', m, c].slice(1)} label={t(`grading.${m}.${c}`)} rules={[{ required: true }]}>
            <InputNumber min={0} max={max} style={{ width: '100%' }} disabled={!edit} />
          </Form.Item>
        </Col>
      ))}
    </Row>
  );
  return (
    <div className="page">
      <div className="page-head">
        <Typography.Title level={4} className="page-title">
          {t('nav.grading')}
        </Typography.Title>
      </div>
      <Alert
        type="warning"
        showIcon
        style={{ marginBottom: 12 }}
        message={t('risk.sourcesDisagree')}
        description={t('grading.help')}
      />
      <Card size="small" data-testid="grading-form">
        <Form<RiskGrading> form={form} layout="vertical" onFinish={save} initialValues={DEFAULT_RISK_GRADING}>
          <Typography.Title level={5}>LEC（D = L×E×C）</Typography.Title>
          {thresholds('lec', 100_000)}
          <Typography.Title level={5}>LS（R = L×S）</Typography.Title>
          {thresholds('ls', 25)}
          <Form.Item name="ruleName" label={t('grading.ruleName')} rules={[{ required: true }]}>
            <Input.TextArea rows={2} disabled={!edit} />
          </Form.Item>
          <Form.Item name="ruleNameEn" label={t('grading.ruleNameEn')} rules={[{ required: true }]}>
            <Input.TextArea rows={2} disabled={!edit} />
          </Form.Item>
          {edit && (
            <Button type="primary" htmlType="submit" loading={busy}>
              {t('form.save')}
            </Button>
          )}
          <span className="muted" style={{ marginLeft: 12 }}>
            {q.data.changed ? t('grading.changed', { at: q.data.updatedAt }) : t('grading.default')}
          </span>
        </Form>
      </Card>
    </div>
  );
}
