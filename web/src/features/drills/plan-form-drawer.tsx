/**
 * The annual drill plan form (年度演练计划): a unit (an enterprise or a government unit) and a year, with its planned
 * drills as an editable table (month, title, content, form, plan tested, theme). Editing keeps each item's id, so
 * the records that fulfil an item stay linked; the plan's version is sent and a 409 is shown in words.
 */
import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import { Button, Drawer, Form, Input, InputNumber, Select, Space, Table, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  DRILL_CONTENT_INFO,
  DRILL_CONTENTS,
  DRILL_FORM_INFO,
  DRILL_FORMS,
  type DrillPlan,
  type DrillPlanInput,
  type DrillPlanItemInput,
  type DrillPlanPatch,
  ENTERPRISE_PLAN_KIND_INFO,
  ENTERPRISE_PLAN_KINDS,
  type PlanTestedInput,
} from '../../../../contracts/drills.ts';
import { ApiError, api } from '../../api/client.ts';
import { useLang } from '../../components/districts.ts';
import { applyServerError } from '../../components/errors.tsx';
import { DrawerFooter, type SaveFailure, SaveFailureAlert, saveFailureOf } from '../../components/form-drawer.tsx';
import { drillKeys, usePlanChoices } from './drills-api.ts';
import { nameIn } from './labels.tsx';
import { SubjectFields } from './subject-fields.tsx';

type Row = Omit<DrillPlanItemInput, 'planTested'> & { tested: string };
type Values = {
  year: number;
  subjectKind: 'enterprise' | 'unit';
  enterpriseId?: string;
  unitCode?: string;
  title?: string;
  items: Row[];
};

/** the plan tested as one select value: `none`, `command:<plan id>` or `enterprise:<plan kind>` */
const testedValue = (p: DrillPlan['items'][number]['planTested']): string =>
  !p ? 'none' : p.kind === 'command' ? `command:${p.planId}` : `enterprise:${p.planKind}`;
function testedInput(v: string): PlanTestedInput {
  if (v.startsWith('command:')) return { kind: 'command', planId: v.slice(8) };
  if (v.startsWith('enterprise:'))
    return { kind: 'enterprise', planKind: v.slice(11) as (typeof ENTERPRISE_PLAN_KINDS)[number] };
  return null;
}

export function PlanFormDrawer({
  open,
  plan,
  year,
  onClose,
}: {
  open: boolean;
  /** the plan edited; a new plan when absent */
  plan?: DrillPlan;
  year: number;
  onClose: () => void;
}) {
  const { t } = useTranslation('drills');
  const lang = useLang();
  const qc = useQueryClient();
  const [form] = Form.useForm<Values>();
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<SaveFailure | null>(null);
  const subjectKind = Form.useWatch('subjectKind', form);
  const commandPlans = usePlanChoices(open);
  const testedOptions = [
    { value: 'none', label: t('plan.none') },
    ...(commandPlans.data?.items ?? []).map((p) => ({
      value: `command:${p.id}`,
      label: `${t('plan.command')}：${p.name}`,
    })),
    ...ENTERPRISE_PLAN_KINDS.map((k) => ({
      value: `enterprise:${k}`,
      label: `${t('plan.enterprise')}：${nameIn(ENTERPRISE_PLAN_KIND_INFO[k], lang)}`,
    })),
  ];
  const initial: Values = plan
    ? {
        year: plan.year,
        subjectKind: plan.unit.kind === 'enterprise' ? 'enterprise' : 'unit',
        title: plan.title,
        items: plan.items.map((i) => ({
          id: i.id,
          month: i.month,
          title: i.title,
          content: i.content,
          form: i.form,
          topic: i.topic,
          tested: testedValue(i.planTested),
        })),
      }
    : { year, subjectKind: 'enterprise', items: [] };

  async function submit() {
    let v: Values;
    try {
      v = await form.validateFields();
    } catch {
      return;
    }
    const items: DrillPlanItemInput[] = (v.items ?? []).map(({ tested, ...i }) => ({
      ...i,
      topic: i.topic ?? '',
      planTested: testedInput(tested ?? 'none'),
    }));
    setBusy(true);
    setFailure(null);
    try {
      if (plan) {
        const body: DrillPlanPatch = { version: plan.version, title: v.title ?? '', items };
        await api.patch<DrillPlan>(`/drill-plans/${plan.id}`, body);
      } else {
        const body: DrillPlanInput = {
          year: v.year,
          unit:
            v.subjectKind === 'enterprise'
              ? { kind: 'enterprise', enterpriseId: v.enterpriseId ?? '' }
              : { kind: 'unit', unitCode: v.unitCode ?? '' },
          ...(v.title ? { title: v.title } : {}),
          items,
        };
        await api.post<DrillPlan>('/drill-plans', body);
      }
      await qc.invalidateQueries({ queryKey: drillKeys.all });
      onClose();
    } catch (err) {
      const failed = saveFailureOf(err, !!plan);
      // the server names `unit` for a subject refused: put it on the select shown
      const known = ['year', 'title', 'items', 'enterpriseId', 'unitCode'];
      const mapped =
        err instanceof ApiError && err.field?.replace(/^\//, '').startsWith('unit')
          ? new ApiError(
              err.status,
              err.code,
              err.message,
              v.subjectKind === 'enterprise' ? 'enterpriseId' : 'unitCode',
            )
          : err;
      if (failed.conflict || !applyServerError(form, mapped, known)) setFailure(failed);
    } finally {
      setBusy(false);
    }
  }

  return (
    <Drawer
      open={open}
      onClose={onClose}
      width={1100}
      title={plan ? t('planForm.editTitle', { unit: plan.unit.name, year: plan.year }) : t('planForm.newTitle')}
      destroyOnHidden
      footer={
        <DrawerFooter
          note={t('planForm.note')}
          busy={busy}
          submitLabel={t('planForm.save')}
          onCancel={onClose}
          onSubmit={() => void submit()}
          testId="plan-save"
        />
      }
    >
      <SaveFailureAlert
        failure={failure}
        onReload={() => {
          void qc.invalidateQueries({ queryKey: drillKeys.all });
          onClose();
        }}
      />
      <Form<Values> form={form} layout="vertical" initialValues={initial} data-testid="plan-form">
        <Space wrap align="start">
          <Form.Item
            name="year"
            label={t('plans.year')}
            rules={[{ required: true, type: 'integer', min: 2000, max: 2100 }]}
          >
            <InputNumber precision={0} disabled={!!plan} style={{ width: 110 }} data-testid="plan-year" />
          </Form.Item>
          {plan ? (
            <Form.Item label={t('field.subject')}>
              <Input value={plan.unit.name} disabled style={{ width: 300 }} />
            </Form.Item>
          ) : (
            <SubjectFields open={!plan} subjectKind={subjectKind} />
          )}
          <Form.Item
            name="title"
            label={t('planForm.planTitle')}
            rules={[{ max: 200 }]}
            extra={t('planForm.titleHelp')}
          >
            <Input style={{ width: 320 }} />
          </Form.Item>
        </Space>
        <Typography.Title level={5}>{t('planForm.items')}</Typography.Title>
        <Form.List name="items">
          {(fields, { add, remove }) => (
            <>
              <Table
                size="small"
                pagination={false}
                rowKey="key"
                dataSource={fields}
                locale={{ emptyText: t('planForm.noItems') }}
                columns={[
                  {
                    title: t('plans.month'),
                    width: 90,
                    render: (_, f) => (
                      <>
                        <Form.Item name={[f.name, 'id']} hidden>
                          <Input />
                        </Form.Item>
                        <Form.Item
                          name={[f.name, 'month']}
                          rules={[
                            { required: true, type: 'integer', min: 1, max: 12, message: t('planForm.monthRange') },
                          ]}
                          style={{ margin: 0 }}
                        >
                          <InputNumber
                            min={1}
                            max={12}
                            precision={0}
                            aria-label={t('plans.month')}
                            style={{ width: 70 }}
                          />
                        </Form.Item>
                      </>
                    ),
                  },
                  {
                    title: t('field.title'),
                    render: (_, f) => (
                      <Form.Item
                        name={[f.name, 'title']}
                        rules={[
                          { required: true, whitespace: true, max: 200, message: t('planForm.itemTitleRequired') },
                        ]}
                        style={{ margin: 0 }}
                      >
                        <Input aria-label={t('field.title')} data-testid="plan-item-title" />
                      </Form.Item>
                    ),
                  },
                  {
                    title: t('field.content'),
                    width: 130,
                    render: (_, f) => (
                      <Form.Item name={[f.name, 'content']} rules={[{ required: true }]} style={{ margin: 0 }}>
                        <Select
                          aria-label={t('field.content')}
                          options={DRILL_CONTENTS.map((k) => ({
                            value: k,
                            label: nameIn(DRILL_CONTENT_INFO[k], lang),
                          }))}
                        />
                      </Form.Item>
                    ),
                  },
                  {
                    title: t('field.form'),
                    width: 130,
                    render: (_, f) => (
                      <Form.Item name={[f.name, 'form']} rules={[{ required: true }]} style={{ margin: 0 }}>
                        <Select
                          aria-label={t('field.form')}
                          options={DRILL_FORMS.map((k) => ({ value: k, label: nameIn(DRILL_FORM_INFO[k], lang) }))}
                        />
                      </Form.Item>
                    ),
                  },
                  {
                    title: t('field.planTested'),
                    width: 230,
                    render: (_, f) => (
                      <Form.Item name={[f.name, 'tested']} style={{ margin: 0 }}>
                        <Select
                          showSearch
                          optionFilterProp="label"
                          aria-label={t('field.planTested')}
                          options={testedOptions}
                          popupMatchSelectWidth={false}
                        />
                      </Form.Item>
                    ),
                  },
                  {
                    title: t('plans.topic'),
                    width: 170,
                    render: (_, f) => (
                      <Form.Item name={[f.name, 'topic']} rules={[{ max: 300 }]} style={{ margin: 0 }}>
                        <Input aria-label={t('plans.topic')} />
                      </Form.Item>
                    ),
                  },
                  {
                    title: '',
                    width: 44,
                    render: (_, f) => (
                      <Button
                        type="text"
                        danger
                        icon={<DeleteOutlined />}
                        aria-label={t('planForm.remove')}
                        onClick={() => remove(f.name)}
                      />
                    ),
                  },
                ]}
              />
              <Button
                type="dashed"
                icon={<PlusOutlined />}
                style={{ marginTop: 8 }}
                data-testid="plan-add-item"
                onClick={() =>
                  add({
                    month: (fields.length % 12) + 1,
                    title: '',
                    content: 'single',
                    form: 'tabletop',
                    tested: 'none',
                    topic: '',
                  })
                }
              >
                {t('planForm.addItem')}
              </Button>
            </>
          )}
        </Form.List>
      </Form>
    </Drawer>
  );
}
