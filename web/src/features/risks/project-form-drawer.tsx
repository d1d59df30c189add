import { useQueryClient } from '@tanstack/react-query';
import { App, Col, DatePicker, Drawer, Form, Input, InputNumber, Row, Select } from 'antd';
import dayjs from 'dayjs';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  PROJECT_TYPE_INFO,
  PROJECT_TYPES,
  type PreventionProject,
  type ProjectType,
} from '../../../../contracts/risks.ts';
import { ApiError } from '../../api/client.ts';
import { applyServerError, useErrorReporter } from '../../components/errors.tsx';
import { DrawerFooter } from '../../components/form-drawer.tsx';
import { LocationInput } from '../../map/location-input.tsx';
import { nameIn, useDistrictOptions, useLang } from './labels.tsx';
import { createProject, patchProject, risksKeys } from './risks-api.ts';
import { type ProjectFormValues, projectFormValues, toProjectInput } from './risks-text.ts';

type Values = Omit<ProjectFormValues, 'startDate' | 'endDate'> & { dates: [dayjs.Dayjs, dayjs.Dayjs] };

/** server field → form field (the two dates share one picker) */
const KNOWN = ['name', 'type', 'district', 'location', 'targetQuantity', 'unit', 'responsibleUnit', 'notes'];

/** A new prevention project, or an edit of one (`project` given). */
export function ProjectFormDrawer({
  open,
  project,
  onClose,
  onSaved,
}: {
  open: boolean;
  project?: PreventionProject;
  onClose: () => void;
  onSaved?: (p: PreventionProject) => void;
}) {
  const { t } = useTranslation('risks');
  const lang = useLang();
  const [form] = Form.useForm<Values>();
  const [busy, setBusy] = useState(false);
  const report = useErrorReporter();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const districtOptions = useDistrictOptions();

  useEffect(() => {
    if (!open) return;
    form.resetFields();
    if (project) {
      const v = projectFormValues(project);
      form.setFieldsValue({ ...v, dates: [dayjs(v.startDate), dayjs(v.endDate)] });
    } else form.setFieldsValue({ type: 'water_storage', unit: PROJECT_TYPE_INFO.water_storage.unit });
  }, [open, project, form]);

  const submit = async () => {
    // an invalid form says so on its fields: nothing to send
    const v = await form.validateFields().catch(() => null);
    if (!v) return;
    const body = toProjectInput({
      ...v,
      location: v.location ?? null,
      startDate: v.dates[0].format('YYYY-MM-DD'),
      endDate: v.dates[1].format('YYYY-MM-DD'),
    });
    setBusy(true);
    try {
      const saved = project
        ? await patchProject(project.id, { ...body, version: project.version })
        : await createProject(body);
      void qc.invalidateQueries({ queryKey: risksKeys.projects });
      void message.success(t('projects.saved'));
      onSaved?.(saved);
      onClose();
    } catch (err) {
      // the dates' refusals land on their picker
      if (err instanceof ApiError && /^\/?(startDate|endDate)/.test(err.field ?? '')) {
        form.setFields([{ name: 'dates', errors: [err.message] }]);
        return;
      }
      if (!applyServerError(form, err, KNOWN)) report(err, { refetch: risksKeys.projects, close: onClose });
    } finally {
      setBusy(false);
    }
  };

  return (
    <Drawer
      open={open}
      onClose={onClose}
      title={project ? t('projects.editTitle', { name: project.name }) : t('projects.newTitle')}
      size={640}
      destroyOnHidden
      footer={
        <DrawerFooter
          note={t('projects.formNote')}
          busy={busy}
          submitLabel={t('common:save')}
          onCancel={onClose}
          onSubmit={() => void submit()}
          testId="project-save"
        />
      }
    >
      <Form
        form={form}
        layout="vertical"
        requiredMark
        onKeyDown={(e) => {
          // Ctrl/⌘+Enter saves from any field
          if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) void submit();
        }}
        data-testid="project-form"
      >
        <Form.Item
          name="name"
          label={t('field.name')}
          rules={[{ required: true, message: t('projects.nameRequired') }, { max: 200 }]}
        >
          <Input autoFocus data-testid="project-name" />
        </Form.Item>
        <Row gutter={16}>
          <Col span={12}>
            <Form.Item
              name="type"
              label={t('field.type')}
              rules={[{ required: true, message: t('projects.typeRequired') }]}
            >
              <Select
                options={PROJECT_TYPES.map((k) => ({ value: k, label: nameIn(PROJECT_TYPE_INFO[k], lang) }))}
                onChange={(k: ProjectType) => {
                  // the type's own unit, unless one was typed that is not another type's
                  const unit = form.getFieldValue('unit') as string | undefined;
                  if (!unit || PROJECT_TYPES.some((x) => PROJECT_TYPE_INFO[x].unit === unit))
                    form.setFieldValue('unit', PROJECT_TYPE_INFO[k].unit);
                }}
                data-testid="project-type"
              />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item
              name="district"
              label={t('field.district')}
              rules={[{ required: true, message: t('projects.districtRequired') }]}
            >
              <Select
                options={districtOptions}
                showSearch={{ optionFilterProp: 'label' }}
                data-testid="project-district"
              />
            </Form.Item>
          </Col>
        </Row>
        <Row gutter={16}>
          <Col span={12}>
            <Form.Item
              name="targetQuantity"
              label={t('field.target')}
              rules={[{ required: true, message: t('projects.targetRequired') }]}
            >
              <InputNumber min={0.01} max={1_000_000} style={{ width: '100%' }} data-testid="project-target" />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item
              name="unit"
              label={t('field.unit')}
              rules={[{ required: true, whitespace: true, message: t('projects.unitRequired') }, { max: 20 }]}
            >
              <Input data-testid="project-unit" />
            </Form.Item>
          </Col>
        </Row>
        <Form.Item
          name="responsibleUnit"
          label={t('field.responsibleUnit')}
          rules={[{ required: true, whitespace: true, message: t('projects.responsibleRequired') }, { max: 200 }]}
        >
          <Input data-testid="project-responsible" />
        </Form.Item>
        <Form.Item
          name="dates"
          label={t('field.dates')}
          rules={[{ required: true, message: t('projects.datesRequired') }]}
        >
          <DatePicker.RangePicker
            style={{ width: '100%' }}
            placeholder={[t('field.startDate'), t('field.endDate')]}
            data-testid="project-dates"
          />
        </Form.Item>
        <Form.Item name="location" label={t('field.location')} extra={t('projects.locationHint')}>
          <LocationInput id="project-location" />
        </Form.Item>
        <Form.Item name="notes" label={t('field.notes')} rules={[{ max: 2000 }]}>
          <Input.TextArea rows={3} />
        </Form.Item>
      </Form>
    </Drawer>
  );
}
