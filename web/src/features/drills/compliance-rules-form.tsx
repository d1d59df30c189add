/**
 * The drill-frequency rules in force, editable by holders of drills.settings: months per rule, enabled, and the
 * due-soon window, saved through PUT /drills/compliance/settings with the version read (409 shown in words).
 * The basis and the note (Order 708 art. 8) stay visible beside each rule; the wording and basis are not edited here.
 */
import { useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Form, InputNumber, Space, Switch, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ComplianceSettingsPut, ComplianceSettingsReply } from '../../../../contracts/drills.ts';
import { api } from '../../api/client.ts';
import { useLang } from '../../components/districts.ts';
import { applyServerError } from '../../components/errors.tsx';
import { type SaveFailure, SaveFailureAlert, saveFailureOf } from '../../components/form-drawer.tsx';
import { drillKeys } from './drills-api.ts';

type Values = { dueSoonDays: number; rules: { months: number; enabled: boolean }[] };

export function ComplianceRulesForm({ settings, onDone }: { settings: ComplianceSettingsReply; onDone: () => void }) {
  const { t } = useTranslation('drills');
  const lang = useLang();
  const qc = useQueryClient();
  const [form] = Form.useForm<Values>();
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<SaveFailure | null>(null);
  const initial: Values = {
    dueSoonDays: settings.dueSoonDays,
    rules: settings.rules.map((r) => ({ months: r.months, enabled: r.enabled })),
  };
  const save = async (v: Values) => {
    setBusy(true);
    setFailure(null);
    const body: ComplianceSettingsPut = {
      version: settings.version,
      dueSoonDays: v.dueSoonDays,
      rules: settings.rules.map((r, i) => ({ ...r, months: v.rules[i].months, enabled: v.rules[i].enabled })),
    };
    try {
      await api.put<ComplianceSettingsReply>('/drills/compliance/settings', body);
      await qc.invalidateQueries({ queryKey: drillKeys.all });
      onDone();
    } catch (err) {
      const failed = saveFailureOf(err);
      if (failed.conflict || !applyServerError(form, err, ['dueSoonDays', 'rules'])) setFailure(failed);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Form<Values> form={form} initialValues={initial} onFinish={save} layout="vertical" data-testid="rules-form">
      <SaveFailureAlert
        failure={failure}
        onReload={() => void qc.invalidateQueries({ queryKey: drillKeys.settings })}
      />
      {settings.rules.map((r, i) => (
        <div key={r.key} className="rule-edit" style={{ marginBottom: 12 }}>
          <Typography.Text strong>{lang === 'en' ? r.en : r.zh}</Typography.Text>
          <div>
            <Typography.Text type="secondary">
              {t('rules.basis')}: {r.basis}
            </Typography.Text>
          </div>
          {r.note && <Alert type="info" showIcon style={{ margin: '4px 0' }} title={r.note} />}
          <Space wrap style={{ marginTop: 4 }}>
            <Form.Item
              name={['rules', i, 'months']}
              label={t('rules.months')}
              rules={[{ required: true, type: 'integer', min: 1, max: 120, message: t('rules.monthsRange') }]}
              style={{ marginBottom: 0 }}
            >
              <InputNumber
                min={1}
                max={120}
                precision={0}
                addonAfter={t('rules.monthsUnit')}
                data-testid={`rule-months-${r.key}`}
              />
            </Form.Item>
            <Form.Item
              name={['rules', i, 'enabled']}
              label={t('rules.enabled')}
              valuePropName="checked"
              style={{ marginBottom: 0 }}
            >
              <Switch data-testid={`rule-enabled-${r.key}`} />
            </Form.Item>
          </Space>
        </div>
      ))}
      <Form.Item
        name="dueSoonDays"
        label={t('rules.dueSoonDays')}
        extra={t('rules.dueSoonHelp')}
        rules={[{ required: true, type: 'integer', min: 0, max: 365, message: t('rules.dueSoonRange') }]}
      >
        <InputNumber min={0} max={365} precision={0} addonAfter={t('rules.daysUnit')} data-testid="rule-due-soon" />
      </Form.Item>
      <Space>
        <Button onClick={onDone}>{t('common:cancel')}</Button>
        <Button type="primary" htmlType="submit" loading={busy} data-testid="rules-save">
          {t('rules.save')}
        </Button>
      </Space>
    </Form>
  );
}
