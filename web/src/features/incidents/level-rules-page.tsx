import {
  DeleteOutlined,
  EditOutlined,
  LockOutlined,
  PlusOutlined,
  ReloadOutlined,
  SaveOutlined,
  UndoOutlined,
} from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  App,
  Button,
  Card,
  Form,
  type FormInstance,
  Input,
  InputNumber,
  Select,
  Space,
  Spin,
  Switch,
  Table,
  type TableColumnsType,
  Tag,
  Typography,
} from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { can, useCurrentUser } from '../../api/auth.ts';
import { ApiError } from '../../api/client.ts';
import {
  LEVEL_FIELDS,
  type LevelCriterion,
  type LevelField,
  type LevelRule,
  NATURAL_2016,
} from '../../api/contracts.ts';
import { LEVEL_RULES_KEY, putNaturalRule, useLevelRules } from '../../api/incidents.ts';
import { applyServerError, errorMessage, useErrorReporter } from '../../components/errors.tsx';
import { DuplicateRuleCard } from './duplicate-rule-card.tsx';
import { LevelTag } from './tags.tsx';

const THRESHOLD_LEVELS = ['I', 'II', 'III'] as const;
type ThresholdLevel = (typeof THRESHOLD_LEVELS)[number];

/** A criterion row while it is being edited: numbers may be empty. */
type DraftCriterion = { field?: LevelField; I?: number | null; II?: number | null; III?: number | null };
type DraftRule = Omit<LevelRule, 'criteria'> & { criteria: DraftCriterion[] };

function useRuleText() {
  const { t, i18n } = useTranslation('incidents');
  const en = i18n.language === 'en';
  const unit = (f: LevelField) => t(f === 'directLossWan' ? 'levelRules.unit.wan' : 'levelRules.unit.person');
  /** A threshold with its unit as people read it: 200万人, 1亿元; 2,000,000 people, CNY 100 million. */
  const amount = (f: LevelField, v: number): string => {
    const money = f === 'directLossWan';
    if (en) {
      if (!money) return t('levelRules.amount.people', { n: v.toLocaleString('en') });
      const yuan = v * 10_000;
      return yuan >= 1_000_000 && yuan % 1_000_000 === 0
        ? t('levelRules.amount.cnyMillion', { n: (yuan / 1_000_000).toLocaleString('en') })
        : t('levelRules.amount.cny', { n: yuan.toLocaleString('en') });
    }
    // Chinese counts in 万: 200万人; and 10000万元 is 1亿元 (as Order 493 writes it)
    const round = v >= 10_000 && v % 10_000 === 0;
    const n = (round ? v / 10_000 : v).toLocaleString('zh-CN');
    if (!money) return t(round ? 'levelRules.amount.peopleWan' : 'levelRules.amount.people', { n });
    return t(round ? 'levelRules.amount.yi' : 'levelRules.amount.wan', { n });
  };
  return {
    en,
    unit,
    fieldName: (f: LevelField) => t(`levelRules.field.${f}`),
    fieldWithUnit: (f: LevelField) =>
      t('levelRules.fieldWithUnit', { name: t(`levelRules.field.${f}`), unit: unit(f) }),
    atLeast: (f: LevelField, v: number) => t('levelRules.atLeast', { amount: amount(f, v) }),
    below: (f: LevelField, v: number) => t('levelRules.below', { amount: amount(f, v) }),
    label: (r: LevelRule) => (en ? r.labelEn || r.labelZh : r.labelZh),
  };
}

/** I > II > III > 0, the order the server insists on (it answers 400 `criteria.N` otherwise). */
function orderOk(c: DraftCriterion): boolean {
  const { I, II, III } = c;
  return typeof I === 'number' && typeof II === 'number' && typeof III === 'number' && I > II && II > III && III > 0;
}

/** Reference to the rules: the statutory accident table (read-only) and the bureau's natural-disaster table. */
export function LevelRulesPage() {
  const { t } = useTranslation('incidents');
  const user = useCurrentUser();
  const rules = useLevelRules();
  const canEdit = can(user, 'incidents.rules');
  const [editing, setEditing] = useState<DraftRule | null>(null);
  // The version the editing started from: a save on top of someone else's change gets 409.
  const [editingVersion, setEditingVersion] = useState(0);

  return (
    <div className="page" data-testid="level-rules-page">
      <div className="page-head">
        <div>
          <Typography.Title level={4} className="page-title">
            {t('nav.levelRules')}
          </Typography.Title>
          <div className="page-sub">{t('levelRules.subtitle')}</div>
        </div>
      </div>
      <Alert
        type="info"
        showIcon
        className="rules-how"
        title={t('levelRules.how')}
        description={t('levelRules.scope')}
      />
      {rules.isPending ? (
        <div className="full-center-inner">
          <Spin />
        </div>
      ) : rules.isError ? (
        <Alert type="error" showIcon title={errorMessage(rules.error)} />
      ) : (
        <>
          <Card
            size="small"
            className="section-card"
            data-testid="rule-natural"
            title={
              <Space size={8}>
                <span>{t('levelRules.natural.title')}</span>
                <Tag color="blue">{t('levelRules.natural.tag')}</Tag>
              </Space>
            }
            extra={
              canEdit && !editing ? (
                <Space size={8}>
                  <Button
                    size="small"
                    icon={<UndoOutlined />}
                    onClick={() => {
                      setEditingVersion(rules.data.naturalVersion);
                      setEditing(structuredClone(NATURAL_2016));
                    }}
                    data-testid="rule-restore-default"
                  >
                    {t('levelRules.edit.restoreDefault')}
                  </Button>
                  <Button
                    size="small"
                    type="primary"
                    icon={<EditOutlined />}
                    onClick={() => {
                      setEditingVersion(rules.data.naturalVersion);
                      setEditing(structuredClone(rules.data.natural));
                    }}
                    data-testid="rule-edit"
                  >
                    {t('common:edit')}
                  </Button>
                </Space>
              ) : undefined
            }
          >
            {editing ? (
              <NaturalRuleForm initial={editing} version={editingVersion} onDone={() => setEditing(null)} />
            ) : (
              <RuleView rule={rules.data.natural} />
            )}
            {!canEdit && <div className="muted small rules-note">{t('levelRules.natural.readOnlyHint')}</div>}
          </Card>
          <Card
            size="small"
            className="section-card"
            data-testid="rule-accident"
            title={
              <Space size={8}>
                <span>{t('levelRules.accident.title')}</span>
                <Tag icon={<LockOutlined />}>{t('levelRules.accident.tag')}</Tag>
              </Space>
            }
          >
            <RuleView rule={rules.data.accident} />
            <div className="muted small rules-note">{t('levelRules.accident.readOnlyHint')}</div>
          </Card>
        </>
      )}
      <DuplicateRuleCard />
    </div>
  );
}

function UnverifiedAlert({ rule }: { rule: Pick<LevelRule, 'id' | 'verified'> }) {
  const { t } = useTranslation('incidents');
  if (rule.verified) return null;
  return (
    <Alert
      type="warning"
      showIcon
      className="rules-unverified"
      data-testid="rule-unverified"
      title={t('levelRules.unverified.title')}
      description={
        rule.id === NATURAL_2016.id ? t('levelRules.unverified.default2016') : t('levelRules.unverified.other')
      }
    />
  );
}

/** A rule as a readable table: criterion (with unit) × I / II / III thresholds, and IV below III. */
function RuleView({ rule }: { rule: LevelRule }) {
  const { t } = useTranslation('incidents');
  const text = useRuleText();
  const columns: TableColumnsType<LevelCriterion> = [
    {
      title: t('levelRules.criterion'),
      key: 'field',
      render: (_, c) => <span className="cell-title">{text.fieldWithUnit(c.field)}</span>,
    },
    ...THRESHOLD_LEVELS.map((l) => ({
      title: <LevelTag level={l} long />,
      key: l,
      width: '19%',
      render: (_: unknown, c: LevelCriterion) => <span className="num">{text.atLeast(c.field, c[l])}</span>,
    })),
    {
      title: <LevelTag level="IV" long />,
      key: 'IV',
      width: '19%',
      render: (_, c) => <span className="muted">{text.below(c.field, c.III)}</span>,
    },
  ];
  return (
    <div className="rule-view">
      <div className="rule-source">
        <span className="muted">{t('levelRules.source')}：</span>
        {text.label(rule)}
        {rule.verified ? (
          <Tag color="green" className="rule-verified-tag">
            {t('levelRules.verifiedTag')}
          </Tag>
        ) : (
          <Tag color="orange" className="rule-verified-tag">
            {t('levelRules.unverifiedTag')}
          </Tag>
        )}
      </div>
      <UnverifiedAlert rule={rule} />
      <Table<LevelCriterion>
        className="dense-table"
        size="small"
        bordered
        rowKey={(c) => c.field}
        columns={columns}
        dataSource={rule.criteria}
        pagination={false}
      />
      <div className="muted small rules-note">{t('levelRules.anyOne')}</div>
    </div>
  );
}

function NaturalRuleForm({ initial, version, onDone }: { initial: DraftRule; version: number; onDone: () => void }) {
  const { t } = useTranslation('incidents');
  const [form] = Form.useForm<DraftRule>();
  const [busy, setBusy] = useState(false);
  const qc = useQueryClient();
  const report = useErrorReporter();
  const { message } = App.useApp();
  const verified = Form.useWatch('verified', form) ?? initial.verified;
  const id = Form.useWatch('id', form) ?? initial.id;

  const restoreDefault = () => {
    form.resetFields();
    form.setFieldsValue(structuredClone(NATURAL_2016));
    void message.info(t('levelRules.edit.defaultFilled'));
  };

  const submit = async () => {
    let v: DraftRule;
    try {
      v = await form.validateFields();
    } catch {
      return; // the rows say what is wrong
    }
    const rule: LevelRule = {
      id: v.id.trim(),
      labelZh: v.labelZh.trim(),
      labelEn: v.labelEn.trim(),
      verified: !!v.verified,
      criteria: v.criteria.map((c) => ({
        field: c.field as LevelField,
        I: c.I as number,
        II: c.II as number,
        III: c.III as number,
      })),
    };
    setBusy(true);
    try {
      const saved = await putNaturalRule(rule, version);
      qc.setQueryData(LEVEL_RULES_KEY, saved);
      void message.success({ content: t('levelRules.edit.saved'), duration: 6 });
      onDone();
    } catch (err) {
      const rows = (form.getFieldValue('criteria') as DraftCriterion[] | undefined)?.length ?? 0;
      const known = [
        'id',
        'labelZh',
        'labelEn',
        'verified',
        ...Array.from({ length: rows }, (_, i) => `criteria.${i}`),
      ];
      // the server names a row (`criteria.N`) when its thresholds are not in order I > II > III > 0
      const row = err instanceof ApiError && /^criteria\.(\d+)$/.exec(err.field ?? '');
      if (row && Number(row[1]) < rows) {
        form.setFields([{ name: ['criteria', Number(row[1])], errors: [t('levelRules.edit.serverOrder')] }]);
      } else if (!applyServerError(form, err, known)) {
        report(err, { refetch: LEVEL_RULES_KEY, close: onDone });
      }
    } finally {
      setBusy(false);
    }
  };

  return (
    <Form<DraftRule>
      form={form}
      layout="vertical"
      initialValues={initial}
      className="rule-form"
      data-testid="rule-form"
      requiredMark={false}
    >
      <Alert type="info" showIcon className="rules-how" title={t('levelRules.edit.appliesFrom')} />
      <div className="rule-form-grid">
        <Form.Item
          name="labelZh"
          label={t('levelRules.edit.labelZh')}
          rules={[{ required: true, whitespace: true, message: t('levelRules.edit.required') }]}
        >
          <Input.TextArea autoSize={{ minRows: 1, maxRows: 3 }} maxLength={500} data-testid="rule-label-zh" />
        </Form.Item>
        <Form.Item
          name="labelEn"
          label={t('levelRules.edit.labelEn')}
          rules={[{ required: true, whitespace: true, message: t('levelRules.edit.required') }]}
        >
          <Input.TextArea autoSize={{ minRows: 1, maxRows: 3 }} maxLength={500} data-testid="rule-label-en" />
        </Form.Item>
        <Form.Item
          name="id"
          label={t('levelRules.edit.id')}
          tooltip={t('levelRules.edit.idHint')}
          rules={[{ required: true, whitespace: true, message: t('levelRules.edit.required') }]}
        >
          <Input className="mono" maxLength={100} />
        </Form.Item>
        <Form.Item name="verified" label={t('levelRules.edit.verified')} valuePropName="checked">
          <Switch data-testid="rule-verified" />
        </Form.Item>
      </div>
      <UnverifiedAlert rule={{ id, verified }} />

      <div className="criteria-head">
        <span>{t('levelRules.criterion')}</span>
        {THRESHOLD_LEVELS.map((l) => (
          <span key={l}>
            <LevelTag level={l} long />
          </span>
        ))}
        <span>
          <LevelTag level="IV" long />
        </span>
        <span />
      </div>
      <Form.List name="criteria">
        {(fields, { add, remove }) => (
          <>
            {fields.map(({ key, name }) => (
              <Form.Item
                key={key}
                name={name}
                className="criterion-item"
                rules={[
                  ({ getFieldValue }) => ({
                    validator: async (_, c: DraftCriterion | undefined) => {
                      if (!c?.field) throw new Error(t('levelRules.edit.fieldRequired'));
                      const all = (getFieldValue('criteria') as DraftCriterion[] | undefined) ?? [];
                      if (all.some((o, i) => i !== name && o?.field === c.field))
                        throw new Error(t('levelRules.edit.duplicate'));
                      if (!orderOk(c)) throw new Error(t('levelRules.edit.order'));
                    },
                  }),
                ]}
              >
                <CriterionRow index={name} canRemove={fields.length > 1} onRemove={() => remove(name)} />
              </Form.Item>
            ))}
            <Button
              type="dashed"
              icon={<PlusOutlined />}
              onClick={() => add({ field: LEVEL_FIELDS.find((f) => !usedFields(form).includes(f)) })}
              disabled={fields.length >= LEVEL_FIELDS.length}
              data-testid="rule-add-row"
            >
              {t('levelRules.edit.addRow')}
            </Button>
          </>
        )}
      </Form.List>

      <div className="rule-form-actions">
        <Space wrap>
          <Button type="primary" icon={<SaveOutlined />} loading={busy} onClick={submit} data-testid="rule-save">
            {t('common:save')}
          </Button>
          <Button icon={<ReloadOutlined />} onClick={restoreDefault} data-testid="rule-fill-default">
            {t('levelRules.edit.restoreDefault')}
          </Button>
          <Button onClick={onDone}>{t('common:cancel')}</Button>
        </Space>
      </div>
    </Form>
  );
}

function usedFields(form: FormInstance<DraftRule>): LevelField[] {
  const all = (form.getFieldValue('criteria') as DraftCriterion[] | undefined) ?? [];
  return all.map((c) => c?.field).filter((f): f is LevelField => !!f);
}

/** One criterion row; the surrounding Form.Item passes the whole `{field, I, II, III}` as value. */
function CriterionRow({
  value,
  onChange,
  index,
  canRemove,
  onRemove,
}: {
  value?: DraftCriterion;
  onChange?: (v: DraftCriterion) => void;
  index: number;
  canRemove: boolean;
  onRemove: () => void;
}) {
  const { t } = useTranslation('incidents');
  const text = useRuleText();
  const c = value ?? {};
  const set = (patch: Partial<DraftCriterion>) => onChange?.({ ...c, ...patch });
  const money = c.field === 'directLossWan';
  return (
    <div className="criterion-row" data-testid={`rule-row-${index}`}>
      <Select<LevelField>
        value={c.field}
        onChange={(field) => set({ field })}
        placeholder={t('levelRules.criterion')}
        options={LEVEL_FIELDS.map((f) => ({ value: f, label: text.fieldWithUnit(f) }))}
        aria-label={t('levelRules.criterion')}
        data-testid={`rule-field-${index}`}
      />
      {THRESHOLD_LEVELS.map((l: ThresholdLevel) => (
        <InputNumber<number>
          key={l}
          min={0}
          precision={money ? 2 : 0}
          value={c[l] ?? null}
          onChange={(v) => set({ [l]: v })}
          suffix={c.field ? text.unit(c.field) : undefined}
          formatter={(v, info) => (info.userTyping ? info.input : v === undefined ? '' : groupThousands(String(v)))}
          parser={(s) => (s ?? '').replace(/,/g, '') as unknown as number}
          aria-label={`${l} ${c.field ? text.fieldName(c.field) : ''}`}
          data-testid={`rule-${l}-${index}`}
          style={{ width: '100%' }}
        />
      ))}
      <span className="muted small">{c.field && typeof c.III === 'number' ? text.below(c.field, c.III) : '—'}</span>
      <Button
        type="text"
        danger
        icon={<DeleteOutlined />}
        disabled={!canRemove}
        onClick={onRemove}
        aria-label={t('levelRules.edit.removeRow')}
        data-testid={`rule-remove-${index}`}
      />
    </div>
  );
}

function groupThousands(s: string): string {
  const [int, frac] = s.split('.');
  const grouped = int.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return frac === undefined ? grouped : `${grouped}.${frac}`;
}
