import { MinusCircleOutlined, PlusOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Col, DatePicker, Form, Input, InputNumber, Radio, Row, Select } from 'antd';
import dayjs from 'dayjs';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  DEFAULT_RISK_GRADING,
  LEC_VALUES,
  type RiskMethod,
  type RiskPoint,
  type RiskPointInput,
  riskColourOf,
  riskScore,
} from '../../../../contracts/safety.ts';
import { applyServerError, useErrorReporter } from '../../components/errors.tsx';
import { ColourTag, nameIn, useLang } from './labels.tsx';
import { createRiskPoint, patchRiskPoint, safetyKeys, useGrading } from './safety-api.ts';
import { SafetyFormDrawer } from './safety-drawer.tsx';

interface Values {
  name: string;
  area?: string;
  hazard?: string;
  accidentTypes?: string[];
  method: RiskMethod;
  l?: number;
  e?: number;
  c?: number;
  s?: number;
  controlMeasures?: string;
  responsible?: { name?: string; role?: string; phone?: string }[];
  reviewIntervalDays?: number | null;
  nextReview?: dayjs.Dayjs | null;
  notes?: string;
}

const KNOWN = [
  'name',
  'area',
  'hazard',
  'accidentTypes',
  'method',
  'l',
  'e',
  'c',
  's',
  'controlMeasures',
  'responsible',
  'reviewIntervalDays',
  'nextReview',
  'notes',
];
/** the usual accident types (GB 6441-1986 names) offered; others may be typed */
const ACCIDENT_TYPES = [
  '火灾',
  '爆炸',
  '中毒和窒息',
  '灼烫',
  '触电',
  '机械伤害',
  '起重伤害',
  '高处坠落',
  '物体打击',
  '坍塌',
  '车辆伤害',
  '淹溺',
];
const ONE_TO_FIVE = [1, 2, 3, 4, 5].map((v) => ({ value: v, label: String(v) }));

/**
 * Adds or edits a risk point: LEC (L, E, C only from their allowed values, with their words — standards-facts §5) or
 * LS (1–5 each), with D or R and its colour by the grading rule in force shown live. Ctrl+Enter saves.
 */
export function RiskPointDrawer({
  open,
  enterpriseId,
  point,
  onClose,
}: {
  open: boolean;
  enterpriseId: string;
  point?: RiskPoint | undefined;
  onClose: () => void;
}) {
  const { t } = useTranslation('safety');
  const lang = useLang();
  const [form] = Form.useForm<Values>();
  const [busy, setBusy] = useState(false);
  const qc = useQueryClient();
  const report = useErrorReporter();
  const grading = useGrading();
  const method = (Form.useWatch('method', form) as RiskMethod | undefined) ?? 'LEC';
  const [l, e, c, s] = [
    Form.useWatch('l', form) as number | undefined,
    Form.useWatch('e', form) as number | undefined,
    Form.useWatch('c', form) as number | undefined,
    Form.useWatch('s', form) as number | undefined,
  ];

  useEffect(() => {
    if (!open) return;
    form.resetFields();
    if (point)
      form.setFieldsValue({
        name: point.name,
        area: point.area ?? '',
        hazard: point.hazard,
        accidentTypes: point.accidentTypes,
        method: point.method,
        l: point.l,
        ...(point.e != null ? { e: point.e } : {}),
        ...(point.c != null ? { c: point.c } : {}),
        ...(point.s != null ? { s: point.s } : {}),
        controlMeasures: point.controlMeasures.join('\n'),
        responsible: point.responsible.map((p) => ({ name: p.name, role: p.role ?? '', phone: p.phone ?? '' })),
        reviewIntervalDays: point.reviewIntervalDays,
        nextReview: point.nextReview ? dayjs(point.nextReview) : null,
        notes: point.notes ?? '',
      });
    else form.setFieldsValue({ method: 'LEC', accidentTypes: [], responsible: [] });
  }, [open, point, form]);

  const rule = grading.data?.value ?? DEFAULT_RISK_GRADING;
  const complete = method === 'LEC' ? l != null && e != null && c != null : l != null && s != null;
  const score = complete ? riskScore(method, l as number, e ?? null, c ?? null, s ?? null) : null;
  const words = (list: readonly { v: number; zh: string; en: string }[]) =>
    list.map((x) => ({ value: x.v, label: `${x.v} — ${nameIn(x, lang)}` }));

  async function submit(v: Values) {
    const input: RiskPointInput = {
      name: v.name.trim(),
      area: v.area?.trim() ?? '',
      hazard: v.hazard?.trim() ?? '',
      accidentTypes: (v.accidentTypes ?? []).map((x) => x.trim()).filter(Boolean),
      method: v.method,
      l: v.l as number,
      ...(v.method === 'LEC' ? { e: v.e ?? null, c: v.c ?? null, s: null } : { s: v.s ?? null, e: null, c: null }),
      controlMeasures: (v.controlMeasures ?? '')
        .split('\n')
        .map((x) => x.trim())
        .filter(Boolean),
      responsible: (v.responsible ?? [])
        .filter((p) => p.name?.trim())
        .map((p) => ({
          name: (p.name as string).trim(),
          ...(p.role?.trim() ? { role: p.role.trim() } : {}),
          ...(p.phone?.trim() ? { phone: p.phone.trim() } : {}),
        })),
      reviewIntervalDays: v.reviewIntervalDays ?? null,
      nextReview: v.nextReview ? v.nextReview.format('YYYY-MM-DD') : null,
      notes: v.notes ?? '',
    };
    setBusy(true);
    try {
      if (point) await patchRiskPoint(enterpriseId, point.id, { ...input, version: point.version });
      else await createRiskPoint(enterpriseId, input);
      void qc.invalidateQueries({ queryKey: safetyKeys.enterprises });
      void qc.invalidateQueries({ queryKey: safetyKeys.riskPoints });
      onClose();
    } catch (err) {
      if (!applyServerError(form, err, KNOWN))
        report(err, { refetch: safetyKeys.points(enterpriseId), close: onClose });
    } finally {
      setBusy(false);
    }
  }

  return (
    <SafetyFormDrawer<Values>
      open={open}
      onClose={onClose}
      width={760}
      title={point ? t('pointForm.editTitle') : t('pointForm.newTitle')}
      note={t('pointForm.note')}
      busy={busy}
      form={form}
      onFinish={submit}
      onValuesChange={(changed: Partial<Values>) => {
        // the scales differ: L of one method means nothing in the other
        if (changed.method) form.setFieldsValue({ l: undefined, e: undefined, c: undefined, s: undefined });
      }}
      testId="risk-point"
    >
      <Row gutter={12}>
        <Col span={12}>
          <Form.Item name="name" label={t('risk.name')} rules={[{ required: true, whitespace: true, max: 200 }]}>
            <Input autoFocus data-testid="risk-point-name" />
          </Form.Item>
        </Col>
        <Col span={12}>
          <Form.Item name="area" label={t('risk.area')} rules={[{ max: 200 }]}>
            <Input />
          </Form.Item>
        </Col>
      </Row>
      <Form.Item name="hazard" label={t('pointForm.hazard')} rules={[{ max: 2000 }]}>
        <Input.TextArea rows={2} />
      </Form.Item>
      <Form.Item name="accidentTypes" label={t('risk.accidents')} extra={t('pointForm.accidentsHelp')}>
        <Select mode="tags" options={ACCIDENT_TYPES.map((a) => ({ value: a, label: a }))} maxCount={20} />
      </Form.Item>
      <Form.Item name="method" label={t('risk.method')} rules={[{ required: true }]}>
        <Radio.Group
          optionType="button"
          options={[
            { value: 'LEC', label: t('pointForm.lec') },
            { value: 'LS', label: t('pointForm.ls') },
          ]}
          data-testid="risk-point-method"
        />
      </Form.Item>
      {method === 'LEC' ? (
        <Row gutter={12}>
          <Col span={8}>
            <Form.Item name="l" label={t('pointForm.L')} rules={[{ required: true }]}>
              <Select options={words(LEC_VALUES.L)} data-testid="risk-point-l" />
            </Form.Item>
          </Col>
          <Col span={8}>
            <Form.Item name="e" label={t('pointForm.E')} rules={[{ required: true }]}>
              <Select options={words(LEC_VALUES.E)} data-testid="risk-point-e" />
            </Form.Item>
          </Col>
          <Col span={8}>
            <Form.Item name="c" label={t('pointForm.C')} rules={[{ required: true }]}>
              <Select options={words(LEC_VALUES.C)} data-testid="risk-point-c" />
            </Form.Item>
          </Col>
        </Row>
      ) : (
        <Row gutter={12}>
          <Col span={8}>
            <Form.Item name="l" label={t('pointForm.lsL')} rules={[{ required: true }]}>
              <Select options={ONE_TO_FIVE} data-testid="risk-point-l" />
            </Form.Item>
          </Col>
          <Col span={8}>
            <Form.Item name="s" label={t('pointForm.lsS')} rules={[{ required: true }]}>
              <Select options={ONE_TO_FIVE} data-testid="risk-point-s" />
            </Form.Item>
          </Col>
        </Row>
      )}
      <Alert
        type={score === null ? 'info' : 'success'}
        style={{ marginBottom: 16 }}
        data-testid="risk-point-score"
        message={
          score === null ? (
            t('pointForm.scoreEmpty')
          ) : (
            <span>
              {method === 'LEC' ? `D = L×E×C = ${l}×${e}×${c} = ${score}` : `R = L×S = ${l}×${s} = ${score}`}{' '}
              <ColourTag colour={riskColourOf(method, score, rule)} />
            </span>
          )
        }
        description={t('risk.ruleInForce', { rule: lang === 'en' ? rule.ruleNameEn : rule.ruleName })}
      />
      <Form.Item name="controlMeasures" label={t('risk.measures')} extra={t('pointForm.measuresHelp')}>
        <Input.TextArea rows={3} />
      </Form.Item>
      <Form.List name="responsible">
        {(fields, { add, remove }) => (
          <>
            <div style={{ marginBottom: 8 }}>{t('pointForm.responsible')}</div>
            {fields.map((f) => (
              <Row gutter={8} key={f.key}>
                <Col span={8}>
                  <Form.Item name={[f.name, 'name']} rules={[{ required: true, whitespace: true, max: 50 }]}>
                    <Input placeholder={t('pointForm.personName')} />
                  </Form.Item>
                </Col>
                <Col span={7}>
                  <Form.Item name={[f.name, 'role']} rules={[{ max: 50 }]}>
                    <Input placeholder={t('pointForm.personRole')} />
                  </Form.Item>
                </Col>
                <Col span={7}>
                  <Form.Item name={[f.name, 'phone']} rules={[{ max: 40 }]}>
                    <Input placeholder={t('field.phone')} />
                  </Form.Item>
                </Col>
                <Col span={2}>
                  <Button
                    type="text"
                    icon={<MinusCircleOutlined />}
                    aria-label={t('calc.remove')}
                    onClick={() => remove(f.name)}
                  />
                </Col>
              </Row>
            ))}
            <Button
              icon={<PlusOutlined />}
              onClick={() => add({})}
              disabled={fields.length >= 10}
              style={{ marginBottom: 12 }}
            >
              {t('pointForm.addPerson')}
            </Button>
          </>
        )}
      </Form.List>
      <Row gutter={12}>
        <Col span={12}>
          <Form.Item name="reviewIntervalDays" label={t('pointForm.interval')} extra={t('pointForm.intervalHelp')}>
            <InputNumber min={1} max={3650} precision={0} style={{ width: '100%' }} />
          </Form.Item>
        </Col>
        <Col span={12}>
          <Form.Item name="nextReview" label={t('risk.nextReview')}>
            <DatePicker style={{ width: '100%' }} />
          </Form.Item>
        </Col>
      </Row>
      <Form.Item name="notes" label={t('field.notes')}>
        <Input.TextArea rows={2} maxLength={2000} />
      </Form.Item>
    </SafetyFormDrawer>
  );
}
