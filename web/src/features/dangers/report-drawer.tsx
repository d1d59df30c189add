import { useQueryClient } from '@tanstack/react-query';
import { Drawer, Form, Input, Select, Space } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { LocationEntered } from '../../../../contracts/coordinates.ts';
import {
  DANGER_CATEGORIES,
  DANGER_GRADES,
  DANGER_SOURCES,
  type DangerInput,
  type HiddenDanger,
} from '../../../../contracts/dangers.ts';
import { useCurrentUser } from '../../api/auth.ts';
import { api } from '../../api/client.ts';
import { useDistrictOptions } from '../../components/districts.ts';
import { applyServerError, useErrorReporter } from '../../components/errors.tsx';
import { DrawerFooter } from '../../components/form-drawer.tsx';
import { type LngLatValue, LocationInput } from '../../map/location-input.tsx';
import { dangerKeys, useEnterpriseOptions } from './dangers-api.ts';
import { useDangerNames } from './labels.tsx';

const FIELDS = [
  'title',
  'description',
  'category',
  'grade',
  'source',
  'enterpriseId',
  'district',
  'address',
  'location',
];

/** An enterprise chosen by name or credit code from the register (optional: a public place has none). */
export function EnterpriseSelect({
  value,
  onChange,
  initial,
  id,
}: {
  value?: string | null;
  onChange?: (v: string | null) => void;
  initial?: { id: string; name: string } | null;
  id?: string;
}) {
  const { t } = useTranslation('dangers');
  const [q, setQ] = useState('');
  const list = useEnterpriseOptions(q);
  const options = (list.data?.items ?? []).map((e) => ({ value: e.id, label: `${e.name} · ${e.creditCode}` }));
  if (initial && !options.some((o) => o.value === initial.id))
    options.unshift({ value: initial.id, label: initial.name });
  return (
    <Select
      id={id}
      showSearch
      allowClear
      filterOption={false}
      value={value ?? undefined}
      onSearch={setQ}
      onChange={(v) => onChange?.(v ?? null)}
      options={options}
      loading={list.isFetching}
      placeholder={t('form.enterprisePlaceholder')}
      notFoundContent={list.isError ? t('form.enterprisesUnavailable') : undefined}
    />
  );
}

/** Report a hidden danger from the desk: what, where (an enterprise, or a point / district for a public place). */
export function ReportDrawer({
  open,
  onClose,
  onSaved,
  enterprise,
}: {
  open: boolean;
  onClose: () => void;
  onSaved: (d: HiddenDanger) => void;
  /** reporting from an enterprise's page: fixed */
  enterprise?: { id: string; name: string };
}) {
  const { t } = useTranslation('dangers');
  const names = useDangerNames();
  const user = useCurrentUser();
  const [form] = Form.useForm();
  const [busy, setBusy] = useState(false);
  const [entered, setEntered] = useState<LocationEntered | null>(null);
  const report = useErrorReporter();
  const qc = useQueryClient();
  const districts = useDistrictOptions();
  const isEnterpriseUser = user.scope === 'enterprise';

  const submit = async () => {
    const v = (await form.validateFields()) as DangerInput & { point?: LngLatValue };
    const { point, ...rest } = v;
    const body: DangerInput = {
      ...rest,
      ...(enterprise ? { enterpriseId: enterprise.id } : {}),
      ...(entered ? { locationEntered: entered } : point ? { location: { type: 'Point', coordinates: point } } : {}),
    };
    setBusy(true);
    try {
      const d = await api.post<HiddenDanger>('/hidden-dangers', body);
      void qc.invalidateQueries({ queryKey: dangerKeys.all });
      form.resetFields();
      setEntered(null);
      onSaved(d);
    } catch (err) {
      if (!applyServerError(form, err, FIELDS)) report(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Drawer
      open={open}
      onClose={onClose}
      title={t('form.reportTitle')}
      size={640}
      destroyOnHidden
      footer={
        <DrawerFooter
          note={t('form.reportNote')}
          busy={busy}
          submitLabel={t('form.report')}
          onCancel={onClose}
          onSubmit={() => void submit()}
          testId="danger-report-submit"
        />
      }
    >
      <Form
        form={form}
        layout="vertical"
        initialValues={{
          grade: 'general',
          source: isEnterpriseUser ? 'self_check' : 'inspection',
          category: 'equipment',
        }}
        onFinish={() => void submit()}
      >
        <Form.Item name="title" label={t('field.title')} rules={[{ required: true, message: t('form.titleRequired') }]}>
          <Input maxLength={200} data-testid="danger-title" autoFocus />
        </Form.Item>
        <Form.Item name="description" label={t('field.description')}>
          <Input.TextArea rows={3} maxLength={5000} />
        </Form.Item>
        <Space wrap>
          <Form.Item name="category" label={t('field.category')} rules={[{ required: true }]}>
            <Select
              options={DANGER_CATEGORIES.map((c) => ({ value: c, label: names.category(c) }))}
              style={{ width: 160 }}
            />
          </Form.Item>
          <Form.Item name="grade" label={t('field.grade')} rules={[{ required: true }]}>
            <Select options={DANGER_GRADES.map((g) => ({ value: g, label: names.grade(g) }))} style={{ width: 130 }} />
          </Form.Item>
          <Form.Item name="source" label={t('field.source')} rules={[{ required: true }]}>
            <Select
              options={DANGER_SOURCES.map((s) => ({ value: s, label: names.source(s) }))}
              style={{ width: 130 }}
            />
          </Form.Item>
        </Space>
        {enterprise ? (
          <Form.Item label={t('field.enterprise')}>{enterprise.name}</Form.Item>
        ) : (
          !isEnterpriseUser && (
            <Form.Item name="enterpriseId" label={t('field.enterprise')} extra={t('form.enterpriseExtra')}>
              <EnterpriseSelect />
            </Form.Item>
          )
        )}
        <Form.Item name="district" label={t('field.district')} extra={t('form.districtExtra')}>
          <Select allowClear options={districts} style={{ width: 200 }} />
        </Form.Item>
        <Form.Item name="address" label={t('field.address')}>
          <Input maxLength={500} />
        </Form.Item>
        <Form.Item name="point" label={t('field.location')} extra={t('form.locationExtra')}>
          <LocationInput onEntered={setEntered} />
        </Form.Item>
      </Form>
    </Drawer>
  );
}
