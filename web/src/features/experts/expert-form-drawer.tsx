import { useQueryClient } from '@tanstack/react-query';
import { DatePicker, Drawer, Form, Input, Select, Switch } from 'antd';
import dayjs from 'dayjs';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { EXPERT_TITLE_INFO, EXPERT_TITLES, type Expert, type ExpertInput } from '../../../../contracts/experts.ts';
import { api } from '../../api/client.ts';
import { applyServerError, useErrorReporter } from '../../components/errors.tsx';
import { DrawerFooter } from '../../components/form-drawer.tsx';
import { expertKeys } from './experts-api.ts';
import { FieldSelect, nameIn, useDistrictOptions, useLang } from './labels.tsx';

interface Values {
  name: string;
  fields: string[];
  speciality?: string;
  title: ExpertInput['title'];
  titleText?: string;
  organisation: string;
  phones?: string;
  email?: string;
  district?: string;
  unavailable?: boolean;
  until?: dayjs.Dayjs | null;
  reason?: string;
  active?: boolean;
  notes?: string;
}

/** Registers an expert, or edits one (`expert` given). */
export function ExpertFormDrawer({
  open,
  expert,
  onClose,
  onSaved,
}: {
  open: boolean;
  expert?: Expert;
  onClose: () => void;
  onSaved?: (e: Expert) => void;
}) {
  const { t } = useTranslation('experts');
  const lang = useLang();
  const [form] = Form.useForm<Values>();
  const [busy, setBusy] = useState(false);
  const report = useErrorReporter();
  const qc = useQueryClient();
  const districts = useDistrictOptions();
  const unavailable = Form.useWatch('unavailable', form);

  useEffect(() => {
    if (!open) return;
    form.resetFields();
    if (expert)
      form.setFieldsValue({
        name: expert.name,
        fields: expert.fields,
        speciality: expert.speciality,
        title: expert.title,
        titleText: expert.titleText,
        organisation: expert.organisation,
        phones: expert.phones.join('、'),
        email: expert.email,
        district: expert.district?.code,
        unavailable: expert.availability.status === 'unavailable',
        until: expert.availability.until ? dayjs(expert.availability.until) : null,
        reason: expert.availability.reason,
        active: expert.active,
        notes: expert.notes,
      });
    else form.setFieldsValue({ active: true, title: 'associate_senior' });
  }, [open, expert, form]);

  const submit = async () => {
    const v = await form.validateFields();
    const body: ExpertInput = {
      name: v.name,
      fields: v.fields,
      title: v.title,
      organisation: v.organisation,
      speciality: v.speciality ?? '',
      titleText: v.titleText ?? '',
      phones: (v.phones ?? '')
        .split(/[、;；,，\s]+/)
        .map((p) => p.trim())
        .filter(Boolean),
      email: v.email ?? '',
      district: v.district ?? null,
      availability: v.unavailable
        ? { status: 'unavailable', until: v.until ? v.until.format('YYYY-MM-DD') : null, reason: v.reason ?? '' }
        : { status: 'available' },
      active: v.active ?? true,
      notes: v.notes ?? '',
    };
    setBusy(true);
    try {
      const saved = expert
        ? await api.patch<Expert>(`/experts/${expert.id}`, { ...body, version: expert.version })
        : await api.post<Expert>('/experts', body);
      void qc.invalidateQueries({ queryKey: expertKeys.all });
      onSaved?.(saved);
      onClose();
    } catch (err) {
      if (!applyServerError(form, err)) report(err, { refetch: expertKeys.all, close: onClose });
    } finally {
      setBusy(false);
    }
  };

  return (
    <Drawer
      open={open}
      onClose={onClose}
      title={expert ? t('form.editTitle', { name: expert.name }) : t('form.newTitle')}
      size={560}
      destroyOnHidden
      footer={
        <DrawerFooter
          note={t('form.note')}
          busy={busy}
          submitLabel={t('common:save')}
          onCancel={onClose}
          onSubmit={() => void submit()}
          testId="expert-save"
        />
      }
    >
      <Form form={form} layout="vertical" requiredMark>
        <Form.Item name="name" label={t('field.name')} rules={[{ required: true, max: 100 }]}>
          <Input data-testid="expert-name" />
        </Form.Item>
        <Form.Item name="fields" label={t('field.fields')} rules={[{ required: true }]} extra={t('form.fieldsHelp')}>
          <FieldSelect testId="expert-fields" />
        </Form.Item>
        <Form.Item name="speciality" label={t('field.speciality')} rules={[{ max: 500 }]}>
          <Input />
        </Form.Item>
        <Form.Item name="title" label={t('field.title')} rules={[{ required: true }]}>
          <Select options={EXPERT_TITLES.map((k) => ({ value: k, label: nameIn(EXPERT_TITLE_INFO[k], lang) }))} />
        </Form.Item>
        <Form.Item name="titleText" label={t('field.titleText')} rules={[{ max: 100 }]}>
          <Input placeholder={t('form.titleTextPlaceholder')} />
        </Form.Item>
        <Form.Item
          name="organisation"
          label={t('field.organisation')}
          rules={[{ required: true, max: 200 }]}
          extra={t('form.organisationHelp')}
        >
          <Input data-testid="expert-organisation" />
        </Form.Item>
        <Form.Item name="phones" label={t('field.phones')} extra={t('form.phonesHelp')}>
          <Input />
        </Form.Item>
        <Form.Item name="email" label={t('field.email')} rules={[{ type: 'email' }]}>
          <Input />
        </Form.Item>
        <Form.Item name="district" label={t('field.district')}>
          <Select allowClear options={districts} placeholder={t('form.cityWide')} />
        </Form.Item>
        <Form.Item name="unavailable" label={t('field.unavailable')} valuePropName="checked">
          <Switch />
        </Form.Item>
        {unavailable && (
          <>
            <Form.Item name="until" label={t('field.until')} extra={t('form.untilHelp')}>
              <DatePicker />
            </Form.Item>
            <Form.Item name="reason" label={t('field.reason')} rules={[{ max: 200 }]}>
              <Input />
            </Form.Item>
          </>
        )}
        <Form.Item name="active" label={t('field.active')} valuePropName="checked">
          <Switch />
        </Form.Item>
        <Form.Item name="notes" label={t('field.notes')} rules={[{ max: 2000 }]}>
          <Input.TextArea rows={3} />
        </Form.Item>
      </Form>
    </Drawer>
  );
}
