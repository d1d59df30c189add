import { MinusCircleOutlined, PlusOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import { Button, Checkbox, Drawer, Form, Input, InputNumber, Select, Space, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  DRILL_CONTENT_INFO,
  DRILL_CONTENTS,
  DRILL_FORM_INFO,
  DRILL_FORMS,
  DRILL_PURPOSE_INFO,
  DRILL_PURPOSES,
  type Drill,
  type DrillRecordInput,
  ENTERPRISE_PLAN_KIND_INFO,
  ENTERPRISE_PLAN_KINDS,
  EVALUATION_RATING_INFO,
  EVALUATION_RATINGS,
  PROBLEM_SEVERITIES,
  PROBLEM_SEVERITY_INFO,
} from '../../../../contracts/drills.ts';
import { api } from '../../api/client.ts';
import { useLang } from '../../components/districts.ts';
import { applyServerError } from '../../components/errors.tsx';
import { DrawerFooter, type SaveFailure, SaveFailureAlert, saveFailureOf } from '../../components/form-drawer.tsx';
import { drillKeys, usePlanChoices } from './drills-api.ts';
import { nameIn } from './labels.tsx';
import { SubjectFields } from './subject-fields.tsx';

type Values = Omit<DrillRecordInput, 'subject' | 'planTested'> & {
  subjectKind: 'enterprise' | 'unit';
  enterpriseId?: string;
  unitCode?: string;
  planKind?: 'none' | 'command' | 'enterprise';
  planId?: string;
  enterprisePlanKind?: (typeof ENTERPRISE_PLAN_KINDS)[number];
};

const opts = <K extends string>(keys: readonly K[], info: Record<K, { zh: string; en: string }>, lang: 'zh' | 'en') =>
  keys.map((k) => ({ value: k, label: nameIn(info[k], lang) }));

/** An existing record as the form's values: problems keep their actions with their state (status, done note). */
function valuesOf(d: Drill): Values {
  const pt = d.planTested;
  return {
    title: d.title,
    date: d.date,
    startTime: d.startTime,
    endTime: d.endTime,
    location: d.location,
    content: d.content,
    form: d.form,
    purpose: d.purpose,
    scenario: d.scenario,
    participants: d.participants,
    evaluation: d.evaluation,
    notes: d.notes,
    planItemId: d.planItemId,
    subjectKind: d.subject.kind === 'enterprise' ? 'enterprise' : 'unit',
    enterpriseId: d.subject.kind === 'enterprise' ? d.subject.id : undefined,
    unitCode: d.subject.kind === 'enterprise' ? undefined : d.subject.id,
    planKind: pt ? pt.kind : 'none',
    planId: pt?.kind === 'command' ? pt.planId : undefined,
    enterprisePlanKind: pt?.kind === 'enterprise' ? pt.planKind : undefined,
    problems: d.problems.map((p) => ({
      description: p.description,
      severity: p.severity,
      needsPlanRevision: p.needsPlanRevision,
      actions: p.actions.map((a) => ({
        description: a.description,
        ownerName: a.ownerName,
        ownerUnit: a.ownerUnit,
        deadline: a.deadline,
        status: a.status,
        doneNote: a.doneNote,
      })),
    })),
  };
}

/**
 * The drill record form (a drawer): type, subject, plan tested, participants, evaluation, problems and actions.
 * With `drill` it edits that record (PATCH with its version): the problems sent replace the stored problems and
 * actions, so the existing ones go back with their state (status, done note) kept in the form's store.
 */
export function DrillFormDrawer({
  open,
  onClose,
  onSaved,
  enterpriseId,
  drill,
}: {
  open: boolean;
  onClose: () => void;
  onSaved: (d: Drill) => void;
  enterpriseId?: string;
  drill?: Drill;
}) {
  const { t } = useTranslation('drills');
  const lang = useLang();
  const [form] = Form.useForm<Values>();
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<SaveFailure | null>(null);
  const qc = useQueryClient();
  const subjectKind = Form.useWatch('subjectKind', form);
  const planKind = Form.useWatch('planKind', form);
  const plans = usePlanChoices(open);

  async function submit() {
    let v: Values;
    try {
      await form.validateFields();
      // the whole store: fields without an input (an action's status and done note) are kept too
      v = form.getFieldsValue(true) as Values;
    } catch {
      return;
    }
    const { subjectKind: sk, enterpriseId: eid, unitCode, planKind: pk, planId, enterprisePlanKind, ...rest } = v;
    const body: DrillRecordInput = {
      ...rest,
      startTime: rest.startTime || null,
      endTime: rest.endTime || null,
      subject:
        sk === 'enterprise'
          ? { kind: 'enterprise', enterpriseId: eid ?? '' }
          : { kind: 'unit', unitCode: unitCode ?? '' },
      planTested:
        pk === 'command' && planId
          ? { kind: 'command', planId }
          : pk === 'enterprise' && enterprisePlanKind
            ? { kind: 'enterprise', planKind: enterprisePlanKind }
            : null,
      evaluation: rest.evaluation?.rating ? rest.evaluation : null,
    };
    setBusy(true);
    setFailure(null);
    try {
      const d = drill
        ? await api.patch<Drill>(`/drills/${drill.id}`, { ...body, version: drill.version })
        : await api.post<Drill>('/drills', body);
      await qc.invalidateQueries({ queryKey: drillKeys.all });
      form.resetFields();
      onSaved(d);
      onClose();
    } catch (err) {
      const failed = saveFailureOf(err, !!drill);
      if (failed.conflict || !applyServerError(form, err)) setFailure(failed);
    } finally {
      setBusy(false);
    }
  }

  return (
    <Drawer
      open={open}
      onClose={onClose}
      width={820}
      title={drill ? t('form.editTitle', { number: drill.number }) : t('form.title')}
      destroyOnHidden
      footer={
        <DrawerFooter
          note={t('form.note')}
          busy={busy}
          submitLabel={t('form.save')}
          onCancel={onClose}
          onSubmit={() => void submit()}
          testId="drill-save"
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
      <Form<Values>
        form={form}
        layout="vertical"
        initialValues={
          drill
            ? valuesOf(drill)
            : {
                subjectKind: 'enterprise',
                enterpriseId,
                content: 'comprehensive',
                form: 'live',
                planKind: 'none',
                participants: [],
                problems: [],
              }
        }
      >
        <Form.Item name="title" label={t('field.title')} rules={[{ required: true, max: 200 }]}>
          <Input autoFocus data-testid="drill-title" />
        </Form.Item>
        <Space wrap>
          <Form.Item name="date" label={t('field.date')} rules={[{ required: true }]}>
            <Input type="date" data-testid="drill-date" />
          </Form.Item>
          <Form.Item name="startTime" label={t('field.startTime')}>
            <Input type="time" />
          </Form.Item>
          <Form.Item name="endTime" label={t('field.endTime')}>
            <Input type="time" />
          </Form.Item>
          <Form.Item name="location" label={t('field.location')}>
            <Input style={{ width: 260 }} />
          </Form.Item>
        </Space>
        <Space wrap>
          <Form.Item name="content" label={t('field.content')} rules={[{ required: true }]}>
            <Select style={{ width: 150 }} options={opts(DRILL_CONTENTS, DRILL_CONTENT_INFO, lang)} />
          </Form.Item>
          <Form.Item name="form" label={t('field.form')} rules={[{ required: true }]}>
            <Select style={{ width: 150 }} options={opts(DRILL_FORMS, DRILL_FORM_INFO, lang)} />
          </Form.Item>
          <Form.Item name="purpose" label={t('field.purpose')}>
            <Select allowClear style={{ width: 150 }} options={opts(DRILL_PURPOSES, DRILL_PURPOSE_INFO, lang)} />
          </Form.Item>
        </Space>
        <Space wrap align="start">
          <SubjectFields open={open} subjectKind={subjectKind} />
        </Space>
        <Space wrap align="start">
          <Form.Item name="planKind" label={t('field.planTested')}>
            <Select
              style={{ width: 160 }}
              options={[
                { value: 'none', label: t('plan.none') },
                { value: 'command', label: t('plan.command') },
                ...(subjectKind === 'unit' ? [] : [{ value: 'enterprise', label: t('plan.enterprise') }]),
              ]}
            />
          </Form.Item>
          {planKind === 'command' && (
            <Form.Item name="planId" label={t('plan.command')} rules={[{ required: true }]}>
              <Select
                showSearch
                optionFilterProp="label"
                style={{ width: 340 }}
                options={(plans.data?.items ?? []).map((p) => ({ value: p.id, label: p.name }))}
              />
            </Form.Item>
          )}
          {planKind === 'enterprise' && (
            <Form.Item name="enterprisePlanKind" label={t('plan.enterprise')} rules={[{ required: true }]}>
              <Select style={{ width: 200 }} options={opts(ENTERPRISE_PLAN_KINDS, ENTERPRISE_PLAN_KIND_INFO, lang)} />
            </Form.Item>
          )}
        </Space>
        <Form.Item name="scenario" label={t('field.scenario')}>
          <Input.TextArea rows={2} />
        </Form.Item>

        <Typography.Title level={5}>{t('section.participants')}</Typography.Title>
        <Form.List name="participants">
          {(fields, { add, remove }) => (
            <>
              {fields.map((f) => (
                <Space key={f.key} align="baseline" wrap>
                  <Form.Item name={[f.name, 'name']} rules={[{ required: true }]}>
                    <Input placeholder={t('participant.name')} style={{ width: 120 }} />
                  </Form.Item>
                  <Form.Item name={[f.name, 'unit']}>
                    <Input placeholder={t('participant.unit')} style={{ width: 200 }} />
                  </Form.Item>
                  <Form.Item name={[f.name, 'role']}>
                    <Input placeholder={t('participant.role')} style={{ width: 130 }} />
                  </Form.Item>
                  <Form.Item name={[f.name, 'hours']}>
                    <InputNumber min={0} max={48} step={0.5} placeholder={t('participant.hours')} />
                  </Form.Item>
                  <Form.Item name={[f.name, 'attended']} valuePropName="checked" initialValue>
                    <Checkbox>{t('participant.attended')}</Checkbox>
                  </Form.Item>
                  <MinusCircleOutlined aria-label={t('form.remove')} onClick={() => remove(f.name)} />
                </Space>
              ))}
              <Button type="dashed" icon={<PlusOutlined />} onClick={() => add({ attended: true })}>
                {t('participant.add')}
              </Button>
            </>
          )}
        </Form.List>

        <Typography.Title level={5} style={{ marginTop: 16 }}>
          {t('section.evaluation')}
        </Typography.Title>
        <Space wrap>
          <Form.Item name={['evaluation', 'rating']} label={t('evaluation.rating')}>
            <Select
              allowClear
              style={{ width: 110 }}
              options={opts(EVALUATION_RATINGS, EVALUATION_RATING_INFO, lang)}
            />
          </Form.Item>
          <Form.Item name={['evaluation', 'score']} label={t('evaluation.score')}>
            <InputNumber min={0} max={100} />
          </Form.Item>
          <Form.Item name={['evaluation', 'by']} label={t('evaluation.by')}>
            <Input style={{ width: 180 }} />
          </Form.Item>
        </Space>
        <Form.Item name={['evaluation', 'text']} label={t('evaluation.text')}>
          <Input.TextArea rows={2} />
        </Form.Item>

        <Typography.Title level={5}>{t('section.problems')}</Typography.Title>
        <Form.List name="problems">
          {(fields, { add, remove }) => (
            <>
              {fields.map((f) => (
                <div key={f.key} className="drill-problem">
                  <Space align="baseline" wrap>
                    <Form.Item name={[f.name, 'description']} rules={[{ required: true }]}>
                      <Input placeholder={t('problem.description')} style={{ width: 360 }} />
                    </Form.Item>
                    <Form.Item name={[f.name, 'severity']} initialValue="minor">
                      <Select style={{ width: 100 }} options={opts(PROBLEM_SEVERITIES, PROBLEM_SEVERITY_INFO, lang)} />
                    </Form.Item>
                    <Form.Item name={[f.name, 'needsPlanRevision']} valuePropName="checked">
                      <Checkbox>{t('problem.needsPlanRevision')}</Checkbox>
                    </Form.Item>
                    <MinusCircleOutlined aria-label={t('form.remove')} onClick={() => remove(f.name)} />
                  </Space>
                  <Form.List name={[f.name, 'actions']}>
                    {(acts, a) => (
                      <div style={{ paddingLeft: 24 }}>
                        {acts.map((x) => (
                          <Space key={x.key} align="baseline" wrap>
                            <Form.Item name={[x.name, 'description']} rules={[{ required: true }]}>
                              <Input placeholder={t('action.description')} style={{ width: 240 }} />
                            </Form.Item>
                            <Form.Item name={[x.name, 'ownerName']}>
                              <Input placeholder={t('action.owner')} style={{ width: 100 }} />
                            </Form.Item>
                            <Form.Item name={[x.name, 'ownerUnit']}>
                              <Input placeholder={t('action.ownerUnit')} style={{ width: 150 }} />
                            </Form.Item>
                            <Form.Item name={[x.name, 'deadline']} rules={[{ required: true }]}>
                              <Input type="date" aria-label={t('action.deadline')} />
                            </Form.Item>
                            <MinusCircleOutlined aria-label={t('form.remove')} onClick={() => a.remove(x.name)} />
                          </Space>
                        ))}
                        <Button size="small" type="link" icon={<PlusOutlined />} onClick={() => a.add()}>
                          {t('action.add')}
                        </Button>
                      </div>
                    )}
                  </Form.List>
                </div>
              ))}
              <Button type="dashed" icon={<PlusOutlined />} onClick={() => add({ severity: 'minor', actions: [] })}>
                {t('problem.add')}
              </Button>
            </>
          )}
        </Form.List>
      </Form>
    </Drawer>
  );
}
