import { EditOutlined, PlusOutlined, ReloadOutlined, RollbackOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  App,
  Button,
  Col,
  Drawer,
  Empty,
  Form,
  Input,
  InputNumber,
  Radio,
  Row,
  Select,
  Space,
  Switch,
  Table,
  type TableColumnsType,
  Tag,
  Tooltip,
  Typography,
} from 'antd';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  COLOUR_INFO,
  COLOURS,
  DEVICE_KINDS,
  DEVICE_PARAM_INFO,
  METRIC_INFO,
  RULE_FN_INFO,
  type Rule,
  type RulePatch,
} from '../../../../contracts/monitoring.ts';
import { can, useCurrentUser } from '../../api/auth.ts';
import { ApiError } from '../../api/client.ts';
import { eventTypeName } from '../../api/contracts.ts';
import { applyServerError, errorMessage, useErrorReporter } from '../../components/errors.tsx';
import { ConflictAlert, DrawerFooter } from '../../components/form-drawer.tsx';
import { formatTime } from '../../i18n/index.ts';
import { ColourConditionEditor } from './condition-editor.tsx';
import { HazardSelect } from './hazard-select.tsx';
import { ColourTag, kindName, metricName, nameIn, useLang, windowText } from './labels.tsx';
import { createRule, patchRule, RULES_KEY, resetRule, useMapDevices, useRules } from './monitoring-api.ts';
import { clauseText, type RuleValues, ruleValues, toRuleInput } from './rule-values.ts';

/** A basis that says its criteria are not verified gets the warning's colour: someone must configure them. */
const UNVERIFIED = /unverified|not verified|placeholder|approximat|未核实|待核实|占位|近似|未见/i;

/** The basis in the reader's language: the shipped rules carry `中文 / English`. */
export function basisIn(basis: string, lang: 'zh' | 'en'): string {
  const at = basis.indexOf(' / ');
  if (at < 0) return basis;
  return (lang === 'en' ? basis.slice(at + 3) : basis.slice(0, at)).trim();
}

function useClauseLabel() {
  const lang = useLang();
  return {
    metric: (m: string) => metricName(m, lang),
    fn: (f: string) => nameIn(RULE_FN_INFO[f as keyof typeof RULE_FN_INFO], lang),
    window: (m: number) => windowText(m, lang),
    param: (p: string) => nameIn(DEVICE_PARAM_INFO[p as keyof typeof DEVICE_PARAM_INFO], lang),
    unit: (m: string) => METRIC_INFO[m as keyof typeof METRIC_INFO]?.unit ?? '',
  };
}

export function RulesPage() {
  const { t } = useTranslation('monitoring');
  const lang = useLang();
  const user = useCurrentUser();
  const rules = useRules();
  const qc = useQueryClient();
  const report = useErrorReporter();
  const { modal, message } = App.useApp();
  // editing rules is its own permission (monitoring.rules), apart from registering devices
  const manage = can(user, 'monitoring.rules');
  const label = useClauseLabel();
  const [editing, setEditing] = useState<Rule | 'new' | null>(null);

  const saved = (r: Rule) => {
    qc.setQueryData<{ items: Rule[]; total: number }>(RULES_KEY, (old) => {
      if (!old) return old;
      const idx = old.items.findIndex((x) => x.id === r.id);
      if (idx < 0) return { items: [...old.items, r], total: old.total + 1 };
      const items = old.items.slice();
      items[idx] = r;
      return { ...old, items };
    });
  };

  const toggle = async (r: Rule, enabled: boolean) => {
    try {
      saved(await patchRule(r.id, { enabled, version: r.version }));
    } catch (err) {
      report(err, { refetch: RULES_KEY });
    }
  };

  const reset = (r: Rule) =>
    modal.confirm({
      title: t('rules.resetTitle', { name: lang === 'en' ? r.nameEn || r.name : r.name }),
      content: t('rules.resetBody'),
      okText: t('rules.reset'),
      cancelText: t('common:cancel'),
      onOk: async () => {
        try {
          saved(await resetRule(r.id));
          void message.success(t('rules.resetDone'));
        } catch (err) {
          report(err, { refetch: RULES_KEY });
        }
      },
    });

  const columns: TableColumnsType<Rule> = [
    {
      title: t('rules.name'),
      dataIndex: 'name',
      width: 280,
      render: (_: string, r) => (
        <div>
          <Space size={4} wrap>
            <span className="cell-title">{lang === 'en' ? r.nameEn || r.name : r.name}</span>
            {r.builtin && <Tag color="blue">{t('rules.builtin')}</Tag>}
            {r.modified && (
              <Tooltip title={t('rules.modifiedHint')}>
                <Tag color="orange">{t('rules.modified')}</Tag>
              </Tooltip>
            )}
          </Space>
          {r.basis && (
            <div className={`rule-basis-line${UNVERIFIED.test(r.basis) ? ' unverified' : ''}`}>
              {basisIn(r.basis, lang)}
            </div>
          )}
        </div>
      ),
    },
    {
      title: t('rules.hazard'),
      dataIndex: 'hazardCode',
      width: 150,
      render: (c: string) => (
        <span title={c}>
          <span className="mono muted">{c}</span> {eventTypeName(c, lang)}
        </span>
      ),
    },
    {
      title: t('rules.scope'),
      key: 'scope',
      width: 150,
      render: (_: unknown, r) =>
        r.deviceIds.length
          ? t('rules.scopeDevicesN', { count: r.deviceIds.length })
          : r.kind
            ? kindName(r.kind, lang)
            : t('rules.scopeAll'),
    },
    {
      title: t('rules.conditions'),
      key: 'colours',
      render: (_: unknown, r) => (
        <div className="rule-colours">
          {[...COLOURS].reverse().map((c) => {
            const cond = r.colours[c];
            if (!cond) return null;
            return (
              <div key={c} className="rule-colour-line">
                <ColourTag colour={c} />
                <span className="small">
                  {cond.clauses
                    .map((cl) => clauseText(cl, label))
                    .join(cond.mode === 'all' ? t('rules.and') : t('rules.or'))}
                </span>
              </div>
            );
          })}
        </div>
      ),
    },
    {
      title: t('rules.enabled'),
      dataIndex: 'enabled',
      width: 80,
      render: (v: boolean, r) => (
        <Switch
          size="small"
          checked={v}
          disabled={!manage}
          onChange={(on) => void toggle(r, on)}
          aria-label={t('rules.enabled')}
          data-testid="rule-enabled"
        />
      ),
    },
    {
      title: t('common:actions'),
      key: 'actions',
      width: 120,
      render: (_: unknown, r) =>
        manage ? (
          <Space size={0}>
            <Tooltip title={t('common:edit')}>
              <Button type="text" icon={<EditOutlined />} onClick={() => setEditing(r)} aria-label={t('common:edit')} />
            </Tooltip>
            {r.builtin && r.modified && (
              <Tooltip title={t('rules.reset')}>
                <Button
                  type="text"
                  icon={<RollbackOutlined />}
                  onClick={() => reset(r)}
                  aria-label={t('rules.reset')}
                />
              </Tooltip>
            )}
          </Space>
        ) : null,
    },
  ];

  return (
    <div className="page">
      <div className="page-head">
        <div>
          <Typography.Title level={4} className="page-title">
            {t('nav.rules')}
          </Typography.Title>
          <div className="page-sub">{t('rules.subtitle')}</div>
        </div>
        <Space>
          <Button icon={<ReloadOutlined />} onClick={() => rules.refetch()} loading={rules.isFetching}>
            {t('common:refresh')}
          </Button>
          {manage && (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing('new')} data-testid="new-rule">
              {t('rules.new')}
            </Button>
          )}
        </Space>
      </div>
      <Table<Rule>
        className="dense-table"
        rowKey="id"
        size="small"
        columns={columns}
        dataSource={rules.data?.items ?? []}
        loading={rules.isPending}
        pagination={false}
        rowClassName={(r) => (r.enabled ? '' : 'row-disabled')}
        locale={{
          emptyText: (
            <Empty
              image={Empty.PRESENTED_IMAGE_SIMPLE}
              description={rules.isError ? errorMessage(rules.error) : t('rules.empty')}
            />
          ),
        }}
        scroll={{ x: 1100 }}
        data-testid="rules-table"
      />
      <RuleDrawer
        rule={editing === 'new' ? undefined : (editing ?? undefined)}
        open={editing !== null}
        onClose={() => setEditing(null)}
        onSaved={saved}
      />
    </div>
  );
}

function RuleDrawer({
  open,
  rule,
  onClose,
  onSaved,
}: {
  open: boolean;
  rule?: Rule;
  onClose: () => void;
  onSaved: (r: Rule) => void;
}) {
  const { t } = useTranslation('monitoring');
  const lang = useLang();
  const [form] = Form.useForm<RuleValues>();
  const qc = useQueryClient();
  const devices = useMapDevices(open);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [conflict, setConflict] = useState(false);
  const ruleRef = useRef(rule);
  ruleRef.current = rule;
  useEffect(() => {
    if (!open) return;
    form.resetFields();
    form.setFieldsValue(ruleValues(ruleRef.current));
    setError(null);
    setConflict(false);
  }, [open, form]);
  const scope = Form.useWatch('scope', form);
  const basis = Form.useWatch('basis', form) as string | undefined;

  const onFinish = async (v: RuleValues) => {
    const input = toRuleInput(v);
    if (!Object.keys(input.colours).length) {
      setError(t('rules.noColour'));
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const r = rule
        ? await patchRule(rule.id, { ...input, version: rule.version } as RulePatch)
        : await createRule(input);
      onSaved(r);
      onClose();
    } catch (err) {
      if (err instanceof ApiError && err.status === 409) setConflict(true);
      else if (!applyServerError(form, err)) setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Drawer
      open={open}
      onClose={onClose}
      size={980}
      destroyOnHidden
      mask={{ closable: false }}
      title={
        rule ? t('rules.editTitle', { name: lang === 'en' ? rule.nameEn || rule.name : rule.name }) : t('rules.new')
      }
      footer={
        <DrawerFooter
          note={rule ? t('rules.updatedAt', { time: formatTime(rule.updatedAt) }) : ''}
          busy={busy}
          submitLabel={t('common:save')}
          onCancel={onClose}
          onSubmit={() => form.submit()}
          testId="rule-submit"
        />
      }
      data-testid="rule-drawer"
    >
      {basis?.trim() && (
        <Alert
          type={UNVERIFIED.test(basis) ? 'warning' : 'info'}
          showIcon
          title={t('rules.basis')}
          description={<span className="pre-wrap">{basisIn(basis, lang)}</span>}
          style={{ marginBottom: 16 }}
          data-testid="rule-basis"
        />
      )}
      {rule?.builtin && (
        <Alert
          type={rule.modified ? 'warning' : 'info'}
          showIcon
          title={rule.modified ? t('rules.builtinModified') : t('rules.builtinHint')}
          style={{ marginBottom: 16 }}
        />
      )}
      {conflict && (
        <ConflictAlert
          onReload={() => {
            void qc.invalidateQueries({ queryKey: RULES_KEY });
            onClose();
          }}
        />
      )}
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} data-testid="form-error" />}
      <Form<RuleValues>
        form={form}
        layout="vertical"
        onFinish={onFinish}
        className="dense-form"
        scrollToFirstError
        onKeyDown={(e) => {
          if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
            e.preventDefault();
            form.submit();
          }
        }}
      >
        <Row gutter={16}>
          <Col span={9}>
            <Form.Item name="name" label={t('rules.name')} rules={[{ required: true, whitespace: true }, { max: 200 }]}>
              <Input autoFocus maxLength={200} />
            </Form.Item>
          </Col>
          <Col span={9}>
            <Form.Item name="nameEn" label={t('rules.nameEn')} rules={[{ max: 200 }]}>
              <Input maxLength={200} />
            </Form.Item>
          </Col>
          <Col span={6}>
            <Form.Item name="enabled" label={t('rules.enabled')} valuePropName="checked">
              <Switch />
            </Form.Item>
          </Col>
        </Row>
        <Row gutter={16}>
          <Col span={9}>
            <Form.Item name="hazardCode" label={t('rules.hazard')} rules={[{ required: true }]}>
              <HazardSelect />
            </Form.Item>
          </Col>
          <Col span={15}>
            <Form.Item name="scope" label={t('rules.scope')}>
              <Radio.Group
                optionType="button"
                options={[
                  { value: 'all', label: t('rules.scopeAll') },
                  { value: 'kind', label: t('rules.scopeKind') },
                  { value: 'devices', label: t('rules.scopeDevices') },
                ]}
              />
            </Form.Item>
          </Col>
        </Row>
        {scope === 'kind' && (
          <Form.Item name="kind" label={t('field.kind')} rules={[{ required: true }]}>
            <Select options={DEVICE_KINDS.map((k) => ({ value: k, label: kindName(k, lang) }))} />
          </Form.Item>
        )}
        {scope === 'devices' && (
          <Form.Item name="deviceIds" label={t('rules.devices')} rules={[{ required: true, type: 'array', min: 1 }]}>
            <Select
              mode="multiple"
              loading={devices.isLoading}
              showSearch={{ optionFilterProp: 'label' }}
              options={(devices.data?.items ?? []).map((d) => ({
                value: d.id,
                label: d.code ? `${d.name} (${d.code})` : d.name,
              }))}
            />
          </Form.Item>
        )}
        <div className="form-section-title">{t('rules.conditions')}</div>
        <div className="muted small" style={{ marginBottom: 8 }}>
          {t('rules.conditionsHint')}
        </div>
        {[...COLOURS].reverse().map((c) => (
          <ColourConditionEditor key={c} colour={c} />
        ))}
        <Row gutter={16} style={{ marginTop: 12 }}>
          <Col span={12}>
            <Form.Item name="hysteresis" label={t('rules.hysteresis')} tooltip={t('rules.hysteresisHint')}>
              <InputNumber min={0} max={100000} style={{ width: '100%' }} />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item
              name="clearAfterMinutes"
              label={t('rules.clearAfter')}
              tooltip={t('rules.clearAfterHint')}
              rules={[{ type: 'integer', min: 0, max: 10080 }]}
            >
              <InputNumber min={0} max={10080} precision={0} style={{ width: '100%' }} suffix={t('unit.min')} />
            </Form.Item>
          </Col>
        </Row>
        <Form.Item name="basis" label={t('rules.basis')} tooltip={t('rules.basisHint')}>
          <Input.TextArea autoSize={{ minRows: 2, maxRows: 6 }} maxLength={2000} />
        </Form.Item>
        <button type="submit" hidden aria-hidden tabIndex={-1} />
      </Form>
      <div className="muted small">
        {COLOURS.map((c) => `${nameIn(COLOUR_INFO[c], lang)} ${COLOUR_INFO[c].level}`).join(' < ')}
      </div>
    </Drawer>
  );
}
