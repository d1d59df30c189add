import { DeleteOutlined, EditOutlined, MinusCircleOutlined, PlusOutlined, ReloadOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  App,
  AutoComplete,
  Button,
  Col,
  Drawer,
  Empty,
  Form,
  Input,
  InputNumber,
  Row,
  Select,
  Space,
  Switch,
  Table,
  type TableColumnsType,
  Tooltip,
  Typography,
} from 'antd';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { COLOUR_INFO } from '../../../../contracts/monitoring.ts';
import { CHANNEL_INFO, CHANNELS, type Channel, type Policy } from '../../../../contracts/warnings.ts';
import { can, useCurrentUser } from '../../api/auth.ts';
import { ApiError } from '../../api/client.ts';
import { eventTypeName } from '../../api/contracts.ts';
import { useUnits, useUsers } from '../../api/org.ts';
import { applyServerError, errorMessage, useErrorReporter } from '../../components/errors.tsx';
import { BOARD_COLOURS } from './board.ts';
import { ColourTag, colourLabel, nameIn, useDistrictOptions, useHazardOptions, useLang } from './labels.tsx';
import { newContact, type PolicyValues, policyValues, toPolicyInput } from './policy-values.ts';
import { createPolicy, deletePolicy, patchPolicy, usePolicies, warningKeys } from './warnings-api.ts';

/** Escalation policies: which warnings (hazards, districts, lowest colour) go to whom, step by step. */
export function PoliciesPage() {
  const { t } = useTranslation('warnings');
  const lang = useLang();
  const user = useCurrentUser();
  const policies = usePolicies();
  const qc = useQueryClient();
  const report = useErrorReporter();
  const { modal } = App.useApp();
  const units = useUnits();
  const manage = can(user, 'warnings.policies');
  const [editing, setEditing] = useState<Policy | 'new' | null>(null);
  const unitName = (code: string) => {
    const u = units.data?.items.find((x) => x.code === code);
    return u ? (lang === 'en' ? u.nameEn || u.name : u.name) : code;
  };
  const refresh = () => void qc.invalidateQueries({ queryKey: warningKeys.policies });

  const toggle = async (p: Policy, enabled: boolean) => {
    try {
      await patchPolicy(p.id, { enabled, version: p.version });
      refresh();
    } catch (err) {
      report(err, { refetch: warningKeys.policies });
    }
  };
  const remove = (p: Policy) =>
    modal.confirm({
      title: t('policy.deleteTitle', { name: p.name }),
      okText: t('policy.delete'),
      okButtonProps: { danger: true },
      cancelText: t('common:cancel'),
      onOk: async () => {
        try {
          await deletePolicy(p.id);
          refresh();
        } catch (err) {
          report(err);
        }
      },
    });

  const columns: TableColumnsType<Policy> = [
    { title: t('policy.name'), dataIndex: 'name', render: (v: string) => <span className="cell-title">{v}</span> },
    {
      title: t('policy.hazards'),
      dataIndex: 'hazardCodes',
      render: (codes: string[]) =>
        codes.length ? codes.map((c) => eventTypeName(c, lang)).join(', ') : t('policy.allHazards'),
    },
    {
      title: t('policy.districts'),
      dataIndex: 'districts',
      width: 180,
      render: (codes: string[]) => (codes.length ? codes.map(unitName).join(', ') : t('policy.allDistricts')),
    },
    {
      title: t('policy.minColour'),
      dataIndex: 'minColour',
      width: 110,
      render: (c) => <ColourTag colour={c} />,
    },
    {
      title: t('policy.steps'),
      dataIndex: 'steps',
      render: (steps: Policy['steps']) => (
        <ol className="policy-steps">
          {steps.map((s, i) => (
            // steps are in order and never reorder while shown
            // biome-ignore lint/suspicious/noArrayIndexKey: the step's position is its identity
            <li key={i}>
              <span className="muted">
                {i === 0 && s.afterMinutes === 0 ? t('policy.atOnce') : t('policy.after', { n: s.afterMinutes })}
              </span>{' '}
              {s.contacts
                .map(
                  (c) =>
                    `${c.user ?? (c.unit ? unitName(c.unit) : (c.email ?? c.phone ?? c.webhookUrl ?? c.mqttTopic ?? '—'))} (${c.channels.map((ch) => nameIn(CHANNEL_INFO[ch], lang)).join('/')})`,
                )
                .join(', ')}
            </li>
          ))}
        </ol>
      ),
    },
    {
      title: t('policy.enabled'),
      dataIndex: 'enabled',
      width: 80,
      render: (v: boolean, p) => (
        <Switch size="small" checked={v} disabled={!manage} onChange={(on) => void toggle(p, on)} />
      ),
    },
    {
      title: t('common:actions'),
      key: 'actions',
      width: 96,
      render: (_: unknown, p) =>
        manage ? (
          <Space size={0}>
            <Tooltip title={t('common:edit')}>
              <Button type="text" icon={<EditOutlined />} onClick={() => setEditing(p)} aria-label={t('common:edit')} />
            </Tooltip>
            <Tooltip title={t('policy.delete')}>
              <Button
                type="text"
                danger
                icon={<DeleteOutlined />}
                onClick={() => remove(p)}
                aria-label={t('policy.delete')}
              />
            </Tooltip>
          </Space>
        ) : null,
    },
  ];

  return (
    <div className="page">
      <div className="page-head">
        <div>
          <Typography.Title level={4} className="page-title">
            {t('nav.policies')}
          </Typography.Title>
          <div className="page-sub">{t('policy.subtitle')}</div>
        </div>
        <Space>
          <Button icon={<ReloadOutlined />} onClick={() => policies.refetch()} loading={policies.isFetching}>
            {t('common:refresh')}
          </Button>
          {manage && (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing('new')} data-testid="new-policy">
              {t('policy.new')}
            </Button>
          )}
        </Space>
      </div>
      <Table<Policy>
        className="dense-table"
        rowKey="id"
        size="small"
        columns={columns}
        dataSource={policies.data ?? []}
        loading={policies.isPending}
        pagination={false}
        locale={{
          emptyText: (
            <Empty
              image={Empty.PRESENTED_IMAGE_SIMPLE}
              description={policies.isError ? errorMessage(policies.error) : t('policy.empty')}
            />
          ),
        }}
        scroll={{ x: 1000 }}
        data-testid="policies"
      />
      <PolicyDrawer
        open={editing !== null}
        policy={editing === 'new' ? undefined : (editing ?? undefined)}
        onClose={() => setEditing(null)}
        onSaved={refresh}
      />
    </div>
  );
}

function PolicyDrawer({
  open,
  policy,
  onClose,
  onSaved,
}: {
  open: boolean;
  policy?: Policy;
  onClose: () => void;
  onSaved: () => void;
}) {
  const { t } = useTranslation('warnings');
  const lang = useLang();
  const [form] = Form.useForm<PolicyValues>();
  const hazards = useHazardOptions(true);
  const districts = useDistrictOptions();
  const units = useUnits(open);
  const users = useUsers(open);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const ref = useRef(policy);
  ref.current = policy;
  useEffect(() => {
    if (!open) return;
    form.resetFields();
    form.setFieldsValue(policyValues(ref.current));
    setError(null);
  }, [open, form]);

  const onFinish = async (v: PolicyValues) => {
    setBusy(true);
    setError(null);
    try {
      const input = toPolicyInput(v);
      if (policy) await patchPolicy(policy.id, { ...input, version: policy.version });
      else await createPolicy(input);
      onSaved();
      onClose();
    } catch (err) {
      if (err instanceof ApiError && err.status === 409) setError(t('common:conflict.body'));
      else if (!applyServerError(form, err)) setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  };

  const userOptions = (users.data?.items ?? []).map((u) => ({
    value: u.username,
    label: `${u.displayName} (${u.username})`,
  }));
  const unitOptions = (units.data?.items ?? []).map((u) => ({
    value: u.code,
    label: lang === 'en' ? u.nameEn || u.name : u.name,
  }));

  return (
    <Drawer
      open={open}
      onClose={onClose}
      size={860}
      destroyOnHidden
      mask={{ closable: false }}
      title={policy ? t('policy.editTitle', { name: policy.name }) : t('policy.new')}
      footer={
        <div className="drawer-footer">
          <span />
          <Space>
            <Button onClick={onClose}>{t('common:cancel')}</Button>
            <Button type="primary" loading={busy} onClick={() => form.submit()} data-testid="policy-submit">
              {t('common:save')}
            </Button>
          </Space>
        </div>
      }
    >
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} />}
      <Form<PolicyValues> form={form} layout="vertical" onFinish={onFinish} className="dense-form" scrollToFirstError>
        <Row gutter={16}>
          <Col span={16}>
            <Form.Item
              name="name"
              label={t('policy.name')}
              rules={[{ required: true, whitespace: true }, { max: 200 }]}
            >
              <Input autoFocus maxLength={200} />
            </Form.Item>
          </Col>
          <Col span={8}>
            <Form.Item name="enabled" label={t('policy.enabled')} valuePropName="checked">
              <Switch />
            </Form.Item>
          </Col>
        </Row>
        <Row gutter={16}>
          <Col span={10}>
            <Form.Item name="hazardCodes" label={t('policy.hazards')} tooltip={t('policy.emptyMeansAll')}>
              <Select
                mode="multiple"
                allowClear
                options={hazards}
                showSearch={{ optionFilterProp: 'label' }}
                placeholder={t('policy.allHazards')}
              />
            </Form.Item>
          </Col>
          <Col span={8}>
            <Form.Item name="districts" label={t('policy.districts')} tooltip={t('policy.emptyMeansAll')}>
              <Select
                mode="multiple"
                allowClear
                options={districts}
                showSearch={{ optionFilterProp: 'label' }}
                placeholder={t('policy.allDistricts')}
              />
            </Form.Item>
          </Col>
          <Col span={6}>
            <Form.Item name="minColour" label={t('policy.minColour')} tooltip={t('policy.minColourHint')}>
              <Select
                options={[...BOARD_COLOURS].reverse().map((c) => ({
                  value: c,
                  label: (
                    <span>
                      <span className="colour-swatch" style={{ background: COLOUR_INFO[c].color }} />
                      {colourLabel(c, lang, true)}
                    </span>
                  ),
                }))}
              />
            </Form.Item>
          </Col>
        </Row>
        <div className="form-section-title">{t('policy.steps')}</div>
        <div className="muted small" style={{ marginBottom: 8 }}>
          {t('policy.stepsHint')}
        </div>
        <Form.List name="steps">
          {(steps, { add, remove }) => (
            <>
              {steps.map((step) => (
                <div className="policy-step" key={step.key} data-testid="policy-step">
                  <div className="policy-step-head">
                    <b>{t('policy.step', { n: step.name + 1 })}</b>
                    <Form.Item name={[step.name, 'afterMinutes']} noStyle>
                      <InputNumber
                        min={0}
                        max={1440}
                        precision={0}
                        size="small"
                        prefix={t('policy.afterPrefix')}
                        suffix={t('policy.minutes')}
                        style={{ width: 190 }}
                        aria-label={t('policy.afterMinutes')}
                      />
                    </Form.Item>
                    {steps.length > 1 && (
                      <Button
                        size="small"
                        type="text"
                        danger
                        icon={<DeleteOutlined />}
                        onClick={() => remove(step.name)}
                      >
                        {t('policy.removeStep')}
                      </Button>
                    )}
                  </div>
                  <Form.List name={[step.name, 'contacts']}>
                    {(contacts, c) => (
                      <>
                        {contacts.map((contact) => (
                          <ContactRow
                            key={contact.key}
                            path={['steps', step.name, 'contacts', contact.name]}
                            name={contact.name}
                            userOptions={userOptions}
                            unitOptions={unitOptions}
                            onRemove={contacts.length > 1 ? () => c.remove(contact.name) : undefined}
                          />
                        ))}
                        {contacts.length < 20 && (
                          <Button
                            size="small"
                            type="dashed"
                            icon={<PlusOutlined />}
                            onClick={() => c.add(newContact())}
                          >
                            {t('policy.addContact')}
                          </Button>
                        )}
                      </>
                    )}
                  </Form.List>
                </div>
              ))}
              {steps.length < 10 && (
                <Button
                  type="dashed"
                  icon={<PlusOutlined />}
                  onClick={() => add({ afterMinutes: 15, contacts: [newContact()] })}
                  data-testid="add-step"
                >
                  {t('policy.addStep')}
                </Button>
              )}
            </>
          )}
        </Form.List>
        <button type="submit" hidden aria-hidden tabIndex={-1} />
      </Form>
    </Drawer>
  );
}

function ContactRow({
  path,
  name,
  userOptions,
  unitOptions,
  onRemove,
}: {
  path: (string | number)[];
  name: number;
  userOptions: { value: string; label: string }[];
  unitOptions: { value: string; label: string }[];
  onRemove?: () => void;
}) {
  const { t } = useTranslation('warnings');
  const lang = useLang();
  const form = Form.useFormInstance();
  const who = Form.useWatch([...path, 'who'], form);
  const channels = (Form.useWatch([...path, 'channels'], form) ?? []) as Channel[];
  return (
    <div className="contact-row" data-testid="contact-row">
      <Form.Item name={[name, 'who']} className="contact-who">
        <Select
          aria-label={t('policy.who')}
          options={[
            { value: 'user', label: t('policy.whoUser') },
            { value: 'unit', label: t('policy.whoUnit') },
            { value: 'address', label: t('policy.whoAddress') },
          ]}
        />
      </Form.Item>
      {who === 'user' && (
        <Form.Item
          name={[name, 'user']}
          className="contact-target"
          rules={[{ required: true, message: t('policy.userRequired') }]}
        >
          <AutoComplete
            options={userOptions}
            placeholder={t('policy.username')}
            filterOption={(input, o) =>
              String(o?.label ?? '')
                .toLowerCase()
                .includes(input.toLowerCase())
            }
          />
        </Form.Item>
      )}
      {who === 'unit' && (
        <Form.Item
          name={[name, 'unit']}
          className="contact-target"
          rules={[{ required: true, message: t('policy.unitRequired') }]}
        >
          <Select options={unitOptions} showSearch={{ optionFilterProp: 'label' }} placeholder={t('policy.whoUnit')} />
        </Form.Item>
      )}
      <Form.Item
        name={[name, 'channels']}
        className="contact-channels"
        rules={[{ required: true, type: 'array', min: 1, message: t('policy.channelRequired') }]}
      >
        <Select
          mode="multiple"
          aria-label={t('policy.channels')}
          options={CHANNELS.map((c) => ({ value: c, label: nameIn(CHANNEL_INFO[c], lang) }))}
        />
      </Form.Item>
      {channels.includes('email') && (
        <Form.Item
          name={[name, 'email']}
          className="contact-address"
          rules={[{ type: 'email' }, { required: who === 'address' }]}
        >
          <Input placeholder={t('policy.email')} />
        </Form.Item>
      )}
      {channels.includes('sms') && (
        <Form.Item name={[name, 'phone']} className="contact-address" rules={[{ required: who === 'address' }]}>
          <Input placeholder={t('policy.phone')} inputMode="tel" />
        </Form.Item>
      )}
      {channels.includes('webhook') && (
        <Form.Item
          name={[name, 'webhookUrl']}
          className="contact-address"
          rules={[{ required: true }, { type: 'url' }]}
        >
          <Input placeholder="https://…" />
        </Form.Item>
      )}
      {channels.includes('mqtt') && (
        <Form.Item name={[name, 'mqttTopic']} className="contact-address" rules={[{ required: true }]}>
          <Input placeholder={t('policy.mqttTopic')} className="mono" />
        </Form.Item>
      )}
      <Button
        type="text"
        icon={<MinusCircleOutlined />}
        disabled={!onRemove}
        onClick={onRemove}
        aria-label={t('policy.removeContact')}
      />
    </div>
  );
}
