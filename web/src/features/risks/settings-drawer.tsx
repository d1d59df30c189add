import { useQueryClient } from '@tanstack/react-query';
import { Alert, App, Col, Drawer, Form, InputNumber, Radio, Row, Table, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  CENSUS_KIND_INFO,
  CENSUS_KINDS,
  type CensusKind,
  DEFAULT_RISK_GRID_SETTINGS,
  type RiskGridSettings,
  type RiskSettingsReply,
} from '../../../../contracts/risks.ts';
import { applyServerError, useErrorReporter } from '../../components/errors.tsx';
import { DrawerFooter } from '../../components/form-drawer.tsx';
import { KindLabel } from './labels.tsx';
import { putRiskSettings, risksKeys } from './risks-api.ts';
import { scoreFormula } from './risks-text.ts';

const num = (min: number, max: number, step = 0.05) => (
  <InputNumber min={min} max={max} step={step} style={{ width: '100%' }} />
);

/** The grid's rules (setting `risks.grid`): exponents, floor, percentile, level factors, thresholds, per kind. */
export function SettingsDrawer({
  open,
  settings,
  onClose,
  onSaved,
}: {
  open: boolean;
  settings: RiskSettingsReply | undefined;
  onClose: () => void;
  onSaved: () => void;
}) {
  const { t } = useTranslation('risks');
  const [form] = Form.useForm<RiskGridSettings>();
  const [busy, setBusy] = useState(false);
  const report = useErrorReporter();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const watched = Form.useWatch([], form) as RiskGridSettings | undefined;

  useEffect(() => {
    if (!open || !settings) return;
    form.resetFields();
    form.setFieldsValue(settings.value);
  }, [open, settings, form]);

  const submit = async () => {
    if (!settings) return;
    // an invalid form says so on its fields: nothing to send
    const v = await form.validateFields().catch(() => null);
    if (!v) return;
    setBusy(true);
    try {
      // every kind is sent, with the defaults for any the stored value lacked
      const kinds = Object.fromEntries(
        CENSUS_KINDS.map((k) => [
          k,
          { ...DEFAULT_RISK_GRID_SETTINGS.kinds[k], ...settings.value.kinds[k], ...v.kinds?.[k] },
        ]),
      );
      await putRiskSettings({ value: { ...settings.value, ...v, kinds }, version: settings.version });
      void qc.invalidateQueries({ queryKey: ['risks'] });
      void message.success(t('settings.saved'));
      onSaved();
      onClose();
    } catch (err) {
      if (!applyServerError(form, err)) report(err, { refetch: risksKeys.settings, close: onClose });
    } finally {
      setBusy(false);
    }
  };

  return (
    <Drawer
      open={open}
      onClose={onClose}
      size={720}
      title={t('settings.title')}
      destroyOnHidden
      footer={
        <DrawerFooter
          note={t('settings.note')}
          busy={busy}
          submitLabel={t('common:save')}
          onCancel={onClose}
          onSubmit={() => void submit()}
          testId="settings-save"
        />
      }
    >
      <Alert type="warning" showIcon title={t('map.assumption')} style={{ marginBottom: 12 }} />
      <Form form={form} layout="vertical" className="dense-form" data-testid="settings-form">
        {watched?.exponents && (
          <Typography.Paragraph className="mono">
            {scoreFormula({ ...DEFAULT_RISK_GRID_SETTINGS, ...watched })}
          </Typography.Paragraph>
        )}
        <Form.Item name="resolution" label={t('settings.resolution')} extra={t('settings.resolutionHint')}>
          <Radio.Group
            optionType="button"
            options={[
              { value: 8, label: '8' },
              { value: 9, label: '9' },
            ]}
          />
        </Form.Item>
        <Row gutter={12}>
          <Col span={8}>
            <Form.Item name={['exponents', 'hazard']} label={t('settings.expHazard')} rules={[{ required: true }]}>
              {num(0, 5)}
            </Form.Item>
          </Col>
          <Col span={8}>
            <Form.Item name={['exponents', 'exposure']} label={t('settings.expExposure')} rules={[{ required: true }]}>
              {num(0, 5)}
            </Form.Item>
          </Col>
          <Col span={8}>
            <Form.Item
              name={['exponents', 'vulnerability']}
              label={t('settings.expVulnerability')}
              rules={[{ required: true }]}
            >
              {num(0, 5)}
            </Form.Item>
          </Col>
        </Row>
        <Row gutter={12}>
          <Col span={8}>
            <Form.Item
              name="vulnerabilityFloor"
              label={t('settings.floor')}
              tooltip={t('settings.floorHint')}
              rules={[{ required: true }]}
            >
              {num(0, 1)}
            </Form.Item>
          </Col>
          <Col span={8}>
            <Form.Item
              name="shelterCredit"
              label={t('settings.shelterCredit')}
              tooltip={t('settings.shelterCreditHint')}
              rules={[{ required: true }]}
            >
              {num(0, 1)}
            </Form.Item>
          </Col>
          <Col span={8}>
            <Form.Item
              name="percentile"
              label={t('settings.percentile')}
              tooltip={t('settings.percentileHint')}
              rules={[{ required: true }]}
            >
              {num(50, 100, 1)}
            </Form.Item>
          </Col>
        </Row>
        <div className="risk-role">{t('settings.thresholds')}</div>
        <Row gutter={12}>
          {(['major', 'large', 'general'] as const).map((c) => (
            <Col span={8} key={c}>
              <Form.Item name={['thresholds', c]} label={t(`settings.threshold.${c}`)} rules={[{ required: true }]}>
                {num(0, 1)}
              </Form.Item>
            </Col>
          ))}
        </Row>
        <div className="risk-role">{t('settings.levelFactors')}</div>
        <Row gutter={12}>
          {(['1', '2', '3', '4', 'none'] as const).map((l) => (
            <Col span={4} key={l} style={{ flex: '1 1 0', maxWidth: 'none' }}>
              <Form.Item
                name={['levelFactors', l]}
                label={l === 'none' ? t('settings.levelNone') : t('settings.level', { level: l })}
                rules={[{ required: true }]}
              >
                {num(0, 100, 0.1)}
              </Form.Item>
            </Col>
          ))}
        </Row>
        <div className="risk-role">{t('settings.kinds')}</div>
        <Table<{ kind: CensusKind }>
          size="small"
          className="dense-table"
          pagination={false}
          rowKey="kind"
          dataSource={CENSUS_KINDS.map((kind) => ({ kind }))}
          columns={[
            { title: t('field.kind'), dataIndex: 'kind', render: (k: CensusKind) => <KindLabel kind={k} /> },
            {
              title: t('settings.weight'),
              key: 'weight',
              width: 150,
              render: (_: unknown, r) => (
                <Form.Item name={['kinds', r.kind, 'weight']} noStyle>
                  <InputNumber min={0} max={100_000} style={{ width: '100%' }} size="small" />
                </Form.Item>
              ),
            },
            {
              title: t('settings.radius'),
              key: 'radius',
              width: 150,
              render: (_: unknown, r) =>
                CENSUS_KIND_INFO[r.kind].role === 'hazard' || CENSUS_KIND_INFO[r.kind].role === 'shelter' ? (
                  <Form.Item name={['kinds', r.kind, 'radiusM']} noStyle>
                    <InputNumber min={0} max={20_000} step={100} suffix="m" style={{ width: '100%' }} size="small" />
                  </Form.Item>
                ) : (
                  <span className="muted">—</span>
                ),
            },
          ]}
        />
      </Form>
    </Drawer>
  );
}
