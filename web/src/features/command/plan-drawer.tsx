/**
 * Create or edit a plan: the register's fields, and the digital part — activation criteria and, per response
 * level, a table of actions (unit, what, due minutes, checklist) with rows added and removed. A refusal lands on the
 * field it names (`levels.0.actions.2.unit`).
 */
import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Drawer, Form, Input, InputNumber, Select, Space, Switch } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { PLAN_KIND_INFO, PLAN_KINDS, type Plan, type PlanInput } from '../../../../contracts/command.ts';
import { EVENT_TYPES, LEVELS } from '../../../../contracts/incidents.ts';
import { COLOURS } from '../../../../contracts/monitoring.ts';
import { ApiError } from '../../api/client.ts';
import { useUnits } from '../../api/org.ts';
import { useDistrictOptions, useLang } from '../../components/districts.ts';
import { applyServerError, errorMessage } from '../../components/errors.tsx';
import { ConflictAlert, DrawerFooter } from '../../components/form-drawer.tsx';
import { createPlan, updatePlan } from './command-api.ts';
import { levelLabel } from './response-panel.tsx';

type FormValues = PlanInput & { digital: boolean };

export function PlanDrawer({
  plan,
  onClose,
  onSaved,
}: {
  plan?: Plan;
  onClose: () => void;
  onSaved: (p: Plan) => void;
}) {
  const { t } = useTranslation('command');
  const lang = useLang();
  const [form] = Form.useForm<FormValues>();
  const units = useUnits();
  const districts = useDistrictOptions();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [conflict, setConflict] = useState(false);
  const digital = Form.useWatch('digital', form);
  const unitOptions = (units.data?.items ?? []).map((u) => ({
    value: u.code,
    label: `${lang === 'en' ? u.nameEn || u.name : u.name} (${u.code})`,
  }));
  const typeOptions = EVENT_TYPES.filter((x) => x.level >= 1).map((x) => ({
    value: x.code,
    label: `${x.code} ${lang === 'en' ? x.nameEn : x.name}`,
  }));
  const initial: Partial<FormValues> = plan
    ? {
        name: plan.name,
        kind: plan.kind,
        hazardCodes: plan.hazardCodes,
        ownerUnit: plan.ownerUnit?.code,
        scope: plan.scope,
        summary: plan.summary,
        digital: plan.digital,
        activation: plan.activation ?? { minLevel: 'IV' },
        levels: plan.levels,
      }
    : { kind: 'special', hazardCodes: [], digital: false, activation: { minLevel: 'IV' }, levels: [] };
  const submit = async () => {
    const v = await form.validateFields();
    const body: PlanInput = {
      name: v.name,
      kind: v.kind,
      hazardCodes: v.hazardCodes ?? [],
      ownerUnit: v.ownerUnit,
      scope: v.scope ?? [],
      summary: v.summary ?? '',
      activation: v.digital ? v.activation : null,
      levels: v.digital ? (v.levels ?? []).map((l) => ({ ...l, actions: l.actions ?? [] })) : [],
    };
    setBusy(true);
    setError(null);
    try {
      const saved = plan ? await updatePlan(plan.id, { version: plan.version, ...body }) : await createPlan(body);
      onSaved(saved);
    } catch (err) {
      if (err instanceof ApiError && err.code === 'VERSION_CONFLICT') setConflict(true);
      else if (!applyServerError(form, err)) setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Drawer
      open
      width={980}
      title={plan ? t('plan.edit', { name: plan.name }) : t('plan.new')}
      onClose={onClose}
      destroyOnHidden
      footer={
        <DrawerFooter
          note={plan?.status === 'approved' ? t('plan.newEditionNote') : ''}
          busy={busy}
          submitLabel={t('plan.save')}
          onCancel={onClose}
          onSubmit={submit}
          testId="plan-save"
        />
      }
    >
      {conflict && <ConflictAlert onReload={onClose} />}
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} />}
      <Form form={form} layout="vertical" initialValues={initial}>
        <Form.Item name="name" label={t('field.name')} rules={[{ required: true, max: 200 }]}>
          <Input />
        </Form.Item>
        <Space wrap style={{ width: '100%' }}>
          <Form.Item name="kind" label={t('field.kind')} rules={[{ required: true }]}>
            <Select
              style={{ width: 200 }}
              options={PLAN_KINDS.map((k) => ({ value: k, label: PLAN_KIND_INFO[k][lang] }))}
            />
          </Form.Item>
          <Form.Item name="ownerUnit" label={t('field.owner')}>
            <Select style={{ width: 260 }} showSearch optionFilterProp="label" options={unitOptions} allowClear />
          </Form.Item>
          <Form.Item name="scope" label={t('field.scope')}>
            <Select style={{ width: 320 }} mode="multiple" options={districts} placeholder={t('field.cityWide')} />
          </Form.Item>
        </Space>
        <Form.Item name="hazardCodes" label={t('field.hazards')} rules={[{ required: true, type: 'array', min: 1 }]}>
          <Select mode="multiple" showSearch optionFilterProp="label" options={typeOptions} />
        </Form.Item>
        <Form.Item name="summary" label={t('field.summary')}>
          <Input.TextArea rows={2} maxLength={5000} />
        </Form.Item>
        <Form.Item name="digital" label={t('field.digital')} valuePropName="checked">
          <Switch />
        </Form.Item>
        {digital && (
          <>
            <Card size="small" title={t('plan.activation')} style={{ marginBottom: 12 }}>
              <Space wrap>
                <Form.Item name={['activation', 'minLevel']} label={t('field.minLevel')} rules={[{ required: true }]}>
                  <Select
                    style={{ width: 180 }}
                    options={LEVELS.map((l) => ({ value: l, label: levelLabel(l, lang) }))}
                  />
                </Form.Item>
                <Form.Item name={['activation', 'warningColours']} label={t('field.warningColours')}>
                  <Select
                    style={{ width: 260 }}
                    mode="multiple"
                    options={COLOURS.map((c) => ({ value: c, label: t(`colour.${c}`) }))}
                  />
                </Form.Item>
                <Form.Item name={['activation', 'districts']} label={t('field.activationDistricts')}>
                  <Select
                    style={{ width: 320 }}
                    mode="multiple"
                    options={districts}
                    placeholder={t('field.cityWide')}
                  />
                </Form.Item>
              </Space>
            </Card>
            <Form.List name="levels">
              {(levels, { add, remove }) => (
                <Space direction="vertical" style={{ width: '100%' }}>
                  {levels.map((lv) => (
                    <Card
                      key={lv.key}
                      size="small"
                      title={
                        <Form.Item name={[lv.name, 'level']} noStyle rules={[{ required: true }]}>
                          <Select
                            style={{ width: 180 }}
                            options={LEVELS.map((l) => ({ value: l, label: levelLabel(l, lang) }))}
                          />
                        </Form.Item>
                      }
                      extra={
                        <Button size="small" danger icon={<DeleteOutlined />} onClick={() => remove(lv.name)}>
                          {t('plan.removeLevel')}
                        </Button>
                      }
                    >
                      <Form.List name={[lv.name, 'actions']}>
                        {(rows, rowOps) => (
                          <>
                            {rows.map((r) => (
                              <Space key={r.key} align="start" wrap style={{ display: 'flex' }}>
                                <Form.Item
                                  name={[r.name, 'unit']}
                                  rules={[{ required: true, message: t('field.unit') }]}
                                >
                                  <Select
                                    style={{ width: 200 }}
                                    showSearch
                                    optionFilterProp="label"
                                    options={unitOptions}
                                    placeholder={t('field.unit')}
                                  />
                                </Form.Item>
                                <Form.Item
                                  name={[r.name, 'title']}
                                  rules={[{ required: true, max: 200, message: t('field.action') }]}
                                >
                                  <Input style={{ width: 260 }} placeholder={t('field.action')} />
                                </Form.Item>
                                <Form.Item
                                  name={[r.name, 'dueMinutes']}
                                  rules={[{ required: true, message: t('field.dueMinutes') }]}
                                >
                                  <InputNumber
                                    min={0}
                                    max={43200}
                                    style={{ width: 120 }}
                                    addonAfter={t('time.min')}
                                    placeholder={t('field.dueMinutes')}
                                  />
                                </Form.Item>
                                <Form.Item name={[r.name, 'checklist']}>
                                  <Select
                                    mode="tags"
                                    style={{ width: 220 }}
                                    placeholder={t('field.checklist')}
                                    open={false}
                                  />
                                </Form.Item>
                                <Button
                                  icon={<DeleteOutlined />}
                                  onClick={() => rowOps.remove(r.name)}
                                  aria-label={t('plan.removeRow')}
                                />
                              </Space>
                            ))}
                            <Button icon={<PlusOutlined />} onClick={() => rowOps.add({ dueMinutes: 60 })} size="small">
                              {t('plan.addAction')}
                            </Button>
                          </>
                        )}
                      </Form.List>
                    </Card>
                  ))}
                  {levels.length < 4 && (
                    <Button icon={<PlusOutlined />} onClick={() => add({ level: LEVELS[levels.length], actions: [] })}>
                      {t('plan.addLevel')}
                    </Button>
                  )}
                </Space>
              )}
            </Form.List>
          </>
        )}
      </Form>
    </Drawer>
  );
}
