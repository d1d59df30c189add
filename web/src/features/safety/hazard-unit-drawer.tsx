import { useQueryClient } from '@tanstack/react-query';
import { Alert, Card, Col, Form, Input, InputNumber, Row, Select, Tag } from 'antd';
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Gb18218Problem, type Identification, identify } from '../../../../contracts/gb18218.ts';
import {
  HAZARD_UNIT_KIND_INFO,
  HAZARD_UNIT_KINDS,
  type HazardUnit,
  type HazardUnitInput,
} from '../../../../contracts/safety.ts';
import { ApiError } from '../../api/client.ts';
import { applyServerError, useErrorReporter } from '../../components/errors.tsx';
import { nameIn, useLang } from './labels.tsx';
import { createHazardUnit, patchHazardUnit, safetyKeys } from './safety-api.ts';
import { SafetyFormDrawer } from './safety-drawer.tsx';
import { type SubstanceRow, SubstanceRows, toRow, toSubstance } from './substance-input.tsx';
import { WorkingTable } from './working-table.tsx';

interface Values {
  name: string;
  kind: HazardUnitInput['kind'];
  exposedPopulation: number | null;
  inventories: SubstanceRow[];
  notes?: string;
}

type Preview = { ok: true; result: Identification } | { ok: false; field: string; text: string } | null;

/** `inventories.N.cas` has no box of its own: the name box holds the name or the CAS number. */
const boxOf = (field: string) => field.replace(/^(inventories\.\d+)\.cas$/, '$1.name');

/**
 * Adds or edits a hazard unit (GB 18218-2018): name, production or storage, the people within 500 m, its
 * inventories at their design maximum (4.2.2), with the identification and grade worked live in the browser by the
 * same `identify` the server stores on save. Ctrl+Enter saves.
 */
export function HazardUnitDrawer({
  open,
  enterpriseId,
  unit,
  onClose,
}: {
  open: boolean;
  enterpriseId: string;
  /** the unit edited; a new one without it */
  unit?: HazardUnit | undefined;
  onClose: () => void;
}) {
  const { t } = useTranslation('safety');
  const lang = useLang();
  const [form] = Form.useForm<Values>();
  const [busy, setBusy] = useState(false);
  const qc = useQueryClient();
  const report = useErrorReporter();
  const rows = Form.useWatch('inventories', form) as SubstanceRow[] | undefined;
  const people = Form.useWatch('exposedPopulation', form) as number | null | undefined;

  useEffect(() => {
    if (!open) return;
    form.resetFields();
    if (unit)
      form.setFieldsValue({
        name: unit.name,
        kind: unit.kind,
        exposedPopulation: unit.exposedPopulation,
        inventories: unit.inventories.map(toRow),
        notes: unit.notes ?? '',
      });
    else form.setFieldsValue({ kind: 'storage', exposedPopulation: 0, inventories: [{}] });
  }, [open, unit, form]);

  const preview: Preview = useMemo(() => {
    const filled = (rows ?? []).filter(Boolean);
    if (filled.length === 0 || filled.some((r) => r.quantityT == null)) return null;
    try {
      return { ok: true, result: identify(filled.map(toSubstance), people ?? 0) };
    } catch (e) {
      if (e instanceof Gb18218Problem)
        return { ok: false, field: e.field.replace(/^substances/, 'inventories'), text: nameIn(e.reason, lang) };
      throw e;
    }
  }, [rows, people, lang]);
  /** the live refusal shown on its own box */
  const refusal = (path: string) =>
    preview && !preview.ok && boxOf(preview.field) === path
      ? { validateStatus: 'warning' as const, help: preview.text }
      : {};

  async function submit(v: Values) {
    const input: HazardUnitInput = {
      name: v.name.trim(),
      kind: v.kind,
      exposedPopulation: v.exposedPopulation ?? 0,
      inventories: v.inventories.map(toSubstance),
      notes: v.notes ?? '',
    };
    setBusy(true);
    try {
      if (unit) await patchHazardUnit(enterpriseId, unit.id, { ...input, version: unit.version });
      else await createHazardUnit(enterpriseId, input);
      void qc.invalidateQueries({ queryKey: safetyKeys.enterprises });
      onClose();
    } catch (err) {
      const e =
        err instanceof ApiError && err.field
          ? new ApiError(err.status, err.code, err.message, boxOf(err.field), err.body)
          : err;
      const known = ['name', 'kind', 'exposedPopulation', 'notes'];
      (v.inventories ?? []).forEach((_r, i) => {
        known.push(`inventories.${i}.name`, `inventories.${i}.category`, `inventories.${i}.quantityT`);
      });
      if (!applyServerError(form, e, known)) report(err, { refetch: safetyKeys.units(enterpriseId), close: onClose });
    } finally {
      setBusy(false);
    }
  }

  return (
    <SafetyFormDrawer<Values>
      open={open}
      onClose={onClose}
      width={860}
      title={unit ? t('unitForm.editTitle') : t('unitForm.newTitle')}
      note={t('unitForm.note')}
      busy={busy}
      form={form}
      onFinish={submit}
      testId="hazard-unit"
    >
      <Row gutter={12}>
        <Col span={10}>
          <Form.Item name="name" label={t('hazards.unit')} rules={[{ required: true, whitespace: true, max: 200 }]}>
            <Input autoFocus data-testid="hazard-unit-name" />
          </Form.Item>
        </Col>
        <Col span={6}>
          <Form.Item name="kind" label={t('hazards.kind')} rules={[{ required: true }]}>
            <Select
              options={HAZARD_UNIT_KINDS.map((k) => ({ value: k, label: nameIn(HAZARD_UNIT_KIND_INFO[k], lang) }))}
              data-testid="hazard-unit-kind"
            />
          </Form.Item>
        </Col>
        <Col span={8}>
          <Form.Item
            name="exposedPopulation"
            label={t('calc.people')}
            tooltip={t('calc.peopleHelp')}
            rules={[{ required: true }]}
          >
            <InputNumber
              min={0}
              max={10_000_000}
              precision={0}
              style={{ width: '100%' }}
              data-testid="hazard-unit-people"
            />
          </Form.Item>
        </Col>
      </Row>
      <div className="muted" style={{ marginBottom: 8 }}>
        {t('unitForm.inventoriesHelp')}
      </div>
      <SubstanceRows
        list="inventories"
        quantityLabel={t('unitForm.designMax')}
        testIds={{ name: 'inventory', category: 'inventory-category', quantity: 'inventory-quantity' }}
        categoryPlaceholder={t('unitForm.categoryPlaceholder')}
        status={refusal}
      />
      <Card size="small" title={t('unitForm.preview')} style={{ marginBottom: 12 }} data-testid="hazard-unit-preview">
        {preview === null && <span className="muted">{t('unitForm.previewEmpty')}</span>}
        {preview && !preview.ok && <Alert type="warning" showIcon message={preview.text} />}
        {preview?.ok && (
          <>
            <div style={{ marginBottom: 8 }} data-testid="hazard-unit-grade">
              {preview.result.isMajorHazard ? (
                <Tag color={preview.result.grade === 1 ? 'red' : preview.result.grade === 2 ? 'orange' : 'gold'}>
                  {t('hazards.majorGrade', { grade: t(`grade.${preview.result.grade}`) })}
                </Tag>
              ) : (
                <Tag>{t('hazards.notMajor')}</Tag>
              )}
              <span className="muted">
                S = {Math.round(preview.result.S * 10000) / 10000}
                {preview.result.isMajorHazard &&
                  ` · α = ${preview.result.alpha} · R = ${Math.round((preview.result.R ?? 0) * 10000) / 10000}`}
              </span>
            </div>
            <WorkingTable result={preview.result} />
          </>
        )}
      </Card>
      <Form.Item name="notes" label={t('field.notes')}>
        <Input.TextArea rows={2} maxLength={2000} />
      </Form.Item>
    </SafetyFormDrawer>
  );
}
