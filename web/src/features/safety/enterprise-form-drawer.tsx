import { useQueryClient } from '@tanstack/react-query';
import { Col, DatePicker, Drawer, Form, Input, InputNumber, Row, Select, Switch } from 'antd';
import dayjs from 'dayjs';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { LocationEntered } from '../../../../contracts/coordinates.ts';
import { checkCreditCode, creditCodeProblemText } from '../../../../contracts/credit-code.ts';
import {
  AUTOMATION_INFO,
  AUTOMATION_STATUSES,
  type Enterprise,
  type EnterpriseInput,
  HIGH_RISK_CATEGORIES,
  HIGH_RISK_INFO,
  INDUSTRIES,
  INDUSTRY_INFO,
} from '../../../../contracts/safety.ts';
import { applyServerError, useErrorReporter } from '../../components/errors.tsx';
import { DrawerFooter } from '../../components/form-drawer.tsx';
import { LocationInput } from '../../map/location-input.tsx';
import { nameIn, useDistrictOptions, useLang } from './labels.tsx';
import { createEnterprise, patchEnterprise, safetyKeys } from './safety-api.ts';

interface Values {
  name: string;
  creditCode: string;
  industry: EnterpriseInput['industry'];
  highRiskCategory?: EnterpriseInput['highRiskCategory'];
  crowdedVenue?: boolean;
  park?: string;
  location: [number, number] | null;
  districtCode?: string | null;
  address?: string;
  legalRepresentative?: string;
  contactName?: string;
  contactPhone?: string;
  employees?: number | null;
  insuranceExpiry?: dayjs.Dayjs | null;
  automation?: EnterpriseInput['automation'];
  notes?: string;
}

const KNOWN = [
  'name',
  'creditCode',
  'industry',
  'highRiskCategory',
  'park',
  'location',
  'locationEntered',
  'districtCode',
  'address',
  'legalRepresentative',
  'employees',
  'insuranceExpiry',
  'notes',
];

/** Registers or edits an enterprise; the credit code is checked here by the same function as the server's. */
export function EnterpriseFormDrawer({
  open,
  onClose,
  onSaved,
  enterprise,
  lockedForEnterprise,
}: {
  open: boolean;
  onClose: () => void;
  onSaved: (e: Enterprise) => void;
  enterprise?: Enterprise;
  /** an enterprise user edits its own: credit code and district are not theirs to change */
  lockedForEnterprise?: boolean;
}) {
  const { t } = useTranslation('safety');
  const lang = useLang();
  const [form] = Form.useForm<Values>();
  const [busy, setBusy] = useState(false);
  const [entered, setEntered] = useState<LocationEntered | null>(null);
  const qc = useQueryClient();
  const report = useErrorReporter();
  const districts = useDistrictOptions();

  useEffect(() => {
    if (!open) return;
    setEntered(null);
    form.resetFields();
    if (enterprise)
      form.setFieldsValue({
        name: enterprise.name,
        creditCode: enterprise.creditCode,
        industry: enterprise.industry,
        highRiskCategory: enterprise.highRiskCategory,
        crowdedVenue: enterprise.crowdedVenue,
        park: enterprise.park ?? '',
        location: (enterprise.location?.coordinates as [number, number] | undefined) ?? null,
        districtCode: enterprise.location ? undefined : (enterprise.district?.code ?? null),
        address: enterprise.address ?? '',
        legalRepresentative: enterprise.legalRepresentative ?? '',
        contactName: enterprise.safetyContacts[0]?.name,
        contactPhone: enterprise.safetyContacts[0]?.phone,
        employees: enterprise.employees,
        insuranceExpiry: enterprise.insuranceExpiry ? dayjs(enterprise.insuranceExpiry) : null,
        automation: enterprise.automation,
        notes: enterprise.notes ?? '',
      });
    else form.setFieldsValue({ automation: 'not_applicable', crowdedVenue: false, location: null });
  }, [open, enterprise, form]);

  async function submit(v: Values) {
    const input: EnterpriseInput = {
      name: v.name.trim(),
      creditCode: v.creditCode,
      industry: v.industry,
      highRiskCategory: v.highRiskCategory ?? null,
      crowdedVenue: v.crowdedVenue ?? false,
      park: v.park?.trim() || null,
      ...(entered
        ? { locationEntered: entered }
        : { location: v.location ? { type: 'Point', coordinates: v.location } : null }),
      ...(v.location ? {} : { districtCode: v.districtCode ?? null }),
      address: v.address ?? '',
      legalRepresentative: v.legalRepresentative ?? '',
      safetyContacts: v.contactName?.trim()
        ? [{ name: v.contactName.trim(), phone: v.contactPhone?.trim() || '—' }]
        : [],
      employees: v.employees ?? null,
      insuranceExpiry: v.insuranceExpiry ? v.insuranceExpiry.format('YYYY-MM-DD') : null,
      automation: v.automation ?? 'not_applicable',
      notes: v.notes ?? '',
    };
    setBusy(true);
    try {
      const saved = enterprise
        ? await patchEnterprise(enterprise.id, {
            ...input,
            ...(lockedForEnterprise ? { creditCode: enterprise.creditCode } : {}),
            version: enterprise.version,
          })
        : await createEnterprise(input);
      void qc.invalidateQueries({ queryKey: safetyKeys.enterprises });
      onSaved(saved);
      onClose();
    } catch (err) {
      if (!applyServerError(form, err, KNOWN)) report(err, { refetch: safetyKeys.enterprises, close: onClose });
    } finally {
      setBusy(false);
    }
  }

  return (
    <Drawer
      open={open}
      onClose={onClose}
      width={720}
      title={enterprise ? t('form.editTitle') : t('form.newTitle')}
      destroyOnHidden
      footer={
        <DrawerFooter
          note={t('form.note')}
          busy={busy}
          submitLabel={t('form.save')}
          onCancel={onClose}
          onSubmit={() => form.submit()}
          testId="enterprise-save"
        />
      }
    >
      <Form<Values> form={form} layout="vertical" onFinish={submit} data-testid="enterprise-form">
        <Row gutter={12}>
          <Col span={14}>
            <Form.Item name="name" label={t('field.name')} rules={[{ required: true, whitespace: true, max: 200 }]}>
              <Input autoFocus data-testid="enterprise-name" />
            </Form.Item>
          </Col>
          <Col span={10}>
            <Form.Item
              name="creditCode"
              label={t('field.creditCode')}
              extra={t('form.creditCodeHelp')}
              validateTrigger="onBlur"
              rules={[
                { required: true, whitespace: true },
                {
                  validator: async (_r, value: string | undefined) => {
                    if (!value) return;
                    const r = checkCreditCode(value);
                    if (!r.ok) throw new Error(creditCodeProblemText(r, lang));
                  },
                },
              ]}
            >
              <Input
                disabled={lockedForEnterprise}
                maxLength={40}
                style={{ fontFamily: 'monospace' }}
                data-testid="enterprise-credit-code"
              />
            </Form.Item>
          </Col>
        </Row>
        <Row gutter={12}>
          <Col span={8}>
            <Form.Item name="industry" label={t('field.industry')} rules={[{ required: true }]}>
              <Select
                showSearch={{ optionFilterProp: 'label' }}
                options={INDUSTRIES.map((k) => ({ value: k, label: nameIn(INDUSTRY_INFO[k], lang) }))}
                data-testid="enterprise-industry"
              />
            </Form.Item>
          </Col>
          <Col span={8}>
            <Form.Item name="highRiskCategory" label={t('field.highRisk')}>
              <Select
                allowClear
                placeholder={t('none')}
                options={HIGH_RISK_CATEGORIES.map((k) => ({ value: k, label: nameIn(HIGH_RISK_INFO[k], lang) }))}
              />
            </Form.Item>
          </Col>
          <Col span={8}>
            <Form.Item name="crowdedVenue" label={t('field.crowded')} valuePropName="checked">
              <Switch />
            </Form.Item>
          </Col>
        </Row>
        <Form.Item name="location" label={t('field.location')} extra={t('form.locationHelp')}>
          <LocationInput onEntered={setEntered} />
        </Form.Item>
        <Row gutter={12}>
          <Col span={8}>
            <Form.Item name="districtCode" label={t('field.districtIfNoPoint')}>
              <Select allowClear options={districts} disabled={lockedForEnterprise} />
            </Form.Item>
          </Col>
          <Col span={16}>
            <Form.Item name="address" label={t('field.address')} rules={[{ max: 300 }]}>
              <Input />
            </Form.Item>
          </Col>
        </Row>
        <Row gutter={12}>
          <Col span={8}>
            <Form.Item name="park" label={t('field.park')}>
              <Input maxLength={100} />
            </Form.Item>
          </Col>
          <Col span={8}>
            <Form.Item name="legalRepresentative" label={t('field.legal')}>
              <Input maxLength={50} />
            </Form.Item>
          </Col>
          <Col span={8}>
            <Form.Item name="employees" label={t('field.employees')}>
              <InputNumber min={0} max={1_000_000} precision={0} style={{ width: '100%' }} />
            </Form.Item>
          </Col>
        </Row>
        <Row gutter={12}>
          <Col span={8}>
            <Form.Item name="contactName" label={t('field.contact')}>
              <Input maxLength={50} />
            </Form.Item>
          </Col>
          <Col span={8}>
            <Form.Item name="contactPhone" label={t('field.phone')}>
              <Input maxLength={40} />
            </Form.Item>
          </Col>
          <Col span={8}>
            <Form.Item name="insuranceExpiry" label={t('field.insurance')}>
              <DatePicker style={{ width: '100%' }} />
            </Form.Item>
          </Col>
        </Row>
        <Form.Item name="automation" label={t('field.automation')}>
          <Select options={AUTOMATION_STATUSES.map((k) => ({ value: k, label: nameIn(AUTOMATION_INFO[k], lang) }))} />
        </Form.Item>
        <Form.Item name="notes" label={t('field.notes')}>
          <Input.TextArea rows={2} maxLength={2000} />
        </Form.Item>
      </Form>
    </Drawer>
  );
}
